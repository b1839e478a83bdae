/**
 * The SLA statement of one component and month: the SLA report's row with everything behind it
 * (each outage, each maintenance window, the raw sample files at the commit that closed the month).
 * The page, its JSON and its CSV are all made from `statementJson`, so they cannot disagree.
 * A statement is of the whole component (every check) or of one instance: the same builder over
 * the instance's components (counted from its checks and the shared ones, as its page shows them),
 * the incidents and maintenance that cover it, and the sample files its checks were written to.
 */
import type { MonthEvidence } from '../history/evidence.ts';
import { dayKey } from '../time/tz.ts';
import { rootHref } from './routes.ts';
import type { ComponentView, IncidentView, MaintenanceView, SiteView } from './view-model.ts';

const pct = (v: number | undefined) => (v === undefined ? null : Math.floor(v * 1000) / 1000);
const sec = (ms: number) => Math.round(ms / 1000);
const iso = (t: number) => new Date(t).toISOString();

export type StatementJson = ReturnType<typeof statementJson>;

/** Whose figures: the components, incidents, maintenance and evidence files of the page, or of one instance. */
type Scope = {
  instance?: { id: string; name: string };
  components: readonly ComponentView[];
  incidents: readonly IncidentView[];
  maintenance: readonly MaintenanceView[];
  holds: (file: MonthEvidence['files'][number]) => boolean;
};

function scopeOf(view: SiteView, instanceId?: string): Scope {
  if (instanceId === undefined) return { components: view.components, incidents: view.incidents, maintenance: view.maintenance, holds: () => true };
  const inst = view.instances.find((i) => i.id === instanceId);
  if (!inst) throw new Error(`no instance ${instanceId}`);
  const affects = (names?: readonly string[]) => !names || names.includes(inst.id);
  return {
    instance: { id: inst.id, name: inst.name },
    components: inst.components,
    incidents: view.incidents.filter((i) => inst.incidents.includes(i.id)),
    maintenance: view.maintenance.filter((m) => affects(m.instances)),
    holds: (f) => affects(f.instances),
  };
}

/** Every (component, month) that has a statement; with `instances`, every (instance, component, month). */
export const statementKeys = (view: SiteView) => view.components.flatMap((c) => c.sla.map((m) => ({ component: c.id, month: m.month })));
export const instanceStatementKeys = (view: SiteView) =>
  view.instances.flatMap((i) => i.components.flatMap((c) => c.sla.map((m) => ({ id: i.id, component: c.id, month: m.month }))));

/** Where a statement lives, without the language prefix: `sla/api/2026-11` or `instances/eu2/sla/api/2026-11`. */
export const statementPath = (component: string, month: string, instance?: string) =>
  `${instance === undefined ? '' : `instances/${instance}/`}sla/${component}/${month}`;

export const recomputeCommand = (component: string, month: string, instance?: string) =>
  `npx upkeep sla --component ${component}${instance === undefined ? '' : ` --instance ${instance}`} --month ${month}`;

/** A file's runner: its name without the day and `.tsv` (`2026-11-30.eu.2-of-4.tsv` → `eu.2-of-4`). */
const runnerOf = (path: string) => path.slice(path.lastIndexOf('/') + 12, -'.tsv'.length);

export function statementJson(view: SiteView, componentId: string, month: string, evidence?: MonthEvidence, instanceId?: string) {
  const scope = scopeOf(view, instanceId);
  const c = scope.components.find((x) => x.id === componentId);
  const m = c?.sla.find((x) => x.month === month);
  if (!c || !m) throw new Error(`no SLA month ${month} for component ${componentId}${instanceId === undefined ? '' : ` on ${instanceId}`}`);
  const abs = (path: string) => new URL(rootHref(view, path), view.site.url).href;
  const final = m.outcome === 'met' || m.outcome === 'breach';
  const observed = m.stats.observedMs - m.stats.maintenanceMs;
  const until = m.running ? Date.parse(view.generatedAt) : m.end;
  const maintenance = scope.maintenance.filter((w) => w.components.includes(c.id));
  const outages = m.outages.map((o) => ({
    start: iso(o.start),
    end: iso(o.end),
    down_seconds: sec(o.downMs),
    worst: o.worst,
    incidents: scope.incidents
      .filter((i) => i.components.some((x) => x.id === c.id) && Date.parse(i.started) < o.end && Date.parse(i.resolvedAt ?? view.generatedAt) > o.start)
      .map((i) => ({ id: i.id, title: i.title, url: abs(`incidents/${i.id}/`) })),
  }));
  const files = (evidence?.files ?? [])
    .filter(scope.holds)
    .map((f) => ({ path: f.path, day: f.day, carry_in: f.carry, url: f.url ?? null, runner: runnerOf(f.path) }));
  return {
    component: { id: c.id, name: c.name },
    instance: scope.instance ?? null,
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
    outages,
    outage_days: outageDays(outages, view.sla.timeZone),
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
      runners: evidenceRunners(files, evidence),
      files: files.map(({ runner: _, ...f }) => f),
    },
    recompute: recomputeCommand(c.id, m.month, scope.instance?.id),
    generated_at: view.generatedAt,
  };
}

type OutageJson = { start: string; down_seconds: number; incidents: { id: string; title: string; url: string }[] };

/** The outages by the day (in the SLA's zone) they began on: how the page lists a month of many. */
function outageDays(outages: readonly OutageJson[], timeZone: string) {
  const days = new Map<string, { day: string; outages: number; down_seconds: number; incidents: OutageJson['incidents'] }>();
  for (const o of outages) {
    const day = dayKey(Date.parse(o.start), timeZone);
    const d = days.get(day) ?? { day, outages: 0, down_seconds: 0, incidents: [] };
    d.outages++;
    d.down_seconds += o.down_seconds;
    for (const i of o.incidents) if (!d.incidents.some((x) => x.id === i.id)) d.incidents.push(i);
    days.set(day, d);
  }
  return [...days.values()];
}

/** The files by runner (one line on the page each): their days, how many, and their folder at the commit. */
function evidenceRunners(files: readonly { path: string; day: string; carry_in: boolean; runner: string }[], evidence?: MonthEvidence) {
  const runners = new Map<
    string,
    { runner: string; first_day: string; last_day: string; files: number; carry_in_files: number; folder: string; folder_url: string | null }
  >();
  for (const f of files) {
    const folder = f.path.slice(0, f.path.lastIndexOf('/'));
    const r = runners.get(f.runner) ?? {
      runner: f.runner,
      first_day: f.day,
      last_day: f.day,
      files: 0,
      carry_in_files: 0,
      folder,
      folder_url: evidence?.repoUrl && evidence.commit ? `${evidence.repoUrl}/tree/${evidence.commit}/${folder}` : null,
    };
    r.files++;
    if (f.carry_in) r.carry_in_files++;
    if (f.day < r.first_day) r.first_day = f.day;
    if (f.day > r.last_day) r.last_day = f.day;
    runners.set(f.runner, r);
  }
  return [...runners.values()].sort((a, b) => a.runner.localeCompare(b.runner));
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
    ['instance', s.instance?.id ?? null],
    ['instance_name', s.instance?.name ?? null],
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
