/**
 * Webhooks to subscribers in Atlassian Statuspage's format, so tools that consume Statuspage
 * webhooks work unchanged: `{ meta, page, incident }` for incidents and maintenance (Statuspage
 * sends scheduled maintenance as incidents with `scheduled_for`), `{ meta, page, component_update,
 * component }` for a component's status. `incident_updates` are newest first and end at the
 * update the webhook is about, as Statuspage's are. Only what the page shows.
 */
import { byTime } from '../../status/incidents.ts';
import type { NotifyEvent } from '../../status/events.ts';
import type { ComponentStatus } from '../../status/vocabulary.ts';
import type { Channel } from '../schema.ts';
import type { Outgoing, Sink, SinkContext } from '../sink.ts';
import { linkOf } from '../sink.ts';
import { unsubscribeFor, wants } from './subscriber-email.ts';

const DOCS = 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/';
/** Statuspage has no "no data". */
const sp = (s: ComponentStatus) => (s === 'nodata' ? 'operational' : s);

type Update = { at: string; status: string; body: string };

function incident(
  ctx: SinkContext,
  link: string,
  i: { id: string; name: string; status: string; impact: string; components: string[]; created: string; updates: Update[] },
  extra: Record<string, unknown> = {},
) {
  const at = i.updates[0]?.at ?? i.created;
  return {
    id: i.id,
    page_id: ctx.page.id,
    name: i.name,
    status: i.status,
    impact: i.impact,
    created_at: i.created,
    updated_at: at,
    started_at: i.created,
    monitoring_at: i.updates.find((u) => u.status === 'monitoring')?.at ?? null,
    resolved_at: i.status === 'resolved' || i.status === 'completed' ? at : null,
    shortlink: link,
    backfilled: false,
    scheduled_for: null,
    scheduled_until: null,
    ...extra,
    incident_updates: i.updates.map((u, k) => ({
      id: `${i.id}-${i.updates.length - k}`,
      incident_id: i.id,
      status: u.status,
      body: u.body,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      deliver_notifications: true,
    })),
    components: i.components.map((id) => ({ id, page_id: ctx.page.id, name: ctx.componentName(id), group_id: null })),
  };
}

function payload(event: NotifyEvent, ctx: SinkContext): object | undefined {
  const link = linkOf(event, ctx);
  if (event.kind === 'test') {
    return {
      incident: incident(ctx, link, {
        id: 'upkeep-test',
        name: event.title,
        status: 'resolved',
        impact: 'none',
        components: [],
        created: event.at,
        updates: [{ at: event.at, status: 'resolved', body: event.text }],
      }),
    };
  }
  if (event.componentUpdate) {
    const u = event.componentUpdate;
    return {
      component_update: {
        id: event.id,
        component_id: u.component,
        component_type: 'Component',
        old_status: sp(u.from),
        new_status: sp(u.to),
        created_at: event.at,
      },
      component: {
        id: u.component,
        page_id: ctx.page.id,
        group_id: null,
        name: ctx.componentName(u.component),
        status: sp(u.to),
        created_at: event.at,
        updated_at: event.at,
        description: null,
        showcase: true,
      },
    };
  }
  if (event.incident) {
    const i = event.incident;
    // As it stood when this event happened (a late delivery does not speak of what came after).
    const until = byTime(i.updates).filter((u) => Date.parse(u.at) <= Date.parse(event.at));
    const updates = (until.length ? until : byTime(i.updates).slice(0, 1)).reverse();
    return {
      incident: incident(ctx, link, {
        id: i.id,
        name: i.title,
        status: updates[0].status,
        impact: i.impact,
        components: i.components,
        created: byTime(i.updates)[0].at,
        updates: updates.map((u) => ({ at: u.at, status: u.status, body: u.message })),
      }),
    };
  }
  if (event.maintenance) {
    const m = event.maintenance;
    const status = event.kind === 'maintenance.scheduled' ? 'scheduled' : event.kind === 'maintenance.started' ? 'in_progress' : 'completed';
    return {
      incident: incident(
        ctx,
        link,
        {
          id: m.id,
          name: m.title,
          status,
          impact: 'maintenance',
          components: m.components,
          created: event.at,
          updates: [{ at: event.at, status, body: event.text }],
        },
        { scheduled_for: m.start, scheduled_until: m.end },
      ),
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
    const message = {
      meta: { unsubscribe: unsubscribeFor(channel.unsubscribe, r) ?? null, documentation: DOCS, generated_at: ctx.now.toISOString() },
      page: ctx.page,
      ...body,
    };
    out.push({ recipient: r.key, http: { url: r.address, headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) } });
  }
  return out;
};
