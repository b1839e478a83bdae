/**
 * A site's components from their checks' days: each check's timeline (its regions combined by
 * quorum), each component's timeline (its checks combined by its rule), and each component's
 * status now, which is what incident planning acts on. Pure, over plain inputs: the page and the
 * incident planner count the same way because they call the same functions.
 */
import type { Config } from '../config/load.ts';
import { componentTimeline } from './component.ts';
import { intervalsFor, type Occurrence } from './maintenance.ts';
import type { ComponentNow } from './incidents.ts';
import { timelineFromDays } from './report.ts';
import type { DayRollup } from './rollup.ts';
import type { Sample } from './sample.ts';
import { combine, observedUntil, quorumRule, stateAt, type CheckState, type Segment } from './timeline.ts';
import { BAD_STATUSES, DAY_MS, worstStatus, type ComponentStatus } from './vocabulary.ts';

export type CheckRef = { id: string; component: string; critical: boolean; every: number; instance?: string };

/** What counting needs to know of the configuration. */
export type Counting<C extends CheckRef = CheckRef> = {
  components: readonly { id: string; name: string; down_when: 'any' | 'all' }[];
  checks: readonly C[];
  /** Regions that must agree for a check to be down (default: a majority of those with data). */
  quorum?: number;
  /** `defaults.interval`: a sample covers at most twice this (times the check's `every`). */
  intervalMs: number;
};

export const countingOf = (config: Config): Counting<Config['checks'][number]> => ({
  components: config.components,
  checks: config.checks,
  quorum: config.defaults.quorum,
  intervalMs: config.defaults.interval,
});

/** How long one sample of a check counts for: twice the interval it is expected at. */
export const coverageCap = (counting: Pick<Counting, 'checks' | 'intervalMs'>) => {
  const every = new Map(counting.checks.map((c) => [c.id, c.every]));
  return (checkId: string) => 2 * counting.intervalMs * (every.get(checkId) ?? 1);
};

/** One check's timeline over [from, to): one per region from its days, then the regions' quorum. */
export function quorumTimeline(days: readonly DayRollup[], from: number, to: number, quorum?: number): Segment<CheckState>[] {
  const regions = groupBy(days, (d) => d.region);
  const timelines = [...regions.values()].map((list) => timelineFromDays(list, from, to));
  if (timelines.length === 0) return [{ start: from, end: to, state: 'nodata' }];
  if (timelines.length === 1) return timelines[0];
  return combine(timelines, from, to, quorumRule(quorum));
}

/**
 * The days as the SLA counts them: a check whose lag does not count has its stale samples counted
 * up (the rollup's `slaSegments`). The same array when no day differs.
 */
export function forSla(days: readonly DayRollup[], lagCounts: (checkId: string) => boolean): readonly DayRollup[] {
  if (!days.some((d) => d.slaSegments)) return days;
  const counts = new Map<string, boolean>();
  return days.map((d) => {
    if (!d.slaSegments) return d;
    if (!counts.has(d.check)) counts.set(d.check, lagCounts(d.check));
    return counts.get(d.check) ? d : { ...d, segments: d.slaSegments };
  });
}

export type ComponentTimelines<C> = Map<
  string,
  { timeline: Segment<ComponentStatus>[]; checks: { check: C; role: { critical: boolean }; timeline: Segment<CheckState>[] }[] }
>;

/**
 * The days of each check, and each check's timeline, remembered per days array: the page counts the
 * same days once for the whole site and once per instance (50 instances, 365 days of 1,000 checks:
 * 100 passes over 365,000 rows otherwise). The arrays are never changed once read.
 */
const daysByCheck = new WeakMap<readonly DayRollup[], Map<string, DayRollup[]>>();
const checkTimelines = new WeakMap<readonly DayRollup[], Map<string, Segment<CheckState>[]>>();

function timelineOfCheck(days: readonly DayRollup[], check: string, from: number, to: number, quorum?: number): Segment<CheckState>[] {
  let byCheck = daysByCheck.get(days);
  if (!byCheck) {
    byCheck = groupBy(days, (d) => d.check);
    daysByCheck.set(days, byCheck);
  }
  let timelines = checkTimelines.get(days);
  if (!timelines) {
    timelines = new Map();
    checkTimelines.set(days, timelines);
  }
  const key = `${check}\u0000${from}\u0000${to}\u0000${quorum}`;
  let timeline = timelines.get(key);
  if (!timeline) {
    timeline = quorumTimeline(byCheck.get(check) ?? [], from, to, quorum);
    timelines.set(key, timeline);
  }
  return timeline;
}

