/**
 * The `<upkeep-status>` embed in real Chromium: the fixture site served on one origin as GitHub
 * Pages serves it (`Access-Control-Allow-Origin: *`), a vendor's app on another origin under a
 * strict CSP (no styles at all, Trusted Types required), the summary swapped per test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContextOptions, Page } from 'playwright';
import { siteRoot } from '../../src/cli/build.ts';
import { isRtl, languages } from '../../src/i18n/index.ts';
import { launch } from '../helpers/browser.ts';
import { httpServer } from '../helpers/servers.ts';
import { buildFixtureSite, HOSTILE, NOW } from '../helpers/site-fixture.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

type Summary = { page: { url: string }; incidents: Record<string, unknown>[]; scheduled_maintenances: Record<string, unknown>[]; [k: string]: unknown };

describe('the <upkeep-status> embed, on another origin under a strict CSP, in Chromium', async () => {
  const fixture = await buildFixtureSite({ serve: false });
  const source = await readFile(join(siteRoot, 'src', 'embed', 'upkeep-status.js'), 'utf8');
  const real = JSON.parse(await readFile(join(fixture.out, 'api', 'v2', 'summary.json'), 'utf8')) as Summary;
  const [hostile] = (JSON.parse(await readFile(join(fixture.out, 'api', 'v2', 'incidents.json'), 'utf8')).incidents as Record<string, unknown>[]).filter(
    (i) => i.id === '2026-11-22-hostile',
  );
  assert.ok(hostile, 'the fixture has the hostile incident');
  const inProgress = real.scheduled_maintenances.find((m) => m.status === 'in_progress')!;
  /** An open incident made from the fixture's (so its page exists), at `impact`, last updated at `at`. */
  const incident = (impact: string, at: number, extra: Record<string, unknown> = {}) => ({
    ...hostile,
    status: 'identified',
    impact,
    resolved_at: null,
    updated_at: iso(at),
    ...extra,
  });
  const withOnly = (incidents: unknown[], scheduled_maintenances: unknown[] = []) => ({ ...real, incidents, scheduled_maintenances }) as Summary;

  let summary: Summary | 'broken' = real;
  const asked: string[] = [];
  // The status site, also under a base path (/status/), with CORS on every file as GitHub Pages sends it.
  const site = await httpServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/status\//, '/');
    res.setHeader('access-control-allow-origin', '*');
    if (path === '/api/v2/summary.json') {
      asked.push(req.url ?? '');
      if (summary === 'broken') {
        res.statusCode = 503;
        return res.end();
      }
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify(summary));
    }
    const file = join(fixture.out, normalize(path).replace(/^(\.\.[/\\])+/, ''), path.endsWith('/') ? 'index.html' : '');
    const body = await readFile(file).catch(() => undefined);
    if (!body) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.end(body);
  });

  // The vendor's app: `load` is `site` (script-src lists the status site), `nonce` (a nonce and
  // 'strict-dynamic' only) or `copy` (the vendor serves its own copy of the file, with a nonce).
  const host = await httpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/vendor/upkeep-status.js') {
      res.setHeader('content-type', 'text/javascript');
      return res.end(source);
    }
    if (url.pathname !== '/') {
      res.statusCode = 404;
      return res.end();
    }
    const q = url.searchParams;
    const nonce = randomBytes(16).toString('base64');
    const load = q.get('load') ?? 'site';
    const scripts = load === 'nonce' ? `'nonce-${nonce}' 'strict-dynamic'` : `${site.url} 'nonce-${nonce}'`;
    res.setHeader(
      'content-security-policy',
      `default-src 'none'; script-src ${scripts}; connect-src ${site.url}; style-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'; base-uri 'none'; form-action 'none'`,
    );
    res.setHeader('content-type', 'text/html; charset=utf-8');
    const src = load === 'copy' ? '/vendor/upkeep-status.js' : `${site.url}${q.get('base') ?? '/'}embed/upkeep-status.js`;
    res.end(`<!doctype html>
<html lang="${q.get('lang') ?? 'en'}"><head><meta charset="utf-8"><title>Acme CRM</title>
<script nonce="${nonce}">window.violations=[];document.addEventListener('securitypolicyviolation',(e)=>violations.push(e.violatedDirective+' '+e.blockedURI),true)</script>
<script type="module" ${load === 'site' ? '' : `nonce="${nonce}" `}src="${src}"></script>
</head><body><header><a href="/">Acme CRM</a></header><main><h1>Pipeline</h1><upkeep-status ${q.get('attrs') ?? ''}></upkeep-status><p>Your deals.</p></main></body></html>`);
  });

  const browser = await launch();
  const artifacts = join(process.cwd(), 'test-results', 'embed');
  await mkdir(artifacts, { recursive: true });

  /** The host page, with the clock at the fixture's now, once the first summary has been read and shown. */
  async function open(query: Record<string, string> = {}, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({ timezoneId: 'UTC', ...options });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    // Playwright's clock needs JavaScript in the page.
    if (options.javaScriptEnabled !== false) await page.clock.setFixedTime(NOW);
    await shown(page, () => page.goto(`${host.url}/?${new URLSearchParams(query)}`), options.javaScriptEnabled !== false);
    return { page, context, errors };
  }
  /** Runs `go` and waits until the summary it makes the embed read has been rendered. */
  async function shown(page: Page, go: () => Promise<unknown>, fetches = true) {
    const read = fetches ? page.waitForResponse((r) => r.url().endsWith('/api/v2/summary.json')) : undefined;
    await go();
    // A body the page never reads (an error answer) never finishes.
    const response = await read;
    if (response?.ok()) await response.finished();
    await page.waitForTimeout(150);
  }
  const banner = (page: Page) => page.locator('upkeep-status [part=banner]');
  const line = (page: Page) => banner(page).locator('p').innerText();
  const violations = (page: Page) => page.evaluate(() => (window as unknown as { violations: string[] }).violations);

  it('ships in the built site as written, at most 3 KB gzip', async (t) => {
    assert.equal(await readFile(join(fixture.out, 'embed', 'upkeep-status.js'), 'utf8'), source);
    const size = gzipSync(source).length;
    t.diagnostic(`upkeep-status.js: ${Buffer.byteLength(source)} bytes, ${size} bytes gzip`);
    assert.ok(size <= 3 * 1024, `${size} bytes gzip`);
    // Its own small table of words: every language the site speaks, and fa the one written right to left.
    assert.deepEqual(
      languages.filter((l) => !new RegExp(`^  '?${l}'?: '`, 'm').test(source)),
      [],
    );
    assert.deepEqual(languages.filter(isRtl), ['fa']);
  });

  it('shows the maintenance in progress, linked into the status site, with no CSP violation', async () => {
    summary = real;
    const { page, context, errors } = await open();
    assert.equal(await banner(page).count(), 1);
    assert.equal(await banner(page).locator('i').innerText(), 'i');
    assert.equal(await line(page), 'Maintenance in progress Running now | Nov 23, 11:00 AM – 1:00 PM');
    const link = banner(page).getByRole('link', { name: 'Running now' });
    assert.equal(await link.getAttribute('href'), `${site.url}/maintenance/`);
    // A live region, there before the banner, holds it; the banner is a region named by what it is.
    assert.equal(await page.locator('upkeep-status [role=status] [role=region]').getAttribute('aria-label'), 'Maintenance in progress');
    // Styled by its adopted sheet, which style-src 'none' lets through, while a style attribute is refused.
    assert.equal(await banner(page).evaluate((e) => getComputedStyle(e).display), 'flex');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await page.waitForFunction(() => (window as unknown as { violations: string[] }).violations.length > 0);
    assert.match((await violations(page)).join(), /^style-src-attr /);
    await link.click();
    await page.waitForURL(`${site.url}/maintenance/`);
    assert.match(await page.locator('main').innerText(), new RegExp(String(inProgress.name)));
    await context.close();
  });

  it('puts the worst open incident first, its name as text, and never links a script URL', async () => {
    summary = withOnly(
      [
        incident('minor', NOW - HOUR, { id: 'newer-minor', name: 'Slow reports' }),
        incident('major', NOW - 2 * HOUR, { name: `Hostile ${HOSTILE[0]} ${HOSTILE[1]}` }),
        incident('critical', NOW - 3 * HOUR, { id: 'scripted', name: 'Critical one', shortlink: 'javascript:alert(1)' }),
      ],
      [inProgress],
    );
    const { page, context, errors } = await open();
    assert.equal(await line(page), 'Critical incident Critical one | Nov 22, 9:00 AM');
    assert.equal(await banner(page).locator('i').innerText(), '!');
    assert.equal(await banner(page).getByRole('link').getAttribute('href'), `${site.url}/`);
    await banner(page).getByRole('button', { name: 'Dismiss' }).click();
    // Next: the major one, whose name is markup shown as text.
    assert.equal(await line(page), `Major incident Hostile ${HOSTILE[0]} ${HOSTILE[1]} | Nov 22, 9:00 AM`);
    assert.equal(await page.locator('upkeep-status script, upkeep-status svg, upkeep-status img').count(), 0);
    const href = await banner(page).getByRole('link').getAttribute('href');
    assert.equal(href, `${site.url}/incidents/2026-11-22-hostile/`);
    assert.equal((await page.request.get(href!)).status(), 200);
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('speaks the page language: cs, fa right to left, zh-CN from its own lang attribute, English otherwise', async () => {
    summary = real;
    for (const [query, words, lang, dir, dismiss] of [
      [{ lang: 'cs' }, 'Probíhá údržba', 'cs', 'ltr', 'Zavřít'],
      [{ lang: 'fa' }, 'نگهداری در جریان', 'fa', 'rtl', 'بستن'],
      [{ lang: 'pt-PT' }, 'Manutenção em andamento', 'pt-BR', 'ltr', 'Dispensar'],
      [{ lang: 'de', attrs: 'lang="zh-CN"' }, '正在维护', 'zh-CN', 'ltr', '关闭'],
      [{ lang: 'de' }, 'Maintenance in progress', 'en', 'ltr', 'Dismiss'],
    ] as const) {
      const { page, context } = await open(query);
      assert.equal(await banner(page).locator('strong').innerText(), words, JSON.stringify(query));
      assert.equal(await banner(page).getAttribute('lang'), lang);
      assert.equal(await banner(page).getAttribute('dir'), dir);
      assert.equal(await banner(page).getByRole('button', { name: dismiss }).count(), 1);
      await context.close();
    }
  });

  it('stays dismissed after a reload, and a new update shows it again on the next poll', async () => {
    const first = incident('major', NOW - HOUR, { status: 'investigating' });
    summary = withOnly([first], [inProgress]);
    const { page, context } = await open({ attrs: 'interval="1"' });
    assert.match(await line(page), /^Major incident /);
    await banner(page).getByRole('button', { name: 'Dismiss' }).click();
    assert.match(await line(page), /^Maintenance in progress /);
    await banner(page).getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await banner(page).count(), 0);
    await shown(page, () => page.reload());
    assert.equal(await banner(page).count(), 0);
    summary = withOnly([{ ...first, status: 'monitoring', updated_at: iso(NOW - 60_000) }], [inProgress]);
    await banner(page).waitFor({ timeout: 5000 });
    assert.match(await line(page), /^Major incident /);
    await context.close();
  });

  it('reads nothing while the page is hidden, and catches up when it is seen', async () => {
    summary = real;
    asked.length = 0;
    const context = await browser.newContext({ timezoneId: 'UTC' });
    // Chromium's page is never hidden by itself here: the page's own word for it is replaced.
    await context.addInitScript(() => {
      const w = window as unknown as { hide: boolean };
      w.hide = true;
      Object.defineProperty(Document.prototype, 'hidden', { get: () => w.hide });
    });
    const page = await context.newPage();
    await page.clock.setFixedTime(NOW);
    await page.goto(`${host.url}/?attrs=interval%3D%221%22`);
    await page.waitForTimeout(1500);
    assert.deepEqual(asked, []);
    await shown(page, () =>
      page.evaluate(() => {
        (window as unknown as { hide: boolean }).hide = false;
        document.dispatchEvent(new Event('visibilitychange'));
      }),
    );
    assert.equal(await banner(page).count(), 1);
    assert.equal(asked.length, 1);
    await context.close();
  });

  it('shows nothing when all is operational, and maintenance only from 24 hours ahead', async () => {
    const window = (start: number, end: number, id: string) => ({
      ...inProgress,
      id,
      name: id,
      status: 'scheduled',
      scheduled_for: iso(start),
      scheduled_until: iso(end),
    });
    summary = withOnly([], [window(NOW + 3 * 24 * HOUR, NOW + 73 * HOUR, 'far'), window(NOW - 3 * HOUR, NOW - HOUR, 'over')]);
    const { page, context } = await open();
    assert.equal(await banner(page).count(), 0);
    assert.equal((await page.locator('upkeep-status').boundingBox())?.height, 0);
    assert.deepEqual(await violations(page), []);
    summary = withOnly([], [window(NOW + 3 * 24 * HOUR, NOW + 73 * HOUR, 'far'), window(NOW + 2 * HOUR, NOW + 3 * HOUR, 'soon')]);
    await shown(page, () => page.reload());
    assert.equal(await line(page), 'Scheduled maintenance soon | Nov 23, 2:00 – 3:00 PM');
    await context.close();
  });

  it('is reached by Tab: the link, then the close button, which Enter presses', async () => {
    summary = real;
    const { page, context } = await open();
    const focused = () => page.evaluate(() => (document.activeElement?.shadowRoot?.activeElement ?? document.activeElement)?.textContent);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Acme CRM');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Running now');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), '×');
    await page.keyboard.press('Enter');
    assert.equal(await banner(page).count(), 0);
    await context.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe on the host page for every kind of banner (${colorScheme}), and moves only when motion is welcome`, async () => {
      const { page, context } = await open({}, { colorScheme });
      for (const [kind, s] of [
        ['maintenance', real],
        ['minor', withOnly([incident('minor', NOW)])],
        ['major', withOnly([incident('major', NOW)])],
        ['critical', withOnly([incident('critical', NOW)])],
      ] as const) {
        summary = s;
        await shown(page, () => page.reload());
        assert.equal(await banner(page).count(), 1, kind);
        await page.locator('upkeep-status').screenshot({ path: join(artifacts, `${kind}-${colorScheme}.png`) });
        const { violations } = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(
          violations.map((v) => `${kind}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
          [],
        );
      }
      assert.equal(await banner(page).evaluate((e) => getComputedStyle(e).animationName), 'u');
      await page.emulateMedia({ reducedMotion: 'reduce' });
      assert.equal(await banner(page).evaluate((e) => getComputedStyle(e).animationName), 'none');
      await context.close();
    });
  }

  it('loads with a nonce alone, under a base path by itself, and as the vendor’s own copy given src', async () => {
    summary = real;
    for (const [query, path] of [
      [{ load: 'nonce' }, '/'],
      [{ base: '/status/' }, '/status/'],
      [{ load: 'copy', attrs: `src="${site.url}/status"` }, '/status/'],
    ] as const) {
      asked.length = 0;
      const { page, context, errors } = await open(query);
      assert.deepEqual(asked, [`${path}api/v2/summary.json`], JSON.stringify(query));
      assert.equal(await banner(page).getByRole('link').getAttribute('href'), `${site.url}${path}maintenance/`);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
      await context.close();
    }
  });

  it('renders nothing without JavaScript, or when the summary cannot be read', async () => {
    summary = real;
    const plain = await open({}, { javaScriptEnabled: false });
    assert.equal((await plain.page.locator('upkeep-status').boundingBox())?.height, 0);
    assert.equal(await plain.page.locator('main').innerText(), 'Pipeline\n\nYour deals.');
    await plain.context.close();
    summary = 'broken';
    const { page, context, errors } = await open();
    assert.equal(await banner(page).count(), 0);
    assert.deepEqual(
      errors.filter((e) => !/status of 503/.test(e)),
      [],
    );
    await context.close();
  });
});
