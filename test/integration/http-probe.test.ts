import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeFile } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';
import { check as checkSchema, type HttpCheck } from '../../src/config/schema.ts';
import { publicOnlyGuard } from '../../src/probes/guard.ts';
import { http } from '../../src/kinds/http/probe.ts';
import { judge } from '../../src/kinds/index.ts';
import type { ProbeContext } from '../../src/probes/types.ts';
import { testCa } from '../helpers/certs.ts';
import { deadPort, httpServer, rawServer } from '../helpers/servers.ts';
import { tempDir } from '../helpers/temp.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// 1 GiB of zeros, gzipped to about 1 MB: reading must stop at the cap, not inflate it all.
const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });

function httpCheck(fields: Record<string, unknown>): HttpCheck {
  return checkSchema.parse({ id: 'c', name: 'C', component: 'api', kind: 'http', ...fields }) as HttpCheck;
}

async function probe(fields: Record<string, unknown>, timeoutMs = 2_000, ctx: Partial<ProbeContext> = {}) {
  const check = httpCheck(fields);
  const result = await http(check, { timeoutMs, ...ctx });
  return { result, verdict: judge(check, result) };
}

describe('http probe against local servers', async () => {
  const { url } = await httpServer(async (req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') return res.end('hello Pipeline');
    if (path === '/json') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ status: 'ok', queue: { depth: 3 } }));
    }
    if (path === '/unavailable') {
      res.statusCode = 503;
      return res.end('down for maintenance');
    }
    if (path === '/slow') {
      await sleep(1_500);
      return res.end('late');
    }
    if (path === '/delay-200') {
      await sleep(200);
      return res.end('done');
    }
    if (path === '/stall-body') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      return; // never finishes
    }
    if (path === '/gzip-stall') {
      // Compressed, so the body is read through a decoder: the timeout must still reach it.
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.write(gzipSync('partial').subarray(0, 12));
      return; // never finishes
    }
    if (path === '/chunked-stall') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return; // no length, never finishes
    }
    if (path === '/gzip-reset') {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.write(gzipSync('partial').subarray(0, 12));
      return setTimeout(() => req.socket.destroy(), 20);
    }
    if (path === '/reset') return req.socket.destroy();
    if (path === '/reset-mid-body') {
      res.writeHead(200, { 'content-length': '10000' });
      res.write('x'.repeat(1000));
      return setTimeout(() => req.socket.destroy(), 20);
    }
    if (path === '/never') return; // accepts, never answers
    if (path === '/gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
      return res.end(gzipSync('compressed Pipeline'));
    }
    if (path === '/gzip-bomb') {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      return res.end(bomb);
    }
    if (path === '/bad-gzip') {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      return res.end('this is not gzip at all');
    }
    if (path === '/html-for-json') {
      res.setHeader('content-type', 'text/html');
      return res.end('<html><body>{"status":"ok"</body></html>');
    }
    if (path === '/header') {
      res.setHeader('x-region', 'eu-west');
      return res.end('ok');
    }
    if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      return res.end();
    }
    if (path === '/redirect') {
      res.writeHead(301, { location: '/ok' });
      return res.end();
    }
    if (path === '/big') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 64 && !res.destroyed; i++) res.write(chunk);
      return res.end();
    }
    if (path === '/echo' && req.method === 'POST') {
      let body = '';
      for await (const c of req) body += c;
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body, auth: req.headers.authorization }));
    }
    res.statusCode = 404;
    res.end();
  });

  const scenarios: { name: string; fields: Record<string, unknown>; timeoutMs?: number; outcome: string; reason?: string; message?: RegExp }[] = [
    { name: '200 is up', fields: { url: `${url}/ok` }, outcome: 'up' },
    { name: '503 is down with status_503', fields: { url: `${url}/unavailable` }, outcome: 'down', reason: 'status_503', message: /^HTTP 503, expected 2xx$/ },
    { name: '503 is up when 503 is expected', fields: { url: `${url}/unavailable`, expect: { status: 503 } }, outcome: 'up' },
    { name: 'a slow answer past the timeout is a timeout', fields: { url: `${url}/slow` }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'headers then a stalled body is a timeout', fields: { url: `${url}/stall-body` }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'a stalled gzipped body is a timeout', fields: { url: `${url}/gzip-stall` }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'a stalled body of no declared length is a timeout', fields: { url: `${url}/chunked-stall` }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'a gzipped body cut off mid-way is down, not a hang', fields: { url: `${url}/gzip-reset` }, outcome: 'down' },
    { name: 'a reset connection is econnreset', fields: { url: `${url}/reset` }, outcome: 'down', reason: 'econnreset' },
    { name: 'an endless redirect is redirect_loop', fields: { url: `${url}/loop` }, outcome: 'down', reason: 'redirect_loop' },
    { name: 'a redirect is followed', fields: { url: `${url}/redirect`, expect: { body_contains: 'Pipeline' } }, outcome: 'up' },
    { name: 'redirects can be turned off', fields: { url: `${url}/redirect`, follow_redirects: 0 }, outcome: 'down', reason: 'status_301' },
    { name: 'a body over the cap is too_large', fields: { url: `${url}/big`, max_body_bytes: 100_000 }, outcome: 'down', reason: 'too_large' },
    {
      name: 'missing body text is assert_body',
      fields: { url: `${url}/ok`, expect: { body_contains: 'Dashboard' } },
      outcome: 'down',
      reason: 'assert_body',
      message: /does not contain "Dashboard"/,
    },
    { name: 'a JSON assertion that holds', fields: { url: `${url}/json`, expect: { json: ['$.status == "ok"', '$.queue.depth < 10'] } }, outcome: 'up' },
    {
      name: 'a JSON assertion that fails',
      fields: { url: `${url}/json`, expect: { json: '$.queue.depth < 2' } },
      outcome: 'down',
      reason: 'assert_json',
      message: /\$\.queue\.depth is 3, expected < 2/,
    },
    {
      name: 'a JSON assertion on a non-JSON body',
      fields: { url: `${url}/ok`, expect: { json: '$.status == "ok"' } },
      outcome: 'down',
      reason: 'assert_json',
      message: /not JSON/,
    },
    { name: 'a reset in the middle of the body is econnreset', fields: { url: `${url}/reset-mid-body` }, outcome: 'down', reason: 'econnreset' },
    { name: 'a server that never answers is a timeout', fields: { url: `${url}/never` }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'a gzipped body is decompressed for assertions', fields: { url: `${url}/gzip`, expect: { body_contains: 'Pipeline' } }, outcome: 'up' },
    { name: 'a gzip bomb stops at the cap', fields: { url: `${url}/gzip-bomb` }, outcome: 'down', reason: 'too_large' },
    { name: 'a corrupt gzip body is bad_encoding', fields: { url: `${url}/bad-gzip` }, outcome: 'down', reason: 'bad_encoding' },
    {
      name: 'HTML where JSON was expected is assert_json',
      fields: { url: `${url}/html-for-json`, expect: { json: '$.status == "ok"' } },
      outcome: 'down',
      reason: 'assert_json',
      message: /not JSON \(content-type text\/html\)/,
    },
    { name: 'an expected header', fields: { url: `${url}/header`, expect: { headers: { 'X-Region': 'eu-west' } } }, outcome: 'up' },
    {
      name: 'a wrong header is assert_header',
      fields: { url: `${url}/header`, expect: { headers: { 'x-region': 'us-east' } } },
      outcome: 'down',
      reason: 'assert_header',
    },
    { name: 'body_not_contains', fields: { url: `${url}/ok`, expect: { body_not_contains: 'Pipeline' } }, outcome: 'down', reason: 'assert_body' },
    { name: 'body_matches', fields: { url: `${url}/ok`, expect: { body_matches: '^hello\\s+Pipe' } }, outcome: 'up' },
    { name: 'a status range', fields: { url: `${url}/unavailable`, expect: { status: ['200-299', '5xx'] } }, outcome: 'up' },
    { name: 'an unresolvable host is dns_nxdomain', fields: { url: 'http://no-such-host.invalid/' }, outcome: 'down', reason: 'dns_nxdomain' },
    {
      name: 'slower than degraded_over_ms is degraded',
      fields: { url: `${url}/delay-200`, expect: { degraded_over_ms: 100 } },
      outcome: 'degraded',
      reason: 'slow',
    },
    {
      name: 'slower than down_over_ms is down',
      fields: { url: `${url}/delay-200`, expect: { degraded_over_ms: 50, down_over_ms: 100 } },
      outcome: 'down',
      reason: 'slow',
    },
  ];

  for (const s of scenarios) {
    it(s.name, async () => {
      const { verdict } = await probe(s.fields, s.timeoutMs);
      assert.equal(verdict.outcome, s.outcome, JSON.stringify(verdict));
      if (s.reason) assert.equal(verdict.reason, s.reason);
      if (s.message) assert.match(verdict.message ?? '', s.message);
    });
  }

  it('refused connections are econnrefused', async () => {
    const { verdict } = await probe({ url: `http://127.0.0.1:${await deadPort()}/` });
    assert.equal(verdict.outcome, 'down');
    assert.equal(verdict.reason, 'econnrefused');
  });

  it('a timeout returns close to the timeout, not later', async () => {
    const { result } = await probe({ url: `${url}/slow` }, 300);
    assert.ok(result.latencyMs >= 290 && result.latencyMs < 1_200, `latency ${result.latencyMs}`);
  });

  it('measures latency to the last body byte, with phases', async () => {
    const { result } = await probe({ url: `${url}/delay-200` });
    assert.ok(result.latencyMs >= 195, `latency ${result.latencyMs}`);
    assert.ok(result.phases?.ttfb !== undefined && result.phases.ttfb >= 195);
    assert.equal(result.phases?.dns, 0); // an IP address needs no lookup
    assert.ok(result.phases?.connect !== undefined);
  });

  it('sends method, JSON body and headers', async () => {
    const { result } = await probe({ url: `${url}/echo`, method: 'POST', body: { event: 'ping' }, headers: { Authorization: 'Bearer x' } });
    assert.deepEqual(JSON.parse(result.http!.body), { method: 'POST', type: 'application/json', body: '{"event":"ping"}', auth: 'Bearer x' });
  });

  it('a malformed or cut-off answer always has its own reason, never "error"', async () => {
    const raw = [
      {
        name: 'response headers over 16 KiB',
        reason: 'too_large',
        answer: (s: import('node:net').Socket) => s.end(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\nok`),
      },
      {
        name: 'closed in the middle of a chunked body (Connection: close)',
        reason: 'econnreset',
        answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\na\r\nhello'),
      },
      {
        name: 'closed right after the headers of a chunked body',
        reason: 'econnreset',
        answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n'),
      },
      {
        name: 'closed short of its content-length',
        reason: 'econnreset',
        answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello'),
      },
      { name: 'closed in the middle of the headers', reason: 'econnreset', answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\nX-A: b') },
      { name: 'not HTTP at all', reason: 'bad_response', answer: (s: import('node:net').Socket) => s.end('\u0000\u0001garbage\r\n\r\n') },
      { name: 'a status below 100', reason: 'bad_response', answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 099 X\r\nContent-Length: 2\r\n\r\nok') },
      {
        name: 'a broken chunk size',
        reason: 'bad_response',
        answer: (s: import('node:net').Socket) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n'),
      },
    ];
    for (const r of raw) {
      const server = await rawServer(r.answer);
      const { verdict } = await probe({ url: `${server.url}/` });
      assert.equal(verdict.reason, r.reason, `${r.name}: ${JSON.stringify(verdict)}`);
      assert.ok(verdict.message && !/HTTP\/1\.1 protocol|Headers Overflow/.test(verdict.message), `${r.name}: ${verdict.message}`);
    }
  });

  it('a body_matches pattern that backtracks for ever is stopped after a second, as a failure of that check alone', async () => {
    const { url: aaa } = await httpServer((_req, res) => res.end('a'.repeat(34)));
    const t = performance.now();
    const { verdict } = await probe({ url: aaa, expect: { body_matches: '(a+)+Q' } });
    assert.ok(performance.now() - t < 5_000);
    assert.equal(verdict.reason, 'assert_body');
    assert.match(verdict.message ?? '', /took over 1 s on this body/);
  });

  it('mutual TLS: a private CA (an absolute ca_file) and a client certificate from secrets', async () => {
    const ca = testCa();
    const server = ca.issue({ names: ['127.0.0.1'], toDays: 90 });
    const client = ca.issue({ names: ['upkeep-probe'], toDays: 90 });
    const https = createHttpsServer({ ...server, ca: ca.caPem, requestCert: true, rejectUnauthorized: true }, (req, res) =>
      res.end(`hello ${(req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN}`),
    );
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    after(() => new Promise<void>((r) => https.close(() => r())));
    const dir = await tempDir();
    const caFile = join(dir, 'private-ca.pem');
    await writeFile(caFile, ca.caPem);
    const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
    const withCert = await probe({ url, ca_file: caFile, cert: client.cert, key: client.key, expect: { body_contains: 'hello upkeep-probe' } });
    assert.equal(withCert.verdict.outcome, 'up', JSON.stringify(withCert.verdict));
    const withoutCert = await probe({ url, ca_file: caFile });
    assert.equal(withoutCert.verdict.outcome, 'down');
    const withoutCa = await probe({ url, cert: client.cert, key: client.key });
    assert.equal(withoutCa.verdict.reason, 'tls_untrusted');
  });

  it('a guarded run (a pull request) refuses loopback targets, also when a redirect leads there, unless allowed', async () => {
    const guard = publicOnlyGuard();
    const direct = await probe({ url: `${url}/ok` }, 2_000, { guard });
    assert.equal(direct.verdict.reason, 'private_target');
    const byName = await probe({ url: `http://localhost:${new URL(url).port}/ok` }, 2_000, { guard });
    assert.equal(byName.verdict.reason, 'private_target', 'a name that resolves to loopback is refused at connect time');
    const allowed = await probe({ url: `${url}/redirect`, expect: { body_contains: 'Pipeline' } }, 2_000, { guard: publicOnlyGuard(['127.0.0.1']) });
    assert.equal(allowed.verdict.outcome, 'up');
    const { url: hop } = await httpServer((_req, res) => {
      res.writeHead(302, { location: `http://[::1]:${new URL(url).port}/ok` });
      res.end();
    });
    const redirected = await probe({ url: hop }, 2_000, { guard: publicOnlyGuard(['127.0.0.1/32']) });
    assert.equal(redirected.verdict.reason, 'private_target', JSON.stringify(redirected.verdict));
    for (const address of ['10.1.2.3', '169.254.169.254', '[::1]', '[fe80::1]', '[::ffff:127.0.0.1]', '100.64.0.1', '0.0.0.0']) {
      const { verdict } = await probe({ url: `http://${address}/` }, 500, { guard });
      assert.equal(verdict.reason, 'private_target', `${address}: ${JSON.stringify(verdict)}`);
    }
  });
});
