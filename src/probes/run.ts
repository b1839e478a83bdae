/** Runs checks concurrently, confirms failures by re-probing, and turns results into samples. */
import type { Browser, Page } from 'playwright';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/load.ts';
import type { Check } from '../config/schema.ts';
import { references, resolveDeep } from '../config/template.ts';
import { Redactor } from '../secrets/redact.ts';
import { judge, kinds } from '../kinds/index.ts';
import type { Verdict } from '../status/evaluate.ts';
import type { ApiStepLog, Measurement } from '../status/measurement.ts';
import type { Sample } from '../status/sample.ts';
import { withoutUnwanted } from '../text/plain.ts';
import { oneLine } from './errors.ts';
import type { TargetGuard } from './guard.ts';
import type { Probe } from './types.ts';

export type RunOptions = {
  now: () => Date;
  /** Back-off between confirmation attempts (tests and backfills pass a fake). */
  wait: (ms: number) => Promise<void>;
  env: Record<string, string | undefined>;
  region: string;
  concurrency: number;
  /** Where heartbeat checks read the jobs' latest beats. */
  historyDir?: string;
  dispatcher?: Dispatcher;
  /** Chromium for browser checks: UPKEEP_CHROMIUM, /usr/bin/chromium, or Playwright's own. */
  browserPath?: string;
  /** Browser checks at once (each is a whole browser context). */
  browserConcurrency?: number;
  beforeScreenshot?: (page: Page) => Promise<void>;
  /** Every secret the process was given; the values checks resolve are added as they are used. */
  redactor?: Redactor;
  /** Checks from a pull request: refuse internal addresses, and keep only the check's own words in messages (no response data, no screenshots). */
  untrusted?: { guard: TargetGuard };
};

/** `errors`: checks whose probe threw — Upkeep's bug, not the target's outage, so they get no sample. */
export type RunResult = { samples: Sample[]; errors: { check: string; message: string }[] };

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Browser journeys get a longer default budget than single requests. */
export const BROWSER_TIMEOUT = 60_000;
/** Browsers probed at once unless a caller says otherwise (each is a Chromium page). */
export const BROWSER_CONCURRENCY = 2;

export async function probeChecks(config: Config, checks: readonly Check[], options: RunOptions): Promise<RunResult> {
  const secrets = options.redactor ?? new Redactor();
  const scope = { vars: config.vars, env: options.env };
  const errors: RunResult['errors'] = [];
  let launched: Promise<Browser> | undefined;
  const browser = async () => {
    const { chromium } = await import('playwright');
    // A pull request's journeys also get no WebRTC over UDP, which no request route can see.
    const args = options.untrusted
      ? [...CHROMIUM_ARGS, '--force-webrtc-ip-handling-policy=disable_non_proxied_udp', '--webrtc-ip-handling-policy=disable_non_proxied_udp']
      : CHROMIUM_ARGS;
    launched ??= chromium.launch({ executablePath: options.browserPath, args });
    return launched;
  };
  const gate = limiter(options.browserConcurrency ?? BROWSER_CONCURRENCY);
  try {
    const samples = await mapLimit(checks, options.concurrency, (check) => {
      const run = () =>
        probeOne(resolveDeep(check, scope, secrets), secretSteps(check), config, { ...options, browser }, secrets).catch((error: unknown) => {
          errors.push({ check: check.id, message: oneLine(secrets.redact(error instanceof Error ? error.message : String(error)), 2_000) });
          return undefined;
        });
      return check.kind === 'browser' ? gate(run) : run();
    });
    return { samples: samples.filter((s) => s !== undefined), errors };
  } finally {
    if (launched) await (await launched.catch(() => undefined))?.close().catch(() => {});
  }
}

/** Browser steps whose filled value comes from `${{ env.… }}`. */
function secretSteps(check: Check): Set<number> {
  if (check.kind !== 'browser') return new Set();
  return new Set(check.steps.flatMap((s, i) => ('fill' in s && references(s.fill.value).some((r) => r.scope === 'env') ? [i] : [])));
}

