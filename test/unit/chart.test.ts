/**
 * A component's one chart: its checks merged by day (histograms) and by hour (exact), the hours of
 * the site zone, the axis ticks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRollup, parseRollup } from '../../src/history/rollups.ts';
import { componentSeries, dayTicks, hourStart, hourTicks, yTicks } from '../../src/site/chart.ts';
import { dayOfMonth } from '../../src/text/format.ts';
import { dailyBars } from '../../src/status/report.ts';
import { bucketOf, histPercentiles, mergeHist, rollupDay, utcDay } from '../../src/status/rollup.ts';
import type { Sample } from '../../src/status/sample.ts';
import { dayKey } from '../../src/time/tz.ts';

const NOW = Date.parse('2026-11-23T12:10:00Z');
const MIN = 60_000;

const sample = (check: string, at: number, latencyMs: number | undefined, extra: Partial<Sample> = {}): Sample => ({
  time: new Date(at).toISOString().replace('.000Z', 'Z'),
  check,
  region: 'default',
  outcome: 'up',
  attempts: 1,
  ...(latencyMs === undefined ? {} : { latencyMs }),
  ...extra,
});
const day = (check: string, date: string, samples: Sample[]) => rollupDay({ day: date, check, region: 'default', capMs: 20 * MIN, samples });

describe('the merged series', () => {
  const start = Date.parse('2026-11-22T00:00:00Z');
  const a = Array.from({ length: 10 }, (_, i) => sample('a', start + i * 10 * MIN, 100 + i));
  const b = Array.from({ length: 10 }, (_, i) => sample('b', start + i * 10 * MIN, 1000 + 10 * i));
  const a23 = [sample('a', NOW - 20 * MIN, 40), sample('a', NOW - 5 * MIN, undefined, { outcome: 'down' })];
  const checks = [
    { days: [day('a', '2026-11-22', a), day('a', '2026-11-23', a23)], samples: [...a, ...a23] },
    { days: [day('b', '2026-11-22', b)], samples: b },
  ];
  const series = componentSeries('latency', checks, NOW, 'UTC');

  it('by day: from the first day with data (a week at least) to today; two rollups merged by histogram, one kept exact', () => {
    assert.equal(series.checks, 2);
    assert.equal(series.daily.length, 7);
    assert.equal(series.daily.at(-1)!.at, '2026-11-23');
    assert.equal(series.daily[0].at, '2026-11-17');
    const merged = histPercentiles(mergeHist(mergeHist({}, checks[0].days[0].hist), checks[1].days[0].hist))!;
    assert.deepEqual(series.daily.at(-2), { at: '2026-11-22', p50: merged.p50, p95: merged.p95, samples: 20 });
    // Today: one rollup, its exact figures; the failed probe is no answer.
    assert.deepEqual(series.daily.at(-1), { at: '2026-11-23', p50: 40, p95: 40, samples: 1 });
    assert.deepEqual(series.daily[0], { at: '2026-11-17', samples: 0 });
  });

  it('by hour: 24 hours, the newest the one running now, exact over both checks', () => {
    assert.equal(series.hourly.length, 24);
    assert.equal(series.hourly.at(-1)!.at, '2026-11-23T12:00:00.000Z');
    assert.deepEqual(series.hourly.at(-1), { at: '2026-11-23T12:00:00.000Z', samples: 0 });
    assert.deepEqual(series.hourly.at(-2), { at: '2026-11-23T11:00:00.000Z', p50: 40, p95: 40, samples: 1 });
    assert.equal(series.hourly[0].at, '2026-11-22T13:00:00.000Z');
    assert.equal(
      series.hourly.every((h) => h.samples === 0 || h.at.startsWith('2026-11-23T11')),
      true,
      'the 22nd’s samples are more than 24 hours old',
    );
  });

  it('lag: every sample that measured one, whatever its outcome', () => {
    const lagged = [sample('s', NOW - 30 * MIN, 10, { lagMs: 60_000 }), sample('s', NOW - 25 * MIN, undefined, { outcome: 'down', lagMs: 120_000 })];
    const lag = componentSeries('lag', [{ days: [day('s', '2026-11-23', lagged)], samples: lagged }], NOW, 'UTC');
    assert.deepEqual(lag.hourly.at(-2), { at: '2026-11-23T11:00:00.000Z', p50: 60_000, p95: 120_000, samples: 2 });
    assert.deepEqual(lag.daily.at(-1), { at: '2026-11-23', p50: 60_000, p95: 120_000, samples: 2 });
  });
});

describe('the days are the site zone’s, the same days as the 90-day bars', () => {
  // Every 10 minutes for 40 days (over the US change back from daylight saving on 1 November), a
  // latency that changes every sample and a failed probe every 13th; rolled up per UTC day and
  // written to and read back from the rollup file format, as the build reads them.
  const from = Date.parse('2026-10-14T00:00:00Z');
  const all = Array.from({ length: (NOW - from) / (10 * MIN) }, (_, i) =>
    sample('a', from + i * 10 * MIN, 40 + ((i * 37) % 400), i % 13 === 0 ? { outcome: 'down' } : {}),
  );
  const utcDays = [...new Set(all.map((s) => s.time.slice(0, 10)))];
  const rolledUp = (timeZone?: string) =>
    utcDays.map((d) => {
      const row = rollupDay({ day: d, check: 'a', region: 'default', capMs: 20 * MIN, samples: all.filter((s) => s.time.startsWith(d)), timeZone, end: NOW });
      return parseRollup(formatRollup(row))!;
    });

  for (const zone of ['Asia/Tehran', 'America/Los_Angeles', 'Asia/Kathmandu', 'UTC']) {
    it(`${zone}: each day holds the answered samples of that day on the bars, near midnight too`, () => {
      const series = componentSeries('latency', [{ days: rolledUp(zone), samples: [] }], NOW, zone);
      const bars = dailyBars([{ start: from, end: NOW, state: 'operational' }], [], zone, NOW, 90);
      const shown = bars.slice(-series.daily.length);
      assert.deepEqual(
        series.daily.map((p) => p.at),
        shown.map((b) => b.date),
      );
      for (const [i, point] of series.daily.entries()) {
        const mine = all.filter((s) => s.outcome !== 'down' && Date.parse(s.time) >= shown[i].start && Date.parse(s.time) < shown[i].end);
        const hist: Record<number, number> = {};
        for (const s of mine) hist[bucketOf(s.latencyMs!)] = (hist[bucketOf(s.latencyMs!)] ?? 0) + 1;
        const p = histPercentiles(hist);
        assert.equal(point.samples, mine.length, `${zone} ${point.at}`);
        // UTC keeps a whole day's exact figures; elsewhere the day's are read from its parts' histograms.
        if (zone !== 'UTC') assert.deepEqual([point.p50, point.p95], [p?.p50, p?.p95], `${zone} ${point.at}`);
      }
    });
  }

  it('a rollup cut for no zone (or another) goes whole to the site day holding its noon', () => {
    const rows = rolledUp();
    const series = componentSeries('latency', [{ days: rows, samples: [] }], NOW, 'Asia/Tehran');
    const point = series.daily.find((p) => p.at === '2026-11-20')!;
    // Tehran's 20 November holds the UTC day's noon: it shows the UTC 20th's samples.
    const utc20 = histPercentiles(rows.find((r) => r.day === '2026-11-20')!.hist)!;
    assert.deepEqual(point, {
      at: '2026-11-20',
      p50: utc20.p50,
      p95: utc20.p95,
      samples: all.filter((s) => s.outcome !== 'down' && utcDay(Date.parse(s.time)) === '2026-11-20').length,
    });
  });

  it('lag is cut at the same midnights', () => {
    const lagged = all.map((s, i) => ({ ...s, lagMs: 1000 * (i % 50) }));
    const rows = utcDays.map(
      (d) =>
        parseRollup(
          formatRollup(
            rollupDay({
              day: d,
              check: 's',
              region: 'default',
              capMs: 20 * MIN,
              samples: lagged.filter((s) => s.time.startsWith(d)),
              timeZone: 'America/Los_Angeles',
              end: NOW,
            }),
          ),
        )!,
    );
    const series = componentSeries('lag', [{ days: rows, samples: [] }], NOW, 'America/Los_Angeles');
    for (const point of series.daily)
      assert.equal(point.samples, lagged.filter((s) => dayKey(Date.parse(s.time), 'America/Los_Angeles') === point.at).length, point.at);
  });
});

describe('the axis', () => {
  it('hours start on the site zone’s hour, also where it is a half or three quarters of an hour off UTC', () => {
    for (const [zone, expected] of [
      ['UTC', '2026-11-23T12:00:00.000Z'],
      ['Europe/Prague', '2026-11-23T12:00:00.000Z'],
      ['Asia/Tehran', '2026-11-23T11:30:00.000Z'],
      ['Asia/Kathmandu', '2026-11-23T11:15:00.000Z'],
    ] as const)
      assert.equal(new Date(hourStart(NOW, zone)).toISOString(), expected, zone);
  });

  it('round y ticks from zero, the top at or above the highest value', () => {
    for (const [values, ticks] of [
      [[633], [0, 500, 1000]],
      [
        [12, 117],
        [0, 50, 100, 150],
      ],
      [[3], [0, 5, 10]],
      [[1900], [0, 1000, 2000]],
    ] as const)
      assert.deepEqual(yTicks(values).ticks, ticks, String(values));
    // Lag: 9.5 minutes is 0, 5 and 10 minutes (not 200,000 ms steps, which read "3 min", "6 min").
    assert.deepEqual(yTicks([570_000], 'lag').ticks, [0, 300_000, 600_000]);
    assert.deepEqual(yTicks([100, 45_000], 'lag').ticks, [0, 15_000, 30_000, 45_000]);
    assert.deepEqual(yTicks([120], 'lag').ticks, [0, 50, 100, 150]);
  });

  it('day ticks: counted back from today on short spans, month starts in the language’s calendar over 60 days', () => {
    const days = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse('2026-11-23') - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
    assert.deepEqual(
      dayTicks(days(4), () => false),
      [0, 1, 2, 3],
    );
    assert.deepEqual(
      dayTicks(days(7), () => false),
      [0, 2, 4, 6],
    );
    assert.deepEqual(
      dayTicks(days(30), () => false),
      [1, 8, 15, 22, 29],
    );
    const ninety = days(90);
    assert.deepEqual(
      dayTicks(ninety, (d) => dayOfMonth(d, 'en') === 1).map((i) => ninety[i]),
      ['2026-09-01', '2026-10-01', '2026-11-01'],
    );
    // Persian: 1 Mehr, 1 Aban, 1 Azar of the Solar Hijri calendar.
    assert.deepEqual(
      dayTicks(ninety, (d) => dayOfMonth(d, 'fa') === 1).map((i) => ninety[i]),
      ['2026-09-23', '2026-10-23', '2026-11-22'],
    );
  });

  it('hour ticks every six hours of the site zone', () => {
    const hours = Array.from({ length: 24 }, (_, i) => new Date(Date.parse('2026-11-22T13:00:00Z') + i * 3_600_000).toISOString());
    assert.deepEqual(
      hourTicks(hours, 'Europe/Prague').map((i) => hours[i]),
      ['2026-11-22T17:00:00.000Z', '2026-11-22T23:00:00.000Z', '2026-11-23T05:00:00.000Z', '2026-11-23T11:00:00.000Z'],
    );
  });
});
