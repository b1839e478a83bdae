import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/load.ts';
import type { Check } from '../config/schema.ts';
import { didYouMean } from '../config/errors.ts';
import { appendSamples, readDay, type Shard } from '../history/store.ts';
import { publicOnlyGuard } from '../probes/guard.ts';
import { probeChecks } from '../probes/run.ts';
import type { Redactor } from '../secrets/redact.ts';
import type { Sample } from '../status/sample.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import { changedChecks } from './changed.ts';
import { loadOrFail } from './config.ts';
import { secretsOf } from './secrets.ts';
import { envNames } from '../config/template.ts';
import { UsageError } from './errors.ts';
import { table, type Io } from './io.ts';

export type ProbeOptions = {
  checks: string;
  history: string;
  only?: string[];
  /** A git ref: probe only checks added or changed since then. */
  changedSince?: string;
  region: string;
  shard?: Shard;
  dryRun: boolean;
  json: boolean;
  concurrency: number;
  env: Record<string, string | undefined>;
  now: () => Date;
  wait?: (ms: number) => Promise<void>;
  vars?: Record<string, string>;
  dispatcher?: Dispatcher;
  /** Skip (and list) checks whose `${{ env.NAME }}` is not set, instead of failing: pull requests from forks get no secrets. */
  allowMissingSecrets?: boolean;
  /** Also write `{ samples, skipped }` as JSON to this file (the pull-request comment reads it). */
  output?: string;
  /**
   * The checks come from a pull request: internal addresses are refused (except those the base
   * branch's site.yml allows), and results say which expectation failed, never what the target sent.
   */
  untrusted?: boolean;
  /** Every secret the process was given (main() makes it; tests may leave it out). */
  redactor?: Redactor;
};

export async function probe(opts: ProbeOptions, io: Io): Promise<Sample[]> {
  const config = await loadOrFail(opts.checks, { env: opts.env, vars: opts.vars, requireEnv: !opts.allowMissingSecrets }, io);
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  const { checks: wanted, base } = await select(config, opts);
  const skipped = wanted.filter((c) => missingSecrets(c, opts.env).length > 0);
  for (const c of skipped) io.err(`notice: not probing ${c.id}: it needs ${missingSecrets(c, opts.env).join(', ')}, which this environment does not have`);
  const selected = wanted.filter((c) => !skipped.includes(c));
  const { samples, errors } = await probeChecks(config, selected, {
    now: opts.now,
    wait: opts.wait ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    env: opts.env,
    region: opts.region,
    concurrency: opts.concurrency,
    historyDir: opts.history,
    dispatcher: opts.dispatcher,
    browserPath: browserPath(opts.env),
    redactor,
    // From a pull request, the base branch decides which internal addresses may be probed.
    ...(opts.untrusted ? { untrusted: { guard: publicOnlyGuard((opts.changedSince ? base : config)?.pull_requests.allow_private ?? []) } } : {}),
  });
  if (!opts.dryRun && samples.length > 0) await appendSamples(opts.history, samples, { shard: opts.shard, redact: (t) => redactor.redact(t) });
  for (const e of errors) io.err(`upkeep: internal error probing ${e.check} (no sample recorded; please report it): ${e.message}`);
  if (opts.output)
    await writeFile(
      opts.output,
      redactor.redact(JSON.stringify({ samples: samples.map(({ attachments: _, ...s }) => s), skipped: skipped.map((c) => c.id) }, null, 2)),
    );
  if (opts.json) io.out(JSON.stringify(samples, null, 2));
  else if (samples.length === 0) io.out(opts.changedSince ? `no check changed since ${opts.changedSince}` : 'no check is due');
  else io.out(summary(samples));
  return samples;
}

/** `--only`, the shard, and `every: N` (a check is due when its last sample is old enough). With `--changed-since`, also the config at that ref. */
async function select(config: Config, opts: ProbeOptions): Promise<{ checks: Check[]; base?: Config }> {
  let checks = config.checks;
  if (opts.only || opts.changedSince) {
    const ids = config.checks.map((c) => c.id);
    for (const id of opts.only ?? []) if (!ids.includes(id)) throw new UsageError(`--only: no check "${id}"${didYouMean(id, ids)}`);
    const changed = opts.changedSince ? await changedChecks(config, opts.changedSince) : undefined;
    return { checks: checks.filter((c) => (!opts.only || opts.only.includes(c.id)) && (!changed || changed.ids.includes(c.id))), base: changed?.base };
  }
  checks = forRunner(config, checks, opts.region, opts.shard);
  if (!checks.some((c) => c.every > 1)) return { checks };
  const last = await lastSampleTimes(opts.history, opts.now(), opts.region);
  const now = opts.now().getTime();
  return {
    checks: checks.filter((c) => {
      const t = last.get(c.id);
      // Half an interval of slack, so a run that starts a little early still counts.
      return t === undefined || now - t >= (c.every - 0.5) * config.defaults.interval;
    }),
  };
}

/** UPKEEP_CHROMIUM, else Debian's Chromium when present, else Playwright's own browser (GitHub's runners). */
export function browserPath(env: Record<string, string | undefined>): string | undefined {
  if (env.UPKEEP_CHROMIUM) return env.UPKEEP_CHROMIUM;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** The `${{ env.NAME }}` references of a check that the environment lacks. */
function missingSecrets(check: Check, env: Record<string, string | undefined>): string[] {
  return envNames(check).filter((n) => env[n] === undefined);
}

/**
 * The checks one runner probes: in a declared region, those of instances probed from it (`probe_from`)
 * and every check of no instance; then its shard. Shards split by instance (a check of none by its
 * own id), so one instance's checks share a runner: a runner that dies leaves whole instances
 * unobserved, which the page can say, rather than a few checks of each. A runner whose region is
 * not declared (one runner, `default`) probes everything.
 */
export function forRunner(config: Pick<Config, 'regions' | 'instances'>, checks: readonly Check[], region: string, shard?: Shard): Check[] {
  const declared = (config.regions ?? []).some((r) => r.id === region);
  const from = new Map((config.instances ?? []).map((i) => [i.id, i.probe_from]));
  return checks.filter((c) => {
    const regions = c.instance === undefined ? undefined : from.get(c.instance);
    if (declared && regions && !regions.includes(region)) return false;
    return !shard || shardOf(c.instance ?? c.id, shard.count) === shard.index - 1;
  });
}

/** A stable shard for a check id (FNV-1a), so adding a check does not reshuffle the others. */
export function shardOf(id: string, count: number): number {
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h % count;
}

async function lastSampleTimes(history: string, now: Date, region: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const offset of [1, 0]) {
    const day = new Date(now.getTime() - offset * DAY_MS).toISOString().slice(0, 10);
    for (const s of (await readDay(history, day)).samples) if (s.region === region) out.set(s.check, Date.parse(s.time));
  }
  return out;
}

function summary(samples: Sample[]): string {
  const rows = [['check', 'outcome', 'latency', 'attempts', 'reason']];
  for (const s of samples) {
    rows.push([
      s.check,
      s.outcome,
      s.latencyMs === undefined ? '-' : `${s.latencyMs} ms`,
      String(s.attempts),
      s.reason ? `${s.reason}: ${s.message ?? ''}` : '',
    ]);
  }
  const down = samples.filter((s) => s.outcome === 'down').length;
  return `${table(rows)}\n${samples.length} probed, ${down} down`;
}
