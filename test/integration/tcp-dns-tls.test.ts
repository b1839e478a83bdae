import assert from 'node:assert/strict';
import { createServer as createNetServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { check as checkSchema, type Check } from '../../src/config/schema.ts';
import { judge, kinds } from '../../src/kinds/index.ts';
import type { Probe } from '../../src/probes/types.ts';
import type { Measurement } from '../../src/status/measurement.ts';
import { testCa, type Pem } from '../helpers/certs.ts';
import { dnsServer } from '../helpers/dns-server.ts';
import { deadPort } from '../helpers/servers.ts';
import { tempDir } from '../helpers/temp.ts';

async function run(fields: Record<string, unknown>, opts: { timeoutMs?: number; checksDir?: string; now?: Date } = {}) {
  const check = checkSchema.parse({ id: 'c', name: 'C', component: 'x', ...fields }) as Check;
  const probe = (await kinds[check.kind].probe()) as unknown as Probe<Check, Measurement>;
  const result = await probe(check, { timeoutMs: opts.timeoutMs ?? 2_000, checksDir: opts.checksDir });
  return { result, verdict: judge(check, result, opts.now ?? new Date()) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('tcp probe', async () => {
  const smtp = await listen(
    createNetServer((socket) => {
      socket.write('220 mail.pipewell.example ESMTP ready\r\n');
      socket.on('data', (d) => {
        if (d.toString().startsWith('EHLO')) socket.write('250-mail.pipewell.example\r\n');
      });
      socket.on('error', () => {});
    }),
  );
  const silent = await listen(createNetServer((socket) => socket.on('error', () => {})));
  const closer = await listen(createNetServer((socket) => socket.end()));

  const scenarios: { name: string; fields: Record<string, unknown>; timeoutMs?: number; outcome: string; reason?: string }[] = [
    { name: 'a connect is up', fields: { port: smtp }, outcome: 'up' },
    { name: 'an SMTP banner matches', fields: { port: smtp, expect: { reply_prefix: '220' } }, outcome: 'up' },
    { name: 'a wrong banner is assert_reply', fields: { port: smtp, expect: { reply_prefix: '* OK' } }, outcome: 'down', reason: 'assert_reply' },
    { name: 'a refused port is econnrefused', fields: { port: await deadPort() }, outcome: 'down', reason: 'econnrefused' },
    { name: 'no reply in time is a timeout', fields: { port: silent, expect: { reply_prefix: '220' } }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
    { name: 'closing without a reply is econnreset', fields: { port: closer, expect: { reply_prefix: '220' } }, outcome: 'down', reason: 'econnreset' },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const { verdict } = await run({ kind: 'tcp', host: '127.0.0.1', ...s.fields }, { timeoutMs: s.timeoutMs });
      assert.equal(verdict.outcome, s.outcome, JSON.stringify(verdict));
      if (s.reason) assert.equal(verdict.reason, s.reason);
    });
  }

  it('sends a line and reads the reply', async () => {
    const { result } = await run({ kind: 'tcp', host: '127.0.0.1', port: smtp, send: 'EHLO upkeep' });
    assert.equal(result.kind === 'tcp' && result.tcp?.reply, '220 mail.pipewell.example ESMTP ready');
  });
});

describe('dns probe against a local DNS server', async () => {
  const server = await dnsServer({
    'api.pipewell.test': { A: ['10.0.0.1', '10.0.0.2'], AAAA: ['2001:db8::1'] },
    'www.pipewell.test': { CNAME: 'edge.pipewell.test' },
    'pipewell.test': {
      MX: [
        { preference: 20, exchange: 'mx2.pipewell.test' },
        { preference: 10, exchange: 'mx1.pipewell.test' },
      ],
      TXT: ['v=spf1 -all'],
      NS: ['ns1.pipewell.test'],
    },
    'broken.pipewell.test': { rcode: 'SERVFAIL' },
    'refused.pipewell.test': { rcode: 'REFUSED' },
    'silent.pipewell.test': { silent: true },
  });
  const base = { kind: 'dns', server };
  const scenarios: { name: string; fields: Record<string, unknown>; outcome: string; reason?: string; timeoutMs?: number }[] = [
    { name: 'A records', fields: { query: 'api.pipewell.test', expect: { records: ['10.0.0.2'] } }, outcome: 'up' },
    { name: 'AAAA records', fields: { query: 'api.pipewell.test', record: 'AAAA', expect: { records: '2001:db8::1' } }, outcome: 'up' },
    { name: 'CNAME', fields: { query: 'www.pipewell.test', record: 'CNAME', expect: { records: 'edge.pipewell.test.' } }, outcome: 'up' },
    { name: 'MX with priority', fields: { query: 'pipewell.test', record: 'MX', expect: { records: '10 mx1.pipewell.test' } }, outcome: 'up' },
    { name: 'TXT', fields: { query: 'pipewell.test', record: 'TXT', expect: { records: 'v=spf1 -all' } }, outcome: 'up' },
    { name: 'NS', fields: { query: 'pipewell.test', record: 'NS' }, outcome: 'up' },
    {
      name: 'a missing record is dns_records',
      fields: { query: 'api.pipewell.test', expect: { records: '10.9.9.9' } },
      outcome: 'down',
      reason: 'dns_records',
    },
    { name: 'an unknown name is dns_nxdomain', fields: { query: 'nope.pipewell.test' }, outcome: 'down', reason: 'dns_nxdomain' },
    { name: 'NXDOMAIN when that is expected is up', fields: { query: 'nope.pipewell.test', expect: { rcode: 'NXDOMAIN' } }, outcome: 'up' },
    { name: 'SERVFAIL is dns_servfail', fields: { query: 'broken.pipewell.test' }, outcome: 'down', reason: 'dns_servfail' },
    { name: 'REFUSED is dns_refused', fields: { query: 'refused.pipewell.test' }, outcome: 'down', reason: 'dns_refused' },
    { name: 'no records of that type is dns_nodata', fields: { query: 'www.pipewell.test', record: 'A' }, outcome: 'down', reason: 'dns_nodata' },
    { name: 'a silent server is a timeout', fields: { query: 'silent.pipewell.test' }, timeoutMs: 300, outcome: 'down', reason: 'timeout' },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const { verdict } = await run({ ...base, ...s.fields }, { timeoutMs: s.timeoutMs });
      assert.equal(verdict.outcome, s.outcome, JSON.stringify(verdict));
      if (s.reason) assert.equal(verdict.reason, s.reason);
    });
  }
});

