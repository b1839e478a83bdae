/**
 * A built site from a fixture history made by real probe runs (UPKEEP_NOW stepping through three
 * days against a local server with a known schedule), `upkeep incidents` after every run, a
 * person's incident with hostile text, maintenance windows in every state (and a weekly one whose
 * past occurrences all fall before monitoring began), and every language.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { preview } from 'astro';
import { loadConfig } from '../../src/config/load.ts';
import { recordBeat } from '../../src/history/heartbeats.ts';
import { appendSamples } from '../../src/history/store.ts';
import { probeChecks } from '../../src/probes/run.ts';
import { siteRoot } from '../../src/cli/build.ts';
import { upkeep } from './cli.ts';
import { httpServer } from './servers.ts';

export const HOSTILE = [
  '<script>alert("x1")</script>',
  '<img src=x onerror=alert("x2")>',
  '"><svg onload=alert("x3")>',
  '[click me](javascript:alert("x4"))',
  '{{constructor.constructor(\'alert("x5")\')()}}',
  '\u202Egnp.exe',
];

export const NOW = Date.parse('2026-11-23T12:00:00Z');
const START = NOW - 3 * 86_400_000;
const STEP = 10 * 60_000;

/** The API is down for 40 minutes on the second day; the web app is slow (degraded) for an hour. */
const apiDown = (t: number) => t >= START + 30 * 3_600_000 && t < START + 30 * 3_600_000 + 40 * 60_000;
const syncLag = (t: number) => (1 + ((t / 600_000) % 9)) * 60_000;
const webSlow = (t: number) => t >= START + 50 * 3_600_000 && t < START + 51 * 3_600_000;

export type Fixture = { url: string; out: string; history: string; checks: string; stop: () => Promise<void> };

/**
 * The fixture site, built once per test run: the first test process to ask builds it into a
 * folder named by a hash of Upkeep's sources and the options, the others wait for it and share it.
 */
async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

export async function buildFixtureSite(opts: { languages?: string[]; serve?: boolean } = {}): Promise<Fixture> {
  const key = createHash('sha256')
    .update(JSON.stringify(opts.languages ?? null))
    .update(await sourcesDigest())
    .digest('hex')
    .slice(0, 16);
  const shared = join(tmpdir(), `upkeep-fixture-${key}`);
  const ready = join(shared, 'ready.json');
  const lock = `${shared}.lock`;
  for (let waited = 0; ; waited += 250) {
    const done = await readFile(ready, 'utf8').catch(() => undefined);
    if (done) return serveFixture(JSON.parse(done) as Omit<Fixture, 'url' | 'stop'>, opts);
    const mine = await mkdir(lock).then(
      () => true,
      () => false,
    );
    if (mine) {
      try {
        await rm(shared, { recursive: true, force: true });
        const built = await buildFixtureInto(shared, opts);
        await writeFile(ready, JSON.stringify(built));
        return serveFixture(built, opts);
      } finally {
        await rm(lock, { recursive: true, force: true });
      }
    }
    // Another process builds it; a lock older than ten minutes is from a process that died.
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 600_000) await rm(lock, { recursive: true, force: true });
    if (waited > 900_000) throw new Error(`the fixture site at ${shared} was not built within 15 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A digest of everything the fixture's pages are made from: Upkeep's sources and this file. */
async function sourcesDigest(): Promise<string> {
  const hash = createHash('sha256');
  const root = siteRoot;
  const files = [
    ...(await readdir(join(root, 'src'), { recursive: true })).map((f) => join('src', f)),
    'test/helpers/site-fixture.ts',
    'package.json',
    'astro.config.mjs',
  ].sort();
  for (const f of files) {
    const info = await stat(join(root, f)).catch(() => undefined);
    if (info?.isFile()) hash.update(f).update(await readFile(join(root, f)));
  }
  return hash.digest('hex');
}

async function serveFixture(built: Omit<Fixture, 'url' | 'stop'>, opts: { serve?: boolean }): Promise<Fixture> {
  let url = '';
  let stop = async () => {};
  if (opts.serve !== false) {
    const server = await preview({ root: siteRoot, outDir: built.out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    url = `http://127.0.0.1:${server.port}/`;
    stop = () => server.stop();
    after(stop);
  }
  return { ...built, url, stop };
}

