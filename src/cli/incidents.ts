import { formatError } from '../config/errors.ts';
import type { Config } from '../config/load.ts';
import { applyIncidentActions, loadIncidents } from '../history/incidents.ts';
import { readHistory } from '../history/read.ts';
import { componentsNow, capFor, DAY } from '../site/view-model.ts';
import { planIncidents, type Action } from '../status/incidents.ts';
import { github } from '../github/client.ts';
import { importComments, mirrorActions } from '../github/issues.ts';
import { loadOrFail } from './config.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type IncidentsOptions = {
  checks: string;
  history: string;
  dryRun: boolean;
  json: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Tests shorten GitHub's retry waits. */
  githubWaitScale?: number;
};

/**
 * `upkeep incidents`: collaborators' issue comments first (they may resolve something), then plan
 * from the latest samples of every region, write the files, and mirror the actions to issues.
 */
export async function incidents(opts: IncidentsOptions, io: Io, loaded?: Config): Promise<Action[]> {
  const config = loaded ?? (await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io));
  const ids = config.components.map((c) => c.id);
  const load = async () => {
    const r = await loadIncidents(opts.history, ids);
    for (const e of r.errors) io.err(formatError(e));
    // An unreadable incident file might be one Upkeep would update; better to stop than to open a duplicate.
    if (r.errors.length > 0) throw new InputError('fix the incident files above first (upkeep validate shows the same)');
    return r.incidents;
  };
  const gh =
    config.incidents.github_issues && opts.env.GITHUB_TOKEN && opts.env.GITHUB_REPOSITORY && !opts.dryRun
      ? github({ token: opts.env.GITHUB_TOKEN, repository: opts.env.GITHUB_REPOSITORY, baseUrl: opts.env.GITHUB_API_URL, waitScale: opts.githubWaitScale, log: (l) => io.err(l) })
      : undefined;
  if (config.incidents.github_issues && !gh && !opts.dryRun) io.err('notice: incidents.github_issues is on, but GITHUB_TOKEN or GITHUB_REPOSITORY is not set: no issues this run');
  if (gh) {
    const r = await importComments(gh, await load());
    for (const e of r.errors) io.err(`warning: GitHub: ${e} (the incident files are unaffected)`);
    if (r.imported) io.out(`incidents: ${r.imported} update${r.imported === 1 ? '' : 's'} from collaborators' issue comments`);
  }
  const existing = await load();
  const now = opts.now().getTime();
  const history = await readHistory(opts.history, { from: now - 2 * DAY, now, capFor: capFor(config) });
  const actions = config.incidents.automatic
    ? planIncidents({ components: componentsNow(config, history.days, history.recent, now), incidents: existing, now, quietMs: config.incidents.quiet_period })
    : [];
  if (!opts.dryRun) await applyIncidentActions(opts.history, actions);
  if (gh && actions.length > 0) {
    const site = config.site.url;
    const r = await mirrorActions(gh, actions, await load(), { pageUrl: site ? (id) => new URL(`${config.site.base_path}incidents/${id}/`, site).href : undefined });
    for (const e of r.errors) io.err(`warning: GitHub: ${e} (the incident files are unaffected)`);
  }
  if (opts.json) io.out(JSON.stringify(actions, null, 2));
  else if (actions.length === 0) io.out('incidents: nothing to do');
  else for (const a of actions) io.out(`incidents: ${a.type} ${a.id} — ${a.update.message}`);
  return actions;
}
