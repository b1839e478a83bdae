/**
 * Runs an API journey: each step is an http request (the http kind's own probe, so redirects,
 * size caps, TLS and the pull-request guard are the same) judged by the http kind's rules; values
 * are captured for later steps; `until` repeats a step up to its deadline; `finally` steps always run.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { references, substitute } from '../../config/template.ts';
import { evaluate, failed, type Verdict } from '../../status/evaluate.ts';
import type { ApiMeasurement, ApiStepLog } from '../../status/measurement.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';
import { judge as judgeHttp } from '../http/judge.ts';
import { http } from '../http/probe.ts';
import type { HttpCheck } from '../http/schema.ts';
import { parseCapture, type ApiCheck, type ApiStep } from './schema.ts';

/** What the content did not say: reasons after which an `until` step that runs out of time was waiting on data that never came. */
const CONTENT_REASONS = new Set(['assert_body', 'assert_json', 'assert_header', 'assert_fresh', 'stale']);

/** A `finally` step gets at least this long, even when the journey used up its time. */
const CLEANUP_MS = 10_000;

export const api: Probe<ApiCheck, ApiMeasurement> = async (check, ctx) => {
  const values = { captured: new Map<string, string>(), journey: new Map([['id', randomBytes(6).toString('hex')]]) };
  const steps: ApiStepLog[] = [];
  const cleanup: ApiStepLog[] = [];
  let lagMs: number | undefined;
  // When each step ended, for an `until` step's `since`: its wait counts from there (the create, not the search's first look).
  const ended = new Map<string, number>();
  let previousEnd = performance.now();
  let freshLag: number | undefined;
  // The whole journey's budget: past it, no step starts (an `until` stops polling), and the clean-up still runs.
  const journeyEnd = performance.now() + check.deadline;
  try {
    for (const step of check.steps) {
      if (performance.now() >= journeyEnd) {
        const text = `the journey took over its deadline of ${Math.round(check.deadline / 1000)} s before this step`;
        steps.push({ name: step.name, ms: 0, ok: false, attempts: 0, failure: { reason: 'timeout', message: text, public: text } });
        break;
      }
      const origin = step.until?.since !== undefined ? (ended.get(step.until.since) ?? previousEnd) : previousEnd;
      const log = await runStep(check, step, values, ctx, ctx.timeoutMs, origin, journeyEnd);
      steps.push(log);
      previousEnd = performance.now();
      ended.set(step.name, previousEnd);
      if (log.waitedMs !== undefined) lagMs = (lagMs ?? 0) + log.waitedMs;
      if (log.lagMs !== undefined) freshLag = Math.max(freshLag ?? 0, log.lagMs);
      // Old data is not the end of the journey: the steps after it still run, so a failure there is not hidden.
      if (!log.ok && log.failure?.reason !== 'stale') break;
    }
  } finally {
    // Also after a failure (or a throw, which is Upkeep's bug): what the journey created is deleted.
    for (const step of check.finally) {
      const missing = needs(step).find((name) => !values.captured.has(name));
      if (missing) {
        cleanup.push({ name: step.name, ms: 0, ok: true, attempts: 0, skipped: missing });
        continue;
      }
      const now = performance.now();
      cleanup.push(
        await runStep(check, step, values, ctx, Math.max(ctx.timeoutMs, CLEANUP_MS), now, now + CLEANUP_MS + (step.until?.deadline ?? 0)).catch(
          (error: unknown) => crashed(step, error),
        ),
      );
    }
  }
  return {
    kind: 'api',
    latencyMs: steps.reduce((sum, s) => sum + s.ms, 0),
    // The journey's lag: its `until` steps' waits; without any, the oldest data a step's freshness saw.
    api: { steps, cleanup, captured: [...values.captured.values()], ...((lagMs ?? freshLag) !== undefined ? { lagMs: lagMs ?? freshLag } : {}) },
  };
};

