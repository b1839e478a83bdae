/**
 * `upkeep run`: what the scheduled workflow calls. Probes every interval for the length of its
 * slot (so the cadence does not depend on when cron fires), plans incidents after each round,
 * rolls up at the end, and commits and pushes with rebase-and-retry. A dead target is a sample, a
 * GitHub outage is a warning, a push race is a retry: none of them ends the run early.
 */
import { relative, resolve } from 'node:path';
import { formatDuration } from '../config/duration.ts';
import type { Shard } from '../history/store.ts';
import { commitAndPush, repoRoot } from '../history/git.ts';
import { loadOrFail } from './config.ts';
import { incidents } from './incidents.ts';
import type { Io } from './io.ts';
import { probe } from './probe.ts';
import { rollup } from './rollup.ts';

export type SlotOptions = {
  checks: string;
  history: string;
  /** How long to keep probing; 0 probes once. */
  forMs: number;
  region: string;
  shard?: Shard;
  /** False for the job after a region matrix: incidents, rollup and commit only. */
  probe?: boolean;
  incidents: boolean;
  rollup: boolean;
  commit: boolean;
  push: boolean;
  concurrency: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
};

export async function runSlot(opts: SlotOptions, io: Io): Promise<{ rounds: number; samples: number }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const config = await loadOrFail(opts.checks, { env: opts.env }, io);
  const repo = opts.commit ? await repoRoot(resolve(opts.history)) : undefined;
  if (opts.commit && !repo) io.err(`warning: ${opts.history} is not in a git repository; nothing will be committed`);
  const paths = repo ? [relative(repo, resolve(opts.history)) || '.'] : [];
  const save = async (message: string, push: boolean) => {
    if (!repo) return;
    const r = await commitAndPush(repo, { paths, message: `${message} [skip ci]`, push });
    if (r.error) io.err(`warning: push failed after ${r.attempts} attempts (the commit stays local and goes with the next push): ${r.error}`);
    else if (r.committed || r.pushed) io.out(`git: ${r.committed ? 'committed' : 'nothing new'}${r.pushed ? `, pushed${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}` : ''}`);
  };

  const start = Date.now();
  let rounds = 0;
  let total = 0;
  for (;;) {
    const samples =
      opts.probe === false
        ? []
        : await probe({ checks: opts.checks, history: opts.history, region: opts.region, shard: opts.shard, dryRun: false, json: false, concurrency: opts.concurrency, env: opts.env, now: opts.now }, io);
    rounds++;
    total += samples.length;
    if (opts.incidents) {
      const actions = await incidents({ checks: opts.checks, history: opts.history, dryRun: false, json: false, env: opts.env, now: opts.now }, io, config);
      // An incident should reach the page now, not at the end of the slot.
      if (actions.length > 0) await save(`incidents: ${actions.map((a) => `${a.type} ${a.id}`).join(', ')}`, opts.push);
    }
    const next = start + rounds * config.defaults.interval;
    if (opts.forMs <= 0 || opts.probe === false || next >= start + opts.forMs) break;
    await sleep(Math.max(0, next - Date.now()));
  }
  if (opts.rollup) await rollup({ checks: opts.checks, history: opts.history, all: false, env: opts.env, now: opts.now }, io);
  await save(opts.probe === false ? 'incidents and rollups' : `probe: ${total} samples in ${rounds} round${rounds === 1 ? '' : 's'} from ${opts.region}${opts.shard ? ` shard ${opts.shard.index}/${opts.shard.count}` : ''} (${formatDuration(Date.now() - start)})`, opts.push);
  return { rounds, samples: total };
}