describe('tls probe against certificates made at run time', async () => {
  const ca = testCa();
  const serve = async (pem: Pem) => listen(createTlsServer({ ...pem }, (socket) => socket.end()));
  const good = await serve(ca.issue({ names: ['localhost', '127.0.0.1'], toDays: 200 }));
  const soon = await serve(ca.issue({ names: ['localhost'], toDays: 5 }));
  const expired = await serve(ca.issue({ names: ['localhost'], fromDays: -100, toDays: -2 }));
  const wrongHost = await serve(ca.issue({ names: ['other.pipewell.test'], toDays: 200 }));
  const selfSigned = await serve(ca.issue({ names: ['localhost'], toDays: 200, selfSigned: true }));
  const dir = await tempDir();
  await writeFile(join(dir, 'ca.pem'), ca.caPem);
  const trusted = { ca_file: 'ca.pem' };

  const scenarios: { name: string; fields: Record<string, unknown>; outcome: string; reason?: string }[] = [
    { name: 'a valid certificate from a trusted CA is up', fields: { port: good, ...trusted }, outcome: 'up' },
    { name: 'the same certificate without the CA is tls_untrusted', fields: { port: good }, outcome: 'down', reason: 'tls_untrusted' },
    { name: 'an expiring certificate is degraded', fields: { port: soon, ...trusted }, outcome: 'degraded', reason: 'tls_expiring' },
    {
      name: 'an expiring certificate under down_under_days is down',
      fields: { port: soon, ...trusted, expect: { down_under_days: 7 } },
      outcome: 'down',
      reason: 'tls_expiring',
    },
    { name: 'an expired certificate is tls_expired', fields: { port: expired, ...trusted }, outcome: 'down', reason: 'tls_expired' },
    { name: 'a certificate for another host is tls_hostname', fields: { port: wrongHost, ...trusted }, outcome: 'down', reason: 'tls_hostname' },
    { name: 'the host name check can be turned off', fields: { port: wrongHost, ...trusted, expect: { hostname: false } }, outcome: 'up' },
    { name: 'a self-signed certificate is tls_untrusted', fields: { port: selfSigned, ...trusted }, outcome: 'down', reason: 'tls_untrusted' },
    { name: 'a refused port is econnrefused', fields: { port: await deadPort() }, outcome: 'down', reason: 'econnrefused' },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const { verdict } = await run({ kind: 'tls', host: 'localhost', ...s.fields }, { checksDir: dir });
      assert.equal(verdict.outcome, s.outcome, JSON.stringify(verdict));
      if (s.reason) assert.equal(verdict.reason, s.reason);
    });
  }

  it('judges expiry against the run clock (UPKEEP_NOW), not the wall clock', async () => {
    const { verdict } = await run({ kind: 'tls', host: 'localhost', port: good, ...trusted }, { checksDir: dir, now: new Date(Date.now() + 190 * 86_400_000) });
    assert.equal(verdict.outcome, 'degraded');
    assert.match(verdict.message ?? '', /expires in 9 days/);
  });

  it('an HTTPS check reports the same certificate problems', async () => {
    for (const [port, reason] of [
      [expired, 'tls_expired'],
      [wrongHost, 'tls_untrusted'],
      [selfSigned, 'tls_untrusted'],
    ] as const) {
      const { verdict } = await run({ kind: 'http', url: `https://localhost:${port}/` });
      assert.equal(verdict.reason, reason);
    }
  });
});
