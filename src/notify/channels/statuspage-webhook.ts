/**
 * Webhooks to subscribers in Atlassian Statuspage's format, so tools that consume Statuspage
 * webhooks work unchanged: `{ meta, page, incident }` for incidents and maintenance (Statuspage
 * sends scheduled maintenance as incidents), `{ meta, page, component_update, component }` for a
 * component's status. Only what the page shows.
 */
import type { NotifyEvent } from '../../status/events.ts';
import type { Channel } from '../schema.ts';
import type { Outgoing, Sink, SinkContext } from '../sink.ts';
import { linkOf } from '../sink.ts';
import { unsubscribeFor, wants } from './subscriber-email.ts';

const DOCS = 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/';

function payload(event: NotifyEvent, ctx: SinkContext): object | undefined {
  if (event.kind === 'test') {
    const update = {
      id: 'upkeep-test-1',
      incident_id: 'upkeep-test',
      status: 'resolved',
      body: event.text,
      created_at: event.at,
      updated_at: event.at,
      display_at: event.at,
    };
    return {
      incident: {
        id: 'upkeep-test',
        name: event.title,
        status: 'resolved',
        impact: 'none',
        created_at: event.at,
        updated_at: event.at,
        resolved_at: event.at,
        shortlink: linkOf(event, ctx),
        incident_updates: [update],
        components: [],
      },
    };
  }
  if (event.componentUpdate) {
    const u = event.componentUpdate;
    return {
      component_update: {
        created_at: event.at,
        new_status: u.to === 'nodata' ? 'operational' : u.to,
        old_status: u.from === 'nodata' ? 'operational' : u.from,
        id: event.id,
        component_id: u.component,
      },
      component: { created_at: event.at, id: u.component, name: ctx.componentName(u.component), status: u.to === 'nodata' ? 'operational' : u.to },
    };
  }
  if (event.incident) {
    const i = event.incident;
    return {
      incident: {
        id: i.id,
        name: i.title,
        status: i.status,
        impact: i.impact,
        created_at: i.updates[0].at,
        updated_at: event.at,
        shortlink: linkOf(event, ctx),
        incident_updates: [...i.updates].reverse().map((u, k) => ({
          id: `${i.id}-${i.updates.length - k}`,
          incident_id: i.id,
          status: u.status,
          body: u.message,
          created_at: u.at,
          updated_at: u.at,
          display_at: u.at,
        })),
        components: i.components.map((id) => ({ id, name: ctx.componentName(id) })),
      },
    };
  }
  if (event.maintenance) {
    const m = event.maintenance;
    const status = event.kind === 'maintenance.scheduled' ? 'scheduled' : event.kind === 'maintenance.started' ? 'in_progress' : 'completed';
    return {
      incident: {
        id: m.id,
        name: m.title,
        status,
        impact: 'maintenance',
        created_at: event.at,
        updated_at: event.at,
        scheduled_for: m.start,
        scheduled_until: m.end,
        shortlink: linkOf(event, ctx),
        incident_updates: [
          { id: `${m.id}-${status}`, incident_id: m.id, status, body: event.text, created_at: event.at, updated_at: event.at, display_at: event.at },
        ],
        components: m.components.map((id) => ({ id, name: ctx.componentName(id) })),
      },
    };
  }
  return undefined;
}

export const statuspageWebhook: Sink<Extract<Channel, { kind: 'statuspage-webhook' }>> = (event, channel, ctx) => {
  const body = payload(event, ctx);
  if (!body) return [];
  const out: Outgoing[] = [];
  for (const r of ctx.recipients) {
    if (!wants(r, event)) continue;
    const message = { meta: { unsubscribe: unsubscribeFor(channel.unsubscribe, r) ?? null, documentation: DOCS }, page: ctx.page, ...body };
    out.push({ recipient: r.key, http: { url: r.address, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) } });
  }
  return out;
};
