/**
 * A built site from a fixture history made by real probe runs (UPKEEP_NOW stepping through three
 * days against a local server with a known schedule), `upkeep incidents` after every run, a
 * person's incident with hostile text, maintenance windows in every state, and every language.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after } from 'node:test';
import { preview } from 'astro';
import { loadConfig } from '../../src/config/load.ts';
import { appendSamples } from '../../src/history/store.ts';
import { probeChecks } from '../../src/probes/run.ts';
import { siteRoot } from '../../src/cli/build.ts';
import { upkeep } from './cli.ts';
import { httpServer } from './servers.ts';
import { tempDir, writeTree } from './temp.ts';

export const HOSTILE = [
  '<script>alert("x1")</script>',
  '<img src=x onerror=alert("x2")>',
  '"><svg onload=alert("x3")>',
  '[click me](javascript:alert("x4"))',
  "{{constructor.constructor('alert(\"x5\")')()}}",
  '\u202Egnp.exe',
];

export const NOW = Date.parse('2026-11-23T12:00:00Z');
const START = NOW - 3 * 86_400_000;
const STEP = 10 * 60_000;

/** The API is down for 40 minutes on the second day; the web app is slow (degraded) for an hour. */
const apiDown = (t: number) => t >= START + 30 * 3_600_000 && t < START + 30 * 3_600_000 + 40 * 60_000;
const webSlow = (t: number) => t >= START + 50 * 3_600_000 && t < START + 51 * 3_600_000;

export type Fixture = { url: string; out: string; history: string; checks: string; stop: () => Promise<void> };

export async function buildFixtureSite(opts: { languages?: string[]; serve?: boolean } = {}): Promise<Fixture> {
  let clock = START;
  const crm = await httpServer(async (req, res) => {
    if (req.url === '/api' && apiDown(clock)) {
      res.statusCode = 503;
      return res.end('down');
    }
    if (req.url === '/app' && webSlow(clock)) await new Promise((r) => setTimeout(r, 60));
    res.end('ok Pipeline');
  });
  const languages = opts.languages ?? ['pt-BR', 'cs', 'ru', 'fa', 'zh-CN'];
  const checks = await writeTree({
    'site.yml': `site:
  title: Fixture CRM Status
  vendor: Fixture CRM
  url: https://status.fixture.example.com
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
`,
  });
  const history = await tempDir();
  const { config } = await loadConfig(checks, { env: {} });
  assert.ok(config);
  for (clock = START; clock <= NOW - STEP; clock += STEP) {
    const at = clock;
    const { samples } = await probeChecks(config, config.checks, { now: () => new Date(at), wait: async () => {}, env: {}, region: 'default', concurrency: 4 });
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
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: new Date(NOW).toISOString() });
  assert.equal(built.code, 0, built.stderr);
  let url = '';
  let stop = async () => {};
  if (opts.serve !== false) {
    const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    url = `http://127.0.0.1:${server.port}/`;
    stop = () => server.stop();
    after(stop);
  }
  return { url, out, history, checks, stop };
}
