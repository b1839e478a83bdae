/**
 * A Persian page as a reader in Tehran sees it, in real Chromium: a site whose default language is
 * fa, with vendor text in Latin script ending in full stops and holding digits. Every page type:
 * vendor text is isolated (bdi or dir=auto) so its full stop stays at its end, numbers are Persian
 * digits, no "·" (it reads as the Persian zero), "back" arrows point right; the bars' legend; and
 * the day list's accessible name on a phone is as honest as what it shows.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import type { Page } from 'playwright';
import { siteRoot } from '../../src/cli/build.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const START = NOW - 2 * 86_400_000;
const STEP = 30 * 60_000;
/** The API of EU1 fails for an hour and a half on the first day. */
const eu1Down = (t: number) => t >= START + 10 * 3_600_000 && t < START + 11.5 * 3_600_000;

/** Text the vendor wrote, as it shows on the pages (Latin script, full stops, digits). */
const VENDOR = {
  title: 'Pipewell CRM Status v3.',
  link: 'Support 24/7.',
  group: 'Core platform 2.',
  api: 'REST API v2.',
  apiDescription: 'Contacts, deals and webhooks in 3 regions.',
  web: 'Web app.',
  check: 'API health 1.',
  instance: 'EU1',
  region: 'Europe 1.',
  incident: 'Login errors for 2 customers.',
  update: 'We rolled back release 4.2.',
  maintenance: 'Search index rebuild 5.',
  maintenanceNow: 'Cache warm-up 6.',
};

