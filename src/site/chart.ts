/**
 * A component's one response-time (or lag) chart: the series, merged over the component's checks,
 * and the chart's layout (ticks, positions, lines) for the page to draw.
 *
 * The merge: a day's p50/p95 come from the day histograms of every check and region of the
 * component added together (within 10 % of exact, as every merged window; a day with one rollup
 * only keeps its exact percentiles). An hour's come exactly from all the checks' answered samples
 * of that hour (lag: every sample that measured one). Days and hours are the site zone's: a day is
 * the same calendar day as on the 90-day bars, taken from the UTC-day rollups cut at the zone's
 * midnights (`zoneParts`).
 */
import { dayStartOf, exactPercentiles, histPercentiles, mergeHist, utcDay, type DayRollup } from '../status/rollup.ts';
import type { Sample } from '../status/sample.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import { addDays, civil, dayKey, offsetAt, startOfDay } from '../time/tz.ts';
import { maxOf } from '../util/arrays.ts';

const HOUR_MS = 3_600_000;

/** `at`: a day of the site zone (YYYY-MM-DD) or an hour's start (ISO). No p50 when nothing answered. */
export type SeriesPoint = { at: string; p50?: number; p95?: number; samples: number };

/** `checks`: how many checks were merged. Daily: the first day with data (at least a week back) to today; hourly: the last 24 hours. */
export type ComponentSeries = { checks: number; daily: SeriesPoint[]; hourly: SeriesPoint[] };

export type SeriesKind = 'latency' | 'lag';

/** The series of `kind` over `checks`' rollups and raw samples, up to `now`. */
export function componentSeries(
  kind: SeriesKind,
  checks: readonly { days: readonly DayRollup[]; samples: readonly Sample[] }[],
  now: number,
  timeZone: string,
): ComponentSeries {
  return { checks: checks.length, daily: dailySeries(kind, checks, now, timeZone), hourly: hourlySeries(kind, checks, now, timeZone) };
}

function dailySeries(kind: SeriesKind, checks: readonly { days: readonly DayRollup[] }[], now: number, timeZone: string): SeriesPoint[] {
  // The site zone's last 90 days as the bars count them (1–90), the day before and tomorrow (0, 91),
  // where the first and the running UTC day's parts may fall.
  const today = startOfDay(now, timeZone);
  const starts = Array.from({ length: 92 }, (_, i) => addDays(today, i - 90, timeZone));
  const keys = starts.map((t) => dayKey(t, timeZone));
  const byDay: Piece[][] = starts.map(() => []);
  const firstUtc = utcDay(starts[0]);
  for (const c of checks)
    for (const d of c.days) {
      if (d.day < firstUtc) continue;
      for (const piece of zoneDayPieces(d, kind, starts)) if (piece.day > 0 && piece.day <= 90 && piece.count > 0) byDay[piece.day].push(piece);
    }
  const withData = byDay.findIndex((list) => list.length > 0);
  // From the first day with data, so a young site's line is not squeezed into the last few pixels; a week at least.
  const first = Math.min(withData > 0 ? withData : 90, 84);
  const out: SeriesPoint[] = [];
  for (let i = first; i <= 90; i++) {
    const list = byDay[i];
    const samples = list.reduce((n, p) => n + p.count, 0);
    // A site day that is one whole UTC day of one rollup (a UTC site) keeps that rollup's exact figures.
    const exact = list.length === 1 && list[0].whole ? (kind === 'lag' ? list[0].rollup.lag : list[0].rollup.latency) : undefined;
    const p = exact ?? histPercentiles(list.reduce<Record<number, number>>((h, piece) => mergeHist(h, piece.hist), {}));
    out.push({ at: keys[i], ...(p ? { p50: p.p50, p95: p.p95 } : {}), samples });
  }
  return out;
}

/** A rollup's samples that fall on one site day: `day` its index in the chart's days (-1 before them), `whole` when that is the whole rollup. */
type Piece = { day: number; hist: Record<number, number>; count: number; whole: boolean; rollup: DayRollup };

/**
 * A UTC-day rollup cut into the site days it overlaps, at the site zone's midnights (`starts`, the
 * chart's days in order). A rollup cut for this zone is split exactly; one cut for another zone or
 * before rollups were cut goes whole to the site day that holds its noon (most of its hours).
 */
function zoneDayPieces(d: DayRollup, kind: SeriesKind, starts: readonly number[]): Piece[] {
  const start = dayStartOf(d.day);
  const hist = (kind === 'lag' ? d.lagHist : d.hist) ?? {};
  const dayOf = (t: number) => {
    let i = starts.length - 1;
    while (i >= 0 && starts[i] > t) i--;
    return i;
  };
  const midnights = starts.filter((t) => t > start && t < start + DAY_MS);
  const parts = d.zoneParts;
  if (midnights.length === 0) return [{ day: dayOf(start), hist, count: countOf(hist), whole: true, rollup: d }];
  if (!parts || parts.length !== midnights.length || parts.some((p, i) => p.until !== midnights[i]))
    return [{ day: dayOf(start + DAY_MS / 2), hist, count: countOf(hist), whole: false, rollup: d }];
  const rest = { ...hist };
  const pieces: Piece[] = [];
  let from = start;
  for (const part of parts) {
    const h = (kind === 'lag' ? part.lagHist : part.hist) ?? {};
    for (const k in h) rest[k as unknown as number] -= h[k as unknown as number];
    pieces.push({ day: dayOf(from), hist: h, count: countOf(h), whole: false, rollup: d });
    from = part.until;
  }
  pieces.push({ day: dayOf(from), hist: rest, count: countOf(rest), whole: false, rollup: d });
  return pieces;
}

