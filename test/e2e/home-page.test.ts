import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import type { Browser } from 'playwright';
import { siteRoot } from '../../src/cli/build.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const TOKEN = 'crm-token-5e1f0a9d';
const START = Date.parse('2026-11-23T08:00:00Z');
const STEP = 5 * 60_000;

describe('home page, built from real probe runs, in Chromium', async () => {
  let url: string;
  let browser: Browser;
  let artifacts: string;
  let history: string;
  let out: string;
  let checksDir: string;
  const printed: string[] = [];

  {
    // The web app breaks for the last 30 minutes of a two-hour run.
    let webBroken = false;
    const crm = await httpServer((req, res) => {
      if (req.url?.startsWith('/private')) {
        // A hostile target: echoes the request, secret and all, in its error.
        res.statusCode = 403;
        return res.end(`denied ${req.url} ${req.headers.authorization}`);
      }
      if (req.url === '/app' && webBroken) {
        res.statusCode = 502;
        return res.end('bad gateway');
      }
      res.end('<h1>Pipeline</h1>');
    });
    checksDir = await writeTree({
      // A weekly window ahead: the home page shows its next occurrence once, not one card a week.
      'maintenance.yml':
        'maintenance:\n  - id: weekly-release\n    title: Weekly release\n    components: [email]\n    time_zone: Europe/Prague\n    recurring:\n      weekly: [wed]\n      at: "06:00"\n      duration: 30m\n',
      'site.yml': `${SITE_YML.replace('http://127.0.0.1:9', crm.url)}defaults:\n  interval: 5m\n  retry_backoff: 10ms\n`,
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
      body_contains: Pipeline
  - id: private-api
    name: Private API with a token
    component: api
    kind: http
    critical: false
    url: \${{ vars.base_url }}/private?token=\${{ env.CRM_TOKEN }}
    headers:
      authorization: Bearer \${{ env.CRM_TOKEN }}
    expect:
      body_contains: \${{ env.CRM_TOKEN }}
`,
    });
    const checks = checksDir;
    history = await tempDir();
    for (let t = START; t <= START + 120 * 60_000; t += STEP) {
      webBroken = t >= START + 90 * 60_000;
      const r = await upkeep(['probe', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(t).toISOString(), CRM_TOKEN: TOKEN });
      assert.equal(r.code, 0, r.stderr);
      printed.push(r.stdout, r.stderr);
    }
    out = join(await tempDir(), 'dist');
    const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: new Date(START + 121 * 60_000).toISOString() });
    assert.equal(built.code, 0, built.stderr);
    printed.push(built.stdout, built.stderr);
    const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    after(() => server.stop());
    url = `http://127.0.0.1:${server.port}/`;
    browser = await launch();
    artifacts = join(process.cwd(), 'test-results');
    await mkdir(artifacts, { recursive: true });
  }

  it('shows what a customer needs: headline, components, statuses, uptime', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    assert.equal(await page.title(), 'Test CRM Status');
    assert.equal(await page.locator('#headline').textContent(), 'Major outage');
    const row = (id: string) => page.locator(`[data-component="${id}"]`);
    assert.equal(await row('api').locator('h4').textContent(), 'REST API');
    // Its non-critical private check fails: degraded, still counted as available.
    assert.equal(await row('api').locator('[data-status]').innerText(), 'Degraded performance');
    assert.equal(await row('web').locator('[data-status]').innerText(), 'Major outage');
    // Observed 0–121 min (the last sample covers the minute until the build); down from 90 to 121: 90/121 = 74.38 %.
    assert.equal(await row('web').locator('[data-uptime]').innerText(), '74.38% uptime');
    assert.equal(await row('api').locator('[data-uptime]').innerText(), '100% uptime');
    assert.equal(await row('email').locator('[data-status]').innerText(), 'No data');
    assert.match(await page.locator('footer').innerText(), /Central European Standard Time \(Europe\/Prague\)/);
    const release = page.locator('[data-maintenance^="weekly-release"]');
    assert.equal(await release.count(), 1, 'one card for a weekly window');
    assert.match(
      await release.innerText(),
      /^Weekly release\n+Scheduled · Nov 25, 2026, 6:00 AM (\(.+?\) )?to Nov 25, 2026, 6:30 AM (\(.+?\) )?· Affected: Email sync · Recurring/,
    );
    await page.screenshot({ path: join(artifacts, 'home-light.png'), fullPage: true });
    await page.close();
  });

  it('never shows the secret: not in history, the built site, or anything printed', async () => {
    const files = [
      ...(await readdir(history, { recursive: true })).map((f) => join(history, f)),
      ...(await readdir(out, { recursive: true })).map((f) => join(out, f)),
    ];
    let scanned = 0;
    for (const file of files) {
      if (!(await stat(file)).isFile()) continue;
      scanned++;
      assert.ok(!(await readFile(file, 'utf8')).includes(TOKEN), `secret in ${file}`);
    }
    assert.ok(scanned > 3);
    assert.ok(!printed.join('\n').includes(TOKEN), 'secret printed');
    // The failure itself is recorded, with the secret masked.
    const day = await readFile(join(history, 'samples/2026-11-23.default.tsv'), 'utf8');
    assert.match(day, /private-api\tdown\t\d+\t3\treason=status_403/);
  });

  it('builds when started from any folder, with relative paths (a real process, as a vendor runs it)', async () => {
    const folder = await tempDir();
    await cp(checksDir, join(folder, 'checks'), { recursive: true });
    await cp(history, join(folder, 'history'), { recursive: true });
    const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [cli, 'build', '--checks', 'checks', '--history', 'history', '--out', 'public'], {
      cwd: folder,
      encoding: 'utf8',
      env: { ...process.env, UPKEEP_NOW: new Date(START + 121 * 60_000).toISOString() },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^built public: 3 components/m);
    assert.match(await readFile(join(folder, 'public', 'index.html'), 'utf8'), /Major outage/);
  });

  it('works without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(url);
    assert.equal(await page.locator('#headline').textContent(), 'Major outage');
    assert.equal(await page.locator('[data-component]').count(), 3);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no axe violations (${colorScheme})`, async () => {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(url);
      const { violations } = await new AxeBuilder({ page }).analyze();
      await writeFile(join(artifacts, `axe-home-${colorScheme}.json`), JSON.stringify(violations, null, 2));
      assert.deepEqual(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
      );
      if (colorScheme === 'dark') await page.screenshot({ path: join(artifacts, 'home-dark.png'), fullPage: true });
      await context.close();
    });
  }
});
