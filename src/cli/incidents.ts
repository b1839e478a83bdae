import { formatError } from '../config/errors.ts';
import { applyIncidentActions, loadIncidents } from '../history/incidents.ts';
import { readHistory } from '../history/read.ts';
import { componentsNow, capFor, DAY } from '../site/view-model.ts';
import { planIncidents, type Action } from '../status/incidents.ts';
import { loadOrFail } from './config.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type IncidentsOptions = { checks: string; history: string; dryRun: boolean; json: boolean; env: Record<string, string | undefined>; now: () => Date };

/** `upkeep incidents`: plan from the latest samples of every region, then write the incident files. */
export async function incidents(opts: IncidentsOptions, io: Io): Promise<Action[]> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  const { incidents: existing, errors } = await loadIncidents(opts.history, config.components.map((c) => c.id));
  for (const e of errors) io.err(formatError(e));
  // An unreadable incident file might be one Upkeep would update; better to stop than to open a duplicate.
  if (errors.length > 0) throw new InputError('fix the incident files above first (upkeep validate shows the same)');
  const now = opts.now().getTime();
  const history = await readHistory(opts.history, { from: now - 2 * DAY, now, capFor: capFor(config) });
  const actions = config.incidents.automatic
    ? planIncidents({ components: componentsNow(config, history.days, history.recent, now), incidents: existing, now, quietMs: config.incidents.quiet_period })
    : [];
  if (!opts.dryRun) await applyIncidentActions(opts.history, actions);
  if (opts.json) io.out(JSON.stringify(actions, null, 2));
  else if (actions.length === 0) io.out('incidents: nothing to do');
  else for (const a of actions) io.out(`incidents: ${a.type} ${a.id} — ${a.update.message}`);
  return actions;
}
