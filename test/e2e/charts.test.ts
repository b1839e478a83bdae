import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { launch } from '../helpers/browser.ts';
import { buildFixtureSite } from '../helpers/site-fixture.ts';

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
    const ticks = await page.locator('figure svg').first().locator('text').allTextContents();
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
});
