/**
 * Daily rollups: one check, one region, one UTC day, summarised so the site build reads
 * O(checks × days) instead of O(samples). Pure; derivable from raw samples at any time.
 */
import { DAY_MS, type Outcome } from './vocabulary.ts';
import type { Sample } from './sample.ts';
import { sampleTimeline, durations, type CheckState, type Segment } from './timeline.ts';
import { addDays, startOfDay } from '../time/tz.ts';

export type Latency = { p50: number; p95: number; p99: number };

export type DayRollup = {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  check: string;
  region: string;
  /** The coverage cap the day was computed with (2 × interval × every). */
  capMs: number;
  counts: Record<Outcome, number>;
  /** Time per state inside the day (or up to `end` for a day still running). */
  ms: Record<CheckState, number>;
  /** Exact percentiles of the day's answered samples (up or degraded). */
  latency?: Latency;
  /** Log-bucketed latency counts, so windows can merge days (see `bucketOf`). */
  hist: Record<number, number>;
  /** The whole day as segments, absolute ms. */
  segments: Segment[];
  /** Exact percentiles of the day's lag (ms), for checks that measure one. */
  lag?: Latency;
  /** Log-bucketed lag counts (ms), like `hist`. */
  lagHist?: Record<number, number>;
  /**
   * The day as segments with stale samples counted up: what the SLA uses for a check whose lag
   * does not count against it. Absent when no sample of the day was stale.
   */
  slaSegments?: Segment[];
  /** The day's last sample, which covers into the next day. */
  last?: LastSample;
  /**
   * The day cut at each of the site zone's midnights inside it (none for a zone whose days are UTC
   * days), so a chart can count the site zone's days: see `ZonePart`. Absent when rolled up without a zone.
   */
  zoneParts?: ZonePart[];
};

/**
 * The part of a UTC day before one of the site zone's midnights inside it: `until` is that midnight
 * (ms), `hist`/`lagHist` count the answered samples (lags) from the previous midnight, or the day's
 * start, up to it. What follows the last midnight is the day's histogram minus its parts.
 */
export type ZonePart = { until: number; hist: Record<number, number>; lagHist?: Record<number, number> };

/** The last sample of a day, which covers into the next; `stale` when it failed only for old data. */
export type LastSample = { at: number; outcome: Outcome; stale?: boolean };

export const dayStartOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The site zone's midnights strictly inside a UTC day: one for most zones, none for UTC, two on rare daylight-saving days. */
export function zoneMidnights(day: string, timeZone: string): number[] {
  const start = dayStartOf(day);
  const out: number[] = [];
  for (let t = addDays(startOfDay(start, timeZone), 1, timeZone); t < start + DAY_MS; t = addDays(t, 1, timeZone)) out.push(t);
  return out;
}

/**
 * Summarises one day of one check in one region. `samples` are that day's, sorted; `before` is the
 * last sample of an earlier day, whose coverage may reach into this one. `end` cuts a running day short.
 */
