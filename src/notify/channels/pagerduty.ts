/**
 * PagerDuty Events API v2: a trigger when something breaks and a resolve when it mends, paired by
 * `dedup_key` (the incident, or the check's failure), so PagerDuty's own deduplication holds.
 */
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

const severity = { info: 'info', minor: 'warning', major: 'error', critical: 'critical' } as const;

export const pagerduty: Sink<Extract<Channel, { kind: 'pagerduty' }>> = (event, channel, ctx) => {
  const dedupKey = event.dedupKey ?? event.id;
  const body = event.resolves
    ? { routing_key: channel.routing_key, event_action: 'resolve', dedup_key: dedupKey }
    : {
        routing_key: channel.routing_key,
        event_action: 'trigger',
        dedup_key: dedupKey,
        payload: {
          summary: `${event.title} — ${ctx.site.vendor}`.slice(0, 1024),
          source: ctx.pageUrl(),
          severity: severity[event.severity],
          timestamp: event.at,
          component: event.components.join(', ') || undefined,
          group: ctx.site.vendor,
          class: event.kind,
          custom_details: { text: event.text, ...(event.technical ? { technical: event.technical } : {}) },
        },
        links: [{ href: linkOf(event, ctx), text: ctx.site.title }],
        client: 'Upkeep',
        client_url: ctx.pageUrl(),
      };
  return [{ http: { url: channel.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } }];
};
