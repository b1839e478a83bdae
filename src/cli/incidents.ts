import { formatError } from '../config/errors.ts';
import type { Config } from '../config/load.ts';
import { appendUpdate, applyIncidentActions, loadIncidents, setFields } from '../history/incidents.ts';
import { readHistory } from '../history/read.ts';
import { componentsNow, countingOf, coverageCap } from '../status/components.ts';
import { occurrences } from '../status/maintenance.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import { planIncidents, type Action } from '../status/incidents.ts';
import { github } from '../github/client.ts';
import { importComments, mirrorActions } from '../github/issues.ts';
import type { Redactor } from '../secrets/redact.ts';
import { loadOrFail } from './config.ts';
import { annotate, type Io } from './io.ts';
import { secretsOf } from './secrets.ts';

/** `incidents.open_after` in milliseconds: a number is rounds of the probe interval. */
export const openAfterMs = (config: Config) => {
  const o = config.incidents.open_after;
  return 'rounds' in o ? o.rounds * config.defaults.interval : o.ms;
};

export type IncidentsOptions = {
  checks: string;
  history: string;
  dryRun: boolean;
  json: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Tests shorten GitHub's retry waits. */
  githubWaitScale?: number;
  redactor?: Redactor;
  /** The slot mirrors to GitHub itself, once its incident commit is pushed. */
  mirror?: boolean;
};

/** `mirror` sends the actions to GitHub issues and returns the issues it opened (their numbers belong in the incident files). */
export type IncidentsResult = { actions: Action[]; mirror: () => Promise<{ id: string; number: number }[]> };

/**
 * `upkeep incidents`: collaborators' issue comments first (they may resolve something), then plan
 * from the latest samples of every region, write the files, and mirror the actions to issues.
 * An incident file that cannot be read is left out, loudly: no new incident is opened for the
 * components it names until it is fixed (it may be theirs), and everything else goes on.
 */
export async function incidents(opts: IncidentsOptions, io: Io, loaded?: Config): Promise<Action[]> {
  const r = await planAndApply(opts, io, loaded);
  if (opts.mirror !== false && !opts.dryRun) for (const i of await r.mirror()) await setFields(opts.history, i.id, { github_issue: i.number });
  return r.actions;
}

export async function planAndApply(opts: IncidentsOptions, io: Io, loaded?: Config): Promise<IncidentsResult> {
  const config = loaded ?? (await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io));
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  const redact = (t: string) => redactor.redact(t);
  const ids = config.components.map((c) => c.id);
  const load = async (report: boolean) => {
    const r = await loadIncidents(opts.history, ids);
    if (report) {
      for (const e of r.errors) {
        io.err(`warning: incident file left out: ${formatError(e)}`);
        annotate(io, opts.env, 'error', e);
      }
      if (r.unreadable.length > 0)
        io.err(`warning: no new incident is opened for ${r.unreadable.join(', ')} until the incident file above is fixed (it may be about them)`);
    }
    return r;
  };
  const gh =
    config.incidents.github_issues && opts.env.GITHUB_TOKEN && opts.env.GITHUB_REPOSITORY && !opts.dryRun
      ? github({
          token: opts.env.GITHUB_TOKEN,
          repository: opts.env.GITHUB_REPOSITORY,
          baseUrl: opts.env.GITHUB_API_URL,
          waitScale: opts.githubWaitScale,
          log: (l) => io.err(l),
        })
      : undefined;
  if (config.incidents.github_issues && !gh && !opts.dryRun)
    io.err('notice: incidents.github_issues is on, but GITHUB_TOKEN or GITHUB_REPOSITORY is not set: no issues this run');
  const now = opts.now().getTime();
  const sync = { redact };
  if (gh) {
    const r = await importComments(gh, (await load(false)).incidents, { ...sync, now });
    for (const e of r.errors) io.err(`warning: GitHub: ${e} (the incident files are unaffected)`);
    if (!opts.dryRun) for (const { id, update } of r.updates) await appendUpdate(opts.history, id, update, {}, redact);
    if (!opts.dryRun) for (const p of r.published) await setFields(opts.history, p.id, { draft: false, published: p.at });
    for (const p of r.published) io.out(`incidents: ${p.id} published by ${p.by === 'label' ? 'the publish label' : p.by}`);
    if (r.imported) io.out(`incidents: ${r.imported} update${r.imported === 1 ? '' : 's'} from collaborators' issue comments`);
  }
  const existing = await load(true);
  const history = await readHistory(opts.history, { from: now - 2 * DAY_MS, now, capFor: coverageCap(countingOf(config)) });
  const planned = config.incidents.automatic
    ? planIncidents({
        components: componentsNow(
          countingOf(config),
          history.days,
          history.recent,
          now,
          occurrences(config.maintenance, config.site.time_zone, now - 2 * DAY_MS, now + 1),
        ),
        incidents: existing.incidents,
        now,
        quietMs: config.incidents.quiet_period,
        openAfterMs: openAfterMs(config),
        review: config.incidents.review,
      })
    : [];
  const actions = planned.filter((a) => a.type !== 'open' || !existing.unreadable.includes(a.component));
  if (!opts.dryRun) await applyIncidentActions(opts.history, actions, redact);
  if (opts.json) io.out(JSON.stringify(actions, null, 2));
  else if (actions.length === 0) io.out('incidents: nothing to do');
  else for (const a of actions) io.out(`incidents: ${a.type} ${a.id} — ${a.update.message}`);
  const mirror = async () => {
    if (!gh || actions.length === 0) return [];
    const site = config.site.url;
    const r = await mirrorActions(gh, actions, (await load(false)).incidents, {
      ...sync,
      pageUrl: site ? (id) => new URL(`${config.site.base_path}incidents/${id}/`, site).href : undefined,
    });
    for (const e of r.errors) io.err(`warning: GitHub: ${e} (the incident files are unaffected)`);
    return r.created;
  };
  return { actions, mirror };
}
