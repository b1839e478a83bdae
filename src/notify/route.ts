/** Which events a channel hears: its audience first (subscribers only ever hear public ones), then its routing. Pure. */
import type { NotifyEvent } from '../status/events.ts';
import { eventKinds, publicKinds, severities, type EventKind } from '../status/vocabulary.ts';
import { subscriberKinds, type Channel, type ChannelKind } from './schema.ts';

/**
 * What each kind hears when `events` is not given. Team chat hears what an on-call engineer acts
 * on (a component's status is left out: the checks and incidents already say it); PagerDuty pages
 * on incidents (their dedup key pairs trigger and resolve) and on monitoring going blind;
 * subscribers hear what the page shows, and webhooks in Statuspage's format the component
 * updates too, as Statuspage sends them.
 */
const team = eventKinds.filter((k) => k !== 'component.status');
const subscriber = publicKinds.filter((k) => k !== 'component.status');

export const defaultEvents: Record<ChannelKind, readonly EventKind[]> = {
  slack: team,
  teams: team,
  discord: team,
  webhook: team,
  email: team,
  pagerduty: ['incident.drafted', 'incident.opened', 'incident.updated', 'incident.resolved', 'monitoring.stale', 'monitoring.resumed'],
  'subscriber-email': subscriber,
  'statuspage-webhook': publicKinds,
};

export const isSubscriberChannel = (c: Pick<Channel, 'kind'>) => subscriberKinds.includes(c.kind);

const rank = (s: (typeof severities)[number]) => severities.indexOf(s);

export function routes(channel: Channel, event: NotifyEvent): boolean {
  if (event.kind === 'test') return true;
  if (isSubscriberChannel(channel) && (!event.public || !publicKinds.includes(event.kind))) return false;
  const patterns = channel.events;
  const kindOk = patterns
    ? patterns.some((p) => (p.endsWith('.*') ? event.kind.startsWith(p.slice(0, -1)) : p === event.kind))
    : defaultEvents[channel.kind].includes(event.kind);
  if (!kindOk) return false;
  // Events about no component in particular (monitoring) reach every channel that hears their kind.
  if (channel.components && event.components.length > 0 && !event.components.some((c) => channel.components!.includes(c))) return false;
  // An event about every instance reaches a channel of some; one about other instances does not.
  if (channel.instances && event.instances && !event.instances.some((i) => channel.instances!.includes(i))) return false;
  return rank(event.severity) >= rank(channel.severity);
}
