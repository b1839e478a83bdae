/** Upkeep's own JSON API beside the Statuspage one: per-component uptime windows, daily series, SLA months. */
import type { Latency } from '../status/rollup.ts';
import type { LagView, SiteView } from './view-model.ts';

const pct = (v: number | undefined) => (v === undefined ? null : Math.floor(v * 1000) / 1000);

export function upkeepApi(view: SiteView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const windows = (c: SiteView['components'][number]) =>
    Object.fromEntries(
      Object.entries(c.windows).map(([k, w]) => [
        k,
        {
          uptime: pct(w.uptime),
          enough_data: w.enough,
          coverage: pct(w.coverage),
          down_seconds: Math.round(w.downMs / 1000),
          degraded_seconds: Math.round(w.degradedMs / 1000),
          maintenance_seconds: Math.round(w.maintenanceMs / 1000),
        },
      ]),
    );
  out['summary.json'] = {
    generated_at: view.generatedAt,
    last_checked: view.lastChecked ?? null,
    status: view.status,
    components: view.components.map((c) => ({ id: c.id, name: c.name, status: c.status, sla_target: c.slaTarget, windows: windows(c) })),
  };
  for (const c of view.components) {
    out[`components/${c.id}.json`] = {
      id: c.id,
      name: c.name,
      status: c.status,
      sla_target: c.slaTarget,
      windows: windows(c),
      daily: c.bars.map((b) => ({
        date: b.date,
        uptime: pct(b.stats.uptime),
        coverage: pct(b.stats.coverage),
        down_seconds: Math.round(b.stats.downMs / 1000),
        worst: b.worst,
        maintenance: b.maintenance,
      })),
      sla_months: c.sla.map((m) => ({
        month: m.month,
        running: m.running,
        target: m.target,
        achieved: pct(m.stats.uptime),
        coverage: pct(m.stats.coverage),
        budget_seconds: Math.round(m.budgetMs / 1000),
        used_seconds: Math.round(m.usedMs / 1000),
        remaining_seconds: Math.round(m.remainingMs / 1000),
        outcome: m.outcome,
        breach: m.breach,
        min_coverage: m.minCoverage,
        credit_percent: m.outcome === 'running' || m.outcome === 'insufficient_data' ? null : m.credit,
        projected_down_seconds: m.projectedDownMs === undefined ? null : Math.round(m.projectedDownMs / 1000),
      })),
      incidents: c.incidentMonths,
      behind: c.behind ? { check: c.behind.check, lag_seconds: c.behind.lagMs / 1000, at: c.behind.time } : null,
      checks: c.checks.map((k) => ({
        id: k.id,
        name: k.name,
        kind: k.kind,
        state: k.state,
        last: k.last ?? null,
        response: k.response,
        daily: k.daily,
        ...(k.lag ? { lag: lagJson(k.lag) } : {}),
        ...(k.beat
          ? {
              heartbeat: {
                last_beat: k.beat.at ?? null,
                status: k.beat.status ?? null,
                duration_seconds: k.beat.durationMs === undefined ? null : k.beat.durationMs / 1000,
                late_seconds: Math.round(k.beat.lateMs / 1000),
                every_seconds: k.beat.everyMs / 1000,
                grace_seconds: k.beat.graceMs / 1000,
              },
            }
          : {}),
        ...(k.steps ? { steps: k.steps.map((st) => ({ name: st.name, last_ms: st.last ?? null, p50_ms_24h: st.p50 ?? null })) } : {}),
      })),
    };
  }
  return out;
}

const seconds = (l: Latency | undefined) => (l ? { p50: l.p50 / 1000, p95: l.p95 / 1000, p99: l.p99 / 1000 } : null);

/** Lag in seconds (the unit the history files use): the newest, 24 hours, and one row per day. */
function lagJson(lag: LagView) {
  return {
    last_seconds: lag.last ? lag.last.lagMs / 1000 : null,
    last_at: lag.last?.time ?? null,
    degraded_over_seconds: lag.degradedOverMs === undefined ? null : lag.degradedOverMs / 1000,
    down_over_seconds: lag.downOverMs === undefined ? null : lag.downOverMs / 1000,
    '24h_seconds': seconds(lag['24h']),
    daily_seconds: lag.daily.map((d) => ({ day: d.day, ...(seconds(d.lag) ?? {}) })),
  };
}
