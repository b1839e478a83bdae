/**
 * Events: what people should hear about, derived from the same history the page is made from. Pure.
 *
 * Every event has a stable id made of what it is about and when that began (`check.down:api:<start>`,
 * `incident.updated:<id>:<update time>`), so deriving them again in the next run, in another
 * region's job or after a killed run gives the same ids: the delivery ledger sends each once.
 */
import { byTime, incidentStatus } from './incidents.ts';
import type { Occurrence } from './maintenance.ts';
import type { CheckState, Segment } from './timeline.ts';
import type { ComponentStatus, EventKind, Impact, IncidentStatus, Severity } from './vocabulary.ts';

export type EventIncident = {
  id: string;
  title: string;
  /** The incident file's own translations (title; each update's message), for subscribers in other languages. */
  translations?: Partial<Record<string, { title?: string }>>;
  components: string[];
  instances?: string[];
  impact: Impact;
  status: IncidentStatus;
  draft: boolean;
  started?: string;
  updates: { at: string; status: IncidentStatus; message: string; translations?: Partial<Record<string, { message?: string }>> }[];
};

export type NotifyEvent = {
  id: string;
  /** `test` only from `upkeep notify test`. */
  kind: EventKind | 'test';
  /** When it happened (ISO). */
  at: string;
  severity: Severity;
  /** May reach subscribers (what the page itself shows); else the team only. */
  public: boolean;
  components: string[];
  /** The instances it is about; every instance when absent. */
  instances?: string[];
  /** One line, plain text. */
  title: string;
  /** Plain text, for people. */
  text: string;
  /** Where on the page to read more (a path: `incidents/<id>/`). */
  path?: string;
  /** Team channels only: what the failing checks said (already redacted). */
  technical?: string;
  /** PagerDuty's dedup key: the incident or the check, so trigger and resolve pair up. */
  dedupKey?: string;
  /** The event ends what `dedupKey` began (a resolve). */
  resolves?: boolean;
  incident?: EventIncident;
  /** `windowId`: the window in maintenance.yml (a recurring one's occurrences share it), for its text in other languages. */
  maintenance?: { id: string; windowId: string; title: string; start: string; end: string; components: string[]; description?: string };
  componentUpdate?: { component: string; from: ComponentStatus; to: ComponentStatus };
};

export type EventInput = {
  now: number;
  components: readonly { id: string; name: string }[];
  checks: readonly { id: string; name: string; component: string; critical: boolean; instance?: string }[];
  incidents: readonly (Omit<EventIncident, 'status'> & { published?: string })[];
  /** Each component's timeline over the lookback. */
  componentTimelines: ReadonlyMap<string, readonly Segment<ComponentStatus>[]>;
  /** Each check's timeline (regions combined) over the lookback. */
  checkTimelines: ReadonlyMap<string, readonly Segment<CheckState>[]>;
  /** What each failing check's latest sample said, redacted. */
  reasons: ReadonlyMap<string, string>;
  maintenance: readonly Occurrence[];
  /** Times of samples over the lookback, sorted (for gaps in monitoring). */
  sampleTimes: readonly number[];
  intervalMs: number;
  staleAfter: number;
  /** `incidents.open_after`: a component's change that lasts less than this is not public news. */
  openAfterMs: number;
  /** This month's SLA budget per component. */
  budgets: readonly { component: string; month: string; usedMs: number; budgetMs: number }[];
};

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

