import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as astroBuild } from 'astro';
import { formatError } from '../config/errors.ts';
import { loadIncidents } from '../history/incidents.ts';
import { readHistory } from '../history/read.ts';
import { upkeepSite } from '../site/integration.ts';
import { buildViewModel, capFor, DAY, HISTORY_DAYS } from '../site/view-model.ts';
import { loadOrFail } from './config.ts';
import type { Io } from './io.ts';

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
};

export async function build(opts: BuildOptions, io: Io): Promise<void> {
  const started = performance.now();
  const config = await loadOrFail(opts.checks, { env: opts.env, vars: opts.vars, requireEnv: false }, io);
  const now = opts.now();
  const history = await readHistory(opts.history, { from: now.getTime() - HISTORY_DAYS * DAY, now: now.getTime(), capFor: capFor(config) });
  for (const w of history.warnings) io.err(`warning: ${w}`);
  const { incidents, errors } = await loadIncidents(opts.history, config.components.map((c) => c.id));
  // A broken incident file must not stop the page from updating during an outage: it is left out, loudly.
  for (const e of errors) io.err(`warning: incident left out: ${formatError(e)}`);
  const siteUrl = config.site.url ?? opts.siteUrl;
  if (!siteUrl) io.err('warning: site.url is not set in site.yml (nor UPKEEP_SITE_URL): feeds and canonical links will point at http://localhost:4321/');
  // A project Pages site lives under /<repo>/: take that path from the published address unless site.yml sets one.
  const urlPath = siteUrl ? new URL(siteUrl).pathname.replace(/\/?$/, '/') : '/';
  const basePath = config.site.base_path !== '/' ? config.site.base_path : urlPath;
  const view = buildViewModel({ config, days: history.days, recent: history.recent, incidents, now, basePath, ...(siteUrl ? { siteUrl: new URL('/', siteUrl).href } : {}) });
  const outDir = resolve(opts.out);
  // A status page build must not phone home (and CI has no network to do it with).
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // Astro keeps build scratch files under the project; a private scratch folder lets builds run side by side.
  const scratch = await mkdtemp(join(tmpdir(), 'upkeep-build-'));
  const viewFile = join(scratch, 'view.json');
  await writeFile(viewFile, JSON.stringify(view));
  // Astro resolves the page's packages from the working directory: build from Upkeep's own folder, so
  // `upkeep build` works wherever it is started (every path it was given is absolute by now).
  const cwd = process.cwd();
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
    await rm(scratch, { recursive: true, force: true });
  }
  // A custom domain: hosts that publish a folder as it is (Pages from a branch, and others) read it
  // from a CNAME file. Pages deployed by Actions ignore the file; README says where to set it there.
  const host = siteUrl ? new URL(siteUrl).hostname : '';
  if (host && !/(^|\.)github\.io$|^localhost$|^127\.|^\[/.test(host)) await writeFile(join(outDir, 'CNAME'), `${host}\n`);
  // Screenshots and step logs of the latest failures, so the component page can link them.
  for (const a of new Set(history.recent.map((s) => s.artifact).filter((x): x is string => !!x))) {
    for (const ext of ['jpg', 'log']) await cp(join(opts.history, 'artifacts', `${a}.${ext}`), join(outDir, 'artifacts', `${a}.${ext}`)).catch(() => {});
  }
  io.out(`built ${opts.out}: ${config.components.length} components, ${config.checks.length} checks, ${history.days.length} check-days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