export function rollupDay(opts: {
  day: string;
  check: string;
  region: string;
  capMs: number;
  samples: readonly Sample[];
  before?: LastSample;
  end?: number;
  /** The site zone, to cut the day's histograms at its midnights (`zoneParts`). */
  timeZone?: string;
}): DayRollup {
  const start = dayStartOf(opts.day);
  const end = Math.min(opts.end ?? start + DAY_MS, start + DAY_MS);
  const points = [
    ...(opts.before ? [{ at: opts.before.at, outcome: opts.before.outcome }] : []),
    ...opts.samples.map((s) => ({ at: Date.parse(s.time), outcome: s.outcome })),
  ];
  const segments = sampleTimeline(points, opts.capMs, start, end);
  const d = durations(segments, start, end);
  // Only a stale sample changes the SLA's view of the day; most days have none and pay nothing.
  const slaSegments =
    opts.before?.stale || opts.samples.some((s) => s.reason === STALE)
      ? sampleTimeline(
          [
            ...(opts.before ? [{ at: opts.before.at, outcome: opts.before.stale ? ('up' as const) : opts.before.outcome }] : []),
            ...opts.samples.map((s) => ({ at: Date.parse(s.time), outcome: s.reason === STALE ? ('up' as const) : s.outcome })),
          ],
          opts.capMs,
          start,
          end,
        )
      : undefined;
  const lags: number[] = [];
  const lagHist: Record<number, number> = {};
  const counts: Record<Outcome, number> = { up: 0, degraded: 0, down: 0 };
  const latencies: number[] = [];
  const hist: Record<number, number> = {};
  for (const s of opts.samples) {
    counts[s.outcome]++;
    if (s.lagMs !== undefined) {
      lags.push(s.lagMs);
      const b = bucketOf(s.lagMs);
      lagHist[b] = (lagHist[b] ?? 0) + 1;
    }
    if (s.outcome !== 'down' && s.latencyMs !== undefined) {
      latencies.push(s.latencyMs);
      const b = bucketOf(s.latencyMs);
      hist[b] = (hist[b] ?? 0) + 1;
    }
  }
  const zoneParts = opts.timeZone ? splitAtMidnights(opts.samples, zoneMidnights(opts.day, opts.timeZone), lags.length > 0) : undefined;
  const lastSample = opts.samples[opts.samples.length - 1];
  const last: LastSample | undefined = lastSample
    ? { at: Date.parse(lastSample.time), outcome: lastSample.outcome, ...(lastSample.reason === STALE ? { stale: true } : {}) }
    : opts.before;
  return {
    day: opts.day,
    check: opts.check,
    region: opts.region,
    capMs: opts.capMs,
    counts,
    ms: { up: d.up ?? 0, degraded: d.degraded ?? 0, down: d.down ?? 0, nodata: d.nodata ?? 0 },
    ...(latencies.length > 0 ? { latency: exactPercentiles(latencies) } : {}),
    hist,
    segments,
    ...(lags.length > 0 ? { lag: exactPercentiles(lags), lagHist } : {}),
    ...(slaSegments ? { slaSegments } : {}),
    ...(last ? { last } : {}),
    ...(zoneParts?.length ? { zoneParts } : {}),
  };
}

/** The histograms of the samples before each midnight (and after the previous one); see `ZonePart`. */
function splitAtMidnights(samples: readonly Sample[], midnights: readonly number[], withLag: boolean): ZonePart[] {
  const parts: ZonePart[] = midnights.map((until) => ({ until, hist: {}, ...(withLag ? { lagHist: {} } : {}) }));
  if (parts.length === 0) return parts;
  for (const s of samples) {
    const t = Date.parse(s.time);
    const part = parts.find((p) => t < p.until);
    if (!part) continue;
    if (s.lagMs !== undefined && part.lagHist) addTo(part.lagHist, bucketOf(s.lagMs));
    if (s.outcome !== 'down' && s.latencyMs !== undefined) addTo(part.hist, bucketOf(s.latencyMs));
  }
  return parts;
}

const addTo = (hist: Record<number, number>, bucket: number) => {
  hist[bucket] = (hist[bucket] ?? 0) + 1;
};

/** The reason of a sample that failed only because its data was old: the SLA counts it only when the check says so. */
export const STALE = 'stale';

/** Nearest-rank percentiles. */
export function exactPercentiles(values: readonly number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  return { p50: at(50), p95: at(95), p99: at(99) };
}

/** Buckets grow by 10 %: a percentile read from merged days is within 10 % of the exact one. */
const GROWTH = Math.log(1.1);

export function bucketOf(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / GROWTH);
}

/** The upper edge of a bucket, in ms. */
export function bucketValue(bucket: number): number {
  return Math.round(Math.exp(bucket * GROWTH));
}

export function mergeHist(target: Record<number, number>, source: Record<number, number>): Record<number, number> {
  for (const [b, n] of Object.entries(source)) target[Number(b)] = (target[Number(b)] ?? 0) + n;
  return target;
}

/** Percentiles from a histogram (upper bucket edges). */
export function histPercentiles(hist: Record<number, number>): Latency | undefined {
  const buckets = Object.entries(hist)
    .map(([b, n]) => [Number(b), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((a, [, n]) => a + n, 0);
  if (total === 0) return undefined;
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (const [b, n] of buckets) {
      seen += n;
      if (seen >= rank) return bucketValue(b);
    }
    return bucketValue(buckets[buckets.length - 1][0]);
  };
  return { p50: at(50), p95: at(95), p99: at(99) };
}
