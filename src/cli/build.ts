import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  const view = buildViewModel({ config, days: history.days, recent: history.recent, incidents, now });
  const outDir = resolve(opts.out);
  // A status page build must not phone home (and CI has no network to do it with).
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  await astroBuild({
    root: siteRoot,
    outDir,
    logLevel: 'error',
    base: config.site.base_path,
    ...(config.site.url ? { site: config.site.url } : {}),
    integrations: [upkeepSite(view)],
  });
  io.out(`built ${opts.out}: ${config.components.length} components, ${config.checks.length} checks, ${history.days.length} check-days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