type Values = { captured: Map<string, string>; journey: Map<string, string>; lastUrl?: string };

/** The captured names a step's texts use. */
function needs(step: ApiStep): string[] {
  const text = [
    step.url,
    ...Object.values(step.headers),
    step.body ?? '',
    ...Object.values(step.form ?? {}),
    JSON.stringify(step.json ?? null),
    JSON.stringify(step.expect),
  ].join('\n');
  return references(text)
    .filter((r) => r.scope === 'captured')
    .map((r) => r.name);
}

/**
 * One step: its request, repeated under `until` until its expectations hold or the deadline passes
 * (an attempt started before the deadline gets its whole timeout: the deadline bounds the polling,
 * not the last answer). Values are captured from the last answer even when the step failed: a
 * create that answered 200 instead of 201 still made a record, and `finally` must be able to delete it.
 */
async function runStep(
  check: ApiCheck,
  step: ApiStep,
  values: Values,
  ctx: ProbeContext,
  timeoutMs: number,
  origin: number,
  journeyEnd: number,
): Promise<ApiStepLog & { lagMs?: number }> {
  const request = requestOf(check, step, values);
  const started = performance.now();
  const deadline = Math.min(step.until ? started + step.until.deadline : Infinity, journeyEnd);
  let attempts = 0;
  let verdict: Verdict;
  let attemptStart: number;
  let status: number | undefined;
  let body = '';
  let headers: Record<string, string> = {};
  for (;;) {
    attempts++;
    attemptStart = performance.now();
    const left = Math.max(1, Math.floor(Math.min(timeoutMs, journeyEnd - attemptStart)));
    const measured = await http(request, { ...ctx, timeoutMs: left });
    verdict = judgeStep(request, measured, ctx.now?.() ?? new Date());
    status = measured.http?.status;
    if (measured.http) values.lastUrl = measured.http.url;
    body = measured.http?.body ?? '';
    headers = measured.http?.headers ?? {};
    if (verdict.outcome !== 'down' || !step.until) break;
    if (performance.now() + step.until.interval >= deadline) break;
    await sleep(step.until.interval);
  }
  const ms = Math.round(performance.now() - started);
  const base = { name: step.name, ms, attempts, ...(status !== undefined ? { status } : {}), ...(verdict.lagMs !== undefined ? { lagMs: verdict.lagMs } : {}) };
  const content = CONTENT_REASONS.has(verdict.reason ?? '');
  // From `origin` (the end of the step before, or of the one `since` names) to the start of the
  // attempt that passed; a wait that only ever saw errors measured no lag.
  const waited =
    step.until && (verdict.outcome !== 'down' || content)
      ? { waitedMs: Math.max(0, Math.round((verdict.outcome === 'down' ? performance.now() : attemptStart) - origin)) }
      : {};
  const missing: string[] = [];
  for (const [name, from] of Object.entries(step.capture)) {
    const value = capture(from, body, headers);
    if (value === undefined) missing.push(`${name}: ${from}`);
    else values.captured.set(name, value);
  }
  if (verdict.outcome === 'down') {
    const tried = step.until ? ` (${attempts} attempts over ${Math.round(ms / 1000)} s)` : '';
    // Data that never showed within the deadline is a failure the SLA counts (lag is what was measured within it);
    // an error or a bad status on the last attempt stays what it is.
    const reason = step.until && content && verdict.reason !== 'stale' ? 'until_deadline' : (verdict.reason ?? 'error');
    return {
      ...base,
      ...waited,
      ok: false,
      failure: { reason, message: `${verdict.message ?? reason}${tried}`, public: `${verdict.public ?? reason}${tried}` },
    };
  }
  if (missing.length > 0) {
    const text = `capture ${missing.join(', ')}: not in the answer`;
    return { ...base, ...waited, ok: false, failure: { reason: 'capture', message: text, public: text } };
  }
  const degraded =
    verdict.outcome === 'degraded' ? { degraded: { reason: verdict.reason ?? 'slow', message: verdict.message ?? '', public: verdict.public ?? '' } } : {};
  return { ...base, ...waited, ok: true, ...degraded };
}