async function buildFixtureInto(shared: string, opts: { languages?: string[] }): Promise<Omit<Fixture, 'url' | 'stop'>> {
  let clock = START;
  const contacts = new Map<string, number>();
  let nextContact = 1;
  const crm = await httpServer(async (req, res) => {
    // The sync worker's data is 1–9 minutes old (well within its limits); the journey's contact shows in search on the second look.
    if (req.url === '/sync') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ last_sync_at: new Date(clock - syncLag(clock)).toISOString() }));
    }
    if (req.url === '/contacts' && req.method === 'POST') {
      const id = `c${nextContact++}`;
      contacts.set(id, 0);
      res.writeHead(201, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ id }));
    }
    const search = /^\/search\?id=(\w+)$/.exec(req.url ?? '');
    if (search) {
      const seen = (contacts.get(search[1]) ?? 0) + 1;
      contacts.set(search[1], seen);
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ total: seen >= 2 ? 1 : 0 }));
    }
    if (req.url?.startsWith('/contacts/') && req.method === 'DELETE') {
      contacts.delete(req.url.slice('/contacts/'.length));
      res.statusCode = 204;
      return res.end();
    }
    if (req.url === '/api' && apiDown(clock)) {
      res.statusCode = 503;
      return res.end('down');
    }
    if (req.url === '/app' && webSlow(clock)) await new Promise((r) => setTimeout(r, 60));
    res.end('ok Pipeline');
  });
  const languages = opts.languages ?? ['pt-BR', 'cs', 'ru', 'fa', 'zh-CN'];
  const checks = join(shared, 'checks');
  await writeFiles(checks, {
    'site.yml': `site:
  title: Fixture CRM Status
  vendor: Fixture CRM
  url: https://status.fixture.example.com
  websub_hub: https://hub.fixture.example.com/
  time_zone: Europe/Prague
  language: en
  languages: [${languages.join(', ')}]
  links:
    - label: Support
      url: https://support.fixture.example.com/
vars:
  base_url: ${crm.url}
defaults:
  interval: 10m
  retry_backoff: 1ms
groups:
  - id: core
    name: Core platform
components:
  - id: api
    name: REST API
    group: core
    sla: 99.95
  - id: web
    name: Web app
    group: core
  - id: hostile
    name: ${JSON.stringify(`Hostile ${HOSTILE[0]} name`)}
sla:
  credits:
    - below: 99.9
      credit: 10
`,
    'core.yml': `checks:
  - id: api
    name: API health
    component: api
    kind: http
    url: \${{ vars.base_url }}/api
  - id: web
    name: Web app loads
    component: web
    kind: http
    url: \${{ vars.base_url }}/app
    expect:
      degraded_over_ms: 40
  - id: hostile
    name: ${JSON.stringify(HOSTILE[1])}
    component: hostile
    kind: http
    url: \${{ vars.base_url }}/ok
  - id: web-sync
    name: Email sync freshness
    component: web
    critical: false
    kind: http
    url: \${{ vars.base_url }}/sync
    expect:
      fresh: { json: $.last_sync_at, degraded_over: 15m, max_age: 30m }
  - id: web-worker
    name: Email sync worker
    component: web
    critical: false
    kind: heartbeat
    expect: { every: 10m, grace: 5m }
  - id: web-journey
    name: Create and find a contact
    component: web
    critical: false
    kind: api
    steps:
      - name: Create a contact
        method: POST
        url: \${{ vars.base_url }}/contacts
        json: { email: "probe-\${{ journey.id }}@fixture.invalid" }
        capture: { id: $.id }
        expect: { status: 201 }
      - name: Search finds it
        url: \${{ vars.base_url }}/search?id=\${{ captured.id }}
        until: { interval: 100ms, deadline: 5s }
        expect: { json: '$.total > 0' }
    finally:
      - name: Delete it
        method: DELETE
        url: \${{ vars.base_url }}/contacts/\${{ captured.id }}
`,
    'maintenance.yml': `maintenance:
  - id: past-window
    title: Past upgrade
    components: [web]
    start: 2026-11-21T02:00:00Z
    end: 2026-11-21T03:00:00Z
  - id: now-window
    title: Running now
    description: ${JSON.stringify(`Careful ${HOSTILE[3]} ${HOSTILE[2]}`)}
    components: [hostile]
    start: 2026-11-23T11:00:00Z
    end: 2026-11-23T13:00:00Z
  - id: next-window
    title: Upcoming upgrade
    components: [api]
    start: 2026-11-30T22:00:00Z
    end: 2026-11-30T23:30:00Z
  - id: weekly-window
    title: Weekly deploy
    components: [hostile]
    time_zone: Europe/Prague
    recurring:
      weekly: [thu]
      at: "06:00"
      duration: 30m
`,
  });
  const history = join(shared, 'history');
  await mkdir(history, { recursive: true });
  const { config } = await loadConfig(checks, { env: {} });
  assert.ok(config);
  for (clock = START; clock <= NOW - STEP; clock += STEP) {
    const at = clock;
    // The worker beats every ten minutes, each run taking 40 s.
    await recordBeat(history, 'web-worker', { at: new Date(at - 30_000).toISOString().replace('.000Z', 'Z'), status: 'ok', durationMs: 40_000 });
    const { samples } = await probeChecks(config, config.checks, {
      now: () => new Date(at),
      wait: async () => {},
      env: {},
      region: 'default',
      concurrency: 4,
      historyDir: history,
    });
    await appendSamples(history, samples);
    const r = await upkeep(['incidents', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(at + 1000).toISOString() });
    assert.equal(r.code, 0, r.stderr);
  }
  await mkdir(join(history, 'incidents'), { recursive: true });
  await writeFile(
    join(history, 'incidents', '2026-11-22-hostile.md'),
    `---
id: 2026-11-22-hostile
title: ${JSON.stringify(`Hostile ${HOSTILE[0]} ${HOSTILE[2]} title`)}
components: [hostile, web]
impact: minor
updates:
  - at: 2026-11-22T09:00:00Z
    status: investigating
    message: ${JSON.stringify(HOSTILE.join(' and '))}
  - at: 2026-11-22T09:30:00Z
    status: identified
    by: alice
    message: "We found it: **a bad deploy**. See [the notes](https://fixture.example.com/notes)."
  - at: 2026-11-22T10:00:00Z
    status: resolved
    message: Fixed.
---
The write-up, with ${HOSTILE[1]} in it.
`,
  );
  const out = join(shared, 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: new Date(NOW).toISOString() });
  assert.equal(built.code, 0, built.stderr);
  return { out, history, checks };
}
