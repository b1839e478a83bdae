/**
 * Judging a measurement: a failed attempt is down with its reason; otherwise the check's kind
 * judges (src/kinds/<kind>/judge.ts), then the latency thresholds every kind has. Pure.
 */
import type { Measurement } from './measurement.ts';
import type { Outcome } from './vocabulary.ts';

/**
 * `message` may quote what the target sent (a header's value, a JSON value, a reply line); `public`
 * says which expectation failed using only the check's own words and numbers, for output anyone
 * can read (a pull request's dry run).
 */
export type Verdict = {
  outcome: Outcome;
  reason?: string;
  message?: string;
  public?: string;
  /** How old the data behind the answer is (freshness, a journey's wait): a measured series, kept whatever the outcome. */
  lagMs?: number;
};

export const failed = (outcome: Outcome, reason: string, message: string, publicMessage: string): Verdict => ({
  outcome,
  reason,
  message,
  public: publicMessage,
});

export type Judge<C, M> = (check: C, measured: M, now: Date) => Verdict;

type Thresholds = { degraded_over_ms?: number; down_over_ms?: number };

/** `now` is the run's clock (certificate expiry is judged against it, so UPKEEP_NOW runs are reproducible). */
export function evaluate<C extends { expect: Thresholds }, M extends Measurement>(check: C, measured: M, now: Date, judge: Judge<C, M>): Verdict {
  if (measured.error) return failed('down', measured.error.reason, measured.error.message, measured.error.public ?? reasonWords(measured.error.reason));
  const verdict = judge(check, measured, now);
  // Stale data must not hide a slow answer: stale time may be left out of the SLA, slow time never is.
  if (verdict.outcome === 'down' && verdict.reason !== 'stale') return verdict;
  const slow = judgeLatency(check.expect, measured.latencyMs);
  if (!slow || rank(slow.outcome) < rank(verdict.outcome) || (slow.outcome === verdict.outcome && verdict.reason === 'stale' && slow.outcome === 'degraded'))
    return verdict;
  return verdict.lagMs === undefined ? slow : { ...slow, lagMs: verdict.lagMs };
}

const rank = (o: Outcome) => (o === 'down' ? 2 : o === 'degraded' ? 1 : 0);

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
  check_file: 'a file the check names cannot be used',
  error: 'the probe failed',
};

function judgeLatency(e: Thresholds, latencyMs: number): Verdict | undefined {
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
