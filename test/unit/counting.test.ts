import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentRule, componentTimeline, windowStats } from '../../src/status/component.ts';
import { sampleTimeline, quorumRule, type TimedOutcome } from '../../src/status/timeline.ts';

const M = 60_000;
const pts = (...list: [number, TimedOutcome['outcome']][]) => list.map(([min, outcome]) => ({ at: min * M, outcome }));
const show = (segs: { start: number; end: number; state: string }[]) => segs.map((s) => `${s.start / M}-${s.end / M} ${s.state}`);

describe('counting rules', () => {
  const timelines: { name: string; points: TimedOutcome[]; cap: number; from: number; to: number; expected: string[] }[] = [
    {
      name: 'a sample covers until the next one',
      points: pts([0, 'up'], [5, 'down'], [10, 'up']),
      cap: 10,
      from: 0,
      to: 15,
      expected: ['0-5 up', '5-10 down', '10-15 up'],
    },
    {
      name: 'coverage is capped at twice the interval; the rest is no data',
      points: pts([0, 'up'], [30, 'up']),
      cap: 10,
      from: 0,
      to: 40,
      expected: ['0-10 up', '10-30 nodata', '30-40 up'],
    },
    { name: 'time before the first sample is no data', points: pts([20, 'up']), cap: 10, from: 0, to: 25, expected: ['0-20 nodata', '20-25 up'] },
    {
      name: 'a sample before the window still covers into it',
      points: pts([-4, 'down'], [2, 'up']),
      cap: 10,
      from: 0,
      to: 5,
      expected: ['0-2 down', '2-5 up'],
    },
    { name: 'no samples at all is all no data', points: [], cap: 10, from: 0, to: 60, expected: ['0-60 nodata'] },
    { name: 'equal neighbours merge', points: pts([0, 'up'], [5, 'up'], [10, 'degraded']), cap: 10, from: 0, to: 12, expected: ['0-10 up', '10-12 degraded'] },
  ];
  for (const t of timelines) {
    it(t.name, () => assert.deepEqual(show(sampleTimeline(t.points, t.cap * M, t.from * M, t.to * M)), t.expected));
  }

  const rules: { name: string; roles: boolean[]; downWhen: 'any' | 'all'; states: string[]; expected: string }[] = [
    { name: 'all checks up', roles: [true, true], downWhen: 'any', states: ['up', 'up'], expected: 'operational' },
    { name: 'one of two critical checks down (any)', roles: [true, true], downWhen: 'any', states: ['down', 'up'], expected: 'partial_outage' },
    { name: 'every critical check down', roles: [true, true], downWhen: 'any', states: ['down', 'down'], expected: 'major_outage' },
    { name: 'one of two critical checks down (all)', roles: [true, true], downWhen: 'all', states: ['down', 'up'], expected: 'degraded_performance' },
    { name: 'a non-critical check down', roles: [true, false], downWhen: 'any', states: ['up', 'down'], expected: 'degraded_performance' },
    { name: 'a degraded check', roles: [true], downWhen: 'any', states: ['degraded'], expected: 'degraded_performance' },
    { name: 'no data from any check', roles: [true, true], downWhen: 'any', states: ['nodata', 'nodata'], expected: 'nodata' },
    { name: 'no data from one check; the other decides', roles: [true, true], downWhen: 'any', states: ['nodata', 'down'], expected: 'major_outage' },
  ];
  for (const r of rules) {
    it(`component: ${r.name}`, () => {
      const rule = componentRule(
        r.roles.map((critical) => ({ critical })),
        r.downWhen,
      );
      assert.equal(rule(r.states as never), r.expected);
    });
  }

  it('regions: down only when a majority of regions with data agree', () => {
    const q = quorumRule();
    assert.equal(q(['down']), 'down');
    assert.equal(q(['down', 'up']), 'up');
    assert.equal(q(['down', 'down', 'up']), 'down');
    assert.equal(q(['down', 'nodata', 'nodata']), 'down');
    assert.equal(q(['nodata', 'nodata']), 'nodata');
  });

  it('uptime = available / (observed − maintenance), with coverage beside it', () => {
    // 0–60 min: up 0–40, down 40–50, no data 50–60; maintenance 45–55.
    const check = sampleTimeline(pts([0, 'up'], [10, 'up'], [20, 'up'], [30, 'up'], [40, 'down']), 10 * M, 0, 60 * M);
    const comp = componentTimeline([{ role: { critical: true }, timeline: check }], 'any', 0, 60 * M);
    const stats = windowStats(comp, [{ start: 45 * M, end: 55 * M }], 0, 60 * M);
    assert.equal(stats.observedMs, 50 * M);
    assert.equal(stats.maintenanceMs, 5 * M); // 45–50 observed inside maintenance; 50–55 was no data
    assert.equal(stats.downMs, 5 * M); // 40–45
    assert.equal(stats.uptime, (40 / 45) * 100);
    assert.equal(stats.coverage, (50 / 60) * 100);
  });

  it('no observed time gives no uptime figure, never 100 %', () => {
    const stats = windowStats([{ start: 0, end: 60 * M, state: 'nodata' }], [], 0, 60 * M);
    assert.equal(stats.uptime, undefined);
    assert.equal(stats.coverage, 0);
  });

  it('degraded counts as available but is reported', () => {
    const stats = windowStats(
      [
        { start: 0, end: 10 * M, state: 'degraded_performance' },
        { start: 10 * M, end: 20 * M, state: 'operational' },
      ],
      [],
      0,
      20 * M,
    );
    assert.equal(stats.uptime, 100);
    assert.equal(stats.degradedMs, 10 * M);
  });
});
