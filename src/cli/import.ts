/** `upkeep import statuspage|upptime`: bring a page over from another status page. */
import { dirname, join, relative } from 'node:path';
import { formatError } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import { loadIncidents } from '../history/incidents.ts';
import { changed, type Plan } from '../import/common.ts';
import { applyPlan, checkIdsIn, readExisting, readIncidentFiles, schemaDirFor } from '../import/files.ts';
import { planStatuspage } from '../import/statuspage.ts';
import { fetchStatuspage, readStatuspageDir } from '../import/statuspage-source.ts';
import { planUpptime, readUpptime } from '../import/upptime.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';
import { version } from './help.js';

export type ImportOptions = {
  kind: 'statuspage' | 'upptime';
  from: string;
  checks: string;
  history: string;
  dryRun: boolean;
  env: Record<string, string | undefined>;
};

export async function importFrom(opts: ImportOptions, io: Io): Promise<void> {
  const plan = opts.kind === 'statuspage' ? await statuspagePlan(opts) : await upptimePlan(opts);
  printReport(plan, io);
  const files = changed(plan);
  if (files.length === 0) {
    io.out('nothing to change: everything here is imported already');
    return;
  }
  const list = summarise(files.map((f) => f.path));
  if (opts.dryRun) {
    io.out(`dry run: would write ${list}; nothing written`);
    return;
  }
  await applyPlan(plan);
  io.out(`wrote ${list}`);
  await confirm(opts, io);
}

async function statuspagePlan(opts: ImportOptions): Promise<Plan> {
  const source = /^https?:\/\//i.test(opts.from)
    ? await fetchStatuspage(opts.from, { userAgent: `upkeep/${version()} (import)` })
    : await readStatuspageDir(opts.from);
  const site = await readExisting(join(opts.checks, 'site.yml'));
  const maintenance = await readExisting(join(opts.checks, 'maintenance.yml'));
  const schemaDir = schemaDirFor(opts.checks);
  return planStatuspage(source, {
    checksDir: opts.checks,
    historyDir: opts.history,
    ...(site !== undefined ? { site } : {}),
    ...(maintenance !== undefined ? { maintenance } : {}),
    incidents: await readIncidentFiles(opts.history),
    ...(schemaDir ? { schemaDir } : {}),
  });
}

async function upptimePlan(opts: ImportOptions): Promise<Plan> {
  if (/^https?:\/\//i.test(opts.from)) throw new InputError('import upptime reads a checkout of the Upptime repository: --from DIR (git clone it first)');
  const source = await readUpptime(opts.from);
  const site = await readExisting(join(opts.checks, 'site.yml'));
  const checks = await readExisting(join(opts.checks, 'upptime.yml'));
  const schemaDir = schemaDirFor(opts.checks);
  return planUpptime(source, {
    checksDir: opts.checks,
    ...(site !== undefined ? { site } : {}),
    ...(checks !== undefined ? { checks } : {}),
    otherCheckIds: await checkIdsIn(opts.checks, ['upptime.yml', 'site.yml', 'maintenance.yml', 'notify.yml']),
    ...(schemaDir ? { schemaDir } : {}),
  });
}

function printReport(plan: Plan, io: Io): void {
  const [first, ...rest] = plan.report.done;
  io.out(first);
  for (const line of rest) io.out(`  ${line}`);
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    io.out(title);
    for (const line of lines) io.out(`  - ${line}`);
  };
  section('decisions:', plan.report.decisions);
  section('not carried over:', plan.report.notCarried);
  section('next:', plan.report.next);
}

/** "checks/site.yml, 51 files in history/incidents/". */
function summarise(paths: string[]): string {
  const byDir = new Map<string, string[]>();
  for (const p of paths) byDir.set(dirname(p), [...(byDir.get(dirname(p)) ?? []), p]);
  return [...byDir].flatMap(([dir, files]) => (files.length > 3 ? [`${files.length} files in ${dir}/`] : files)).join(', ');
}

/** What `upkeep validate` would say about the result (without secrets: the vendor adds those next). */
async function confirm(opts: ImportOptions, io: Io): Promise<void> {
  const { config, errors } = await loadConfig(opts.checks, { env: opts.env, requireEnv: false });
  const incidents = config
    ? await loadIncidents(
        opts.history,
        config.components.map((c) => c.id),
      )
    : { incidents: [], errors: [] };
  const all = [...errors, ...incidents.errors];
  if (all.length) {
    for (const e of all) io.err(formatError({ ...e, file: relative(process.cwd(), e.file) || e.file }));
    throw new InputError(`upkeep validate finds ${all.length} problem${all.length === 1 ? '' : 's'} in the result (listed above)`);
  }
  io.out(
    `validate: ok (${config!.components.length} components, ${config!.checks.length} checks, ${config!.maintenance.length} maintenance windows, ${incidents.incidents.length} incidents)`,
  );
}
