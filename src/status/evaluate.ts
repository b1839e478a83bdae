/** Judges what a probe measured against the check's expectations. Pure. */
import type { Check, DnsCheck, HttpCheck, TcpCheck, TlsCheck } from '../config/schema.ts';
import type { ProbeResult } from '../probes/types.ts';
import { parseJsonAssertion } from '../config/json-assertion.ts';

export type Outcome = 'up' | 'degraded' | 'down';

export type Verdict = { outcome: Outcome; reason?: string; message?: string };

/** `now` is the run's clock (certificate expiry is judged against it, so UPKEEP_NOW runs are reproducible). */
export function evaluate(check: Check, result: ProbeResult, now: Date = new Date()): Verdict {
  if (result.error) return { outcome: 'down', reason: result.error.reason, message: result.error.message };
  const verdict = judge(check, result, now);
  if (verdict.outcome !== 'up') return verdict;
  return judgeLatency(check.expect, result.latencyMs) ?? verdict;
}

function judge(check: Check, result: ProbeResult, now: Date): Verdict {
  switch (check.kind) {
    case 'http':
      return evaluateHttp(check, result);
    case 'tcp':
      return evaluateTcp(check, result);
    case 'dns':
      return evaluateDns(check, result);
    case 'tls':
      return evaluateTls(check, result, now);
    case 'browser':
      // Every step passed (a failed step is an error with its own reason).
      return { outcome: 'up' };
  }
}

function judgeLatency(e: { degraded_over_ms?: number; down_over_ms?: number }, latencyMs: number): Verdict | undefined {
  if (e.down_over_ms !== undefined && latencyMs > e.down_over_ms) {
    return { outcome: 'down', reason: 'slow', message: `took ${latencyMs} ms, limit ${e.down_over_ms} ms` };
  }
  if (e.degraded_over_ms !== undefined && latencyMs > e.degraded_over_ms) {
    return { outcome: 'degraded', reason: 'slow', message: `took ${latencyMs} ms, over ${e.degraded_over_ms} ms` };
  }
  return undefined;
}

function evaluateTcp(check: TcpCheck, result: ProbeResult): Verdict {
  const prefix = check.expect.reply_prefix;
  if (prefix !== undefined && !(result.tcp?.reply ?? '').startsWith(prefix)) {
    return { outcome: 'down', reason: 'assert_reply', message: `reply ${JSON.stringify(result.tcp?.reply ?? '')} does not start with ${JSON.stringify(prefix)}` };
  }
  return { outcome: 'up' };
}

function evaluateDns(check: DnsCheck, result: ProbeResult): Verdict {
  const answer = result.dns;
  if (!answer) return { outcome: 'down', reason: 'dns_error', message: 'no DNS answer' };
  const want = check.expect.rcode;
  if (answer.rcode !== want) {
    const reason = answer.rcode === 'NOERROR' ? 'dns_rcode' : `dns_${answer.rcode.toLowerCase()}`;
    return { outcome: 'down', reason, message: `${check.record} ${check.query}: ${answer.rcode}, expected ${want}` };
  }
  if (want !== 'NOERROR') return { outcome: 'up' };
  if (answer.records.length === 0) return { outcome: 'down', reason: 'dns_nodata', message: `${check.record} ${check.query}: no records` };
  const norm = (r: string) => r.toLowerCase().replace(/\.$/, '');
  for (const expected of check.expect.records ?? []) {
    if (!answer.records.some((r) => norm(r) === norm(expected))) {
      return { outcome: 'down', reason: 'dns_records', message: `${check.record} ${check.query}: ${expected} not in ${answer.records.join(', ')}` };
    }
  }
  return { outcome: 'up' };
}

const DAY_MS = 86_400_000;

function evaluateTls(check: TlsCheck, result: ProbeResult, now: Date): Verdict {
  const t = result.tls;
  if (!t) return { outcome: 'down', reason: 'tls_handshake', message: 'no certificate' };
  const e = check.expect;
  const days = (Date.parse(t.validTo) - now.getTime()) / DAY_MS;
  const when = t.validTo.slice(0, 10);
  if (days <= 0) return { outcome: 'down', reason: 'tls_expired', message: `certificate expired on ${when}` };
  if (Date.parse(t.validFrom) > now.getTime()) return { outcome: 'down', reason: 'tls_not_yet_valid', message: `certificate is valid only from ${t.validFrom.slice(0, 10)}` };
  if (e.hostname && t.hostnameError) return { outcome: 'down', reason: 'tls_hostname', message: t.hostnameError };
  // Expiry and the host name are judged on their own above; only other chain errors mean "untrusted".
  if (e.chain && t.chainError && !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(t.chainError)) {
    return { outcome: 'down', reason: 'tls_untrusted', message: `certificate chain not trusted (${t.chainError})` };
  }
  const left = Math.floor(days);
  if (days < e.down_under_days) return { outcome: 'down', reason: 'tls_expiring', message: `certificate expires in ${left} days (${when})` };
  if (days < e.degraded_under_days) return { outcome: 'degraded', reason: 'tls_expiring', message: `certificate expires in ${left} days (${when})` };
  return { outcome: 'up' };
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
