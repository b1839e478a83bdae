/**
 * `upkeep matrix`: the runners a probe slot needs, as a GitHub Actions matrix. Each declared region
 * (site.yml `regions`, or one `default` region) probes its checks — those of the instances probed
 * from it and every check of no instance — split into as few shards as keep a round's worst case
 * (every target timing out after all its re-probes) inside `defaults.interval`, so 1,000 checks fit
 * the slot whatever the targets do. One entry leads: it also plans incidents, notifies and rolls
 * up, on the tree it pulls with every runner's samples.
 */
import { appendFile } from 'node:fs/promises';
import { formatDuration } from '../config/duration.ts';
import type { Config } from '../config/load.ts';
import type { Check } from '../config/schema.ts';
import { kinds } from '../kinds/index.ts';
import { BROWSER_CONCURRENCY, BROWSER_TIMEOUT } from '../probes/run.ts';
import { loadOrFail } from './config.ts';
import { table, type Io } from './io.ts';
import { forRunner } from './probe.ts';

/** GitHub runs at most 256 jobs from one matrix. */
export const MAX_JOBS = 256;

export type MatrixEntry = {
  region: string;
  shard: string;
  runs_on: string | string[];
  /** This runner also plans incidents, notifies and rolls up. */
  lead: boolean;
  checks: number;
  /** A round's worst case in seconds: every check timing out after all its attempts. */
  worst_s: number;
};

export type Matrix = { include: MatrixEntry[]; warnings: string[] };

/** How long one check can take at worst: each attempt its timeout, with the backoff between. */
export function worstMs(check: Check, config: Pick<Config, 'defaults'>): number {
  const retries = (kinds[check.kind] as { reprobe?: boolean }).reprobe === false ? 0 : (check.retries ?? config.defaults.retries);
  const timeout = check.timeout ?? (check.kind === 'browser' ? BROWSER_TIMEOUT : config.defaults.timeout);
  return (retries + 1) * timeout + config.defaults.retry_backoff * (2 ** retries - 1);
}

/** A round's worst case: the checks shared out over the probing slots (browsers over their own few), never less than the slowest check. */
export function roundWorstMs(checks: readonly Check[], config: Pick<Config, 'defaults'>, concurrency: number): number {
  let http = 0;
  let browser = 0;
  let longest = 0;
  for (const c of checks) {
    const ms = worstMs(c, config);
    longest = Math.max(longest, ms);
    if (c.kind === 'browser') browser += ms;
    else http += ms;
  }
  return Math.max(longest, http / concurrency, browser / Math.min(concurrency, BROWSER_CONCURRENCY));
}

export function planMatrix(config: Config, concurrency: number): Matrix {
  const regions = config.regions.length > 0 ? config.regions : [{ id: 'default', runs_on: 'ubuntu-latest' as string | string[] }];
  const budget = config.defaults.interval;
  const perRegion = Math.max(1, Math.floor(MAX_JOBS / regions.length));
  const include: MatrixEntry[] = [];
  const warnings: string[] = [];
  for (const r of regions) {
    const mine = forRunner(config, config.checks, r.id);
    if (mine.length === 0) {
      warnings.push(`region ${r.id} probes no check (no instance names it in probe_from, and every check belongs to an instance): it gets no runner`);
      continue;
    }
    const shardsOf = (count: number) =>
      Array.from({ length: count }, (_, i) => {
        const checks = forRunner(config, mine, r.id, { index: i + 1, count });
        return { checks, worst: roundWorstMs(checks, config, concurrency) };
      });
    let count = 1;
    let shards = shardsOf(1);
    while (shards.some((s) => s.worst > budget) && count < Math.min(perRegion, mine.length)) shards = shardsOf(++count);
    const over = shards.filter((s) => s.worst > budget);
    if (over.length > 0) {
      const slow = mine.filter((c) => worstMs(c, config) > budget).map((c) => c.id);
      warnings.push(
        slow.length > 0
          ? `region ${r.id}: ${slow.length} check${slow.length === 1 ? '' : 's'} can take longer than the interval (${formatDuration(budget)}) on their own, whatever the shards: ${slow.slice(0, 5).join(', ')}${slow.length > 5 ? ' …' : ''}; lower their timeout or retries, or raise defaults.interval`
          : `region ${r.id}: even ${count} shards leave a round's worst case over the interval (${formatDuration(budget)}); raise --concurrency or defaults.interval`,
      );
    }
    shards.forEach((s, i) => {
      if (s.checks.length === 0) return;
      include.push({ region: r.id, shard: `${i + 1}/${count}`, runs_on: r.runs_on, lead: false, checks: s.checks.length, worst_s: Math.ceil(s.worst / 1000) });
    });
  }
  // Someone must still plan incidents (heartbeats, people's files) and roll up.
  if (include.length === 0) include.push({ region: regions[0].id, shard: '1/1', runs_on: regions[0].runs_on, lead: false, checks: 0, worst_s: 0 });
  include[0].lead = true;
  return { include, warnings };
}

export type MatrixOptions = { checks: string; env: Record<string, string | undefined>; concurrency: number; json: boolean };

export async function matrix(opts: MatrixOptions, io: Io): Promise<Matrix> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  const plan = planMatrix(config, opts.concurrency);
  for (const w of plan.warnings) io.err(`warning: ${w}`);
  const json = JSON.stringify({ include: plan.include });
  // In a workflow step: `matrix` as the step's output, for `strategy.matrix: ${{ fromJSON(…) }}`.
  if (opts.env.GITHUB_OUTPUT) await appendFile(opts.env.GITHUB_OUTPUT, `matrix=${json}\n`);
  if (opts.json) {
    io.out(json);
    return plan;
  }
  io.out(
    table([
      ['region', 'shard', 'checks', 'worst round', 'runs on', ''],
      ...plan.include.map((e) => [
        e.region,
        e.shard,
        String(e.checks),
        `${e.worst_s} s`,
        Array.isArray(e.runs_on) ? e.runs_on.join(', ') : e.runs_on,
        e.lead ? 'leads: incidents, notify, rollup' : '',
      ]),
    ]),
  );
  io.out(
    `${plan.include.length} runner${plan.include.length === 1 ? '' : 's'}; interval ${formatDuration(config.defaults.interval)}, concurrency ${opts.concurrency} (the worst round has every target time out after all its attempts)`,
  );
  return plan;
}
