/** Judges what a probe measured against the check's expectations. Pure. */
import type { Check, DnsCheck, HttpCheck, TcpCheck, TlsCheck } from '../config/schema.ts';
import type { ProbeResult } from '../probes/types.ts';
import { parseJsonAssertion } from '../config/json-assertion.ts';

export type Outcome = 'up' | 'degraded' | 'down';

/**
 * `message` may quote what the target sent (a header's value, a JSON value, a reply line); `public`
 * says which expectation failed using only the check's own words and numbers, for output anyone
 * can read (a pull request's dry run).
 */
export type Verdict = { outcome: Outcome; reason?: string; message?: string; public?: string };

const failed = (outcome: Outcome, reason: string, message: string, publicMessage: string): Verdict => ({ outcome, reason, message, public: publicMessage });

/** `now` is the run's clock (certificate expiry is judged against it, so UPKEEP_NOW runs are reproducible). */
export function evaluate(check: Check, result: ProbeResult, now: Date = new Date()): Verdict {
  if (result.error) return failed('down', result.error.reason, result.error.message, result.error.public ?? reasonWords(result.error.reason));
  const verdict = judge(check, result, now);
  if (verdict.outcome !== 'up') return verdict;
  return judgeLatency(check.expect, result.latencyMs) ?? verdict;
}

/** Generic words for a reason code, with nothing from the target in them. */
export function reasonWords(reason: string): string {
  const status = /^status_(\d{3})$/.exec(reason);
  if (status) return `HTTP ${status[1]}`;
  const step = /^browser_(\w+)$/.exec(reason);
  if (step) return `the browser step ${step[1]} failed`;
  return genericWords[reason] ?? reason.replace(/_/g, ' ');
}

const genericWords: Record<string, string> = {
  timeout: 'no complete answer within the timeout',
  econnrefused: 'connection refused',
  econnreset: 'the connection was closed or reset before the answer was complete',
  ehostunreach: 'host unreachable',
  enetunreach: 'network unreachable',
  dns_nxdomain: 'the name does not exist (NXDOMAIN)',
  dns_servfail: 'the resolver failed (SERVFAIL)',
  dns_timeout: 'the name could not be resolved in time',
  dns_nodata: 'no records of that type',
  tls_expired: 'the certificate has expired',
  tls_not_yet_valid: 'the certificate is not valid yet',
  tls_hostname: 'the certificate does not name the host',
  tls_untrusted: 'the certificate is not trusted',
  tls_revoked: 'the certificate was revoked',
  tls_handshake: 'the TLS handshake failed',
  bad_response: 'the answer is not valid HTTP',
  bad_encoding: 'the body could not be decompressed',
  bad_url: 'the URL is not valid',
  too_large: 'the answer is larger than allowed',
  private_target: 'refused: not a public address',
  error: 'the probe failed',
};

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
    const text = `took ${latencyMs} ms, limit ${e.down_over_ms} ms`;
    return failed('down', 'slow', text, text);
  }
  if (e.degraded_over_ms !== undefined && latencyMs > e.degraded_over_ms) {
    const text = `took ${latencyMs} ms, over ${e.degraded_over_ms} ms`;
    return failed('degraded', 'slow', text, text);
  }
  return undefined;
}

function evaluateTcp(check: TcpCheck, result: ProbeResult): Verdict {
  const prefix = check.expect.reply_prefix;
  if (prefix !== undefined && !(result.tcp?.reply ?? '').startsWith(prefix)) {
    return failed('down', 'assert_reply', `reply ${JSON.stringify(result.tcp?.reply ?? '')} does not start with ${JSON.stringify(prefix)}`, `the reply does not start with ${JSON.stringify(prefix)}`);
  }
  return { outcome: 'up' };
}

function evaluateDns(check: DnsCheck, result: ProbeResult): Verdict {
  const answer = result.dns;
  if (!answer) return failed('down', 'dns_error', 'no DNS answer', 'no DNS answer');
  const want = check.expect.rcode;
  if (answer.rcode !== want) {
    const reason = answer.rcode === 'NOERROR' ? 'dns_rcode' : `dns_${answer.rcode.toLowerCase()}`;
    const text = `${check.record} ${check.query}: ${answer.rcode}, expected ${want}`;
    return failed('down', reason, text, text);
  }
  if (want !== 'NOERROR') return { outcome: 'up' };
  if (answer.records.length === 0) return failed('down', 'dns_nodata', `${check.record} ${check.query}: no records`, `${check.record} ${check.query}: no records`);
  const norm = (r: string) => r.toLowerCase().replace(/\.$/, '');
  for (const expected of check.expect.records ?? []) {
    if (!answer.records.some((r) => norm(r) === norm(expected))) {
      return failed('down', 'dns_records', `${check.record} ${check.query}: ${expected} not in ${answer.records.join(', ')}`, `${check.record} ${check.query}: ${expected} is not in the answer`);
    }
  }
  return { outcome: 'up' };
}

const DAY_MS = 86_400_000;

function evaluateTls(check: TlsCheck, result: ProbeResult, now: Date): Verdict {
  const t = result.tls;
  if (!t) return failed('down', 'tls_handshake', 'no certificate', 'no certificate');
  const e = check.expect;
  const days = (Date.parse(t.validTo) - now.getTime()) / DAY_MS;
  const when = t.validTo.slice(0, 10);
  if (days <= 0) return failed('down', 'tls_expired', `certificate expired on ${when}`, 'the certificate has expired');
  if (Date.parse(t.validFrom) > now.getTime()) return failed('down', 'tls_not_yet_valid', `certificate is valid only from ${t.validFrom.slice(0, 10)}`, 'the certificate is not valid yet');
  if (e.hostname && t.hostnameError) return failed('down', 'tls_hostname', t.hostnameError, `the certificate does not name ${check.servername ?? check.host}`);
  // Expiry and the host name are judged on their own above; only other chain errors mean "untrusted".
  if (e.chain && t.chainError && !['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'].includes(t.chainError)) {
    const text = `certificate chain not trusted (${t.chainError})`;
    return failed('down', 'tls_untrusted', text, text);
  }
  const left = Math.floor(days);
  if (days < e.down_under_days) return failed('down', 'tls_expiring', `certificate expires in ${left} days (${when})`, `the certificate expires in ${left} days`);
  if (days < e.degraded_under_days) return failed('degraded', 'tls_expiring', `certificate expires in ${left} days (${when})`, `the certificate expires in ${left} days`);
  return { outcome: 'up' };
}

function evaluateHttp(check: HttpCheck, result: ProbeResult): Verdict {
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
    if (!res.body.includes(text)) return failed('down', 'assert_body', `body does not contain ${JSON.stringify(text)}`, `body does not contain ${JSON.stringify(text)}`);
  }
  for (const text of e.body_not_contains ?? []) {
    if (res.body.includes(text)) return failed('down', 'assert_body', `body contains ${JSON.stringify(text)}`, `body contains ${JSON.stringify(text)}`);
  }
  if (e.body_matches !== undefined && !new RegExp(e.body_matches).test(res.body)) {
    return failed('down', 'assert_body', `body does not match /${e.body_matches}/`, `body does not match /${e.body_matches}/`);
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
