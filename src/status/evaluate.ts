/** Judges what a probe measured against the check's expectations. Pure. */
import type { Check, HttpCheck } from '../config/schema.ts';
import type { ProbeResult } from '../probes/types.ts';
import { parseJsonAssertion } from '../config/json-assertion.ts';

export type Outcome = 'up' | 'degraded' | 'down';

export type Verdict = { outcome: Outcome; reason?: string; message?: string };

export function evaluate(check: Check, result: ProbeResult): Verdict {
  if (result.error) return { outcome: 'down', reason: result.error.reason, message: result.error.message };
  switch (check.kind) {
    case 'http':
      return evaluateHttp(check, result);
  }
}

function evaluateHttp(check: HttpCheck, result: ProbeResult): Verdict {
  const res = result.http;
  if (!res) return { outcome: 'down', reason: 'error', message: 'no HTTP response' };
  const e = check.expect;
  const accepted = e.status === undefined ? ['2xx'] : Array.isArray(e.status) ? e.status : [e.status];
  if (!accepted.some((spec) => statusMatches(res.status, spec))) {
    return { outcome: 'down', reason: `status_${res.status}`, message: `HTTP ${res.status}, expected ${accepted.join(', ')}` };
  }
  for (const text of e.body_contains ?? []) {
    if (!res.body.includes(text)) return { outcome: 'down', reason: 'assert_body', message: `body does not contain ${JSON.stringify(text)}` };
  }
  for (const text of e.body_not_contains ?? []) {
    if (res.body.includes(text)) return { outcome: 'down', reason: 'assert_body', message: `body contains ${JSON.stringify(text)}` };
  }
  if (e.body_matches !== undefined && !new RegExp(e.body_matches).test(res.body)) {
    return { outcome: 'down', reason: 'assert_body', message: `body does not match /${e.body_matches}/` };
  }
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    if (got === undefined || !got.toLowerCase().includes(want.toLowerCase())) {
      return { outcome: 'down', reason: 'assert_header', message: `header ${name} is ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${JSON.stringify(want)}` };
    }
  }
  if (e.json && e.json.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(res.body);
    } catch {
      return { outcome: 'down', reason: 'assert_json', message: `body is not JSON (content-type ${res.headers['content-type'] ?? 'missing'})` };
    }
    for (const assertion of e.json) {
      const failure = checkJson(doc, assertion);
      if (failure) return { outcome: 'down', reason: 'assert_json', message: failure };
    }
  }
  if (e.down_over_ms !== undefined && result.latencyMs > e.down_over_ms) {
    return { outcome: 'down', reason: 'slow', message: `took ${result.latencyMs} ms, limit ${e.down_over_ms} ms` };
  }
  if (e.degraded_over_ms !== undefined && result.latencyMs > e.degraded_over_ms) {
    return { outcome: 'degraded', reason: 'slow', message: `took ${result.latencyMs} ms, over ${e.degraded_over_ms} ms` };
  }
  return { outcome: 'up' };
}

export function statusMatches(status: number, spec: number | string): boolean {
  if (typeof spec === 'number') return status === spec;
  if (/^[1-5]xx$/.test(spec)) return Math.floor(status / 100) === Number(spec[0]);
  const [lo, hi] = spec.split('-').map(Number);
  return status >= lo && status <= hi;
}

/** A failure message, or undefined when the assertion holds. */
export function checkJson(doc: unknown, assertion: string): string | undefined {
  const parsed = parseJsonAssertion(assertion);
  if (!parsed) return `cannot read assertion ${JSON.stringify(assertion)}`;
  let v: unknown = doc;
  for (const key of parsed.path) {
    if (v === null || typeof v !== 'object' || !(key in (v as object))) return `${pathText(parsed.path)} is missing`;
    v = (v as Record<string | number, unknown>)[key];
  }
  if (!parsed.op) return v === null || v === false ? `${pathText(parsed.path)} is ${JSON.stringify(v)}` : undefined;
  const ok = compare(v, parsed.op, parsed.value);
  return ok ? undefined : `${pathText(parsed.path)} is ${JSON.stringify(v)}, expected ${parsed.op} ${JSON.stringify(parsed.value)}`;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return JSON.stringify(a) === JSON.stringify(b);
    case '!=':
      return JSON.stringify(a) !== JSON.stringify(b);
  }
  if (typeof a !== 'number' || typeof b !== 'number') return false;
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

const pathText = (path: (string | number)[]) => `$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
