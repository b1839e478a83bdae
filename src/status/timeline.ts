/**
 * Timelines: what state a check or component was in, at every moment of a range. Pure.
 *
 * Counting rule: a sample stands for the time from itself to the next sample of the same check
 * (and region), capped at `capMs` (twice the expected interval). Time no sample covers is `nodata`.
 */
import type { Outcome } from './vocabulary.ts';

export type CheckState = Outcome | 'nodata';

export type Segment<S extends string = CheckState> = { start: number; end: number; state: S };

/**
 * Until when samples are known at `now`: the end of its whole second. Samples carry whole seconds,
 * so one taken in the same second as a command that reads it (probe, then incidents, at one
 * clock) is already in; cutting at `now` itself would leave the newest sample out.
 */
export const observedUntil = (now: number) => Math.floor(now / 1000) * 1000 + 1000;

export type TimedOutcome = { at: number; outcome: Outcome };

/** Segments covering exactly [from, to), adjacent equal states merged. `points` must be sorted by time. */
export function sampleTimeline(points: readonly TimedOutcome[], capMs: number, from: number, to: number): Segment[] {
  const out: Segment[] = [];
  let cursor = from;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const next = points[i + 1]?.at ?? Infinity;
    const start = Math.max(p.at, from);
    const end = Math.min(next, p.at + capMs, to);
    if (end <= start) continue;
    if (start > cursor) push(out, { start: cursor, end: start, state: 'nodata' });
    push(out, { start, end, state: p.outcome });
    cursor = end;
  }
  if (cursor < to) push(out, { start: cursor, end: to, state: 'nodata' });
  return out;
}

/** Appends, merging with the previous segment when it has the same state and touches it. */
export function push<S extends string>(out: Segment<S>[], seg: Segment<S>): void {
  const last = out[out.length - 1];
  if (last && last.state === seg.state && last.end === seg.start) last.end = seg.end;
  else out.push({ ...seg });
}

/**
 * Sweeps several timelines over the same range and combines the states present at each moment.
 * Every input must cover [from, to) without gaps (as `sampleTimeline` returns).
 */
export function combine<S extends string, R extends string>(
  timelines: readonly Segment<S>[][],
  from: number,
  to: number,
  rule: (states: S[]) => R,
): Segment<R>[] {
  const out: Segment<R>[] = [];
  if (timelines.length === 0) return out;
  const idx = timelines.map(() => 0);
  let t = from;
  while (t < to) {
    const states: S[] = [];
    let end = to;
    timelines.forEach((tl, k) => {
      while (idx[k] < tl.length && tl[idx[k]].end <= t) idx[k]++;
      const seg = tl[idx[k]];
      if (seg) {
        states.push(seg.state);
        end = Math.min(end, seg.end);
      }
    });
    push(out, { start: t, end, state: rule(states) });
    t = end;
  }
  return out;
}

/** Regions agree by majority: a check is down only when more than half the regions with data say so. */
export function quorumRule(quorum?: number) {
  return (states: CheckState[]): CheckState => {
    const seen = states.filter((s) => s !== 'nodata');
    if (seen.length === 0) return 'nodata';
    const need = quorum ?? Math.floor(seen.length / 2) + 1;
    const down = seen.filter((s) => s === 'down').length;
    if (down >= Math.min(need, seen.length)) return 'down';
    const bad = down + seen.filter((s) => s === 'degraded').length;
    return bad >= Math.min(need, seen.length) ? 'degraded' : 'up';
  };
}

/** The state at time `t` (the segment that contains it), or `nodata`. */
export function stateAt<S extends string>(segments: readonly Segment<S>[], t: number, none: S): S {
  for (const s of segments) if (s.start <= t && t < s.end) return s.state;
  return none;
}

/** Total milliseconds per state inside [from, to). */
export function durations<S extends string>(segments: readonly Segment<S>[], from: number, to: number): Partial<Record<S, number>> {
  const out: Partial<Record<S, number>> = {};
  for (const s of segments) {
    const d = Math.min(s.end, to) - Math.max(s.start, from);
    if (d > 0) out[s.state] = (out[s.state] ?? 0) + d;
  }
  return out;
}
