/**
 * Judging, without any network: a measurement and a check's expectations in, a verdict out. One row
 * per rule of every kind, with the public words a pull request's dry run would print.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check as checkSchema, type Check } from '../../src/config/schema.ts';
import { judge } from '../../src/kinds/index.ts';
import type { Measurement } from '../../src/status/measurement.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const make = (fields: Record<string, unknown>) => checkSchema.parse({ id: 'c', name: 'C', component: 'api', ...fields }) as Check;
const http = (status: number, body = '', headers: Record<string, string> = {}, latencyMs = 50): Measurement => ({
  kind: 'http',
  latencyMs,
  http: { status, body, headers, url: 'https://crm.example/', redirects: 0 },
});
const cert = (validToDays: number, extra: Record<string, string> = {}): Measurement => ({
  kind: 'tls',
  latencyMs: 20,
  tls: { validFrom: new Date(NOW.getTime() - 30 * DAY).toISOString(), validTo: new Date(NOW.getTime() + validToDays * DAY).toISOString(), ...extra },
});

const rows: { name: string; check: Record<string, unknown>; measured: Measurement; outcome: string; reason?: string; message?: string; public?: string }[] = [
  { name: 'http 200 is up', check: { kind: 'http', url: 'https://crm.example/' }, measured: http(200), outcome: 'up' },
  {
    name: 'http 503 is down with its status',
    check: { kind: 'http', url: 'https://crm.example/' },
    measured: http(503),
    outcome: 'down',
    reason: 'status_503',
    message: 'HTTP 503, expected 2xx',
    public: 'HTTP 503, expected 2xx',
  },
  { name: 'an expected 503 is up', check: { kind: 'http', url: 'https://crm.example/', expect: { status: [200, 503] } }, measured: http(503), outcome: 'up' },
  {
    name: 'a status range',
    check: { kind: 'http', url: 'https://crm.example/', expect: { status: '200-299' } },
    measured: http(302),
    outcome: 'down',
    reason: 'status_302',
  },
  {
    name: 'body_contains',
    check: { kind: 'http', url: 'https://crm.example/', expect: { body_contains: 'Pipeline' } },
    measured: http(200, 'Home'),
    outcome: 'down',
    reason: 'assert_body',
    message: 'body does not contain "Pipeline"',
  },
  {
    name: 'body_not_contains',
    check: { kind: 'http', url: 'https://crm.example/', expect: { body_not_contains: 'error' } },
    measured: http(200, 'an error page'),
    outcome: 'down',
    reason: 'assert_body',
  },
  {
    name: 'body_matches',
    check: { kind: 'http', url: 'https://crm.example/', expect: { body_matches: '^ok \\d+$' } },
    measured: http(200, 'ok 42'),
    outcome: 'up',
  },
  {
    name: 'a JSON assertion: the message quotes the value, the public words do not',
    check: { kind: 'http', url: 'https://crm.example/', expect: { json: '$.status == "ok"' } },
    measured: http(200, '{"status":"maintenance","secret":"x"}'),
    outcome: 'down',
    reason: 'assert_json',
    message: '$.status is "maintenance", expected == "ok"',
    public: '$.status == "ok" does not hold',
  },
  {
    name: 'a number in JSON',
    check: { kind: 'http', url: 'https://crm.example/', expect: { json: '$.queue.depth < 100' } },
    measured: http(200, '{"queue":{"depth":4200}}'),
    outcome: 'down',
    reason: 'assert_json',
  },
  {
    name: 'not JSON at all',
    check: { kind: 'http', url: 'https://crm.example/', expect: { json: '$.ok' } },
    measured: http(200, '<html>', { 'content-type': 'text/html' }),
    outcome: 'down',
    reason: 'assert_json',
    public: 'body is not JSON',
  },
  {
    name: 'a header: the value is quoted only in the message',
    check: { kind: 'http', url: 'https://crm.example/', expect: { headers: { 'x-version': '2' } } },
    measured: http(200, '', { 'x-version': '1-internal-build' }),
    outcome: 'down',
    reason: 'assert_header',
    message: 'header x-version is "1-internal-build", expected "2"',
    public: 'header x-version does not contain "2"',
  },
  {
    name: 'slower than degraded_over_ms is degraded',
    check: { kind: 'http', url: 'https://crm.example/', expect: { degraded_over_ms: 100 } },
    measured: http(200, '', {}, 150),
    outcome: 'degraded',
    reason: 'slow',
  },
  {
    name: 'slower than down_over_ms is down',
    check: { kind: 'http', url: 'https://crm.example/', expect: { down_over_ms: 100 } },
    measured: http(200, '', {}, 150),
    outcome: 'down',
    reason: 'slow',
  },
  {
    name: 'an attempt that got no answer is down with its reason, in generic public words',
    check: { kind: 'http', url: 'https://crm.example/' },
    measured: { kind: 'http', latencyMs: 3, error: { reason: 'econnrefused', message: 'connect ECONNREFUSED 10.0.0.5:443' } },
    outcome: 'down',
    reason: 'econnrefused',
    public: 'connection refused',
  },
  {
    name: 'a tcp reply with the right prefix',
    check: { kind: 'tcp', host: 'mail.example', port: 993, expect: { reply_prefix: '* OK' } },
    measured: { kind: 'tcp', latencyMs: 5, tcp: { reply: '* OK ready' } },
    outcome: 'up',
  },
  {
    name: 'a tcp reply with the wrong prefix',
    check: { kind: 'tcp', host: 'mail.example', port: 993, expect: { reply_prefix: '* OK' } },
    measured: { kind: 'tcp', latencyMs: 5, tcp: { reply: '* BYE internal-host-7 overloaded' } },
    outcome: 'down',
    reason: 'assert_reply',
    public: 'the reply does not start with "* OK"',
  },
  {
    name: 'dns records that are there',
    check: { kind: 'dns', query: 'api.example', expect: { records: ['203.0.113.10'] } },
    measured: { kind: 'dns', latencyMs: 2, dns: { rcode: 'NOERROR', records: ['203.0.113.10'] } },
    outcome: 'up',
  },
  {
    name: 'dns records that are not',
    check: { kind: 'dns', query: 'api.example', expect: { records: ['203.0.113.10'] } },
    measured: { kind: 'dns', latencyMs: 2, dns: { rcode: 'NOERROR', records: ['198.51.100.1'] } },
    outcome: 'down',
    reason: 'dns_records',
    public: 'A api.example: 203.0.113.10 is not in the answer',
  },
  {
    name: 'NXDOMAIN',
    check: { kind: 'dns', query: 'api.example' },
    measured: { kind: 'dns', latencyMs: 2, dns: { rcode: 'NXDOMAIN', records: [] } },
    outcome: 'down',
    reason: 'dns_nxdomain',
  },
  {
    name: 'an NXDOMAIN that is expected',
    check: { kind: 'dns', query: 'gone.example', expect: { rcode: 'NXDOMAIN' } },
    measured: { kind: 'dns', latencyMs: 2, dns: { rcode: 'NXDOMAIN', records: [] } },
    outcome: 'up',
  },
  { name: 'a certificate with months left', check: { kind: 'tls', host: 'api.example' }, measured: cert(90), outcome: 'up' },
  {
    name: 'a certificate expiring within 14 days is degraded',
    check: { kind: 'tls', host: 'api.example' },
    measured: cert(10),
    outcome: 'degraded',
    reason: 'tls_expiring',
  },
  { name: 'an expired certificate is down', check: { kind: 'tls', host: 'api.example' }, measured: cert(-1), outcome: 'down', reason: 'tls_expired' },
  {
    name: 'a certificate for another host',
    check: { kind: 'tls', host: 'api.example' },
    measured: cert(90, { hostnameError: "Host: api.example. is not in the cert's altnames: DNS:internal.corp" }),
    outcome: 'down',
    reason: 'tls_hostname',
    public: 'the certificate does not name api.example',
  },
  {
    name: 'an untrusted chain',
    check: { kind: 'tls', host: 'api.example' },
    measured: cert(90, { chainError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
    outcome: 'down',
    reason: 'tls_untrusted',
  },
  {
    name: 'a browser journey whose steps all passed',
    check: { kind: 'browser', steps: [{ goto: 'https://app.example/' }] },
    measured: { kind: 'browser', latencyMs: 900, browser: { steps: [{ step: 1, action: 'goto', ms: 900, ok: true }] } },
    outcome: 'up',
  },
  {
    name: 'stale data does not hide a slow answer (slow time always counts in the SLA)',
    check: { kind: 'http', url: 'https://crm.example/', expect: { down_over_ms: 100, fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t: new Date(NOW.getTime() - 3_600_000).toISOString() }), {}, 300),
    outcome: 'down',
    reason: 'slow',
  },
  {
    name: 'stale and slow-but-not-down: stale wins (the worse outcome)',
    check: { kind: 'http', url: 'https://crm.example/', expect: { degraded_over_ms: 100, fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t: new Date(NOW.getTime() - 3_600_000).toISOString() }), {}, 300),
    outcome: 'down',
    reason: 'stale',
  },
  {
    name: 'a nanosecond Unix timestamp an hour old is stale, not an internal error',
    check: { kind: 'http', url: 'https://crm.example/', expect: { fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t: (NOW.getTime() - 3_600_000) * 1e6 }), {}, 30),
    outcome: 'down',
    reason: 'stale',
  },
  {
    name: 'a microsecond timestamp an hour old is stale, not the year 57504',
    check: { kind: 'http', url: 'https://crm.example/', expect: { fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t: (NOW.getTime() - 3_600_000) * 1e3 }), {}, 30),
    outcome: 'down',
    reason: 'stale',
  },
  {
    name: 'a leap second is the last second of its minute',
    check: { kind: 'http', url: 'https://crm.example/', expect: { fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t: '2026-11-23T11:59:60Z' }), {}, 30),
    outcome: 'up',
  },
  {
    name: 'a regex whose second group took part reads that group',
    check: { kind: 'http', url: 'https://crm.example/', expect: { fresh: { regex: 'synced at (\\S+)|ts=(\\d+)', max_age: '15m' } } },
    measured: http(200, `ts=${Math.floor(NOW.getTime() / 1000) - 60}`, {}, 30),
    outcome: 'up',
  },
  ...['5', 'May 3', '07/14/2026 11:00', 20260714, '2026-02-30T00:00:00Z'].map((t) => ({
    name: `${JSON.stringify(t)} is not a timestamp (no guessing)`,
    check: { kind: 'http', url: 'https://crm.example/', expect: { fresh: { json: '$.t', max_age: '15m' } } },
    measured: http(200, JSON.stringify({ t }), {}, 30),
    outcome: 'down',
    reason: 'assert_fresh',
  })),
  {
    name: 'a journey over its lag limit that also failed its clean-up: the lag down wins',
    check: { kind: 'api', steps: [{ name: 'A', url: 'https://crm.example/' }], expect: { lag: { down_over: '5s' } } },
    measured: {
      kind: 'api',
      latencyMs: 10,
      api: {
        steps: [{ name: 'A', ms: 9_000, ok: true, attempts: 3 }],
        cleanup: [{ name: 'D', ms: 5, ok: false, attempts: 1, failure: { reason: 'status_500', message: 'HTTP 500', public: 'HTTP 500' } }],
        captured: [],
        lagMs: 9_000,
      },
    },
    outcome: 'down',
    reason: 'stale',
  },
  {
    name: 'a journey only slowly lagging whose clean-up failed reports the clean-up (something is left behind)',
    check: { kind: 'api', steps: [{ name: 'A', url: 'https://crm.example/' }], expect: { lag: { degraded_over: '5s', down_over: '20s' } } },
    measured: {
      kind: 'api',
      latencyMs: 10,
      api: {
        steps: [{ name: 'A', ms: 9_000, ok: true, attempts: 3 }],
        cleanup: [{ name: 'D', ms: 5, ok: false, attempts: 1, failure: { reason: 'status_500', message: 'HTTP 500', public: 'HTTP 500' } }],
        captured: [],
        lagMs: 9_000,
      },
    },
    outcome: 'degraded',
    reason: 'cleanup_failed',
    message: 'finally step 1 "D": HTTP 500',
  },
];

describe('judge: every rule of every kind, without a network', () => {
  for (const row of rows) {
    it(row.name, () => {
      const verdict = judge(make(row.check), row.measured, NOW);
      assert.equal(verdict.outcome, row.outcome, JSON.stringify(verdict));
      if (row.reason) assert.equal(verdict.reason, row.reason);
      if (row.message) assert.equal(verdict.message, row.message);
      if (row.public) assert.equal(verdict.public, row.public);
      if (verdict.outcome !== 'up') assert.ok(verdict.public, 'every failure has public words');
    });
  }
});