const severityOfImpact: Record<Impact, Severity> = { none: 'info', minor: 'minor', major: 'major', critical: 'critical' };
const severityOfStatus: Record<ComponentStatus, Severity> = {
  operational: 'info',
  under_maintenance: 'info',
  nodata: 'info',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

const statusWords: Record<ComponentStatus, string> = {
  operational: 'operational',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
  under_maintenance: 'under maintenance',
  nodata: 'no data',
};

export function deriveEvents(input: EventInput): NotifyEvent[] {
  const name = new Map(input.components.map((c) => [c.id, c.name]));
  const names = (ids: readonly string[]) => ids.map((id) => name.get(id) ?? id).join(', ');
  const out: NotifyEvent[] = [];

  for (const i of input.incidents) {
    const updates = byTime(i.updates);
    const first = updates[0];
    const incident = { ...i, status: incidentStatus(i) };
    const base = {
      components: i.components,
      ...(i.instances ? { instances: i.instances } : {}),
      path: `incidents/${i.id}/`,
      dedupKey: `incident:${i.id}`,
      incident,
    };
    if (i.draft) {
      out.push({
        ...base,
        id: `incident.drafted:${i.id}`,
        kind: 'incident.drafted',
        at: first.at,
        severity: severityOfImpact[i.impact],
        public: false,
        title: `Draft incident: ${i.title}`,
        text: `${first.message}\n\nA draft: not on the page until a collaborator publishes it.`,
      });
      continue;
    }
    // Published later than it was opened (a reviewed draft): what happened before goes out as one.
    const published = Math.max(Date.parse(first.at), i.published ? Date.parse(i.published) : 0);
    out.push({
      ...base,
      id: `incident.opened:${i.id}`,
      kind: 'incident.opened',
      at: iso(published),
      severity: severityOfImpact[i.impact],
      public: true,
      title: i.title,
      text: `${names(i.components)}: ${first.message}`,
    });
    for (const u of updates.slice(1)) {
      if (Date.parse(u.at) <= published) continue;
      const resolved = u.status === 'resolved';
      out.push({
        ...base,
        id: resolved ? `incident.resolved:${i.id}:${u.at}` : `incident.updated:${i.id}:${u.at}`,
        kind: resolved ? 'incident.resolved' : 'incident.updated',
        at: u.at,
        // A resolve is as severe as what it ends, so a channel that heard the start hears the end.
        severity: severityOfImpact[i.impact],
        public: true,
        title: `${resolved ? 'Resolved' : capitalise(u.status)}: ${i.title}`,
        text: u.message,
        resolves: resolved,
      });
    }
  }

  const announced = new Set<string>();
  for (const m of [...input.maintenance].sort((a, b) => a.start - b.start)) {
    const maintenance = {
      id: m.id,
      windowId: m.windowId,
      title: m.title,
      start: iso(m.start),
      end: iso(m.end),
      components: m.components,
      ...(m.description ? { description: m.description } : {}),
    };
    const base = {
      components: m.components,
      ...(m.instances ? { instances: m.instances } : {}),
      path: `maintenance/#${m.id}`,
      maintenance,
      public: true,
      severity: 'info' as const,
    };
    const when = `${iso(m.start)} to ${iso(m.end)}`;
    // Announced once per window (a weekly window is not announced every week), when still ahead.
    if (m.start > input.now && m.start - input.now <= 30 * 86_400_000 && !announced.has(m.windowId)) {
      announced.add(m.windowId);
      out.push({
        ...base,
        id: `maintenance.scheduled:${m.windowId}`,
        kind: 'maintenance.scheduled',
        at: iso(input.now),
        title: `Scheduled maintenance: ${m.title}`,
        text: `${names(m.components)}, ${when}.${m.description ? `\n\n${m.description}` : ''}`,
      });
    }
    if (m.start <= input.now)
      out.push({
        ...base,
        id: `maintenance.started:${m.id}`,
        kind: 'maintenance.started',
        at: iso(m.start),
        title: `Maintenance in progress: ${m.title}`,
        text: `${names(m.components)}, until ${iso(m.end)}.`,
      });
    if (m.end <= input.now)
      out.push({
        ...base,
        id: `maintenance.completed:${m.id}`,
        kind: 'maintenance.completed',
        at: iso(m.end),
        title: `Maintenance completed: ${m.title}`,
        text: `${names(m.components)}.`,
      });
  }

  for (const [component, timeline] of input.componentTimelines) {
    for (const change of changes(settled(timeline, input.openAfterMs, input.now), 'operational')) {
      out.push({
        id: `component.status:${component}:${iso(change.at)}`,
        kind: 'component.status',
        at: iso(change.at),
        severity: severityOfStatus[change.to],
        public: true,
        components: [component],
        path: `components/${component}/`,
        title: `${name.get(component) ?? component}: ${statusWords[change.to]}`,
        text: `${name.get(component) ?? component} is now ${statusWords[change.to]} (was ${statusWords[change.from]}).`,
        componentUpdate: { component, from: change.from, to: change.to },
      });
    }
  }

  for (const check of input.checks) {
    const timeline = input.checkTimelines.get(check.id) ?? [];
    let downSince: number | undefined;
    for (const change of changes(timeline, 'up')) {
      const base = {
        components: [check.component],
        ...(check.instance ? { instances: [check.instance] } : {}),
        path: `components/${check.component}/`,
        public: false,
      };
      if (change.to === 'down') {
        downSince = change.at;
        out.push({
          ...base,
          id: `check.down:${check.id}:${iso(change.at)}`,
          kind: 'check.down',
          at: iso(change.at),
          severity: check.critical ? 'critical' : 'minor',
          title: `Down: ${check.name}`,
          text: `${check.name} (${name.get(check.component) ?? check.component}) is down, confirmed.`,
          ...(input.reasons.get(check.id) ? { technical: input.reasons.get(check.id) } : {}),
          dedupKey: `check:${check.id}:${iso(change.at)}`,
        });
      } else if (change.from === 'down' && downSince !== undefined) {
        out.push({
          ...base,
          id: `check.recovered:${check.id}:${iso(downSince)}`,
          kind: 'check.recovered',
          at: iso(change.at),
          severity: check.critical ? 'critical' : 'minor',
          title: `Recovered: ${check.name}`,
          text: `${check.name} is ${change.to === 'degraded' ? 'answering again, slowly' : 'up again'}, after ${minutes(change.at - downSince)}.`,
          dedupKey: `check:${check.id}:${iso(downSince)}`,
          resolves: true,
        });
        downSince = undefined;
      }
    }
  }

  const staleMs = input.staleAfter * input.intervalMs;
  const times = input.sampleTimes;
  const stale = (from: number, until?: number) => {
    out.push({
      id: `monitoring.stale:${iso(from)}`,
      kind: 'monitoring.stale',
      dedupKey: `monitoring:${iso(from)}`,
      at: iso(from + staleMs),
      severity: 'major',
      public: false,
      components: [],
      title: 'Monitoring has stopped',
      text: `No new samples since ${iso(from)}: the probe workflow may have stopped, or GitHub's schedule is late.`,
    });
    if (until !== undefined) {
      out.push({
        id: `monitoring.resumed:${iso(from)}`,
        kind: 'monitoring.resumed',
        dedupKey: `monitoring:${iso(from)}`,
        resolves: true,
        at: iso(until),
        severity: 'major',
        public: false,
        components: [],
        title: 'Monitoring has resumed',
        text: `Samples arrive again after a gap of ${minutes(until - from)} (from ${iso(from)}).`,
      });
    }
  };
  for (let k = 1; k < times.length; k++) if (times[k] - times[k - 1] > staleMs) stale(times[k - 1], times[k]);
  const last = times[times.length - 1];
  if (last !== undefined && input.now - last > staleMs) stale(last);

  for (const b of input.budgets) {
    if (b.budgetMs <= 0) continue;
    for (const [pct, severity] of [
      [50, 'minor'],
      [80, 'major'],
      [100, 'critical'],
    ] as const) {
      if (b.usedMs < (b.budgetMs * pct) / 100) continue;
      out.push({
        id: `budget.burn:${b.component}:${b.month}:${pct}`,
        kind: 'budget.burn',
        at: iso(input.now),
        severity,
        public: false,
        components: [b.component],
        path: `components/${b.component}/`,
        title: `${name.get(b.component) ?? b.component}: ${pct} % of ${b.month}'s error budget used`,
        text: `${minutes(b.usedMs)} of downtime this month, of ${minutes(b.budgetMs)} the SLA allows.`,
      });
    }
  }

  return out.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/**
 * Where a timeline's state changes between two known states (no data in between is looked through).
 * A timeline that begins with no data (nothing was measured before) starts from `initial`, so a
 * check that fails from its first sample is news; one that was already failing when the lookback
 * began is not (its news went out when it began).
 */
function changes<S extends string>(timeline: readonly Segment<S>[], initial: S): { at: number; from: S; to: S }[] {
  const out: { at: number; from: S; to: S }[] = [];
  let previous: S | undefined = timeline[0]?.state === 'nodata' ? initial : undefined;
  for (const seg of timeline) {
    if (seg.state === 'nodata') continue;
    if (previous !== undefined && seg.state !== previous) out.push({ at: seg.start, from: previous, to: seg.state });
    previous = seg.state;
  }
  return out;
}

/**
 * The timeline with every non-operational stretch shorter than `minMs` taken as operational (still
 * open ones count up to `now`): a blip the vendor's policy keeps off the page is not news for
 * subscribers either.
 */
function settled(timeline: readonly Segment<ComponentStatus>[], minMs: number, now: number): Segment<ComponentStatus>[] {
  if (minMs <= 0) return [...timeline];
  return timeline.map((seg) =>
    seg.state !== 'operational' && seg.state !== 'nodata' && Math.min(seg.end, now) - seg.start < minMs ? { ...seg, state: 'operational' } : seg,
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function minutes(ms: number): string {
  const m = Math.max(1, Math.round(ms / 60_000));
  return m < 90 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
