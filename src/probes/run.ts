/** Runs checks concurrently, confirms failures by re-probing, and turns results into samples. */
import type { Dispatcher } from 'undici';
import type { Config } from '../config/load.ts';
import type { Check } from '../config/schema.ts';
import { redact, resolveDeep } from '../config/template.ts';
import { evaluate, type Verdict } from '../status/evaluate.ts';
import type { Sample } from '../status/sample.ts';
import { probes } from './index.ts';
import type { Probe, ProbeResult } from './types.ts';

export type RunOptions = {
  now: () => Date;
  /** Back-off between confirmation attempts (tests and backfills pass a fake). */
  wait: (ms: number) => Promise<void>;
  env: Record<string, string | undefined>;
  region: string;
  concurrency: number;
  dispatcher?: Dispatcher;
};

/** `errors`: checks whose probe threw — Upkeep's bug, not the target's outage, so they get no sample. */
export type RunResult = { samples: Sample[]; secrets: Set<string>; errors: { check: string; message: string }[] };

export async function probeChecks(config: Config, checks: readonly Check[], options: RunOptions): Promise<RunResult> {
  const secrets = new Set<string>();
  const scope = { vars: config.vars, env: options.env };
  const errors: RunResult['errors'] = [];
  const samples = await mapLimit(checks, options.concurrency, (check) =>
    probeOne(resolveDeep(check, scope, secrets), config, options, secrets).catch((error: unknown) => {
      errors.push({ check: check.id, message: redact(error instanceof Error ? error.message : String(error), secrets) });
      return undefined;
    }),
  );
  return { samples: samples.filter((s) => s !== undefined), secrets, errors };
}

async function probeOne(check: Check, config: Config, options: RunOptions, secrets: Set<string>): Promise<Sample> {
  const time = new Date(Math.floor(options.now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const retries = check.retries ?? config.defaults.retries;
  const timeoutMs = check.timeout ?? config.defaults.timeout;
  const probe = probes[check.kind] as Probe;
  let attempts = 0;
  let result: ProbeResult;
  let verdict: Verdict;
  for (;;) {
    attempts++;
    // A probe must not throw; if one does, that is our bug, not the target's outage (the caller records no sample).
    result = await probe(check, { timeoutMs, dispatcher: options.dispatcher, checksDir: config.dir });
    verdict = evaluate(check, result, options.now());
    if (verdict.outcome === 'up' || attempts > retries) break;
    await options.wait(config.defaults.retry_backoff * 2 ** (attempts - 1));
  }
  const sample: Sample = { time, check: check.id, region: options.region, outcome: verdict.outcome, attempts };
  if (!result.error) sample.latencyMs = result.latencyMs;
  if (verdict.reason) sample.reason = verdict.reason;
  if (verdict.message) sample.message = redact(verdict.message, secrets);
  if (result.http) sample.status = result.http.status;
  if (result.phases && Object.keys(result.phases).length > 0) sample.phases = result.phases;
  return sample;
}

/** Maps with at most `limit` calls in flight, keeping order. (Ten lines; not worth a dependency.) */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
