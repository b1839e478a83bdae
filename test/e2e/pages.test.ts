import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { HtmlValidate, FileSystemConfigLoader } from 'html-validate';
import type { Page } from 'playwright';
import { launch } from '../helpers/browser.ts';
import { buildFixtureSite, HOSTILE } from '../helpers/site-fixture.ts';

const PAGES = {
  home: '',
  component: 'components/api/',
  'component with lag, a heartbeat and a journey': 'components/web/',
  incidents: 'incidents/',
  incident: 'incidents/2026-11-21-api/',
  maintenance: 'maintenance/',
  sla: 'sla/',
  measure: 'how-we-measure/',
  'not-found': '404.html',
};

describe('the status page in Chromium', async () => {
  const site = await buildFixtureSite();
  const browser = await launch();
  const artifacts = join(process.cwd(), 'test-results', 'pages');
  await mkdir(artifacts, { recursive: true });
  const open = async (path: string, options: Parameters<typeof browser.newContext>[0] = {}) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(site.url + path);
    return { page, context, dialogs };
  };

  for (const [name, path] of Object.entries(PAGES)) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`${name} (${colorScheme}): no axe violations, landmarks, one h1, a skip link`, async () => {
        const { page, context } = await open(path, { colorScheme });
        const { violations } = await new AxeBuilder({ page }).analyze();
        assert.deepEqual(
          violations.map(
            (v) =>
              `${v.id}: ${v.nodes
                .slice(0, 3)
                .map((n) => n.target.join(' '))
                .join(' | ')}`,
          ),
          [],
        );
        assert.equal(await page.locator('h1').count(), 1);
        assert.equal(await page.locator('main#main').count(), 1);
        assert.equal(await page.locator('a[href="#main"]').count(), 1);
        await page.screenshot({ path: join(artifacts, `${name}-${colorScheme}.png`), fullPage: true });
        await context.close();
      });
    }
  }

  it('home: headline, maintenance in progress and upcoming, components by group with 90-day strips', async () => {
    const { page, context } = await open('');
    assert.equal(await page.locator('#headline').textContent(), 'Maintenance in progress');
    assert.match(await page.locator('[data-maintenance="now-window"]').innerText(), /Running now[\s\S]*In progress/);
    assert.match(await page.locator('[data-maintenance="next-window"]').innerText(), /Upcoming upgrade[\s\S]*Scheduled/);
    assert.deepEqual(await page.locator('#group-core').allTextContents(), ['Core platform']);
    for (const id of ['api', 'web', 'hostile']) assert.equal(await page.locator(`[data-component="${id}"] .strip li`).count(), 90);
    assert.equal(await page.locator('[data-component="hostile"] [data-status]').innerText(), 'Under maintenance');
    // The day of the API outage says what happened, in words: its accessible name, what a screen reader reads (the
    // incident's impact matches what was measured, so the day is not "shown as" anything by it).
    const api = page.locator('[data-component="api"] .strip');
    const day = api.getByRole('listitem', {
      name: /^Nov 21, 2026: 9\d\.\d\d% uptime, (40|50) min down, Incident \(Critical\): \u2068REST API: Major outage\u2069$/,
    });
    assert.equal(await day.count(), 1);
    assert.equal(await day.evaluate((el) => [...el.parentElement!.children].indexOf(el)), 87);
    assert.match(await api.ariaSnapshot(), /- '?listitem "Aug 26, 2026: no data"'?\n/);
    await context.close();
  });

  it('maintenance page: a weekly window is one card with its schedule and next time, in English and Persian', async () => {
    const { page, context } = await open('maintenance/');
    const weekly = page.locator('[data-maintenance^="weekly-window"]');
    assert.equal(await weekly.count(), 1, 'one card, not one per week');
    assert.equal(await weekly.getAttribute('data-maintenance'), 'weekly-window');
    assert.equal(await weekly.locator('[data-schedule]').textContent(), 'Every Thursday, 6:00\u2009–\u20096:30\u202fAM (Europe/Prague)');
    assert.match(await weekly.innerText(), /Scheduled · Next: Nov 26, 2026, 6:00\s?AM[\s\S]*· Affected: Hostile/);
    assert.equal(await page.locator('#upcoming ~ div [data-maintenance]').count(), 2, 'the weekly window and the upgrade');
    await page.goto(`${site.url}fa/maintenance/`);
    assert.equal(await page.locator('[data-maintenance^="weekly-window"] [data-schedule]').textContent(), 'هر پنجشنبه، ۶:۰۰ تا ۶:۳۰ (Europe/Prague)');
    // Its past Thursdays all fell before monitoring began: the strip marks only today's window.
    await page.goto(site.url);
    assert.equal(await page.locator('[data-component="hostile"] .strip li.mt').count(), 1);
    await context.close();
  });

  it('the strip is one tab stop with arrow keys when JavaScript runs, and shows the day as you move', async () => {
    const { page, context } = await open('');
    const strip = page.locator('[data-component="api"] .strip');
    // Shift+Tab back into the strip from the next component's name lands on today, the last day.
    await page.locator('[data-component="web"] h4 a').focus();
    await page.keyboard.press('Shift+Tab');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
    assert.match(await focused(), /^Nov 23, 2026/);
    assert.equal(await strip.locator('li[tabindex="0"]').count(), 1);
    assert.equal(await strip.locator('li[tabindex="-1"]').count(), 89);
    await page.keyboard.press('ArrowLeft');
    assert.match(await focused(), /^Nov 22, 2026/);
    await page.keyboard.press('ArrowLeft');
    assert.match(await focused(), /^Nov 21, 2026: 9\d\.\d\d% uptime/);
    // The focused day's words show as a tooltip above it; the other days show none.
    const tip = await strip.locator('li:focus').evaluate((el) => {
      const s = getComputedStyle(el, '::after');
      return { content: s.content, width: parseFloat(s.width), position: s.position };
    });
    assert.match(tip.content, /^attr\(aria-label\)|Nov 21, 2026/);
    assert.equal(tip.position, 'absolute');
    assert.ok(tip.width > 50, `the tooltip shows (${tip.width} px wide)`);
    assert.equal(
      await strip
        .locator('li')
        .nth(86)
        .evaluate((el) => getComputedStyle(el, '::after').content),
      'none',
      'other days stay hidden',
    );
    await page.keyboard.press('Home');
    assert.match(await focused(), /^Aug 26, 2026/);
    // Tab leaves the strip for the next component in one step.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-component]')?.getAttribute('data-component')), 'web');
    await page.keyboard.press('Enter');
    await page.waitForURL(/components\/web\/$/);
    await context.close();
  });

  it('without JavaScript everything is there, and every day can be reached with the keyboard', async () => {
    const { page, context } = await open('', { javaScriptEnabled: false });
    assert.equal(await page.locator('[data-component="api"] .strip li[tabindex="0"]').count(), 90);
    assert.equal(await page.locator('#theme').isVisible(), false, 'the theme button needs JavaScript, so it hides without');
    await page.goto(`${site.url}components/api/`);
    assert.equal(await page.locator('[data-window]').count(), 5);
    assert.equal(await page.locator('section[aria-labelledby="response"] figure [role="img"]').count(), 2, 'one chart, its 90 days and 24 hours');
    await context.close();
  });

  it('component page: windows with coverage, charts with tables, checks, incidents, SLA, day by day', async () => {
    const { page, context } = await open('components/api/');
    assert.equal(await page.locator('h1').innerText(), 'REST API');
    const week = await page.locator('[data-window="7d"]').innerText();
    assert.match(week, /Last 7 days\s+99\.\d+%\s+42\.\d%\s+(40|50) min/);
    assert.match(await page.locator('#chart-api-response-cap').innerText(), /API health/);
    await page.locator('figure details summary').first().click();
    assert.ok((await page.locator('figure details table tbody tr').first().count()) > 0);
    assert.match(await page.locator('[data-check="api"]').innerText(), /Last result: Up/);
    assert.match(await page.locator('[data-incident="2026-11-21-api"]').innerText(), /Resolved/);
    assert.match(await page.locator('tr[data-month="2026-11"]').innerText(), /99\.95%/);
    // Day by day: a table of all 90 days behind "Show as a table"; a link to a day opens it there.
    const days = page.locator('section[aria-labelledby="days"] details');
    assert.equal(await page.locator('tr[id^="d2026-"]').count(), 90);
    assert.equal(await page.locator('#d2026-11-21').isVisible(), false);
    await days.locator('summary').click();
    assert.match(await page.locator('#d2026-11-21').innerText(), /^Nov 21, 2026\s+9\d\.\d\d% \(Major outage\)\s+100%\s+(40|50) min\s+1$/);
    await page.goto(`${site.url}components/api/#d2026-11-20`);
    assert.equal(await page.locator('#d2026-11-20').isVisible(), true);
    await context.close();
  });

  it('incident page: the whole timeline, newest first, with duration and affected components', async () => {
    const { page, context } = await open('incidents/2026-11-21-api/');
    assert.deepEqual(await page.locator('[data-update-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-update-status'))), [
      'resolved',
      'investigating',
    ]);
    assert.match(await page.locator('dl').innerText(), /Duration\s+(40|50) min/);
    await context.close();
  });

  it('hostile text from people shows as text and never runs', async () => {
    const { page, context, dialogs } = await open('incidents/2026-11-22-hostile/');
    await page.goto(`${site.url}`);
    await page.goto(`${site.url}maintenance/`);
    await page.goto(`${site.url}incidents/2026-11-22-hostile/`);
    assert.deepEqual(dialogs, []);
    assert.match(await page.locator('h1').innerText(), /Hostile <script>alert\("x1"\)<\/script> "><svg onload=alert\("x3"\)> title/);
    assert.equal(await page.locator('main script, main img, main svg[onload], main iframe').count(), 0);
    assert.equal(await page.locator('main a[href^="javascript"]').count(), 0);
    assert.equal(await page.locator('main a', { hasText: 'the notes' }).getAttribute('href'), 'https://fixture.example.com/notes');
    void HOSTILE;
    await context.close();
  });

  it('dark mode: follows the system, and the toggle switches without a reload', async () => {
    const { page, context } = await open('', { colorScheme: 'light' });
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.click('#theme');
    assert.notEqual(await bg(), light);
    assert.equal(await page.evaluate(() => document.documentElement.className), 'dark');
    await page.reload();
    assert.notEqual(await bg(), light, 'the choice is remembered');
    await context.close();
  });

  it('the day tooltip is dark on a light page and light on a dark one, also by the toggle', async () => {
    const tipBackground = async (page: Page) => {
      const day = page.locator('[data-component="api"] .strip li').nth(45);
      await day.hover();
      return day.evaluate((el) => getComputedStyle(el, '::after').backgroundColor);
    };
    const light = await open('', { colorScheme: 'light' });
    assert.equal(await tipBackground(light.page), 'rgb(17, 24, 39)');
    await light.page.click('#theme');
    assert.equal(await tipBackground(light.page), 'rgb(243, 244, 246)');
    await light.context.close();
    const dark = await open('', { colorScheme: 'dark' });
    assert.equal(await tipBackground(dark.page), 'rgb(243, 244, 246)');
    await dark.context.close();
  });

  it('in forced colours (Windows high contrast) the days keep their colours and patterns', async () => {
    const { page, context } = await open('', { forcedColors: 'active' });
    const looks = (selector: string) =>
      page
        .locator(`[data-component="api"] .strip ${selector}`)
        .first()
        .evaluate((el) => `${getComputedStyle(el).backgroundImage} ${getComputedStyle(el).backgroundColor}`);
    // The API's outage day keeps its red cross-hatch; an operational day its plain green.
    assert.match(await looks('li.st-major_outage'), /^repeating-linear-gradient\(45deg, rgb\(252, 165, 165\).* rgb\(185, 28, 28\)$/);
    assert.equal(await looks('li:not([class])'), 'none rgb(21, 128, 61)');
    await context.close();
  });

  it('a custom domain gets a CNAME file', async () => {
    assert.equal(await readFile(join(site.out, 'CNAME'), 'utf8'), 'status.fixture.example.com\n');
  });

  it('times switch to the visitor’s own zone and back, without a reload', async () => {
    const { page, context } = await browser.newContext({ timezoneId: 'America/New_York' }).then(async (c) => ({ context: c, page: await c.newPage() }));
    await page.goto(`${site.url}incidents/2026-11-21-api/`);
    const started = page.locator('dl time').first();
    const prague = await started.textContent();
    await page.click('#localtime');
    const ny = await started.textContent();
    assert.notEqual(ny, prague);
    assert.match((await page.locator('#tz-note').textContent()) ?? '', /America\/New_York/);
    await page.click('#localtime');
    assert.equal(await started.textContent(), prague);
    // Maintenance windows too, to the minute New York shows.
    await page.goto(`${site.url}maintenance/`);
    const start = page.locator('[data-maintenance] time').first();
    const at = Date.parse((await start.getAttribute('datetime'))!);
    await page.click('#localtime');
    assert.equal(
      await start.textContent(),
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/New_York' }).format(at),
    );
    await context.close();
  });

  it('says how long ago (or how soon) each time is, in the page language, and keeps it fresh', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The visitor's clock: 5 minutes and 10 seconds after the last check.
    await page.goto(site.url);
    const checked = Date.parse((await page.locator('#headline + p time').getAttribute('datetime'))!);
    await page.clock.install({ time: checked + 5 * 60_000 + 10_000 });
    await page.reload();
    const rel = page.locator('#headline + p time + [data-rel]');
    assert.equal(await rel.textContent(), ' (5 minutes ago)');
    assert.match(await page.locator('#headline + p').innerText(), /^Last checked .+ \(5 minutes ago\)$/);
    // Upcoming maintenance says when it starts, from now.
    assert.match(
      (await page.locator('[data-maintenance="next-window"] time + [data-rel]').first().textContent()) ?? '',
      /^ \(in \d+ (hours?|days?|minutes?)\)$/,
    );
    // An hour later, without a reload.
    await page.clock.runFor(60 * 60_000);
    assert.equal(await rel.textContent(), ' (1 hour ago)');
    // Switching to the visitor's zone keeps the relative words.
    await page.click('#localtime');
    assert.equal(await rel.textContent(), ' (1 hour ago)');
    assert.equal(await page.locator('#headline + p [data-rel]').count(), 1);
    // In Czech and Chinese, in their own words.
    await page.goto(`${site.url}cs/`);
    assert.equal(await page.locator('#headline + p [data-rel]').textContent(), ' (před 1 hodinou)');
    await page.goto(`${site.url}zh-cn/`);
    assert.equal(await page.locator('#headline + p [data-rel]').textContent(), ' （1小时前）');
    await context.close();
    // Without JavaScript the exact times stand alone.
    const { page: plain, context: plainContext } = await open('', { javaScriptEnabled: false });
    assert.equal(await plain.locator('[data-rel]').count(), 0);
    await plainContext.close();
  });

  it('Persian: right to left, mirrored, no overflow at phone width', async () => {
    const { page, context } = await open('fa/', { viewport: { width: 375, height: 800 } });
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fa');
    const xs = await page
      .locator('[data-component="api"] .strip li')
      // The oldest day shown (a phone shows the last 30) is on the right, today on the left.
      .evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).map((e) => e.getBoundingClientRect().x));
    assert.equal(xs.length, 30);
    assert.ok(xs[0] > xs[xs.length - 1], `oldest day should be on the right: ${xs}`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'horizontal overflow');
    await page.screenshot({ path: join(artifacts, 'home-fa-mobile.png'), fullPage: true });
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(
      violations.map((v) => v.id),
      [],
    );
    await context.close();
  });

  it('every language has its pages, hreflang links and no horizontal overflow on a phone', async () => {
    for (const prefix of ['', 'pt-br/', 'cs/', 'ru/', 'fa/', 'zh-cn/']) {
      const { page, context } = await open(prefix, { viewport: { width: 375, height: 800 } });
      assert.equal(await page.locator('link[rel="alternate"][hreflang]').count(), 6, prefix);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `overflow on /${prefix}`);
      if (prefix === '') await page.screenshot({ path: join(artifacts, 'home-mobile.png'), fullPage: true });
      await context.close();
    }
  });

  it('the whole build is valid HTML (html-validate)', async () => {
    const files = (await readdir(site.out, { recursive: true })).filter((f) => f.endsWith('.html')).map((f) => join(site.out, f));
    assert.ok(files.length > 40, `${files.length} pages`);
    const htmlvalidate = new HtmlValidate(
      new FileSystemConfigLoader({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'long-title': 'off' } }),
    );
    const problems: string[] = [];
    for (const file of files) {
      const report = await htmlvalidate.validateFile(file);
      for (const r of report.results)
        for (const m of r.messages) if (m.severity === 2) problems.push(`${file.slice(site.out.length)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`);
    }
    await writeFile(join(artifacts, 'html-validate.txt'), problems.join('\n'));
    assert.deepEqual(problems.slice(0, 20), []);
  });

  it('shows how far behind data is, the last beat, and each journey step, without JavaScript and in Persian', async () => {
    for (const [path, javaScriptEnabled] of [
      ['components/web/', false],
      ['fa/components/web/', true],
    ] as const) {
      const { page, context } = await open(path, { javaScriptEnabled });
      const fa = path.startsWith('fa/');
      // The newest freshness sample (11:50) read data 9 minutes old (the server's schedule: 1–9 minutes, cycling).
      assert.match(await page.locator('section[aria-labelledby="lag"] [data-behind]').innerText(), fa ? /۹ دقیقه/ : /Email sync freshness: Data 9 min behind/);
      assert.equal(await page.locator('section[aria-labelledby="lag"] figure').count(), 1, 'one lag chart for both checks that measure lag');
      const beat = await page.locator('[data-check="web-worker"] [data-beat]').innerText();
      assert.match(beat, fa ? /آخرین ضربان/ : /Last beat: .*on time \(expected every 10 min\).*the run took 40 sec/);
      const steps = page.locator('[data-check="web-journey"] [data-steps] tbody tr');
      assert.equal(await steps.count(), 2);
      assert.match(await steps.nth(1).innerText(), /Search finds it/);
      await context.close();
    }
    const home = await open('');
    // textContent: a row below the fold is laid out only when scrolled to (content-visibility), and innerText of unrendered text is empty.
    assert.match((await home.page.locator('[data-component="web"] [data-behind]').textContent()) ?? '', /Data 9 min behind/);
    await home.context.close();
  });
});
