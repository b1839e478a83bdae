/**
 * `upkeep import upptime` on an Upptime repository laid out as Upptime commits it
 * (test/fixtures/upptime/: .upptimerc.yml, history/<slug>.yml, history/summary.json,
 * api/<slug>/*.json): the checks it makes, what it keeps of the history (comments, never samples),
 * a second import, merging into a page that exists, the imported checks probing a local server the
 * way Upptime judged it, and a build.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { probe } from '../../src/cli/probe.ts';
import type { Sample } from '../../src/status/sample.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const fixture = new URL('../fixtures/upptime/', import.meta.url).pathname;
const SECRETS = { API_TOKEN: 'tok-3f9a0c1d2e4b', WEBHOOK_SIGNING_KEY: 'sig-77aa01bb92cc', REPORTS_HEALTH_URL: 'https://reports.acme-crm.example/health' };

async function copyFixture(): Promise<string> {
  const dir = join(await tempDir('upkeep-upptime-src-'), 'repo');
  await cp(fixture, dir, { recursive: true });
  return dir;
}

async function importInto(from: string, target?: { checks: string }) {
  const checks = target?.checks ?? join(await tempDir('upkeep-upptime-'), 'checks');
  const r = await upkeep(['import', 'upptime', '--from', from, '--checks', checks]);
  return { ...r, checks };
}

const checksOf = async (checks: string) => parse(await readFile(join(checks, 'upptime.yml'), 'utf8')).checks as Record<string, unknown>[];

describe('import upptime', () => {
  it('makes a check and a component of each site, with method, status codes, headers, secrets and body assertions', async () => {
    const r = await importInto(fixture);
    assert.equal(r.code, 0, r.stderr);
    const list = await checksOf(r.checks);
    const byId = Object.fromEntries(list.map((c) => [c.id, c]));
    assert.deepEqual(Object.keys(byId), [
      'website',
      'rest-api',
      'web-app',
      'web-app-degraded',
      'webhooks',
      'reports',
      'reports-degraded',
      'email-sync-imap',
      'certificate',
      'legacy-api',
    ]);
    assert.deepEqual(byId['rest-api'], {
      id: 'rest-api',
      name: 'REST API',
      component: 'rest-api',
      kind: 'http',
      url: 'https://api.acme-crm.example/v2/health',
      headers: { Authorization: 'Bearer ${{ env.API_TOKEN }}', Accept: 'application/json' },
      expect: { status: 200, body_contains: '"status":"ok"', degraded_over_ms: 2000 },
    });
    assert.deepEqual(byId.webhooks, {
      id: 'webhooks',
      name: 'Webhooks',
      component: 'webhooks',
      kind: 'http',
      url: 'https://hooks.acme-crm.example/v1/ping',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Acme-Signature': '${{ env.WEBHOOK_SIGNING_KEY }}' },
      body: '{"event":"ping","source":"upptime"}',
      expect: { status: [200, 202] },
    });
    assert.deepEqual(byId['web-app'].expect, { body_not_contains: 'Service Unavailable' });
    assert.deepEqual(byId['web-app-degraded'], {
      id: 'web-app-degraded',
      name: 'Web app (degraded text)',
      component: 'web-app',
      kind: 'http',
      critical: false,
      url: 'https://app.acme-crm.example/login',
      expect: { body_not_contains: 'read-only mode' },
    });
    assert.equal(byId.reports.url, '${{ env.REPORTS_HEALTH_URL }}');
    assert.equal(byId.reports.timeout, '30s');
    assert.deepEqual(byId['reports-degraded'].expect, { body_contains: 'queue: idle' });
    assert.deepEqual(byId['email-sync-imap'], {
      id: 'email-sync-imap',
      name: 'Email sync (IMAP)',
      component: 'email-sync-imap',
      kind: 'tcp',
      host: 'imap.acme-crm.example',
      port: 993,
    });
    assert.deepEqual(byId.certificate, {
      id: 'certificate',
      name: 'Certificate',
      component: 'certificate',
      kind: 'tls',
      host: 'acme-crm.example',
      expect: { degraded_under_days: 7, down_under_days: 7 },
    });
    assert.equal(byId['legacy-api'].method, 'HEAD');

    const site = parse(await readFile(join(r.checks, 'site.yml'), 'utf8'));
    assert.deepEqual(site.site, {
      title: 'Acme CRM Status',
      vendor: 'Acme CRM',
      description: 'Live status of the Acme CRM website, API, app, webhooks and sync.',
      logo: 'https://www.acme-crm.example/logo.svg',
      links: [
        { label: 'Support', url: 'https://support.acme-crm.example' },
        { label: 'GitHub', url: 'https://github.com/acme-crm/status' },
      ],
    });
    assert.deepEqual(site.defaults, { interval: '5m' });
    assert.deepEqual(
      site.components.map((c: { id: string }) => c.id),
      ['website', 'rest-api', 'web-app', 'webhooks', 'reports', 'email-sync-imap', 'certificate', 'legacy-api'],
    );

    for (const line of [
      'checks: 10 added to',
      '(6 http, 1 tcp, 1 tls, 2 companions for degraded text)',
      'components: 8 added to',
      "history: Upptime's summaries of 8 sites kept as comments above their checks (for reference; not counted)",
      'left out: "Realtime" (check: ws): Upkeep has no WebSocket check',
      '__dangerous__insecure ("Legacy API"): Upkeep always verifies certificates',
      'icon ("Web app"): Upkeep shows no site icons',
      'per-sample times and response times: Upptime commits only the latest result per site',
      'add these repository secrets (Upptime used the same names; validate and probe need them in the environment): API_TOKEN, REPORTS_HEALTH_URL, WEBHOOK_SIGNING_KEY',
    ])
      assert.ok(r.stdout.includes(line), `expected "${line}" in:\n${r.stdout}`);

    // What history Upkeep keeps: the figures as comments beside the check, none of them samples.
    const text = await readFile(join(r.checks, 'upptime.yml'), 'utf8');
    assert.ok(
      text.includes(`  # Upptime "Legacy API": monitored since 2024-03-14; last result down (no answer) at 2026-07-14T11:35:12Z.
  # Uptime 99.89% all time, 0.00% 24 h, 87.13% 7 d, 97.04% 30 d, 99.74% 1 y.
  # Response time 388 ms all time, 0 ms 24 h, 311 ms 7 d, 352 ms 30 d, 388 ms 1 y.
  # Down on 3 days in its record, 1372 min in all; longest 695 min on 2026-07-14.
  # Upptime's figures (history/legacy-api.yml, history/summary.json), kept for reference: Upkeep's uptime and SLA count its own samples.
  - id: legacy-api # upptime: legacy-api
`),
      text,
    );
    assert.match(text, /# Upptime "Web app": monitored since 2024-03-14; last result degraded \(200 in 1873 ms\)/, 'an old startTime (Date#toString) is read');

    const noSecrets = await upkeep(['validate', '--checks', r.checks]);
    assert.equal(noSecrets.code, 1);
    assert.match(noSecrets.stderr, /API_TOKEN/);
    const validate = await upkeep(['validate', '--checks', r.checks], SECRETS);
    assert.equal(validate.code, 0, validate.stderr);
    assert.match(validate.stdout, /ok: 10 checks in 1 files, 8 components/);

    const again = await importInto(fixture, { checks: r.checks });
    assert.match(again.stdout, /nothing to change/);
    assert.equal(await readFile(join(r.checks, 'upptime.yml'), 'utf8'), text);
  });

  it('reads the shields files under api/ when there is no history/summary.json', async () => {
    const from = await copyFixture();
    await rm(join(from, 'history', 'summary.json'));
    const r = await importInto(from);
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(join(r.checks, 'upptime.yml'), 'utf8');
    assert.ok(text.includes('  # Uptime 99.95% all time, 100% 24 h, 99.9% 7 d, 99.93% 30 d, 99.95% 1 y.\n'), text);
    assert.ok(text.includes("  # Upptime's figures (history/rest-api.yml, api/rest-api/), kept for reference"));
  });

  it('adds new sites to a page that exists, and keeps what the vendor changed', async () => {
    const from = await copyFixture();
    const first = await importInto(from);
    const checksFile = join(first.checks, 'upptime.yml');
    // The vendor tightens a check and renames another (its comment remembers the Upptime slug); Upptime gets a new site.
    await writeFile(
      checksFile,
      (await readFile(checksFile, 'utf8'))
        .replace('    url: https://www.acme-crm.example\n', '    url: https://www.acme-crm.example/\n    timeout: 5s\n')
        .replace('- id: rest-api # upptime: rest-api', '- id: api-health # upptime: rest-api'),
    );
    const rc = join(from, '.upptimerc.yml');
    await writeFile(
      rc,
      (await readFile(rc, 'utf8')).replace(
        '\nassignees:',
        '  - name: Mobile sync\n    url: https://sync.acme-crm.example/mobile\n    maxRedirects: 0\n\nassignees:',
      ),
    );
    const r = await importInto(from, { checks: first.checks });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /checks: 1 added to .*upptime\.yml \(1 http\), 8 already there/);
    assert.match(r.stdout, /components: 1 added to .*site\.yml, one per site, 8 already there/);
    const byId = Object.fromEntries((await checksOf(first.checks)).map((c) => [c.id, c]));
    assert.equal(byId.website.timeout, '5s');
    assert.ok(byId['api-health'] && !byId['rest-api'], 'the renamed check is not added again');
    assert.deepEqual(byId['mobile-sync'], {
      id: 'mobile-sync',
      name: 'Mobile sync',
      component: 'mobile-sync',
      kind: 'http',
      url: 'https://sync.acme-crm.example/mobile',
      follow_redirects: 0,
    });
  });

  it('a check id another check file has already gets a new id', async () => {
    const root = await writeTree({
      'checks/site.yml': 'site:\n  title: Acme\n  vendor: Acme\ncomponents:\n  - id: website\n    name: Our website\n',
      'checks/core.yml': 'checks:\n  - id: website\n    name: Home page\n    component: website\n    kind: http\n    url: https://www.acme-crm.example/\n',
    });
    const r = await importInto(fixture, { checks: join(root, 'checks') });
    assert.equal(r.code, 0, r.stderr);
    const ids = (await checksOf(join(root, 'checks'))).map((c) => c.id);
    assert.equal(ids[0], 'website-2');
    const site = parse(await readFile(join(root, 'checks', 'site.yml'), 'utf8'));
    assert.equal(site.components.filter((c: { id: string }) => c.id === 'website').length, 1);
    assert.ok(!site.components.some((c: { id: string }) => c.id === 'website-2'), 'the check joins the component of that id');
    assert.equal((await checksOf(join(root, 'checks')))[0].component, 'website');
    assert.equal((await upkeep(['validate', '--checks', join(root, 'checks')], SECRETS)).code, 0);
  });
});

describe('the imported checks judge a target as Upptime did', async () => {
  const state = { api: '{"status":"ok","db":"up"}', app: '<h1>Sign in</h1>', reports: 'queue: idle', hooks: 202 };
  const seen: string[] = [];
  const { url } = await httpServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const send = (status: number, text = '') => res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
      if (req.url === '/www') return send(200, 'Acme CRM');
      if (req.url === '/api/v2/health') return req.headers.authorization === `Bearer ${SECRETS.API_TOKEN}` ? send(200, state.api) : send(401, 'who are you');
      if (req.url === '/app/login') return send(200, state.app);
      if (req.url === '/hooks/v1/ping') {
        const ok = req.method === 'POST' && req.headers['x-acme-signature'] === SECRETS.WEBHOOK_SIGNING_KEY && body === '{"event":"ping","source":"upptime"}';
        return send(ok ? state.hooks : 400);
      }
      if (req.url === '/reports') return send(200, state.reports);
      if (req.url === '/legacy/api/status') return send(req.method === 'HEAD' ? 200 : 405);
      send(404);
    });
  });
  const tcp = createServer((s) => s.end());
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
  const tcpPort = (tcp.address() as AddressInfo).port;

  // The fixture's repository, pointed at the local servers.
  const from = await copyFixture();
  const rc = join(from, '.upptimerc.yml');
  await writeFile(
    rc,
    (await readFile(rc, 'utf8'))
      .replace(/https:\/\/(www|api|app|hooks|legacy)\.acme-crm\.example/g, `${url}/$1`)
      .replace('url: imap.acme-crm.example\n    port: 993', `url: 127.0.0.1\n    port: ${tcpPort}`),
  );
  const { checks, code, stderr } = await importInto(from);
  assert.equal(code, 0, stderr);
  const history = join(await tempDir('upkeep-upptime-h-'), 'history');
  const env = { ...SECRETS, REPORTS_HEALTH_URL: `${url}/reports` };

  async function probeAll(e: Record<string, string> = env): Promise<Record<string, Sample>> {
    const io = { out: () => {}, err: () => {} };
    const all = (await checksOf(checks)).map((c) => String(c.id)).filter((id) => id !== 'certificate');
    const samples = await probe(
      { checks, history, only: all, region: 'default', dryRun: true, json: false, concurrency: 8, env: e, now: () => new Date(), wait: async () => {} },
      io,
    );
    return Object.fromEntries(samples.map((s) => [s.check, s]));
  }

  const scenarios: { name: string; change?: Partial<typeof state>; env?: Record<string, string>; want: Record<string, string> }[] = [
    {
      name: 'everything answers as expected: all up',
      want: {
        website: 'up',
        'rest-api': 'up',
        'web-app': 'up',
        'web-app-degraded': 'up',
        webhooks: 'up',
        reports: 'up',
        'reports-degraded': 'up',
        'email-sync-imap': 'up',
        'legacy-api': 'up',
      },
    },
    {
      name: 'the API no longer says "status":"ok" (__dangerous__body_down_if_text_missing): down',
      change: { api: '{"status":"degraded"}' },
      want: { 'rest-api': 'down:assert_body' },
    },
    {
      name: 'a wrong token (headers with secrets): 401 is not 200, down',
      env: { ...env, API_TOKEN: 'wrong-token-1234' },
      want: { 'rest-api': 'down:status_401' },
    },
    {
      name: 'the app shows "read-only mode" (__dangerous__body_degraded): only the non-critical companion fails',
      change: { app: '<h1>Sign in</h1><p>We are in read-only mode</p>' },
      want: { 'web-app': 'up', 'web-app-degraded': 'down:assert_body' },
    },
    {
      name: 'the app shows "Service Unavailable" (__dangerous__body_down): down',
      change: { app: 'Service Unavailable' },
      want: { 'web-app': 'down:assert_body' },
    },
    {
      name: 'reports stop saying "queue: idle" (__dangerous__body_degraded_if_text_missing)',
      change: { reports: 'queue: 4120 waiting' },
      want: { reports: 'up', 'reports-degraded': 'down:assert_body' },
    },
    { name: 'webhooks answer 200, also expected (expectedStatusCodes [200, 202])', change: { hooks: 200 }, want: { webhooks: 'up' } },
    { name: 'webhooks answer 500: down', change: { hooks: 500 }, want: { webhooks: 'down:status_500' } },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const saved = { ...state };
      Object.assign(state, s.change ?? {});
      try {
        const samples = await probeAll(s.env);
        for (const [check, want] of Object.entries(s.want)) {
          const got = samples[check];
          assert.ok(got, `${check} was probed`);
          assert.equal(want.includes(':') ? `${got.outcome}:${got.reason}` : got.outcome, want, `${check}: ${got.message ?? ''}`);
        }
      } finally {
        Object.assign(state, saved);
      }
    });
  }

  it('sent the method, body and headers Upptime would have sent', () => {
    assert.ok(seen.includes('POST /hooks/v1/ping'));
    assert.ok(seen.includes('HEAD /legacy/api/status'));
    assert.ok(!seen.some((s) => s.startsWith('GET /hooks')));
  });

  it('builds', async () => {
    const out = join(await tempDir('upkeep-upptime-out-'), 'dist');
    const r = await oneBuildAtATime(() => upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: '2026-07-15T12:00:00Z' }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /built .*: 8 components, 10 checks/);
    const components = JSON.parse(await readFile(join(out, 'api', 'v2', 'components.json'), 'utf8')).components as { id: string; name: string }[];
    assert.deepEqual(
      components.map((c) => c.name),
      ['Website', 'REST API', 'Web app', 'Webhooks', 'Reports', 'Email sync (IMAP)', 'Certificate', 'Legacy API'],
    );
  });
});

/**
 * One build at a time across these test files: two `upkeep build`s in one checkout share Astro's
 * .astro/.prerender folder and break each other when they overlap.
 */
async function oneBuildAtATime<T>(run: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'upkeep-import-build.lock');
  for (;;) {
    if (
      await mkdir(lock).then(
        () => true,
        () => false,
      )
    )
      break;
    const since = (await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (Date.now() - since > 120_000) await rm(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await run();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
