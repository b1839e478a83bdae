/**
 * Issue 17, "Vendor text in other languages", in Chromium: a site published in English, Czech and
 * Persian whose site.yml, maintenance.yml and a person's incident carry Czech (and some Persian)
 * text. Real probe runs against a local CRM (the API fails for the last half hour, so Upkeep opens
 * its own incident), a real build, pages served by Astro's preview, feeds read over HTTP, and the
 * embed on another origin in a Czech app. Untranslated text falls back to English everywhere,
 * marked `lang="en"` on the page; the write-up and the maintenance calendar come per language too.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
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
import { icalparse } from '../helpers/icalendar.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const START = NOW - 3 * 3_600_000;
const STEP = 10 * 60_000;
const apiDown = (t: number) => t >= NOW - 30 * 60_000;

const SITE = (base: string) => `site:
  title: Test CRM Status
  vendor: Test CRM
  url: https://status.test.example
  time_zone: Europe/Prague
  language: en
  languages: [cs, fa]
  translations:
    cs: { title: Stav Test CRM }
  links:
    - label: Support
      url: https://support.test.example
      translations: { cs: { label: Podpora } }
vars:
  base_url: ${base}
defaults:
  interval: 10m
  retry_backoff: 1ms
components:
  - id: api
    name: REST API
    description: The public API.
    translations:
      cs: { name: Rozhraní REST, description: Veřejné API pro integrace. }
      fa: { name: رابط برنامه‌نویسی REST }
  - id: web
    name: Web app
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css' };

async function axeClean(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
  );
}

describe("the vendor's text in the page language, with fallback, in Chromium", async () => {
  let clock = START;
  const crm = await httpServer((req, res) => {
    res.statusCode = req.url === '/api' && apiDown(clock) ? 503 : 200;
    res.end('{"ok":true}');
  });
  const checks = await writeTree({
    'site.yml': SITE(crm.url),
    'core.yml': `checks:
  - id: api
    name: API health
    translations: { cs: { name: Stav API } }
    component: api
    kind: http
    url: \${{ vars.base_url }}/api
  - id: web
    name: Web app
    component: web
    kind: http
    url: \${{ vars.base_url }}/web
`,
    'maintenance.yml': `maintenance:
  - id: db-upgrade
    title: Database upgrade
    description: We upgrade the **database**; sign-in may be slow.
    components: [api, web]
    start: 2026-11-28 22:00
    end: 2026-11-28 23:00
    translations:
      cs:
        title: Upgrade databáze
        description: Upgradujeme **databázi**; přihlášení může být pomalé.
`,
  });
  const history = await tempDir();
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
  }
  const person = '2026-11-23-login';
  const personFile = join(history, 'incidents', `${person}.md`);
  await writeFile(
    personFile,
    `---
id: ${person}
title: Slow sign-in for some customers
translations:
  cs: { title: Pomalé přihlašování u některých zákazníků }
components: [web]
impact: minor
updates:
  - at: 2026-11-23T09:10:00Z
    status: investigating
    message: Some customers cannot **sign in**.
    translations:
      cs: { message: Někteří zákazníci se nemohou **přihlásit**. }
  - at: 2026-11-23T09:40:00Z
    status: resolved
    message: Fixed at 10:40.
---

A certificate **expired** on one load balancer.
`,
  );
  // The write-up in Czech, beside the incident's own file; Persian has none.
  await writeFile(join(history, 'incidents', `${person}.cs.md`), 'Na jednom vyrovnávači zátěže **vypršel** certifikát.\n');
  const auto = (await readdir(join(history, 'incidents'))).find((f) => f.endsWith('-api.md'))!.replace(/\.md$/, '');
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: new Date(NOW).toISOString() });
  assert.equal(built.code, 0, built.stderr);
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  after(() => server.stop());
  const url = `http://127.0.0.1:${server.port}/`;
  const browser: Browser = await launch();
  after(() => browser.close());
  const open = async (path: string) => {
    const page = await (await browser.newContext({ timezoneId: 'Europe/Prague' })).newPage();
    await page.goto(`${url}${path}`);
    return page;
  };

  it('Czech home: translated names and titles, untranslated ones in English', async () => {
    const page = await open('cs/');
    assert.match(await page.title(), /Stav Test CRM$/);
    assert.match(await page.locator('header').innerText(), /^Stav Test CRM/);
    assert.ok(await page.locator('header a', { hasText: 'Podpora' }).count(), 'the link label in Czech');
    assert.match(await page.locator('[data-component="api"]').innerText(), /Rozhraní REST/);
    assert.doesNotMatch(await page.locator('[data-component="api"]').innerText(), /REST API/);
    assert.match(await page.locator('[data-component="web"]').innerText(), /Web app/, 'no Czech name: the English one');
    // Upkeep's own title names the component in Czech, the person's title is theirs in Czech.
    assert.match(await page.locator(`a[data-banner-incident="${auto}"]`).innerText(), /^Rozhraní REST: /);
    assert.match(await page.locator(`[data-past-incident="${person}"]`).innerText(), /^Pomalé přihlašování u některých zákazníků/);
    assert.match(await page.locator('main').innerText(), /Upgrade databáze/);
    assert.doesNotMatch(await page.locator('main').innerText(), /Slow sign-in|Database upgrade/);
    await axeClean(page);
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'vendor-translations-cs-home.png'), fullPage: true });
    await page.context().close();
  });

  it("Czech incident page: the person's title and message; an update without a translation as written", async () => {
    const page = await open(`cs/incidents/${person}/`);
    assert.equal(await page.locator('h1').innerText(), 'Pomalé přihlašování u některých zákazníků');
    const main = await page.locator('main').innerText();
    assert.match(main, /Někteří zákazníci se nemohou přihlásit\./);
    assert.equal(await page.locator('main strong', { hasText: 'přihlásit' }).count(), 1, 'the markdown rendered');
    assert.match(main, /Fixed at 10:40\./);
    assert.doesNotMatch(main, /cannot sign in/);
    await axeClean(page);
    await page.context().close();
    const english = await open(`incidents/${person}/`);
    assert.equal(await english.locator('h1').innerText(), 'Slow sign-in for some customers');
    assert.match(await english.locator('main').innerText(), /Some customers cannot sign in\./);
    await english.context().close();
  });

  it('Czech component and maintenance pages', async () => {
    const page = await open('cs/components/api/');
    assert.equal(await page.locator('h1').innerText(), 'Rozhraní REST');
    assert.match(await page.locator('main').innerText(), /Veřejné API pro integrace\./);
    assert.match(await page.locator('main').innerText(), /Stav API/, "the check's name in Czech");
    await page.goto(`${url}cs/maintenance/`);
    const main = await page.locator('main').innerText();
    assert.match(main, /Upgrade databáze/);
    assert.match(main, /Rozhraní REST/);
    assert.equal(await page.locator('main strong', { hasText: 'databázi' }).count(), 1);
    await page.context().close();
  });

  it('Persian: its own component name, the rest in English, right to left', async () => {
    const page = await open('fa/');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.match(await page.locator('[data-component="api"]').innerText(), /رابط برنامه‌نویسی REST/);
    assert.match(await page.locator('[data-component="web"]').innerText(), /Web app/);
    assert.match(await page.locator(`[data-past-incident="${person}"]`).innerText(), /^Slow sign-in for some customers/);
    assert.match(await page.title(), /Test CRM Status$/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'vendor-translations-fa-home-dark.png'), fullPage: true });
    await page.context().close();
  });

  it("each language's pages name its own feeds, which carry its text", async () => {
    const page = await open('cs/');
    const rss = await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href');
    assert.equal(rss, '/cs/history.rss');
    const body = await (await page.request.get(new URL(rss!, url).href)).text();
    assert.match(body, /<language>cs<\/language>/);
    assert.match(body, /Pomalé přihlašování u některých zákazníků/);
    assert.match(body, /https:\/\/status\.test\.example\/cs\/incidents\/2026-11-23-login\//);
    assert.match(body, /Upgrade databáze/);
    const english = await (await page.request.get(`${url}history.rss`)).text();
    assert.match(english, /Slow sign-in for some customers/);
    assert.doesNotMatch(english, /Pomalé/);
    await page.context().close();
  });

  it("the embed in a Czech app shows the incident's Czech name and links to its Czech page", async () => {
    const site = await httpServer(async (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      res.setHeader('access-control-allow-origin', '*');
      const file = join(out, normalize(path).replace(/^(\.\.[/\\])+/, ''), path.endsWith('/') ? 'index.html' : '');
      const body = await readFile(file).catch(() => undefined);
      res.statusCode = body ? 200 : 404;
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.end(body ?? 'not found');
    });
    const host = await httpServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="cs"><head><meta charset="utf-8"><title>Acme CRM</title>
<script type="module" src="${site.url}/embed/upkeep-status.js"></script></head>
<body><main><h1>Obchody</h1><upkeep-status></upkeep-status></main></body></html>`);
    });
    const page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
    await page.clock.setFixedTime(NOW);
    const read = page.waitForResponse((r) => r.url().endsWith('/api/v2/summary.json'));
    await page.goto(host.url);
    await (await read).finished();
    const link = page.locator('upkeep-status a');
    await link.waitFor();
    assert.match(await link.innerText(), /^Rozhraní REST: /);
    assert.equal(await link.getAttribute('href'), `${site.url}/cs/incidents/${auto}/`);
    await page.context().close();
  });

  it("Persian: an untranslated name's element says lang=en (and ltr), a translated one says nothing of its own", async () => {
    const page = await open('fa/');
    const attrs = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((e) => ({ lang: e.getAttribute('lang'), dir: e.getAttribute('dir'), spoken: e.closest('[lang]')?.getAttribute('lang') }));
    assert.deepEqual(await attrs('[data-component="web"] h3 bdi'), { lang: 'en', dir: 'ltr', spoken: 'en' });
    assert.deepEqual(await attrs('[data-component="api"] h3 bdi'), { lang: null, dir: null, spoken: 'fa' });
    // The site's title has no Persian either; the person's incident title neither.
    assert.equal(await page.locator('header a bdi').first().getAttribute('lang'), 'en');
    assert.equal(await page.locator(`[data-past-incident="${person}"] bdi`).first().getAttribute('lang'), 'en');
    // Upkeep's own title is Persian but for the component's name, which is translated: no mark.
    assert.equal(await page.locator(`a[data-banner-incident="${auto}"] bdi`).first().getAttribute('lang'), null);
    await axeClean(page);
    await page.context().close();
    const czech = await open('cs/');
    assert.equal(await czech.locator('[data-component="web"] h3 bdi').getAttribute('lang'), 'en');
    assert.equal(await czech.locator('[data-component="web"] h3 bdi').getAttribute('dir'), null, 'Czech runs the same way as English');
    assert.equal(await czech.locator('header a bdi').first().getAttribute('lang'), null);
    await czech.context().close();
  });

  it('the write-up: in Czech on the Czech page and feed; as written, marked English, on the Persian page', async () => {
    const page = await open(`cs/incidents/${person}/`);
    const writeup = page.locator('[data-writeup]');
    assert.equal(await writeup.innerText(), 'Na jednom vyrovnávači zátěže vypršel certifikát.');
    assert.equal(await writeup.getAttribute('lang'), null);
    // "Fixed at 10:40." has no Czech line: its text is marked English.
    assert.equal(await page.locator('[data-update-status="resolved"] [dir="auto"]').getAttribute('lang'), 'en');
    assert.equal(await page.locator('[data-update-status="investigating"] [dir="auto"]').getAttribute('lang'), null);
    const feed = await (await page.request.get(`${url}cs/history.atom`)).text();
    assert.match(feed, /vypršel/);
    await page.context().close();
    const persian = await open(`fa/incidents/${person}/`);
    assert.equal(await persian.locator('[data-writeup]').innerText(), 'A certificate expired on one load balancer.');
    assert.equal(await persian.locator('[data-writeup]').getAttribute('lang'), 'en');
    assert.equal(await persian.locator('h1 bdi').getAttribute('lang'), 'en');
    await axeClean(persian);
    await persian.context().close();
  });

  it("the Czech page's calendar link gives the Czech calendar, read by a real parser", async () => {
    const page = await open('cs/');
    const link = await page.locator('a[href$="maintenance.ics"]').first().getAttribute('href');
    assert.equal(link, '/cs/maintenance.ics');
    const res = await page.request.get(new URL(link!, url).href);
    assert.match(res.headers()['content-type'], /^text\/calendar/);
    const cal = icalparse(await res.text());
    const event = cal.events.find((e) => e.uid === 'db-upgrade@upkeep')!;
    assert.equal(event.summary, 'Údržba Test CRM: Upgrade databáze');
    assert.equal(event.summaryLanguage, 'cs');
    assert.match(event.description!, /Rozhraní REST/);
    assert.equal(event.url, 'https://status.test.example/cs/maintenance/#db-upgrade');
    const english = icalparse(await (await page.request.get(`${url}maintenance.ics`)).text());
    assert.equal(english.events.find((e) => e.uid === 'db-upgrade@upkeep')!.summary, 'Test CRM maintenance: Database upgrade');
    const persian = icalparse(await (await page.request.get(`${url}fa/maintenance.ics`)).text());
    assert.equal(persian.events.find((e) => e.uid === 'db-upgrade@upkeep')!.summaryLanguage, 'en', 'no Persian title: English, said so');
    await page.context().close();
  });

  it('the SLA statement: the Czech page names the component in Czech; its CSV and JSON stay in English', async () => {
    const page = await open('cs/sla/api/2026-11/');
    assert.match(await page.locator('h1').innerText(), /Rozhraní REST/);
    assert.equal(await page.locator('h1 bdi').getAttribute('lang'), null);
    await page.goto(`${url}fa/sla/web/2026-11/`);
    assert.equal(await page.locator('h1 bdi').getAttribute('lang'), 'en');
    const json = (await (await page.request.get(`${url}sla/api/2026-11.json`)).json()) as { component: { name: string } };
    assert.equal(json.component.name, 'REST API');
    assert.match(await (await page.request.get(`${url}sla/api/2026-11.csv`)).text(), /component_name,REST API/);
    await page.context().close();
  });

  it('validate names a language the page does not publish, with file:line:col', async () => {
    await writeFile(personFile, (await readFile(personFile, 'utf8')).replace('  cs: { title:', '  ru: { title:'));
    const r = await upkeep(['validate', '--checks', checks, '--history', history]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `${personFile.replaceAll('/', '\\/')}:5:3  translations\\.ru: "ru" is not published \\(site\\.yml \`languages:\` has cs, fa\\): add it there, or remove this translation`,
      ),
    );
  });
});