function countOf(hist: Record<number, number>): number {
  let n = 0;
  for (const k in hist) n += hist[k as unknown as number];
  return n;
}

/** The start of the site zone's hour containing `t` (zones a half or quarter hour off UTC included). */
export function hourStart(t: number, timeZone: string): number {
  return t - ((((t + offsetAt(t, timeZone)) % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

function hourlySeries(kind: SeriesKind, checks: readonly { samples: readonly Sample[] }[], now: number, timeZone: string): SeriesPoint[] {
  const last = hourStart(now, timeZone);
  const start = last - 23 * HOUR_MS;
  const values: number[][] = Array.from({ length: 24 }, () => []);
  for (const c of checks)
    for (const s of c.samples) {
      const v = kind === 'lag' ? s.lagMs : s.outcome === 'down' ? undefined : s.latencyMs;
      if (v === undefined) continue;
      const t = Date.parse(s.time);
      if (t < start || t > now) continue;
      values[Math.floor((t - start) / HOUR_MS)].push(v);
    }
  return values.map((list, k) => {
    const p = list.length ? exactPercentiles(list) : undefined;
    return { at: new Date(start + k * HOUR_MS).toISOString(), ...(p ? { p50: p.p50, p95: p.p95 } : {}), samples: list.length };
  });
}

// ——— Layout ———

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** Lag is read in the clock's units: ticks of whole seconds, minutes or hours (a 200,000 ms step would say "3 min", "6 min", "10 min"). */
const CLOCK_STEPS = [1, 2, 5, 10, 15, 30]
  .map((s) => s * SECOND)
  .concat(
    [1, 2, 5, 10, 15, 30].map((m) => m * MINUTE),
    [1, 2, 3, 6, 12, 24].map((h) => h * HOUR_MS),
  );

/**
 * Round ticks, the top one at or above the highest value: 1, 2 or 5 times a power of ten (100/200/500
 * ms, 1 s …); for lag from a second up, whole seconds, minutes or hours.
 */
export function yTicks(values: readonly number[], kind: SeriesKind = 'latency'): { max: number; ticks: number[] } {
  const high = Math.max(10, maxOf(values, 10));
  const raw = high / 3;
  const p = 10 ** Math.floor(Math.log10(raw));
  const clock = kind === 'lag' && raw > SECOND ? CLOCK_STEPS.find((s) => s >= raw) : undefined;
  const step = clock ?? ([1, 2, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
  const max = Math.ceil(high / step) * step;
  return { max, ticks: Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step) };
}

/** A point's place: `x` the centre of its slot along the time axis, 0–100 (% from the oldest end); `a`/`b` p50/p95 in % from the top. */
export type PlacedPoint = { x: number; a?: number; b?: number };

export type ChartLayout = {
  ticks: { value: number; pct: number }[];
  points: PlacedPoint[];
  /** Width of one slot in %. */
  slot: number;
  /** SVG path data in a 1000 × 100 box, oldest at x = 0: p50 and p95, broken where a slot has no value. */
  p50: string;
  p95: string;
};

const W = 1000;

export function chartLayout(points: readonly SeriesPoint[], kind: SeriesKind = 'latency'): ChartLayout {
  const n = points.length;
  const { max, ticks } = yTicks(
    points.flatMap((p) => (p.p50 === undefined ? [] : [p.p50, p.p95 ?? p.p50])),
    kind,
  );
  const pct = (v: number) => round(100 - (v / max) * 100);
  const placed = points.map((p, i) => ({
    x: round(((i + 0.5) / n) * 100),
    ...(p.p50 !== undefined ? { a: pct(p.p50) } : {}),
    ...(p.p95 !== undefined ? { b: pct(p.p95) } : {}),
  }));
  const path = (key: 'a' | 'b') => {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const y = placed[i][key];
      if (y === undefined) continue;
      const cx = ((i + 0.5) / n) * W;
      const joined = i > 0 && placed[i - 1][key] !== undefined;
      const alone = !joined && placed[i + 1]?.[key] === undefined;
      // A point with no neighbour is a short dash across the middle of its slot, so it still shows.
      if (alone) parts.push(`M${r1(cx - (0.3 * W) / n)} ${y}h${r1((0.6 * W) / n)}`);
      else parts.push(`${joined ? 'L' : 'M'}${r1(cx)} ${y}`);
    }
    return parts.join('');
  };
  return { ticks: ticks.map((value) => ({ value, pct: pct(value) })), points: placed, slot: round(100 / n), p50: path('a'), p95: path('b') };
}

/** Which slots get a date under the axis, oldest first. Days: every day up to 5, then every 2, 7 or 14 counted back from today; over 60 days, the first of each month (`monthStart`). */
export function dayTicks(days: readonly string[], monthStart: (day: string) => boolean): number[] {
  const n = days.length;
  if (n > 60) return days.flatMap((d, i) => (monthStart(d) ? [i] : []));
  const step = n <= 5 ? 1 : n <= 10 ? 2 : n <= 35 ? 7 : 14;
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift(i);
  return out;
}

/** Hours whose start is a multiple of six in the site zone (00:00, 06:00, 12:00, 18:00). */
export function hourTicks(hours: readonly string[], timeZone: string): number[] {
  return hours.flatMap((h, i) => (civil(Date.parse(h), timeZone).hour % 6 === 0 ? [i] : []));
}

const round = (v: number) => Math.round(v * 100) / 100;
const r1 = (v: number) => Math.round(v * 10) / 10;
