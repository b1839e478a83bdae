/**
 * The numbers on the page: uptime windows, daily bars in the page's zone, SLA months with
 * credits, outages, response times. Pure functions over timelines and rollups.
 */
import { mergeIntervals, splitByMaintenance, windowStats, type Interval, type WindowStats } from './component.ts';
import { histPercentiles, mergeHist, type DayRollup, type Latency } from './rollup.ts';
import { DAY_MS, DOWN_STATUSES, worstStatus, type ComponentStatus } from './vocabulary.ts';
import { push, type CheckState, type Segment } from './timeline.ts';
import { addDays, civil, dayKey, monthRange, startOfDay } from '../time/tz.ts';

export const WINDOWS = { '24h': 1, '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
export type WindowName = keyof typeof WINDOWS;

/** Timeline segments of one check-region from its day rollups, over [from, to), gaps as no data. */
export function timelineFromDays(days: readonly DayRollup[], from: number, to: number): Segment<CheckState>[] {
  const out: Segment<CheckState>[] = [];
  let t = from;
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day));
  for (const d of sorted) {
    for (const s of d.segments) {
      const start = Math.max(s.start, from, t);
      const end = Math.min(s.end, to);
      if (end <= start) continue;
      if (start > t) push(out, { start: t, end: start, state: 'nodata' });
      push(out, { start, end, state: s.state });
      t = end;
    }
  }
  if (t < to) push(out, { start: t, end: to, state: 'nodata' });
  return out;
}

/** A window's figures, and whether there is enough data to state its uptime (see `enoughData`). */
export type UptimeWindow = WindowStats & { enough: boolean };

export function uptimeWindows(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  now: number,
  opts: { since?: number; minCoverage?: number } = {},
): Record<WindowName, UptimeWindow> {
  const out = {} as Record<WindowName, UptimeWindow>;
  for (const [name, days] of Object.entries(WINDOWS) as [WindowName, number][]) {
    const stats = windowStats(timeline, maintenance, now - days * DAY_MS, now);
    out[name] = { ...stats, enough: enoughData(stats, opts.since, opts.minCoverage) };
  }
  return out;
}

/** Under this much observed time, no uptime is stated: one failed probe is not "91 % uptime". */
export const MIN_OBSERVED_MS = 3_600_000;

/**
 * Whether a window's uptime may be stated: at least an hour observed, and at least `minCoverage` %
 * of the window's time since monitoring began (`since`, the first sample) observed. A new page's
 * 90-day window is judged on the days it has existed; a page with gaps is not.
 */
export function enoughData(stats: WindowStats, since = stats.from, minCoverage = DEFAULT_MIN_COVERAGE): boolean {
  const observed = stats.observedMs - stats.maintenanceMs;
  if (stats.uptime === undefined || observed < MIN_OBSERVED_MS) return false;
  const span = stats.to - Math.max(stats.from, since) - stats.maintenanceMs;
  return span <= 0 || (100 * observed) / span >= minCoverage;
}

export type DayBar = {
  /** Local date in the page's zone, YYYY-MM-DD. */
  date: string;
  start: number;
  end: number;
  stats: WindowStats;
  /** Worst status seen that day outside maintenance (`nodata` when nothing was observed). */
  worst: ComponentStatus;
  /** Some of the day was under maintenance. */
  maintenance: boolean;
};

/**
 * One bar per local day (23, 24 or 25 hours long), the last `count` days up to `now`. Maintenance
 * before `since` (when monitoring began) marks no day: nothing was watched then.
 */
export function dailyBars(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  timeZone: string,
  now: number,
  count = 90,
  since = Number.NEGATIVE_INFINITY,
): DayBar[] {
  const bars: DayBar[] = [];
  const today = startOfDay(now, timeZone);
  for (let i = count - 1; i >= 0; i--) {
    const start = addDays(today, -i, timeZone);
    const end = Math.min(addDays(start, 1, timeZone), now);
    const { outside, inside } = splitByMaintenance(timeline, maintenance, start, end);
    const seen = outside.filter((s) => s.state !== 'nodata' && s.end > s.start).map((s) => s.state);
    bars.push({
      date: dayKey(start, timeZone),
      start,
      end,
      stats: windowStats(timeline, maintenance, start, end),
      worst: worstStatus(seen),
      maintenance: inside.some((s) => s.end > Math.max(s.start, since)),
    });
  }
  return bars;
}

