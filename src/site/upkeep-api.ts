/** Upkeep's own JSON API beside the Statuspage one: per-component uptime windows, daily series, SLA months. */
import type { SiteView } from './view-model.ts';

const pct = (v: number | undefined) => (v === undefined ? null : Math.floor(v * 1000) / 1000);

export function upkeepApi(view: SiteView): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const windows = (c: SiteView['components'][number]) =>
    Object.fromEntries(
      Object.entries(c.windows).map(([k, w]) => [
        k,
        {
          uptime: pct(w.uptime),
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
        breach: m.breach,
        credit_percent: m.credit,
      })),
      incidents: c.incidentMonths,
      checks: c.checks.map((k) => ({ id: k.id, name: k.name, kind: k.kind, state: k.state, last: k.last ?? null, response: k.response, daily: k.daily })),
    };
  }
  return out;
}
