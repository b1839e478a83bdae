/**
 * The daily bars mark maintenance only on days something was watched: a component whose checks
 * began later than the site's shows "No data", not a maintenance foot, on the days before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { rollupDay, type DayRollup } from '../../src/status/rollup.ts';
import type { Sample } from '../../src/status/sample.ts';
import { SITE_YML, writeTree } from '../helpers/temp.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

/** Hourly up samples of one check from `start` to NOW, rolled up per UTC day as `upkeep rollup` does. */
function hourly(check: string, start: number): DayRollup[] {
  const days: DayRollup[] = [];
  let before: { at: number; outcome: 'up' } | undefined;
  for (let day = Date.parse(new Date(start).toISOString().slice(0, 10)); day < NOW; day += 24 * HOUR) {
    const samples: Sample[] = [];
    for (let t = Math.max(day, start); t < Math.min(day + 24 * HOUR, NOW); t += HOUR) {
      samples.push({ time: new Date(t).toISOString().replace('.000Z', 'Z'), check, region: 'default', outcome: 'up', attempts: 1, latencyMs: 50 });
    }
    days.push(rollupDay({ day: new Date(day).toISOString().slice(0, 10), check, region: 'default', capMs: 2 * HOUR, samples, before, end: NOW }));
    const last = samples.at(-1);
    if (last) before = { at: Date.parse(last.time), outcome: 'up' };
  }
  return days;
}

describe('daily bars: maintenance before monitoring began', async () => {
  const dir = await writeTree({
    'site.yml': SITE_YML,
    'checks.yml': `checks:
  - id: api
    name: API
    component: api
    kind: http
    url: http://127.0.0.1:9/
  - id: web
    name: Web
    component: web
    kind: http
    url: http://127.0.0.1:9/
`,
    'maintenance.yml': `maintenance:
  - id: old
    title: Old window
    components: [api, web, email]
    start: 2026-11-18T02:00:00Z
    end: 2026-11-18T03:00:00Z
  - id: first-morning
    title: Before the web check's first sample, that same day
    components: [web]
    start: 2026-11-21T08:00:00Z
    end: 2026-11-21T09:00:00Z
  - id: watched
    title: After it
    components: [web]
    start: 2026-11-22T02:00:00Z
    end: 2026-11-22T03:00:00Z
`,
  });
  const { config, errors } = await loadConfig(dir, { env: {} });
  assert.ok(config, JSON.stringify(errors));
  // The API is watched from 13 November, the web app only from 21 November 12:00 UTC; nothing watches email sync.
  const days = [...hourly('api', Date.parse('2026-11-13T00:00:00Z')), ...hourly('web', Date.parse('2026-11-21T12:00:00Z'))];
  const view = buildViewModel({ config, days, recent: [], now: new Date(NOW) });
  const bar = (component: string, date: string) => {
    const b = view.components.find((c) => c.id === component)!.bars.find((x) => x.date === date);
    assert.ok(b, `${component} has a bar for ${date}`);
    return { maintenance: b.maintenance, status: b.status };
  };

  for (const [component, date, want, why] of [
    ['api', '2026-11-18', { maintenance: true, status: 'operational' }, 'watched then: the window shows'],
    ['web', '2026-11-18', { maintenance: false, status: 'nodata' }, 'before its first sample, though the API was watched'],
    ['email', '2026-11-18', { maintenance: false, status: 'nodata' }, 'never watched'],
    ['web', '2026-11-21', { maintenance: false, status: 'operational' }, 'the window ended before the first sample of that day'],
    ['web', '2026-11-22', { maintenance: true, status: 'operational' }, 'watched then'],
  ] as const) {
    it(`${component} on ${date}: ${why}`, () => {
      assert.deepEqual(bar(component, date), want);
    });
  }
});
