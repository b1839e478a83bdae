import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as astroBuild } from 'astro';
import { formatError } from '../config/errors.ts';
import { loadIncidents } from '../history/incidents.ts';
import { readBeat, type Beat } from '../history/heartbeats.ts';
import type { Config } from '../config/load.ts';
import { readHistory } from '../history/read.ts';
import { isPlainFileUnder } from '../history/safe-fs.ts';
import type { Redactor } from '../secrets/redact.ts';
import { cleanDeep } from '../text/plain.ts';
import { upkeepSite } from '../site/integration.ts';
import { pack } from '../site/pack.ts';
import { buildViewModel, HISTORY_DAYS, type SiteView } from '../site/view-model.ts';
import { carryDays, monthEvidence, readSampleLog, type MonthEvidence } from '../history/evidence.ts';
import { withInstances } from './evidence-scope.ts';
import { countingOf, coverageCap } from '../status/components.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import { loadOrFail } from './config.ts';
import { InputError } from './errors.ts';
import { annotate, type Io } from './io.ts';
import { publishedAddress } from '../config/address.ts';
import { secretsOf } from './secrets.ts';

/** The Astro project (pages, layouts, config) ships with Upkeep itself. */
export const siteRoot = fileURLToPath(new URL('../..', import.meta.url));

export type BuildOptions = {
  checks: string;
  history: string;
  out: string;
  env: Record<string, string | undefined>;
  now: () => Date;
  vars?: Record<string, string>;
  /** UPKEEP_SITE_URL: where the page is published, when site.yml does not say. */
  siteUrl?: string;
  redactor?: Redactor;
};

/**
 * View-model fields that hold ids, times, enums and the vendor's own addresses: never text a probe
 * or a person wrote, so the last fence skips them (and a short secret cannot break a route).
 */
const structural = new Set([
  'id',
  'windowId',
  'group',
  'artifact',
  'region',
  'regions',
  'basePath',
  'url',
  'timeZone',
  'language',
  'languages',
  'accent',
  'logo',
  'time',
  'at',
  'start',
  'end',
  'started',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'generatedAt',
  'lastChecked',
  'day',
  'date',
  'month',
  'status',
  'probedStatus',
  'state',
  'worst',
  'outcome',
  'kind',
  'impact',
]);

/**
 * Astro empties the output folder before it writes: refuse one that holds anything else (the
 * checks, the history, a repository, a folder of other files), so `--out .` cannot wipe a repository.
 */
async function assertSafeOut(out: string, keep: string[]): Promise<void> {
  const dir = resolve(out);
  for (const k of keep.map((p) => resolve(p))) {
    if (k === dir || !relative(dir, k).startsWith('..'))
      throw new InputError(`--out ${out} would hold ${k}, and the build empties its output folder first: choose a folder of its own, e.g. dist`);
  }
  const entries = await readdir(dir).catch(() => [] as string[]);
  if (entries.length === 0) return;
  const previous = await stat(join(dir, 'api', 'upkeep', 'v1', 'summary.json')).then(
    () => true,
    () => false,
  );
  if (entries.includes('.git') || !previous)
    throw new InputError(
      `--out ${out} is not empty and is not an earlier Upkeep build, and the build empties its output folder first: choose an empty folder, e.g. dist`,
    );
}

/** Each SLA month's sample files at the commit that closed it (one git log for all); none outside git. */
async function evidenceOf(
  historyDir: string,
  env: Record<string, string | undefined>,
  view: SiteView,
  capFor: (check: string) => number,
  config: Config,
): Promise<Record<string, MonthEvidence>> {
  const months = new Map(view.components.flatMap((c) => c.sla.map((m) => [m.month, m] as const)));
  if (months.size === 0) return {};
  const oldest = Math.min(...[...months.values()].map((m) => m.start));
  const log = await readSampleLog(historyDir, env, oldest - 31 * DAY_MS);
  if (!log) return {};
  const carry = carryDays(config.checks.map((c) => capFor(c.id)));
  // Each file says which instances' checks it can hold, for the instances' own statements.
  return Object.fromEntries([...months].map(([k, m]) => [k, withInstances(config, monthEvidence(log, m, carry))]));
}

/** Each heartbeat check's latest beat, for "last beat" on its component's page. */
async function latestBeats(historyDir: string, checks: Config['checks']): Promise<Map<string, Beat>> {
  const out = new Map<string, Beat>();
  for (const c of checks) {
    if (c.kind !== 'heartbeat') continue;
    const beat = await readBeat(historyDir, c.id);
    if (beat) out.set(c.id, beat);
  }
  return out;
}

/**
 * One Astro build at a time per checkout: for an output folder outside Upkeep's own, Astro renders
 * pages in `.astro/.prerender/` under the project, which two builds at once (two test files, a
 * `dev` beside a `build`) would share and break. A lock folder holding the builder's pid; one whose
 * process is gone is taken over.
 */