/** The http kind's rules on one answer; an answer that makes judging throw (JSON nested too deep) fails the step. */
function judgeStep(request: HttpCheck, measured: Awaited<ReturnType<typeof http>>, now: Date): Verdict {
  try {
    return evaluate(request, measured, now, judgeHttp);
  } catch {
    return failed('down', 'bad_response', 'the answer could not be read (nested too deeply?)', 'the answer could not be read');
  }
}

/** The step as an http check, with the journey's values filled in (URL-encoded inside the URL, where a value is data, not syntax). */
function requestOf(check: ApiCheck, step: ApiStep, values: Values): HttpCheck {
  const lookup = (encode: boolean) => (scope: string, name: string) => {
    const v = scope === 'captured' ? values.captured.get(name) : scope === 'journey' ? values.journey.get(name) : undefined;
    return v === undefined ? undefined : encode ? encodeURIComponent(v) : v;
  };
  const fill = (text: string) => substitute(text, lookup(false));
  const headers = Object.fromEntries(Object.entries(step.headers).map(([k, v]) => [k, fill(v).replace(/[\r\n]+/g, ' ')]));
  let body: HttpCheck['body'];
  if (step.form) {
    body = new URLSearchParams(Object.entries(step.form).map(([k, v]) => [k, fill(v)])).toString();
    setDefault(headers, 'content-type', 'application/x-www-form-urlencoded');
  } else if (step.json !== undefined) {
    body = JSON.stringify(fillDeep(step.json, fill));
    setDefault(headers, 'content-type', 'application/json');
  } else if (step.body !== undefined) body = fill(step.body);
  return {
    id: check.id,
    name: step.name,
    component: check.component,
    critical: check.critical,
    every: check.every,
    kind: 'http',
    url: urlOf(step.url, lookup, values.lastUrl),
    method: step.method,
    headers,
    ...(body !== undefined ? { body } : {}),
    follow_redirects: check.follow_redirects,
    max_body_bytes: check.max_body_bytes,
    // "Read back what was created": an expectation may name a captured value (`body_contains: ${{ captured.email }}`).
    expect: fillDeep(step.expect, fill) as HttpCheck['expect'],
  };
}

/**
 * A URL that starts with a captured value (`${{ captured.location }}`, a Location header) takes it
 * as a URL, relative to the previous request's; elsewhere a value is data and is URL-encoded.
 */
function urlOf(url: string, lookup: (encode: boolean) => (scope: string, name: string) => string | undefined, base?: string): string {
  if (!url.trimStart().startsWith('${{')) return substitute(url, lookup(true));
  const raw = substitute(url.trim(), lookup(false));
  try {
    return new URL(raw, base).href;
  } catch {
    return raw;
  }
}

/** Sets a header unless the step set it, in any letter case. */
function setDefault(headers: Record<string, string>, name: string, value: string): void {
  if (!Object.keys(headers).some((k) => k.toLowerCase() === name)) headers[name] = value;
}

function fillDeep(value: unknown, fill: (text: string) => string): unknown {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, fill));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, fill)]));
  return value;
}

/** A value from the answer: a JSON path's scalar as text (an object or list as JSON), or a header. */
function capture(from: string, body: string, headers: Record<string, string>): string | undefined {
  const source = parseCapture(from)!;
  if ('header' in source) return headers[source.header];
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of source.json) {
    if (v === null || typeof v !== 'object' || !(key in (v as object))) return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

function crashed(step: ApiStep, error: unknown): ApiStepLog {
  const text = error instanceof Error ? error.message : String(error);
  return { name: step.name, ms: 0, ok: false, attempts: 1, failure: { reason: 'error', message: text, public: 'the step could not run' } };
}
