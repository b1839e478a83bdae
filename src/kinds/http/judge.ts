/** Whether an http check's answer meets its expectations: status, body, headers, JSON. Pure. */
import { parseJsonAssertion } from '../../config/json-assertion.ts';
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { HttpMeasurement } from '../../status/measurement.ts';
import { judgeFresh } from './fresh.ts';
import { execWithin, REGEX_MS } from './regex.ts';
import type { HttpCheck } from './schema.ts';

export function judge(check: HttpCheck, result: HttpMeasurement, now: Date): Verdict {
  const res = result.http;
  if (!res) return failed('down', 'error', 'no HTTP response', 'no HTTP response');
  const e = check.expect;
  const accepted = e.status === undefined ? ['2xx'] : Array.isArray(e.status) ? e.status : [e.status];
  if (!accepted.some((spec) => statusMatches(res.status, spec))) {
    const text = `HTTP ${res.status}, expected ${accepted.join(', ')}`;
    return failed('down', `status_${res.status}`, text, text);
  }
  // The body's own words never appear in these messages; only the check's.
  for (const text of e.body_contains ?? []) {
    if (!res.body.includes(text))
      return failed('down', 'assert_body', `body does not contain ${JSON.stringify(text)}`, `body does not contain ${JSON.stringify(text)}`);
  }
  for (const text of e.body_not_contains ?? []) {
    if (res.body.includes(text)) return failed('down', 'assert_body', `body contains ${JSON.stringify(text)}`, `body contains ${JSON.stringify(text)}`);
  }
  if (e.body_matches !== undefined) {
    const found = execWithin(e.body_matches, res.body);
    const matched = found === undefined ? undefined : found !== null;
    if (matched === undefined) {
      const text = `body_matches /${e.body_matches}/ took over ${REGEX_MS / 1000} s on this body (a pattern that backtracks a lot); simplify it`;
      return failed('down', 'assert_body', text, text);
    }
    if (!matched) return failed('down', 'assert_body', `body does not match /${e.body_matches}/`, `body does not match /${e.body_matches}/`);
  }
  for (const [name, want] of Object.entries(e.headers ?? {})) {
    const got = res.headers[name.toLowerCase()];
    if (got === undefined || !got.toLowerCase().includes(want.toLowerCase())) {
      return failed(
        'down',
        'assert_header',
        `header ${name} is ${got === undefined ? 'missing' : JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
        got === undefined ? `header ${name} is missing, expected ${JSON.stringify(want)}` : `header ${name} does not contain ${JSON.stringify(want)}`,
      );
    }
  }
  if (e.json && e.json.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(res.body);
    } catch {
      return failed('down', 'assert_json', `body is not JSON (content-type ${res.headers['content-type'] ?? 'missing'})`, 'body is not JSON');
    }
    for (const assertion of e.json) {
      const failure = checkJson(doc, assertion);
      if (failure) return failed('down', 'assert_json', failure, `${assertion} does not hold`);
    }
  }
  return e.fresh ? judgeFresh(e.fresh, res, now) : { outcome: 'up' };
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
