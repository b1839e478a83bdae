/**
 * The SLA statement of one component and month: the SLA report's row with everything behind it
 * (each outage, each maintenance window, the raw sample files at the commit that closed the month).
 * The page, its JSON and its CSV are all made from `statementJson`, so they cannot disagree.
 */
import type { MonthEvidence } from '../history/evidence.ts';
import { rootHref } from './routes.ts';
import type { SiteView } from './view-model.ts';

const pct = (v: number | undefined) => (v === undefined ? null : Math.floor(v * 1000) / 1000);
const sec = (ms: number) => Math.round(ms / 1000);
const iso = (t: number) => new Date(t).toISOString();

export type StatementJson = ReturnType<typeof statementJson>;

/** Every (component, month) that has a statement. */
export const statementKeys = (view: SiteView) => view.components.flatMap((c) => c.sla.map((m) => ({ component: c.id, month: m.month })));

export const recomputeCommand = (component: string, month: string) => `npx upkeep sla --component ${component} --month ${month}`;

export function statementJson(view: SiteView, componentId: string, month: string, evidence?: MonthEvidence) {
  const c = view.components.find((x) => x.id === componentId);
  const m = c?.sla.find((x) => x.month === month);
  if (!c || !m) throw new Error(`no SLA month ${month} for component ${componentId}`);
  const abs = (path: string) => new URL(rootHref(view, path), view.site.url).href;
  const final = m.outcome === 'met' || m.outcome === 'breach';
  const observed = m.stats.observedMs - m.stats.maintenanceMs;
  const until = m.running ? Date.parse(view.generatedAt) : m.end;
  const maintenance = view.maintenance.filter((w) => w.components.includes(c.id));
  return {
    component: { id: c.id, name: c.name },
    month: m.month,
    time_zone: view.sla.timeZone,
    start: iso(m.start),
    end: iso(m.end),
    until: iso(until),
    running: m.running,
    outcome: m.outcome,
    target_percent: m.target,
    achieved_percent: pct(m.stats.uptime),
    coverage_percent: pct(m.stats.coverage),
    min_coverage_percent: m.minCoverage,
    observed_seconds: sec(observed),
    available_seconds: sec(observed - m.stats.downMs),
    maintenance_seconds: sec(m.stats.maintenanceMs),
    allowed_downtime_seconds: sec(m.budgetMs),
    used_downtime_seconds: sec(m.usedMs),
    remaining_seconds: sec(m.remainingMs),
    breach: m.breach,
    credit_percent: final ? m.credit : null,
    projected_down_seconds: m.projectedDownMs === undefined ? null : sec(m.projectedDownMs),
    outages: m.outages.map((o) => ({
      start: iso(o.start),
      end: iso(o.end),
      down_seconds: sec(o.downMs),
      worst: o.worst,
      incidents: view.incidents
        .filter((i) => i.components.some((x) => x.id === c.id) && Date.parse(i.started) < o.end && Date.parse(i.resolvedAt ?? view.generatedAt) > o.start)
        .map((i) => ({ id: i.id, title: i.title, url: abs(`incidents/${i.id}/`) })),
    })),
    maintenance: m.maintenance.map((w) => ({
      start: iso(w.start),
      end: iso(w.end),
      seconds: sec(w.end - w.start),
      title: maintenance.find((x) => Date.parse(x.start) < w.end && Date.parse(x.end) > w.start)?.title ?? null,
    })),
    evidence: {
      commit: evidence?.commit ?? null,
      at_head: evidence?.atHead ?? m.running,
      repository: evidence?.repoUrl ?? null,
      files: (evidence?.files ?? []).map((f) => ({ path: f.path, day: f.day, carry_in: f.carry, url: f.url ?? null })),
    },
    recompute: recomputeCommand(c.id, m.month),
    generated_at: view.generatedAt,
  };
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; lines end CRLF. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_HEADER = ['record', 'name', 'value', 'start', 'end', 'seconds', 'incident', 'url'] as const;

/** The statement as one table: a `figure` row per number, then `outage`, `maintenance` and `evidence` rows. */
export function statementCsv(s: StatementJson): string {
  const rows: unknown[][] = [[...CSV_HEADER]];
  const figures: [string, unknown][] = [
    ['component', s.component.id],
    ['component_name', s.component.name],
    ['month', s.month],
    ['time_zone', s.time_zone],
    ['running', s.running],
    ['outcome', s.outcome],
    ['target_percent', s.target_percent],
    ['achieved_percent', s.achieved_percent],
    ['coverage_percent', s.coverage_percent],
    ['min_coverage_percent', s.min_coverage_percent],
    ['observed_seconds', s.observed_seconds],
    ['available_seconds', s.available_seconds],
    ['maintenance_seconds', s.maintenance_seconds],
    ['allowed_downtime_seconds', s.allowed_downtime_seconds],
    ['used_downtime_seconds', s.used_downtime_seconds],
    ['remaining_seconds', s.remaining_seconds],
    ['breach', s.breach],
    ['credit_percent', s.credit_percent],
    ['projected_down_seconds', s.projected_down_seconds],
    ['commit', s.evidence.commit],
  ];
  for (const [name, value] of figures) rows.push(['figure', name, value, '', '', '', '', '']);
  rows.push(['period', 'month', '', s.start, s.end, '', '', '']);
  for (const o of s.outages)
    rows.push(['outage', o.worst, '', o.start, o.end, o.down_seconds, o.incidents.map((i) => i.id).join(' '), o.incidents[0]?.url ?? '']);
  for (const w of s.maintenance) rows.push(['maintenance', w.title ?? '', '', w.start, w.end, w.seconds, '', '']);
  for (const f of s.evidence.files) rows.push(['evidence', f.path, f.carry_in ? 'carry_in' : f.day, '', '', '', '', f.url ?? '']);
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
