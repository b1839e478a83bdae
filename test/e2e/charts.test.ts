import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import { siteRoot } from '../../src/cli/build.ts';
import { appendSamples } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { buildFixtureSite } from '../helpers/site-fixture.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const PHONE = { viewport: { width: 390, height: 844 } };

describe('the bars, the charts, the SLA table and the nav on a phone and a desktop', async () => {
  const site = await buildFixtureSite();
  const browser = await launch();
  const open = async (path: string, options: Parameters<typeof browser.newContext>[0] = {}) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    await page.goto(site.url + path);
    return { page, context };
  };
  const visibleDays = (page: Awaited<ReturnType<typeof open>>['page']) =>
    page.locator('[data-component="api"] .strip li').evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).length);

  for (const [width, days, ago] of [
    [390, 30, '30 days ago'],
    [800, 60, '60 days ago'],
    [1280, 90, '90 days ago'],
  ] as const) {
    it(`at ${width} px the bars show ${days} days and the words under them say so`, async () => {
      const { page, context } = await open('', { viewport: { width, height: 900 } });
      assert.equal(await visibleDays(page), days);
      const words = page.locator('[data-component="api"] .strip-window');
      assert.equal((await words.innerText()).replace(/\s+/g, ' ').trim(), `${ago} Today`);
      // Today is still the last bar shown, at the end of the strip.
      const last = page.locator('[data-component="api"] .strip li').last();
      assert.ok(await last.isVisible());
      await context.close();
    });
  }

  it('in Persian on a phone the window is named in Persian, today still on the left end', async () => {
    const { page, context } = await open('fa/', PHONE);
    assert.equal(await visibleDays(page), 30);
    assert.match(await page.locator('[data-component="api"] .strip-window').innerText(), /۳۰ روز پیش/);
    const strip = await page.locator('[data-component="api"] .strip').boundingBox();
    const today = await page.locator('[data-component="api"] .strip li').last().boundingBox();
    assert.ok(strip && today && today.x - strip.x < 20, 'today is the leftmost bar in RTL');
    await context.close();
  });

  it('with the keyboard, the arrow keys move among the days shown only', async () => {
    const { page, context } = await open('', PHONE);
    const days = page.locator('[data-component="api"] .strip li');
    await days.last().focus();
    await page.keyboard.press('Home');
    const focused = await page.evaluate(() => [...document.activeElement!.parentElement!.children].indexOf(document.activeElement!));
    assert.equal(focused, 60, 'Home goes to the oldest day shown, 30 days back');
    assert.ok(await days.nth(60).isVisible());
    await context.close();
  });

  it('on a phone, nothing but the SLA table scrolls sideways, in a named focusable region, and the nav shows every link', async () => {
    const { page, context } = await open('components/api/', PHONE);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page itself is not wider than the phone');
    const region = page.getByRole('region', { name: 'REST API: SLA report' });
    assert.equal(await region.getAttribute('tabindex'), '0');
    assert.ok(await region.evaluate((el) => el.scrollWidth > el.clientWidth), 'the table scrolls inside its region');
    const headers = await region.locator('thead th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().height));
    assert.ok(Math.max(...headers) < 30, `each header on one line (heights ${headers.join(', ')})`);
    const measure = page.getByRole('navigation', { name: /./ }).first().getByRole('link', { name: 'How we measure' });
    const box = await measure.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `"How we measure" is on screen (${JSON.stringify(box)})`);
    const { violations } = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(
      violations.map((v) => v.id),
      [],
    );
    await context.close();
  });

  it('the response-time chart has round ticks (1, 2 or 5 × a power of ten, evenly spaced)', async () => {
    const { page, context } = await open('components/api/');
    const ticks = await page.locator('[data-period="daily"] .chart-y span').allTextContents();
    const values = ticks.map((s) => Number(s.replace(/[^\d.]/g, '')));
    assert.ok(values.length >= 3, `ticks: ${ticks.join(' | ')}`);
    assert.equal(values[0], 0);
    const step = values[1];
    assert.match(String(step / 10 ** Math.floor(Math.log10(step))), /^(1|2|5)$/, `step ${step}`);
    assert.deepEqual(
      values,
      values.map((_, i) => i * step),
      `ticks: ${ticks.join(' | ')}`,
    );
    await context.close();
  });

  it('one response-time chart and one lag chart per component, each check in a closed table under it', async () => {
    const { page, context } = await open('components/web/');
    const response = page.locator('section[aria-labelledby="response"]');
    assert.equal(await response.locator('figure').count(), 1);
    assert.equal(await response.locator('figcaption').innerText(), 'All checks of this component (3) merged: median (p50) and 95th percentile (p95)');
    const breakdown = response.locator('details[data-breakdown]');
    assert.equal(await breakdown.getAttribute('open'), null, 'closed until asked for');
    await breakdown.locator('summary').click();
    // The heartbeat's run time is not a response time: three checks, not four.
    assert.deepEqual(await breakdown.locator('tbody th').allInnerTexts(), ['Web app loads', 'Email sync freshness', 'Create and find a contact']);
    assert.match(await breakdown.locator('tr[data-check-row="web"]').innerText(), /^Web app loads\s+\d+ ms\s+\d+ ms\s+\d+ ms\s+\d+ ms$/);
    const lag = page.locator('section[aria-labelledby="lag"]');
    assert.equal(await lag.locator('figure').count(), 1);
    await lag.locator('details[data-breakdown] summary').click();
    assert.match(await lag.locator('tr[data-check-row="web-sync"]').innerText(), /Slow above 15 min, failing above 30 min\./);
    await context.close();
  });

  it('the time axis: dates in order ending today, and every six hours in the site zone over 24 hours', async () => {
    const { page, context } = await open('components/api/');
    const daily = page.locator('[data-period="daily"] .chart-x span');
    const labels = await daily.allInnerTexts();
    const times = labels.map((l) => Date.parse(`${l} 2026 12:00Z`));
    assert.ok(labels.length >= 3 && times.every((t) => !Number.isNaN(t)), `labels: ${labels.join(' | ')}`);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
      `in order: ${labels.join(' | ')}`,
    );
    assert.equal(labels.at(-1), 'Nov 23', 'the last date is today');
    const xs = await daily.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
      'left to right',
    );
    await page.getByText('Last 24 hours').first().click();
    const hours = await page.locator('[data-period="hourly"] .chart-x span').allInnerTexts();
    // Prague is UTC+1 in November: the last 24 hours up to 13:00 hold 18:00, 00:00, 06:00 and 12:00.
    assert.deepEqual(hours, ['6:00 PM', '12:00 AM', '6:00 AM', '12:00 PM']);
    await context.close();
  });

  for (const lang of ['', 'fa/']) {
    it(`on a 360 px phone${lang ? ' in Persian' : ''} the axis text is at least 11 CSS px and no label is over the plot`, async () => {
      const { page, context } = await open(`${lang}components/web/`, { viewport: { width: 360, height: 800 } });
      for (const period of ['daily', 'hourly']) {
        if (period === 'hourly') await page.locator('section[aria-labelledby="response"] fieldset label').nth(1).click();
        const panel = page.locator(`section[aria-labelledby="response"] [data-period="${period}"]`);
        const plot = (await panel.locator('.chart-plot').boundingBox())!;
        const labels = await panel.locator('.chart-y span, .chart-x span').evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return { text: e.textContent, size: Number.parseFloat(getComputedStyle(e).fontSize), x: r.x, y: r.y, w: r.width, h: r.height };
          }),
        );
        assert.ok(labels.length >= 6, `${period}: ${labels.length} labels`);
        for (const l of labels) {
          assert.ok(l.size >= 11, `${period} "${l.text}" is ${l.size} px`);
          const overlaps = l.x < plot.x + plot.width && l.x + l.w > plot.x && l.y < plot.y + plot.height && l.y + l.h > plot.y;
          assert.ok(!overlaps, `${period} "${l.text}" ${JSON.stringify(l)} is over the plot ${JSON.stringify(plot)}`);
          assert.ok(l.x >= 0 && l.x + l.w <= 360, `${period} "${l.text}" is on screen`);
        }
      }
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page is not wider than the phone');
      await context.close();
    });
  }

  it("in Persian the newest point is at the same end as today's bar (the left), in English at the right", async () => {
    for (const [lang, side] of [
      ['fa/', 'left'],
      ['', 'right'],
    ] as const) {
      const { page, context } = await open(`${lang}components/api/`);
      const strip = (await page.locator('.strip').boundingBox())!;
      const today = (await page.locator('.strip li').last().boundingBox())!;
      const plot = (await page.locator('[data-period="daily"] .chart-plot').boundingBox())!;
      const newest = (await page.locator('[data-period="daily"] rect[data-x]').last().boundingBox())!;
      const oldest = (await page.locator('[data-period="daily"] rect[data-x]').first().boundingBox())!;
      const atLeft = (box: { x: number }, outer: { x: number; width: number }) => box.x - outer.x < outer.width / 2;
      assert.equal(atLeft(today, strip) ? 'left' : 'right', side, `${lang || 'en'}: today's bar`);
      assert.equal(atLeft(newest, plot) ? 'left' : 'right', side, `${lang || 'en'}: the newest point`);
      assert.ok(side === 'left' ? newest.x < oldest.x : newest.x > oldest.x, 'time runs the same way');
      const dates = page.locator('[data-period="daily"] .chart-x span');
      const [first, last] = [(await dates.first().boundingBox())!, (await dates.last().boundingBox())!];
      assert.ok(side === 'left' ? last.x < first.x : last.x > first.x, "today's date at the same end");
      if (lang) assert.match(await dates.last().innerText(), /^[۰-۹]+ آذر$/, 'Persian digits and month');
      await context.close();
    }
  });

  it('with the keyboard the plot is one tab stop; ArrowLeft shows the day before, as its table row says', async () => {
    const { page, context } = await open('components/web/');
    const figure = page.locator('section[aria-labelledby="response"] figure');
    const plot = figure.locator('[data-period="daily"] [data-plot]');
    await figure.locator('input[value="daily"]').focus();
    await page.keyboard.press('Tab');
    assert.ok(await plot.evaluate((el) => el === document.activeElement), 'Tab goes from the period buttons to the plot');
    assert.match((await plot.getAttribute('aria-describedby')) ?? '', /-hint$/);
    const tip = plot.locator('.chart-tip');
    assert.match(await tip.innerText(), /^Nov 23, 2026: p50 \d+ ms, p95 \d+ ms$/, 'focus shows the newest day');
    await page.keyboard.press('ArrowLeft');
    const words = await tip.innerText();
    assert.equal(await figure.locator('[data-live]').innerText(), words, 'screen readers hear the same');
    await figure.locator('[data-period="daily"] details summary').click();
    const [date, p50, p95] = await figure.locator('[data-period="daily"] tbody tr').nth(1).locator('th, td').allInnerTexts();
    assert.equal(words, `${date}: p50 ${p50}, p95 ${p95}`);
    assert.equal(date, 'Nov 22, 2026');
    // One tab stop: the next Tab leaves the plot for the table under it.
    await plot.focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Show as a table');
    // The pointer moves the marker too: over the oldest point.
    const box = (await plot.boundingBox())!;
    const oldest = (await plot.locator('rect[data-x]').first().boundingBox())!;
    await page.mouse.move(oldest.x + oldest.width / 2, box.y + box.height / 2);
    assert.match(await tip.innerText(), /^Nov 20, 2026: p50/);
    await context.close();
  });

  it('on a touch screen a tap shows a point, and a tap elsewhere hides it', async () => {
    const { page, context } = await open('components/web/', { viewport: { width: 360, height: 800 }, hasTouch: true, isMobile: true });
    const plot = page.locator('section[aria-labelledby="response"] [data-period="daily"] [data-plot]');
    await plot.scrollIntoViewIfNeeded();
    const oldest = (await plot.locator('rect[data-x]').first().boundingBox())!;
    const box = (await plot.boundingBox())!;
    await page.touchscreen.tap(oldest.x + oldest.width / 2, box.y + box.height / 2);
    assert.match(await plot.locator('.chart-tip').innerText(), /^Nov 20, 2026: p50 \d+ ms, p95 \d+ ms$/);
    assert.equal(await plot.locator('.chart-tip').isVisible(), true, 'still there after the finger lifts');
    const heading = (await page.locator('#response').boundingBox())!;
    await page.touchscreen.tap(heading.x + 5, heading.y + 5);
    assert.equal(await plot.locator('.chart-tip').isVisible(), false);
    await context.close();
  });

  it('in Persian ArrowRight goes back in time (the plot runs right to left)', async () => {
    const { page, context } = await open('fa/components/web/');
    const plot = page.locator('section[aria-labelledby="response"] [data-period="daily"] [data-plot]');
    await plot.focus();
    const newest = await plot.locator('.chart-tip').innerText();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await plot.locator('.chart-tip').innerText(), newest, 'nothing newer than today');
    await page.keyboard.press('ArrowRight');
    assert.match(await plot.locator('.chart-tip').innerText(), /^۱ آذر ۱۴۰۵/);
    await context.close();
  });

  it('without JavaScript: the 24 hours by the radio buttons, a tooltip per point, and the tables', async () => {
    const { page, context } = await open('components/web/', { javaScriptEnabled: false });
    const figure = page.locator('section[aria-labelledby="response"] figure');
    assert.equal(await figure.locator('[data-plot]').first().getAttribute('tabindex'), null, 'no dead tab stop without the script');
    const rows = figure.locator('[data-period="daily"] tbody tr');
    const titles = await figure.locator('[data-period="daily"] rect title').allTextContents();
    assert.equal(titles.length, await rows.count());
    assert.match(titles.at(-1)!, /^Nov 23, 2026: p50 \d+ ms, p95 \d+ ms$/);
    assert.equal(await figure.locator('[data-period="hourly"]').isVisible(), false);
    await figure.locator('input[value="daily"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await figure.locator('[data-period="hourly"]').isVisible(), true, 'the arrow key picks 24 hours');
    assert.equal(await figure.locator('[data-period="daily"]').isVisible(), false);
    await figure.locator('[data-period="hourly"] details summary').click();
    assert.ok((await figure.locator('[data-period="hourly"] tbody tr').count()) >= 20);
    assert.equal(await figure.getByRole('radio', { name: 'Last 24 hours' }).isChecked(), true);
    await context.close();
  });
});

