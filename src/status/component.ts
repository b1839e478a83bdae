/** Component status and uptime from its checks' timelines. Pure. */
import type { CheckState, Segment } from './timeline.ts';
import { combine, durations } from './timeline.ts';
import { DOWN_STATUSES, type ComponentStatus } from './vocabulary.ts';

export type CheckRole = { critical: boolean };

/**
 * How checks make a component's status:
 * - `any` (default): any critical check down is an outage (major when all critical checks are down, else partial);
 * - `all`: an outage only when every critical check is down; some down is degraded performance.
 * A non-critical check that is down, or any degraded check, is degraded performance.
 */
export function componentRule(roles: readonly CheckRole[], downWhen: 'any' | 'all') {
  return (states: CheckState[]): ComponentStatus => {
    let critical = 0;
    let criticalDown = 0;
    let degraded = false;
    let seen = false;
    states.forEach((s, i) => {
      if (s === 'nodata') return;
      seen = true;
      if (roles[i].critical) {
        critical++;
        if (s === 'down') criticalDown++;
      } else if (s === 'down') degraded = true;
      if (s === 'degraded') degraded = true;
    });
    if (!seen) return 'nodata';
    if (criticalDown > 0 && criticalDown === critical) return 'major_outage';
    if (criticalDown > 0) return downWhen === 'any' ? 'partial_outage' : 'degraded_performance';
    return degraded ? 'degraded_performance' : 'operational';
  };
}

export function componentTimeline(
  checks: readonly { role: CheckRole; timeline: Segment<CheckState>[] }[],
  downWhen: 'any' | 'all',
  from: number,
  to: number,
): Segment<ComponentStatus>[] {
  if (checks.length === 0) return [{ start: from, end: to, state: 'nodata' }];
  const rule = componentRule(
    checks.map((c) => c.role),
    downWhen,
  );
  return combine(
    checks.map((c) => c.timeline),
    from,
    to,
    rule,
  );
}

export type Interval = { start: number; end: number };

export type WindowStats = {
  from: number;
  to: number;
  /** Time some sample covered. */
  observedMs: number;
  /** Observed time inside maintenance windows (excluded from uptime). */
  maintenanceMs: number;
  /** Outage time outside maintenance. */
  downMs: number;
  /** Degraded time outside maintenance (counted as available). */
  degradedMs: number;
  /** available / (observed − maintenance), 0–100; undefined when nothing was observed outside maintenance. */
  uptime?: number;
  /** observed / window length, 0–100. */
  coverage: number;
};

/** The counting rules applied to one window: uptime with maintenance excluded, and coverage beside it. */
export function windowStats(timeline: readonly Segment<ComponentStatus>[], maintenance: readonly Interval[], from: number, to: number): WindowStats {
  const clipped = splitByMaintenance(timeline, maintenance, from, to);
  const d = durations(clipped.outside, from, to);
  const inMaintenance = durations(clipped.inside, from, to);
  const sum = (r: Partial<Record<string, number>>) => Object.entries(r).reduce((a, [k, v]) => (k === 'nodata' ? a : a + (v ?? 0)), 0);
  const observedOutside = sum(d);
  const maintenanceMs = sum(inMaintenance);
  const downMs = DOWN_STATUSES.reduce((a, s) => a + (d[s] ?? 0), 0);
  const degradedMs = d.degraded_performance ?? 0;
  return {
    from,
    to,
    observedMs: observedOutside + maintenanceMs,
    maintenanceMs,
    downMs,
    degradedMs,
    uptime: observedOutside > 0 ? ((observedOutside - downMs) / observedOutside) * 100 : undefined,
    coverage: to > from ? ((observedOutside + maintenanceMs) / (to - from)) * 100 : 0,
  };
}

/** Splits a timeline into the parts inside and outside the (possibly overlapping) maintenance intervals. */
export function splitByMaintenance<S extends string>(
  timeline: readonly Segment<S>[],
  maintenance: readonly Interval[],
  from: number,
  to: number,
): { inside: Segment<S>[]; outside: Segment<S>[] } {
  const windows = mergeIntervals(maintenance.filter((m) => m.end > from && m.start < to));
  const inside: Segment<S>[] = [];
  const outside: Segment<S>[] = [];
  for (const seg of timeline) {
    let t = Math.max(seg.start, from);
    const end = Math.min(seg.end, to);
    for (const w of windows) {
      if (w.end <= t || w.start >= end) continue;
      if (w.start > t) outside.push({ start: t, end: w.start, state: seg.state });
      const e = Math.min(w.end, end);
      inside.push({ start: Math.max(w.start, t), end: e, state: seg.state });
      t = e;
    }
    if (t < end) outside.push({ start: t, end, state: seg.state });
  }
  return { inside, outside };
}

export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}