async function probeOne(
  check: Check,
  secretStepIndexes: Set<number>,
  config: Config,
  options: RunOptions & { browser: () => Promise<Browser> },
  secrets: Redactor,
): Promise<Sample> {
  const time = new Date(Math.floor(options.now().getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const retries = (kinds[check.kind] as { reprobe?: boolean }).reprobe === false ? 0 : (check.retries ?? config.defaults.retries);
  const timeoutMs = check.timeout ?? (check.kind === 'browser' ? BROWSER_TIMEOUT : config.defaults.timeout);
  const probe = await probeOf(check.kind);
  let attempts = 0;
  let result: Measurement;
  let verdict: Verdict;
  for (;;) {
    attempts++;
    // A probe must not throw; if one does, that is our bug, not the target's outage (the caller records no sample).
    result = await probe(check, {
      timeoutMs,
      now: options.now,
      dispatcher: options.dispatcher,
      checksDir: config.dir,
      ...(options.historyDir ? { historyDir: options.historyDir } : {}),
      browser: options.browser,
      secretSteps: secretStepIndexes,
      secrets,
      beforeScreenshot: options.beforeScreenshot,
      ...(options.untrusted ? { guard: options.untrusted.guard } : {}),
    });
    verdict = judgeSafely(check, result, options.now());
    // Old data (or a deadline already waited out) reads the same a second later, and a journey whose
    // clean-up failed would only leave more behind: no re-probe.
    if (verdict.outcome === 'up' || attempts > retries || NO_REPROBE.has(verdict.reason ?? '')) break;
    await options.wait(config.defaults.retry_backoff * 2 ** (attempts - 1));
  }
  return toSample(check, result, verdict, { time, region: options.region, attempts, secrets, untrusted: !!options.untrusted });
}

/**
 * A kind's probe (and what it needs: undici, node:tls, Playwright) loads only when a run probes it,
 * and once: every `import()` goes through the module loader again, which for a round of 1,000
 * checks cost more CPU than the requests' own bookkeeping.
 */
const probes = new Map<Check['kind'], Promise<Probe<Check, Measurement>>>();
function probeOf(kind: Check['kind']): Promise<Probe<Check, Measurement>> {
  let loaded = probes.get(kind);
  if (!loaded) {
    loaded = kinds[kind].probe() as unknown as Promise<Probe<Check, Measurement>>;
    probes.set(kind, loaded);
  }
  return loaded;
}

const NO_REPROBE = new Set(['stale', 'until_deadline', 'cleanup_failed']);

/**
 * The judge over what a target sent. An answer that makes judging throw (JSON nested 200,000 deep)
 * is the target's doing: a down sample saying so, never a missing one that would read as no data.
 */
function judgeSafely(check: Check, result: Measurement, now: Date): Verdict {
  try {
    return judge(check, result, now);
  } catch (error) {
    const why = error instanceof RangeError ? 'the answer is nested too deeply to read' : 'the answer could not be judged';
    return { outcome: 'down', reason: 'bad_response', message: why, public: why };
  }
}

/**
 * The one place a sample is made. Every text in it (message, step log) is redacted first, whole,
 * and only then flattened and cut to length, so a cut can never leave a piece of a secret behind.
 * From a pull request, messages keep only the check's own words and no screenshot or log is kept.
 */
export function toSample(
  check: Check,
  result: Measurement,
  verdict: Verdict,
  at: { time: string; region: string; attempts: number; secrets: Redactor; untrusted: boolean },
): Sample {
  // A journey's captured values are secrets to its own sample only: a run-wide list would grow with every journey run.
  const captured = result.kind === 'api' && result.api?.captured.length ? new Redactor() : undefined;
  if (captured && result.kind === 'api') for (const v of result.api!.captured) captured.add(v);
  const redact = (raw: string) => (captured ? captured.redact(at.secrets.redact(raw)) : at.secrets.redact(raw));
  const text = (raw: string, max?: number) => oneLine(withoutUnwanted(redact(raw)), max);
  const sample: Sample = { time: at.time, check: check.id, region: at.region, outcome: verdict.outcome, attempts: at.attempts };
  // A missed beat took no run: the last run's duration is not this sample's.
  if (!result.error && verdict.reason !== 'heartbeat_missed' && verdict.reason !== 'heartbeat_missing') sample.latencyMs = result.latencyMs;
  if (verdict.reason) sample.reason = redact(verdict.reason);
  const message = at.untrusted ? verdict.public : verdict.message;
  if (message) sample.message = text(message);
  if (verdict.lagMs !== undefined) sample.lagMs = verdict.lagMs;
  if (result.phases && Object.keys(result.phases).length > 0) sample.phases = result.phases;
  if (result.kind === 'http' && result.http) sample.status = result.http.status;
  const log = (lines: string[]) =>
    `${[`${check.name} (${check.id}) at ${at.time}, attempt ${at.attempts}`, ...lines].map((line) => text(line, 2_000)).join('\n')}\n`;
  if (result.kind === 'browser' && result.browser) {
    sample.steps = result.browser.steps.map((s) => s.ms);
    if (verdict.outcome !== 'up' && !at.untrusted) {
      const lines = [
        ...result.browser.steps.map((s) => `${s.step}. ${s.action} — ${s.ok ? 'ok' : `FAILED: ${s.error}`} (${s.ms} ms)`),
        ...(result.browser.note ? [result.browser.note] : []),
      ];
      sample.attachments = { log: log(lines), ...(result.browser.screenshot ? { screenshot: result.browser.screenshot } : {}) };
    }
  }
  if (result.kind === 'api' && result.api) {
    sample.steps = result.api.steps.map((s) => s.ms);
    // The step log names each step and what it saw; never a request or response body.
    if (verdict.outcome !== 'up' && !at.untrusted) {
      const line = (s: ApiStepLog, label: string) =>
        `${label} ${s.name} — ${s.skipped ? `skipped: ${s.skipped} was never captured` : s.ok ? 'ok' : `FAILED: ${s.failure?.message}`}` +
        `${s.skipped ? '' : ` (${s.ms} ms, ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}${s.status !== undefined ? `, HTTP ${s.status}` : ''}${s.waitedMs !== undefined ? `, waited ${s.waitedMs} ms` : ''})`}`;
      sample.attachments = {
        log: log([...result.api.steps.map((s, i) => line(s, `${i + 1}.`)), ...result.api.cleanup.map((s, i) => line(s, `finally ${i + 1}.`))]),
      };
    }
  }
  return sample;
}

/** At most `limit` of the wrapped calls run at once. */
function limiter(limit: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
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
