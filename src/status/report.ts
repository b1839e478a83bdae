/**
 * The numbers on the page: uptime windows, daily bars in the page's zone, SLA months with
 * credits, outages, response times. Pure functions over timelines and rollups.
 */
import { splitByMaintenance, windowStats, type Interval, type WindowStats } from './component.ts';
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

export function uptimeWindows(timeline: readonly Segment<ComponentStatus>[], maintenance: readonly Interval[], now: number): Record<WindowName, WindowStats> {
  const out = {} as Record<WindowName, WindowStats>;
  for (const [name, days] of Object.entries(WINDOWS) as [WindowName, number][]) out[name] = windowStats(timeline, maintenance, now - days * DAY_MS, now);
  return out;
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

/** One bar per local day (23, 24 or 25 hours long), the last `count` days up to `now`. */
export function dailyBars(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  timeZone: string,
  now: number,
  count = 90,
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
      maintenance: inside.some((s) => s.end > s.start),
    });
  }
  return bars;
}

export type Credit = { below: number; credit: number };

export type SlaMonth = {
  /** YYYY-MM in the SLA's zone. */
  month: string;
  start: number;
  end: number;
  /** The month is not over yet. */
  running: boolean;
  target: number;
  stats: WindowStats;
  /** Downtime the target allows: (1 − target) × (month length − maintenance). */
  budgetMs: number;
  usedMs: number;
  remainingMs: number;
  breach: boolean;
  /** Percent of the monthly fee owed, from the credit table; 0 when none applies. */
  credit: number;
};

/** The SLA of the calendar month `year`-`month` (in `timeZone`), up to `now` if it is still running. */
export function slaForMonth(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  opts: { year: number; month: number; timeZone: string; target: number; credits: readonly Credit[]; now: number },
): SlaMonth {
  const { start, end } = monthRange(opts.year, opts.month, opts.timeZone);
  const stop = Math.min(end, opts.now);
  const stats = windowStats(timeline, maintenance, start, stop);
  const maintenanceInMonth = totalOverlap(maintenance, start, end);
  const budgetMs = Math.round(((100 - opts.target) * (end - start - maintenanceInMonth)) / 100);
  const achieved = stats.uptime;
  const breach = achieved !== undefined && achieved < opts.target;
  // The deepest threshold the month fell under decides the credit.
  const owed = achieved === undefined ? [] : opts.credits.filter((c) => achieved < c.below);
  const credit = owed.length === 0 ? 0 : owed.reduce((a, c) => (c.below < a.below ? c : a)).credit;
  return {
    month: `${opts.year}-${String(opts.month).padStart(2, '0')}`,
    start,
    end,
    running: opts.now < end,
    target: opts.target,
    stats,
    budgetMs,
    usedMs: stats.downMs,
    remainingMs: budgetMs - stats.downMs,
    breach,
    credit,
  };
}

/** SLA months from the one containing `from` to the one containing `now`, newest first. */
export function slaMonths(
  timeline: readonly Segment<ComponentStatus>[],
  maintenance: readonly Interval[],
  opts: { timeZone: string; target: number; credits: readonly Credit[]; now: number; from: number },
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