/** Each component's timeline and its checks' timelines over [from, to). */
export function componentTimelines<C extends CheckRef>(counting: Counting<C>, days: readonly DayRollup[], from: number, to: number): ComponentTimelines<C> {
  return new Map(
    counting.components.map((component) => {
      const checks = counting.checks
        .filter((c) => c.component === component.id)
        .map((check) => ({ check, role: { critical: check.critical }, timeline: timelineOfCheck(days, check.id, from, to, counting.quorum) }));
      return [component.id, { timeline: componentTimeline(checks, component.down_when, from, to), checks }] as const;
    }),
  );
}

/**
 * Each component's probed status now, since when it has been failing, and why (what its failing
 * checks' latest samples say): what incident planning needs. `maintenance` are the occurrences
 * around now.
 */
export function componentsNow(
  counting: Counting,
  days: readonly DayRollup[],
  recent: readonly Sample[],
  now: number,
  maintenance: readonly Occurrence[],
): ComponentNow[] {
  const until = observedUntil(now);
  const timelines = componentTimelines(counting, days, now - 2 * DAY_MS, until);
  const latest = new Map<string, Sample>();
  for (const s of recent) latest.set(s.check, s);
  return counting.components.map((c) => {
    const { timeline } = timelines.get(c.id)!;
    const status = stateAt(timeline, until - 1, 'nodata');
    let failingSince: number | undefined;
    if (BAD_STATUSES.includes(status)) {
      for (let i = timeline.length - 1; i >= 0; i--) {
        const seg = timeline[i];
        if (BAD_STATUSES.includes(seg.state)) failingSince = seg.start;
        else if (seg.state !== 'nodata') break;
      }
    }
    // The last good sample before the failure: detection is measured from it (the problem began after it, and by the failing sample at the latest).
    const ids = new Set(counting.checks.filter((k) => k.component === c.id).map((k) => k.id));
    let lastGood: number | undefined;
    if (failingSince !== undefined)
      for (const s of recent) {
        const t = Date.parse(s.time);
        if (ids.has(s.check) && s.outcome === 'up' && t < failingSince && (lastGood === undefined || t > lastGood)) lastGood = t;
      }
    const failing = failingInstances(counting, c.id, days, now - 2 * DAY_MS, until);
    const reasons = counting.checks
      .filter((k) => k.component === c.id)
      .map((k) => latest.get(k.id))
      .filter((s): s is Sample => !!s && s.outcome !== 'up')
      .map((s) => ({ code: s.reason ?? s.outcome, text: `${s.reason ?? s.outcome}${s.message ? `: ${s.message}` : ''}` }));
    return {
      id: c.id,
      name: c.name,
      status,
      inMaintenance: intervalsFor(c.id, maintenance).some((w) => w.start <= now && now < w.end),
      ...(failingSince !== undefined ? { failingSince } : {}),
      ...(reasons.length ? { reason: reasons.map((r) => r.text).join('; '), reasonCodes: [...new Set(reasons.map((r) => r.code))] } : {}),
      ...(failing ? { instances: failing.ids, instanceStatus: failing.worst } : {}),
      ...(lastGood !== undefined ? { lastGood } : {}),
    };
  });
}

/**
 * The instances where a component is failing now, counted from each instance's own checks and
 * those of every instance; undefined when it has no per-instance checks, or when it fails on all.
 */
function failingInstances(
  counting: Counting,
  component: string,
  days: readonly DayRollup[],
  from: number,
  until: number,
): { ids: string[]; worst: ComponentStatus } | undefined {
  const mine = counting.checks.filter((k) => k.component === component);
  const ids = [...new Set(mine.flatMap((k) => (k.instance ? [k.instance] : [])))].sort();
  if (ids.length === 0) return undefined;
  const states = ids.map((id) => {
    const checks = mine.filter((k) => !k.instance || k.instance === id);
    const one = componentTimelines({ ...counting, components: counting.components.filter((c) => c.id === component), checks }, days, from, until);
    return { id, state: stateAt(one.get(component)!.timeline, until - 1, 'nodata') };
  });
  const failing = states.filter((x) => BAD_STATUSES.includes(x.state));
  return failing.length > 0 && failing.length < ids.length ? { ids: failing.map((x) => x.id), worst: worstStatus(failing.map((x) => x.state)) } : undefined;
}

export function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