async function buildLock(): Promise<() => Promise<void>> {
  const lock = join(siteRoot, '.astro', 'build.lock');
  await mkdir(join(siteRoot, '.astro'), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
    const alive = pid > 0 && (pid === process.pid || isAlive(pid));
    // A lock without a pid yet is being taken this instant; give it a second before calling it stale.
    if (!alive && (pid > 0 || waited > 1_000)) await rm(lock, { recursive: true, force: true });
    if (waited > 600_000) throw new InputError(`another upkeep build has held ${lock} for 10 minutes; remove the folder if no build is running`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
};

export async function build(opts: BuildOptions, io: Io): Promise<void> {
  const started = performance.now();
  await assertSafeOut(opts.out, [opts.checks, opts.history, process.cwd(), siteRoot]);
  const config = await loadOrFail(opts.checks, { env: opts.env, vars: opts.vars, requireEnv: false }, io);
  const now = opts.now();
  const history = await readHistory(opts.history, {
    from: now.getTime() - HISTORY_DAYS * DAY_MS,
    now: now.getTime(),
    capFor: coverageCap(countingOf(config)),
    timeZone: config.site.time_zone,
  });
  for (const w of history.warnings) io.err(`warning: ${w}`);
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  const { incidents, errors } = await loadIncidents(
    opts.history,
    config.components.map((c) => c.id),
    config.instances.map((i) => i.id),
  );
  // A broken incident file must not stop the page from updating during an outage: it is left out, loudly.
  for (const e of errors) {
    io.err(`warning: incident left out: ${formatError(e)}`);
    annotate(io, opts.env, 'error', e);
  }
  const { origin, basePath } = publishedAddress(config.site, opts.siteUrl);
  if (!origin) io.err('warning: site.url is not set in site.yml (nor UPKEEP_SITE_URL): feeds and canonical links will point at http://localhost:4321/');
  // The last fence: every text the pages, feeds and JSON are made from is cleaned of every secret this process knows.
  const view = cleanDeep(
    redactor.redactDeep(
      buildViewModel({
        config,
        beats: await latestBeats(opts.history, config.checks),
        days: history.days,
        recent: history.recent,
        incidents,
        now,
        basePath,
        ...(origin ? { siteUrl: origin } : {}),
      }),
      (key) => structural.has(key),
    ),
  );
  view.evidence = await evidenceOf(opts.history, opts.env, view, coverageCap(countingOf(config)), config);
  const outDir = resolve(opts.out);
  // A status page build must not phone home (and CI has no network to do it with).
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // Astro keeps build scratch files under the project; a private scratch folder lets builds run side by side.
  const scratch = await mkdtemp(join(tmpdir(), 'upkeep-build-'));
  const viewFile = join(scratch, 'view.json');
  // Shared objects written once (src/site/pack.ts): the view of 1,000 checks is a third of its plain JSON.
  await writeFile(viewFile, pack(view));
  // Astro resolves the page's packages from the working directory: build from Upkeep's own folder, so
  // `upkeep build` works wherever it is started (every path it was given is absolute by now).
  const cwd = process.cwd();
  const unlock = await buildLock();
  process.chdir(siteRoot);
  try {
    await astroBuild({
      root: siteRoot,
      outDir,
      cacheDir: join(scratch, 'cache'),
      build: { server: pathToFileURL(join(scratch, 'server/')).href },
      logLevel: 'error',
      base: view.site.basePath,
      site: view.site.url,
      integrations: [upkeepSite(viewFile)],
    });
  } finally {
    process.chdir(cwd);
    await unlock();
    await rm(scratch, { recursive: true, force: true });
  }
  // A custom domain: hosts that publish a folder as it is (Pages from a branch, and others) read it
  // from a CNAME file. Pages deployed by Actions ignore the file; README says where to set it there.
  const host = origin ? new URL(origin).hostname : '';
  if (host && !/(^|\.)github\.io$|^localhost$|^127\.|^\[/.test(host)) await writeFile(join(outDir, 'CNAME'), `${host}\n`);
  // Screenshots and step logs of the latest failures, so the component page can link them: regular
  // files only (a link committed under history/ could point anywhere), logs redacted once more.
  for (const a of new Set(history.recent.map((s) => s.artifact).filter((x): x is string => !!x))) {
    for (const ext of ['jpg', 'log']) {
      const from = join(opts.history, 'artifacts', `${a}.${ext}`);
      if (!(await isPlainFileUnder(opts.history, from))) continue;
      const to = join(outDir, 'artifacts', `${a}.${ext}`);
      await mkdir(join(to, '..'), { recursive: true });
      await writeFile(to, ext === 'log' ? redactor.redact(await readFile(from, 'utf8')) : await readFile(from));
    }
  }
  io.out(
    `built ${opts.out}: ${config.components.length} components, ${config.checks.length} checks, ${history.days.length} check-days in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
