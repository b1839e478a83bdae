/**
 * Issue 17: the home page's past incidents and outage banner, incidents colouring their days, and
 * Upkeep's own incident text in the page's language and zone. Real probe runs against a local CRM
 * (its email sync backlog grows for the last hour), `upkeep incidents` after each, real builds:
 * one before anything happened (a quiet week, no banner) and one during the outage.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import type { Browser, Page } from 'playwright';
import { siteRoot } from '../../src/cli/build.ts';
import { loadConfig } from '../../src/config/load.ts';
import { appendSamples } from '../../src/history/store.ts';
import { probeChecks } from '../../src/probes/run.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const START = NOW - 3 * 3_600_000;
const QUIET = NOW - 90 * 60_000;
const STEP = 10 * 60_000;
const BACKLOG = 4273;

async function serve(out: string) {
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  after(() => server.stop());
  return `http://127.0.0.1:${server.port}/`;
}

async function axeClean(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
}

describe('past incidents, the outage banner and automatic incident words, in Chromium', async () => {
  let clock = START;
  const crm = await httpServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    // The sync queue's backlog: fine, then 4,273 messages for the last hour.
    if (req.url === '/sync') return res.end(JSON.stringify({ backlog: clock >= NOW - 60 * 60_000 ? BACKLOG : 12 }));
    res.end('{"ok":true}');
  });
  const checks = await writeTree({
    'site.yml': `site:
  title: Test CRM Status
  vendor: Test CRM
  url: https://status.test.example.com
  time_zone: Europe/Prague
  language: en
  languages: [fa]
vars:
  base_url: ${crm.url}
defaults:
  interval: 10m
  retry_backoff: 1ms
components:
  - id: api
    name: REST API
  - id: email
    name: Email sync
`,
    'core.yml': `checks:
  - id: api
    name: API health
    component: api
    kind: http
    url: \${{ vars.base_url }}/api
  - id: sync
    name: Email sync queue
    component: email
    kind: http
    url: \${{ vars.base_url }}/sync
    expect:
      json: ['$.backlog < 1000']
`,
  });
  const history = await tempDir();
  const quietHistory = await tempDir();
  const { config } = await loadConfig(checks, { env: {} });
  assert.ok(config);
  for (clock = START; clock <= NOW - STEP; clock += STEP) {
    const at = clock;
    const { samples } = await probeChecks(config, config.checks, {
      now: () => new Date(at),
      wait: async () => {},
      env: {},
      region: 'default',
      concurrency: 2,
      historyDir: history,
    });
    await appendSamples(history, samples);
    const r = await upkeep(['incidents', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(at + 1000).toISOString() });
    assert.equal(r.code, 0, r.stderr);
    if (at + STEP > QUIET && at <= QUIET) await cp(history, quietHistory, { recursive: true });
  }
  const incidents = join(history, 'incidents');
  await mkdir(incidents, { recursive: true });
  // A person's incident from this morning (Prague), declared major, resolved: the probes saw nothing.
  await writeFile(
    join(incidents, '2026-11-23-login.md'),
    `---
id: 2026-11-23-login
title: Slow sign-in for some customers
components: [api]
impact: major
updates:
  - at: 2026-11-23T09:10:00Z
    status: investigating
    message: Some customers cannot sign in.
  - at: 2026-11-23T09:40:00Z
    status: resolved
    message: Fixed.
---
`,
  );
  // An automatic incident in the old format: English words, UTC times, no reason codes beside the message.
  await writeFile(
    join(incidents, '2026-11-20-api.md'),
    `---
id: 2026-11-20-api
title: "REST API: major outage"
components: [api]
impact: critical
automatic: true
started: 2026-11-20T18:00:00Z
updates:
  - at: 2026-11-20T18:00:01Z
    status: investigating
    by: upkeep
    component_status: major_outage
    message: "Our checks show a major outage of REST API since 18:00 UTC (\`status_503: HTTP 503, expected 2xx\`). We are investigating."
  - at: 2026-11-20T18:40:01Z
    status: resolved
    by: upkeep
    component_status: operational
    message: REST API is operating normally again. The problem lasted 40m 1s (18:00 UTC to 18:40 UTC).
---
`,
  );
  const out = join(await tempDir(), 'dist');
  const quietOut = join(await tempDir(), 'dist');
  for (const [h, o, at] of [
    [history, out, NOW],
    [quietHistory, quietOut, QUIET],
  ] as const) {
    const built = await upkeep(['build', '--checks', checks, '--history', h, '--out', o], { UPKEEP_NOW: new Date(at).toISOString() });
    assert.equal(built.code, 0, built.stderr);
  }
  const url = await serve(out);
  const quietUrl = await serve(quietOut);
  const browser: Browser = await launch();
  after(() => browser.close());
  const auto = (await readdir(incidents)).find((f) => f.endsWith('-email.md'))!.replace(/\.md$/, '');

  it('writes the reason codes as data beside the message, and the response value only in the message', async () => {
    const text = await readFile(join(incidents, `${auto}.md`), 'utf8');
    assert.match(text, /reasons:\n\s+- assert_json\n/);
  });

  it('home: an outage banner names the incident; past incidents by day; today’s bar carries the declared impact in words', async () => {
    for (const dark of [false, true]) {
      const page = await (await browser.newContext({ colorScheme: dark ? 'dark' : 'light' })).newPage();
      await page.goto(url);
      const banner = page.locator('[data-banner]');
      assert.equal(await banner.getAttribute('data-banner'), 'major_outage');
      assert.equal(await page.locator('#headline').textContent(), 'Major outage');
      assert.equal(await banner.locator(`a[data-banner-incident="${auto}"]`).innerText(), 'Email sync: Major outage');
      const today = page.locator('[data-past-day="2026-11-23"]');
      assert.match(
        await today.innerText(),
        /^Nov 23, 2026\n+Email sync: Major outage · Investigating · Impact: Critical\nSlow sign-in for some customers · Resolved · Impact: Major$/,
      );
      const days = await page.locator('[data-past-day]').evaluateAll((els) => els.map((e) => e.getAttribute('data-past-day')));
      assert.deepEqual(days, ['2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17']);
      assert.match(await page.locator('[data-past-day="2026-11-22"]').innerText(), /No incidents reported\./);
      assert.match(await page.locator('[data-past-day="2026-11-20"]').innerText(), /REST API: Major outage · Resolved · Impact: Critical/);
      // Measured: the API never failed. Declared: the person's incident makes today a partial outage, and says so.
      const bar = page.locator('[data-component="api"] .strip li').last();
      assert.match((await bar.getAttribute('class')) ?? '', /st-partial_outage/);
      assert.equal(
        await bar.getAttribute('aria-label'),
        'Nov 23, 2026: 100% uptime, no downtime, Incident (Major): \u2068Slow sign-in for some customers\u2069, shown as Partial outage by the incident',
      );
      assert.match((await page.locator('[data-component="api"]').innerText()) ?? '', /100% uptime/);
      await axeClean(page);
      await page.screenshot({ path: join(process.cwd(), 'test-results', `past-incidents-home${dark ? '-dark' : ''}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('a quiet week: no banner, every day says no incidents', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(quietUrl);
    assert.equal(await page.locator('[data-banner]').count(), 0);
    assert.equal(await page.locator('#headline').textContent(), 'All systems operational');
    assert.equal(await page.locator('[data-past-day]').count(), 7);
    assert.deepEqual(await page.locator('[data-past-day] p').allInnerTexts(), Array(7).fill('No incidents reported.'));
    assert.equal(await page.locator('[data-past-incident]').count(), 0);
    await axeClean(page);
    await page.context().close();
  });

  it('Persian: the automatic incident reads in Persian, local times, the reason only under Technical details, no response value', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}fa/incidents/${auto}/`);
    const update = page.locator('[data-auto-update="open"]');
    // Opened at the first failing sample, 11:00 UTC = 12:00 in Prague, in Persian digits.
    assert.equal(await update.locator('> p').innerText(), 'درخواست‌ها به Email sync ناموفق است، از ۱۲:۰۰. در حال بررسی هستیم.');
    const details = update.locator('details');
    assert.equal(await details.getAttribute('open'), null);
    assert.equal(await details.locator('summary').innerText(), 'جزئیات فنی');
    assert.equal(await details.locator('code').textContent(), 'assert_json');
    assert.equal(await details.locator('code').isVisible(), false);
    assert.equal(await page.locator('h1').innerText(), 'Email sync: قطعی گسترده');
    assert.equal(await page.title(), 'Email sync: قطعی گسترده | Test CRM Status');
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, /UTC|We are investigating|is 4273|4273|۴۲۷۳/);
    await axeClean(page);
    await details.locator('summary').click();
    await axeClean(page);
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'past-incidents-auto-fa.png'), fullPage: true });
    await page.context().close();
  });

  it('an old-format automatic incident renders in the page language from its structure', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${url}fa/incidents/2026-11-20-api/`);
    assert.equal(await page.locator('[data-auto-update="open"] > p').innerText(), 'درخواست‌ها به REST API ناموفق است، از ۱۹:۰۰. در حال بررسی هستیم.');
    assert.match(
      await page.locator('[data-auto-update="resolved"]').innerText(),
      /^REST API دوباره به‌طور عادی کار می‌کند\. مشکل .+ طول کشید \(۱۹:۰۰ تا ۱۹:۴۰\)\.$/,
    );
    assert.equal(await page.locator('[data-auto-update="open"] details code').textContent(), 'status_503');
    await page.context().close();
  });

  it('feeds and the Statuspage API use the customer words in the default language, with no response value', async () => {
    const rss = await readFile(join(out, 'history.rss'), 'utf8');
    assert.match(rss, /Requests to Email sync are failing since 12:00 PM\. We are investigating\./);
    const api = await readFile(join(out, 'api/v2/incidents.json'), 'utf8');
    assert.match(api, /Requests to Email sync are failing since 12:00 PM\. We are investigating\./);
    // Every file the site publishes, in every language: pages (the component page's last result too),
    // feeds, both JSON APIs, calendars, badges, statements.
    const shown = (await readdir(out, { recursive: true })).filter((f) => !f.startsWith('_astro') && /\.(html|json|rss|atom|xml|ics|csv|svg|txt)$/.test(f));
    for (const f of ['components/email/index.html', 'fa/components/email/index.html', 'api/upkeep/v1/components/email.json', 'api/v2/summary.json'])
      assert.ok(shown.includes(f), `${f} is published`);
    for (const f of shown) {
      assert.ok(!(await readFile(join(out, f), 'utf8')).includes(String(BACKLOG)), `the response value is in ${f}`);
    }
  });
});