export type Credit = { below: number; credit: number };

/**
 * How a month ends, by one published rule (README, How we measure):
 * - `running`: the month is not over; figures are "so far", with a projection, and no credit.
 * - `met` / `breach`: a complete month observed at least `minCoverage` % of the time, judged on
 *   the time observed: allowed downtime = (1 − target) × observed time, so "budget left" and
 *   "breach" can never disagree.
 * - `insufficient_data`: observed less than that; not a breach unless it breached even with every
 *   unobserved minute counted up (downtime over the whole month's allowance), then `breach`.
 */
export type SlaOutcome = 'running' | 'met' | 'breach' | 'insufficient_data';

export type SlaMonth = {
  /** YYYY-MM in the SLA's zone. */
  month: string;
  start: number;
  end: number;
  /** The month is not over yet. */
  running: boolean;
  outcome: SlaOutcome;
  target: number;
  stats: WindowStats;
  /** The coverage below which a complete month is `insufficient_data`. */
  minCoverage: number;
  /**
   * Downtime the target allows: (1 − target) × the observed time outside maintenance for a month
   * judged on what was observed; (1 − target) × (month − maintenance) for a running month or one
   * with too little data.
   */
  budgetMs: number;
  usedMs: number;
  remainingMs: number;
  /** Breached: judged so (complete month), or certain already (a running month past its whole allowance). */
  breach: boolean;
  /** The uptime the credit is read from (the observed one, or the whole-month one for too little data); absent when there is no final credit. */
  creditUptime?: number;
  /** Percent of the monthly fee owed, from the credit table; 0 when none applies or the month has no final figure. */
  credit: number;
  /** A running month: the downtime the whole month would see at the rate so far. */
  projectedDownMs?: number;
  /** Each outage the month counted, cut at the month's edges; their `downMs` add up to `usedMs`. */
  outages: MonthOutage[];
  /** The maintenance windows excluded, merged and cut to the month (up to now while it runs). */
  maintenance: Interval[];
};

/** One outage as the SLA counts it: `downMs` is its outage time (a gap of no data inside it is not counted). */
export type MonthOutage = { start: number; end: number; downMs: number; worst: ComponentStatus };

/** Runs of outage outside maintenance within [from, to), with the outage time each counted (the SLA's "used"). */
export function monthOutages(timeline: readonly Segment<ComponentStatus>[], maintenance: readonly Interval[], from: number, to: number): MonthOutage[] {
  const { outside } = splitByMaintenance(timeline, maintenance, from, to);
  const out: MonthOutage[] = [];
  let current: MonthOutage | undefined;
  for (const s of [...outside].sort((a, b) => a.start - b.start)) {
    if (s.end <= s.start) continue;
    if (DOWN_STATUSES.includes(s.state)) {
      if (current) {
        current.end = s.end;
        current.downMs += s.end - s.start;
        current.worst = worstStatus([current.worst, s.state]);
      } else {
        current = { start: s.start, end: s.end, downMs: s.end - s.start, worst: s.state };
        out.push(current);
      }
    } else if (s.state !== 'nodata') current = undefined;
  }
  return out;
}

/** The coverage a complete month needs to be judged on what was observed (site.yml `sla.min_coverage`). */
export const DEFAULT_MIN_COVERAGE = 90;