describe('a site in Tehran: the chart’s days are the bars’ days', async () => {
  // Ten days of samples every 10 minutes, 100 ms; slow (900 ms, degraded) for the first three hours
  // of two Tehran days (enough to move a day's p95), which is the evening before in UTC: 18 November (a day read from the rollup
  // file) and 22 November (read from raw samples, as the build reads the last two days).
  const NOW = Date.parse('2026-11-23T12:00:00Z');
  const slow = [Date.parse('2026-11-17T20:30:00Z'), Date.parse('2026-11-21T20:30:00Z')];
  const isSlow = (t: number) => slow.some((s) => t >= s && t < s + 3 * 3_600_000);
  const samples: Sample[] = [];
  for (let t = NOW - 10 * 86_400_000; t < NOW; t += 10 * 60_000)
    samples.push({
      time: new Date(t).toISOString().replace('.000Z', 'Z'),
      check: 'api',
      region: 'default',
      attempts: 1,
      ...(isSlow(t) ? { outcome: 'degraded', latencyMs: 900, reason: 'slow' } : { outcome: 'up', latencyMs: 100 }),
    });
  const checks = await writeTree({
    'site.yml':
      'site:\n  title: Tehran CRM Status\n  vendor: Tehran CRM\n  time_zone: Asia/Tehran\n  language: en\ndefaults:\n  interval: 10m\ncomponents:\n  - id: api\n    name: REST API\n',
    'api.yml': 'checks:\n  - id: api\n    name: API health\n    component: api\n    kind: http\n    url: http://127.0.0.1:9/\n',
  });
  const history = await tempDir();
  await appendSamples(history, samples);
  const env = { UPKEEP_NOW: new Date(NOW).toISOString() };
  const rolled = await upkeep(['rollup', '--checks', checks, '--history', history], env);
  assert.equal(rolled.code, 0, rolled.stderr);
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], env);
  assert.equal(built.code, 0, built.stderr);
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  after(() => server.stop());
  const browser = await launch();
  after(() => browser.close());

  it('the days the bars show slow are the days the chart shows slow, and no others', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    const slowBars = await page
      .locator('[data-component="api"] .strip li.st-degraded_performance')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').split(':')[0]));
    assert.deepEqual(slowBars, ['Nov 18, 2026', 'Nov 22, 2026']);
    await page.goto(`http://127.0.0.1:${server.port}/components/api/`);
    const rows = await page
      .locator('section[aria-labelledby="response"] [data-period="daily"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
    const slowDays = rows.filter(([, , p95]) => Number.parseInt(p95.replace(/\D/g, ''), 10) > 500).map(([day]) => day);
    assert.deepEqual(slowDays.sort(), ['Nov 18, 2026', 'Nov 22, 2026']);
    assert.equal(await page.getByText('One point per day', { exact: true }).count(), 1, 'the legend names no other zone');
    await page.close();
  });
});
