/**
 * `upkeep run`: what the scheduled workflow calls. Probes every interval for the length of its
 * slot (so the cadence does not depend on when cron fires), and after each round:
 *
 *   1. commits and pushes the round's samples on their own, before anything else can fail;
 *   2. plans incidents on the freshly pulled tree and pushes them (re-planned if someone pushed
 *      meanwhile, so a person's edit to an incident is never overwritten), then mirrors them to
 *      GitHub issues;
 *   3. starts delivering notifications, beside the probing: a slow or dead channel holds up
 *      neither the next round nor the commits (git steps take turns; sending does not wait).
 *
 * and rolls up at the end the same way. A dead target is a sample, a GitHub outage is a warning,
 * a broken incident file is an annotation, a push race is a retry: none of them loses a sample.
 * A step that fails for a reason of Upkeep's own is reported, the rest still runs, and the run
 * exits non-zero at the end.
 */
import { join, relative, resolve } from 'node:path';
import { formatDuration } from '../config/duration.ts';
import type { Shard } from '../history/store.ts';
import { setFields } from '../history/incidents.ts';
import { commitAndPush, commitDerived, repoRoot, type GitResult } from '../history/git.ts';
import type { Redactor } from '../secrets/redact.ts';
import { loadOrFail } from './config.ts';
import { planAndApply } from './incidents.ts';
import type { Io } from './io.ts';
import { probe } from './probe.ts';
import { rollup } from './rollup.ts';
import { secretsOf } from './secrets.ts';
import { notify } from './notify.ts';

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
  /** Deliver notifications after each round (when notify.yml has channels); default true. */
  notify?: boolean;
  rollup: boolean;
  commit: boolean;
  push: boolean;
  concurrency: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  redactor?: Redactor;
};

export async function runSlot(opts: SlotOptions, io: Io): Promise<{ rounds: number; samples: number }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const config = await loadOrFail(opts.checks, { env: opts.env }, io);
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  const repo = opts.commit ? await repoRoot(resolve(opts.history)) : undefined;
  if (opts.commit && !repo) io.err(`warning: ${opts.history} is not in a git repository; nothing will be committed`);
  const inRepo = (path: string) => (repo ? relative(repo, resolve(path)) || '.' : path);
  const history = inRepo(opts.history);
  const failures: string[] = [];

  const report = (r: GitResult, what: string) => {
    if (r.error) io.err(`warning: pushing ${what} failed after ${r.attempts} attempts (the commit stays local and goes with the next push): ${r.error}`);
    else if (r.committed || r.pushed)
      io.out(`git: ${what} ${r.committed ? 'committed' : 'unchanged'}${r.pushed ? `, pushed${r.attempts > 1 ? ` after ${r.attempts} attempts` : ''}` : ''}`);
  };
  /** A step that must not stop the slot: its failure is reported and remembered. */
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${message}`);
      io.err(`error: the ${name} step failed (the samples are saved; the slot goes on): ${message}`);
    }
  };
  // Git steps take turns: delivery runs beside the rounds, and two pulls at once would trip over each other.
  let gitTurn: Promise<unknown> = Promise.resolve();
  const serialise = <T>(fn: () => Promise<T>): Promise<T> => {
    const mine = gitTurn.then(fn);
    gitTurn = mine.catch(() => {});
    return mine;
  };
  /** Derived files, written on the freshest tree (or just written, without git). */
  const derived = async (what: string, paths: string[], message: string, write: () => Promise<void>) => {
    if (!repo) return write();
    report(await serialise(() => commitDerived(repo, { paths, message: `${message} [skip ci]`, push: opts.push, write })), what);
  };
  // One delivery at a time; a round that ends while one is still sending leaves the next to it.
  let delivering: Promise<void> | undefined;
  let missed = false;
  const startDelivery = () => {
    if (opts.notify === false || config.notify.channels.length === 0) return;
    if (delivering) {
      missed = true;
      return;
    }
    delivering = step('notify', async () => {
      await notify(
        {
          checks: opts.checks,
          history: opts.history,
          dryRun: false,
          json: false,
          env: opts.env,
          now: opts.now,
          region: opts.region,
          commit: opts.commit,
          push: opts.push,
          redactor,
          serialise,
          // Within the round, so the next delivery starts on time.
          budgetMs: Math.max(30_000, config.defaults.interval - 15_000),
        },
        io,
        config,
      );
    }).finally(() => {
      delivering = undefined;
      // A round ended while this one was sending: what it confirmed goes now, not a round later.
      if (missed) {
        missed = false;
        startDelivery();
      }
    });
  };

  const start = Date.now();
  let rounds = 0;
  let total = 0;
  for (;;) {
    if (opts.probe !== false) {
      const samples = await probe(
        {
          checks: opts.checks,
          history: opts.history,
          region: opts.region,
          shard: opts.shard,
          dryRun: false,
          json: false,
          concurrency: opts.concurrency,
          env: opts.env,
          now: opts.now,
          redactor,
        },
        io,
      );
      total += samples.length;
      // The samples go first, on their own: nothing that follows can lose them.
      if (repo && samples.length > 0) {
        const where = `${opts.region}${opts.shard ? ` shard ${opts.shard.index}/${opts.shard.count}` : ''}`;
        await step('commit', async () =>
          report(
            await serialise(() =>
              commitAndPush(repo, {
                paths: [join(history, 'samples'), join(history, 'artifacts')],
                message: `probe: ${samples.length} samples from ${where} (round ${rounds + 1}) [skip ci]`,
                push: opts.push,
              }),
            ),
            'samples',
          ),
        );
      }
    }
    rounds++;
    if (opts.incidents) {
      await step('incidents', async () => {
        let result: Awaited<ReturnType<typeof planAndApply>> | undefined;
        await derived('incidents', [join(history, 'incidents')], 'incidents', async () => {
          result = await planAndApply(
            { checks: opts.checks, history: opts.history, dryRun: false, json: false, env: opts.env, now: opts.now, redactor, mirror: false },
            io,
            config,
          );
        });
        if (!result || result.actions.length === 0) return;
        const issues = await result.mirror();
        if (issues.length > 0) {
          await derived('issue numbers', [join(history, 'incidents')], `incidents: GitHub issues ${issues.map((i) => `#${i.number}`).join(', ')}`, async () => {
            for (const i of issues) await setFields(opts.history, i.id, { github_issue: i.number }).catch(() => {});
          });
        }
      });
    }
    startDelivery();
    const next = start + rounds * config.defaults.interval;
    if (opts.forMs <= 0 || opts.probe === false || next >= start + opts.forMs) break;
    await sleep(Math.max(0, next - Date.now()));
  }
  while (delivering) await delivering;
  if (opts.rollup) {
    await step('rollup', () =>
      derived('rollups', [history], 'rollups', () => rollup({ checks: opts.checks, history: opts.history, all: false, env: opts.env, now: opts.now }, io)),
    );
  }
  io.out(`slot: ${total} samples in ${rounds} round${rounds === 1 ? '' : 's'} from ${opts.region} (${formatDuration(Date.now() - start)})`);
  if (failures.length > 0) throw new Error(`${failures.length} step${failures.length === 1 ? '' : 's'} failed: ${failures.join('; ')}`);
  return { rounds, samples: total };
}