/** The SLA of the calendar month `year`-`month` (in `timeZone`), up to `now` if it is still running. */
export function slaForMonth(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  opts: { year: number; month: number; timeZone: string; target: number; credits: readonly Credit[]; now: number; minCoverage?: number },
): SlaMonth {
  const { start, end } = monthRange(opts.year, opts.month, opts.timeZone);
  const stop = Math.min(end, opts.now);
  const running = opts.now < end;
  const stats = windowStats(timeline, maintenance, start, stop);
  const minCoverage = opts.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const share = (100 - opts.target) / 100;
  const monthMs = end - start - totalOverlap(maintenance, start, end);
  const observedMs = stats.observedMs - stats.maintenanceMs;
  const usedMs = stats.downMs;
  const creditFor = (uptime: number) => {
    // The deepest threshold the month fell under decides the credit.
    const owed = opts.credits.filter((c) => uptime < c.below);
    return owed.length === 0 ? 0 : owed.reduce((a, c) => (c.below < a.below ? c : a)).credit;
  };
  const base = {
    month: `${opts.year}-${String(opts.month).padStart(2, '0')}`,
    start,
    end,
    running,
    target: opts.target,
    stats,
    minCoverage,
    usedMs,
    outages: monthOutages(timeline, maintenance, start, stop),
    maintenance: mergeIntervals(maintenance.filter((m) => m.end > start && m.start < stop)).map((m) => ({
      start: Math.max(m.start, start),
      end: Math.min(m.end, stop),
    })),
  };
  if (running) {
    const budgetMs = Math.round(share * monthMs);
    return {
      ...base,
      outcome: 'running',
      budgetMs,
      remainingMs: budgetMs - usedMs,
      breach: usedMs > budgetMs,
      credit: 0,
      ...(observedMs > 0 ? { projectedDownMs: Math.round((usedMs / observedMs) * monthMs) } : {}),
    };
  }
  if (stats.uptime !== undefined && stats.coverage >= minCoverage) {
    const budgetMs = Math.round(share * observedMs);
    const breach = stats.uptime < opts.target;
    return {
      ...base,
      outcome: breach ? 'breach' : 'met',
      budgetMs,
      remainingMs: budgetMs - usedMs,
      breach,
      creditUptime: stats.uptime,
      credit: creditFor(stats.uptime),
    };
  }
  const budgetMs = Math.round(share * monthMs);
  // Too little observed to judge, unless the downtime seen already exceeds the whole month's allowance.
  if (usedMs > budgetMs) {
    const uptime = (100 * (monthMs - usedMs)) / monthMs;
    return { ...base, outcome: 'breach', budgetMs, remainingMs: budgetMs - usedMs, breach: true, creditUptime: uptime, credit: creditFor(uptime) };
  }
  return { ...base, outcome: 'insufficient_data', budgetMs, remainingMs: budgetMs - usedMs, breach: false, credit: 0 };
}

/** SLA months from the one containing `from` to the one containing `now`, newest first. */
export function slaMonths(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  opts: { timeZone: string; target: number; credits: readonly Credit[]; now: number; from: number; minCoverage?: number },
): SlaMonth[] {
  const out: SlaMonth[] = [];
  let c = civil(opts.now, opts.timeZone);
  let { year, month } = c;
  for (;;) {
    const m = slaForMonth(timeline, maintenance, { ...opts, year, month });
    if (m.end <= opts.from) break;
    out.push(m);
    month -= 1;
    if (month === 0) [year, month] = [year - 1, 12];
    c = { ...c, year, month };
  }
  return out;
}

function totalOverlap(list: readonly Interval[], from: number, to: number): number {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  let total = 0;
  let t = from;
  for (const i of sorted) {
    const s = Math.max(i.start, t);
    const e = Math.min(i.end, to);
    if (e > s) {
      total += e - s;
      t = e;
    }
  }
  return total;
}

export type Outage = { start: number; end: number; worst: ComponentStatus; ongoing: boolean };

/**
 * Runs of outage outside maintenance. A gap of no data inside an outage does not end it (we did not
 * see it recover), but it does not count as down either.
 */
export function outages(timeline: readonly Segment<ComponentStatus>[], maintenance: readonly Interval[], now: number): Outage[] {
  const { outside } = splitByMaintenance(timeline, maintenance, timeline[0]?.start ?? now, now);
  const out: Outage[] = [];
  let current: Outage | undefined;
  for (const s of outside) {
    if (DOWN_STATUSES.includes(s.state)) {
      if (current) {
        current.end = s.end;
        current.worst = worstStatus([current.worst, s.state]);
      } else {
        current = { start: s.start, end: s.end, worst: s.state, ongoing: false };
        out.push(current);
      }
    } else if (s.state !== 'nodata') current = undefined;
  }
  const last = out[out.length - 1];
  if (last && last.end >= now) last.ongoing = true;
  return out;
}

export type ResponseStats = { latency?: Latency; samples: number; errors: number; errorRate?: number };

/** Latency percentiles (merged day histograms: within 10 %) and error rate over some days of one check. */
export function responseStats(days: readonly DayRollup[]): ResponseStats {
  const hist: Record<number, number> = {};
  let samples = 0;
  let errors = 0;
  for (const d of days) {
    mergeHist(hist, d.hist);
    samples += d.counts.up + d.counts.degraded + d.counts.down;
    errors += d.counts.down;
  }
  const latency = histPercentiles(hist);
  return { ...(latency ? { latency } : {}), samples, errors, ...(samples > 0 ? { errorRate: errors / samples } : {}) };
}