describe('Persian: vendor text isolated, Persian digits and separators, arrows, the bars legend', async () => {
  let clock = START;
  const { url: crm } = await httpServer((req, res) => {
    res.statusCode = req.url?.startsWith('/eu1/api') && eu1Down(clock) ? 503 : 200;
    res.end('ok');
  });
  const checks = await writeTree({
    'site.yml': `site:
  title: ${JSON.stringify(VENDOR.title)}
  vendor: Pipewell
  url: https://status.pipewell.example
  time_zone: Asia/Tehran
  language: fa
  languages: [en]
  links:
    - label: ${JSON.stringify(VENDOR.link)}
      url: https://support.pipewell.example/
defaults:
  interval: 30m
  retry_backoff: 1ms
instances:
  - id: eu1
    name: ${VENDOR.instance}
    region: ${JSON.stringify(VENDOR.region)}
    vars: { base_url: "${crm}/eu1" }
  - id: us2
    name: US2
    region: North America
    vars: { base_url: "${crm}/us2" }
groups:
  - id: core
    name: ${JSON.stringify(VENDOR.group)}
components:
  - id: api
    name: ${JSON.stringify(VENDOR.api)}
    description: ${JSON.stringify(VENDOR.apiDescription)}
    group: core
  - id: web
    name: ${JSON.stringify(VENDOR.web)}
    group: core
sla:
  credits:
    - below: 99.9
      credit: 10
`,
    'checks.yml': `checks:
  - id: api
    name: ${JSON.stringify(`${VENDOR.check} (\${{ instance.name }})`)}
    component: api
    kind: http
    retries: 0
    for_each: instances
    url: \${{ instance.base_url }}/api
  - id: web
    name: Web app loads
    component: web
    kind: http
    retries: 0
    url: ${crm}/web
`,
    'maintenance.yml': `maintenance:
  - id: reindex
    title: ${JSON.stringify(VENDOR.maintenance)}
    description: The search index is rebuilt for 7 minutes.
    components: [web]
    start: 2026-11-22T02:00:00Z
    end: 2026-11-22T03:00:00Z
  - id: warmup
    title: ${JSON.stringify(VENDOR.maintenanceNow)}
    components: [web]
    start: 2026-11-23T11:00:00Z
    end: 2026-11-23T13:00:00Z
  - id: weekly
    title: Weekly deploy 8.
    components: [api]
    time_zone: Asia/Tehran
    recurring: { weekly: [thu], at: "06:00", duration: 30m, from: "2026-11-01", until: "2027-06-30" }
`,
  });
  const history = await tempDir();
  for (clock = START; clock <= NOW - STEP; clock += STEP) {
    const env = { UPKEEP_NOW: new Date(clock).toISOString() };
    const probed = await upkeep(['probe', '--checks', checks, '--history', history], env);
    assert.equal(probed.code, 0, probed.stderr);
    const opened = await upkeep(['incidents', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(clock + 1000).toISOString() });
    assert.equal(opened.code, 0, opened.stderr);
  }
  await mkdir(join(history, 'incidents'), { recursive: true });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    join(history, 'incidents', '2026-11-22-login.md'),
    `---\nid: 2026-11-22-login\ntitle: ${JSON.stringify(VENDOR.incident)}\ncomponents: [api, web]\nimpact: minor\nupdates:\n  - at: 2026-11-22T09:00:00Z\n    status: investigating\n    message: ورود برای ۲ مشتری ممکن نیست.\n  - at: 2026-11-22T10:00:00Z\n    status: resolved\n    message: ${JSON.stringify(VENDOR.update)}\n---\nThe write-up: 3 causes.\n`,
  );
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: new Date(NOW).toISOString() });
  assert.equal(built.code, 0, built.stderr);
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const site = `http://127.0.0.1:${server.port}/`;
  const browser = await launch();
  const artifacts = join(process.cwd(), 'test-results', 'persian');
  await mkdir(artifacts, { recursive: true });
  const { after } = await import('node:test');
  after(() => server.stop());

  const open = async (path: string, options: Parameters<typeof browser.newContext>[0] = {}) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    await page.goto(site + path);
    return { page, context };
  };

  /** Visible text outside vendor text (bdi, dir=auto), code and left-to-right islands (URLs, file paths), with where it is. */
  const plainText = (page: Page) =>
    page.evaluate(() => {
      const found: { text: string; where: string }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !n.textContent?.trim()) continue;
        if (el.closest('script, style, bdi, [dir="auto"], [dir="ltr"], code, pre')) continue;
        // Visible only: laid out, not clipped away as screen-reader-only text, not in a closed <details>.
        if (!el.checkVisibility({ visibilityProperty: true }) || el.closest('.sr-only')) continue;
        found.push({ text: n.textContent, where: `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}` });
      }
      return found;
    });

  /** Every visible element whose own text holds a vendor string, and whether it is isolated (itself or an ancestor bdi / dir=auto). */
  const vendorIsolation = (page: Page, strings: string[]) =>
    page.evaluate((strings) => {
      const out: { text: string; isolated: boolean; tag: string }[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        const text = n.textContent ?? '';
        // What is drawn: a screen reader reads text by its logical order, which isolation does not change.
        if (!el || el.closest('script, style, title, .sr-only') || !el.checkVisibility({ visibilityProperty: true })) continue;
        const hit = strings.find((s) => text.includes(s));
        if (hit) out.push({ text: hit, isolated: !!el.closest('bdi, [dir="auto"]'), tag: el.tagName.toLowerCase() });
      }
      return out;
    }, strings);

  const PAGES: [string, string, boolean][] = [
    ['home', '', false],
    ['component', 'components/api/', true],
    ['instance', 'instances/eu1/', true],
    ['incident', 'incidents/2026-11-22-login/', true],
    ['incident history', 'incidents/', false],
    ['maintenance', 'maintenance/', false],
    ['SLA report', 'sla/', false],
    ['SLA statement', 'sla/api/2026-11/', false],
    ['how we measure', 'how-we-measure/', false],
  ];

  for (const [name, path, back] of PAGES) {
    it(`${name} (fa): vendor text isolated, no Latin digit outside it, no "·"${back ? ', the back arrow points right' : ''}`, async () => {
      const { page, context } = await open(path);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      const text = await plainText(page);
      // p50 and p95 are the statistics' names, kept in Latin beside their Persian words ("میانه (p50)").
      const latin = text.filter((t) => /[0-9]/.test(t.text.replace(/\bp(50|95)\b/g, '')));
      assert.deepEqual(latin, [], 'Latin digits outside vendor text, code and URLs');
      const dots = text.filter((t) => t.text.includes('·'));
      assert.deepEqual(dots, [], '"·" reads as a Persian zero');
      const vendor = await vendorIsolation(page, Object.values(VENDOR));
      assert.ok(vendor.length > 0, 'the page shows some vendor text');
      assert.deepEqual(
        vendor.filter((v) => !v.isolated),
        [],
        'vendor text outside <bdi> or dir=auto',
      );
      if (back) {
        const link = page.locator('main a').first();
        const words = (await link.innerText()).trim();
        assert.equal(words[0], '→', `a "back" link starts with an arrow pointing right in RTL: ${words}`);
        // It points where the link goes: towards the start of the line, the right edge.
        const box = await link.boundingBox();
        const main = await page.locator('main').boundingBox();
        assert.ok(box && main && main.x + main.width - (box.x + box.width) < 40, 'the link sits at the right (start) edge');
      }
      await page.screenshot({ path: join(artifacts, `${name.replace(/ /g, '-')}-fa.png`), fullPage: true });
      await context.close();
    });
  }

  it('a vendor sentence keeps its full stop at its end (right of its last word) on a Persian page', async () => {
    const { page, context } = await open('');
    const [stop, word] = await page
      .locator('[data-component="api"] p bdi')
      .first()
      .evaluate((el) => {
        const node = el.firstChild as Text;
        const text = node.textContent ?? '';
        const rect = (from: number, to: number) => {
          const r = document.createRange();
          r.setStart(node, from);
          r.setEnd(node, to);
          return r.getBoundingClientRect().x;
        };
        return [rect(text.length - 1, text.length), rect(text.length - 8, text.length - 1)];
      });
    assert.ok(stop > word, `the full stop (x=${stop}) is right of "regions" (x=${word})`);
    await context.close();
  });

  it('an automatic incident’s Persian title reads right to left, only the vendor’s names isolated', async () => {
    const { page, context } = await open('');
    const link = page.locator('[data-past-incident] a').filter({ hasText: 'قطعی گسترده' }).first();
    assert.equal(await link.locator('bdi').innerText(), `${VENDOR.api} (eu1)`);
    assert.match(await link.innerText(), /: قطعی گسترده$/);
    await link.click();
    const h1 = page.locator('h1');
    assert.equal(await h1.locator('bdi').innerText(), `${VENDOR.api} (eu1)`);
    // Right to left: the component's name comes first, at the right; the status in Persian after it, to its left.
    const name = await h1.locator('bdi').boundingBox();
    const whole = await h1.evaluate((el) => {
      const r = document.createRange();
      r.selectNodeContents(el.lastChild!);
      const b = r.getBoundingClientRect();
      return { x: b.x, width: b.width };
    });
    assert.ok(name && whole.x + whole.width <= name.x + 1, `status (x ${whole.x}–${whole.x + whole.width}) left of the name (x ${name?.x})`);
    await context.close();
  });

  it('the embed in a Persian app: the vendor title isolated, no "·"', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.clock.setFixedTime(NOW);
    await page.route(`${site}host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>CRM</title><script type="module" src="/embed/upkeep-status.js"></script></head><body><main><upkeep-status></upkeep-status></main></body></html>',
      }),
    );
    await page.goto(`${site}host.html`);
    const banner = page.locator('upkeep-status [part=banner]');
    await banner.waitFor();
    assert.equal(await banner.getAttribute('dir'), 'rtl');
    const line = await banner.locator('p').innerText();
    assert.ok(line.includes(VENDOR.maintenanceNow), line);
    assert.ok(!line.includes('·'), line);
    assert.equal(await banner.locator('a').getAttribute('dir'), 'auto');
    await context.close();
  });

  for (const [lang, prefix] of [
    ['fa', ''],
    ['en', 'en/'],
  ] as const) {
    for (const [where, path] of [
      ['home', ''],
      ['component', 'components/api/'],
      ['instance', 'instances/eu1/'],
    ] as const) {
      it(`the bars have a legend on the ${where} page (${lang}): each pattern with its word, swatches hidden from screen readers`, async () => {
        const { page, context } = await open(prefix + path, { colorScheme: 'dark' });
        const legend = page.locator('[data-bar-legend]');
        assert.equal(await legend.count(), 1);
        const words =
          lang === 'fa'
            ? ['در دسترس', 'کاهش کارایی', 'قطعی جزئی', 'قطعی گسترده', 'نگهداری', 'بدون داده']
            : ['Operational', 'Degraded performance', 'Partial outage', 'Major outage', 'Maintenance', 'No data'];
        assert.deepEqual(
          (await legend.locator('li').allInnerTexts()).map((w) => w.trim()),
          words,
        );
        assert.equal(await legend.locator('[aria-hidden="true"]').count(), 6);
        // The swatches are drawn as the bars are: the same colour and pattern, the blue foot for maintenance, hollow for no data.
        const styles = await legend
          .locator('.bar-swatch')
          .evaluateAll((els) =>
            els.map((e) => ({ bg: getComputedStyle(e).backgroundImage, shadow: getComputedStyle(e).boxShadow, width: e.getBoundingClientRect().width })),
          );
        assert.ok(styles.every((s) => s.width > 0));
        assert.equal(styles[0].bg, 'none');
        for (const s of styles.slice(1, 4)) assert.match(s.bg, /gradient/);
        assert.match(styles[4].shadow, /rgb\(29, 78, 216\).*inset/);
        assert.match(styles[5].shadow, /inset/);
        // Right to left in Persian: the first word is the rightmost.
        const xs = await legend.locator('li').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
        assert.ok(lang === 'fa' ? xs[0] > xs[1] : xs[0] < xs[1], `legend order ${xs}`);
        const { violations } = await new AxeBuilder({ page }).include('[data-bar-legend]').analyze();
        assert.deepEqual(
          violations.map((v) => v.id),
          [],
        );
        if (where === 'home') await legend.screenshot({ path: join(artifacts, `legend-${lang}-dark.png`) });
        await context.close();
      });
    }
  }

  for (const [width, days] of [
    [360, 30],
    [800, 60],
    [1280, 90],
  ] as const) {
    it(`at ${width} px the day list holds the ${days} days it shows, and its name claims no other number`, async () => {
      for (const prefix of ['', 'en/']) {
        const { page, context } = await open(prefix, { viewport: { width, height: 800 } });
        const strip = page.locator('[data-component="api"] ol.strip');
        const snapshot = await strip.ariaSnapshot();
        const items = snapshot.split('\n').filter((l) => /^\s*- '?listitem\b/.test(l));
        assert.equal(items.length, days, `${prefix || 'fa'}: ${days} days in the accessibility tree: ${snapshot.slice(0, 400)}`);
        const name = /^- '?list "(.*?)"/.exec(snapshot)?.[1] ?? '';
        assert.ok(name.includes(VENDOR.api), name);
        assert.doesNotMatch(name.replace(VENDOR.api, ''), /[0-9۰-۹]/, `the name states no number of days: ${name}`);
        // The last item is today.
        assert.match(items.at(-1)!, prefix ? /"Nov 23, 2026: / : /"۲ آذر ۱۴۰۵: /);
        await context.close();
      }
    });
  }
});
