import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { carryDays, monthEvidence, repositoryUrl, type SampleLog } from '../../src/history/evidence.ts';
import { csvField } from '../../src/site/statement.ts';
import { monthOutages, slaForMonth } from '../../src/status/report.ts';
import type { ComponentStatus } from '../../src/status/vocabulary.ts';

const T = (hm: string) => Date.parse(`2026-11-10T${hm}:00Z`);
const seg = (a: string, b: string, state: ComponentStatus) => ({ start: T(a), end: T(b), state });

describe('monthOutages: what the SLA counted, outage by outage', () => {
  const scenarios: { name: string; timeline: ReturnType<typeof seg>[]; maintenance: { start: number; end: number }[]; want: [string, string, number][] }[] = [
    {
      name: 'one run of partial then major outage',
      timeline: [
        seg('00:00', '01:00', 'operational'),
        seg('01:00', '01:10', 'partial_outage'),
        seg('01:10', '01:30', 'major_outage'),
        seg('01:30', '02:00', 'operational'),
      ],
      maintenance: [],
      want: [['01:00', '01:30', 30]],
    },
    {
      name: 'a gap of no data inside does not end it and is not counted',
      timeline: [
        seg('00:00', '01:00', 'major_outage'),
        seg('01:00', '01:20', 'nodata'),
        seg('01:20', '01:30', 'major_outage'),
        seg('01:30', '02:00', 'operational'),
      ],
      maintenance: [],
      want: [['00:00', '01:30', 70]],
    },
    {
      name: 'maintenance inside it is not counted (as on the component page, it does not end it)',
      timeline: [seg('00:00', '02:00', 'major_outage')],
      maintenance: [{ start: T('00:30'), end: T('01:00') }],
      want: [['00:00', '02:00', 90]],
    },
    { name: 'degraded is not an outage', timeline: [seg('00:00', '02:00', 'degraded_performance')], maintenance: [], want: [] },
  ];
  for (const s of scenarios)
    it(s.name, () => {
      const got = monthOutages(s.timeline, s.maintenance, T('00:00'), T('02:00')).map((o) => [
        new Date(o.start).toISOString().slice(11, 16),
        new Date(o.end).toISOString().slice(11, 16),
        o.downMs / 60_000,
      ]);
      assert.deepEqual(got, s.want);
    });

  it('the outages of a month add up to its used downtime, and the excluded windows are listed cut to the month', () => {
    const timeline = [
      seg('00:00', '01:00', 'major_outage'),
      seg('01:00', '03:00', 'operational'),
      seg('03:00', '03:15', 'partial_outage'),
      { start: T('03:15'), end: Date.parse('2026-12-01T00:00:00Z'), state: 'operational' as const },
    ];
    const maintenance = [
      { start: T('00:40'), end: T('00:50') },
      { start: Date.parse('2026-11-30T23:00:00Z'), end: Date.parse('2026-12-01T02:00:00Z') },
    ];
    const m = slaForMonth(timeline, maintenance, {
      year: 2026,
      month: 11,
      timeZone: 'UTC',
      target: 99.9,
      credits: [],
      now: Date.parse('2026-12-05T00:00:00Z'),
    });
    assert.equal(
      m.outages.reduce((a, o) => a + o.downMs, 0),
      m.usedMs,
    );
    assert.equal(m.usedMs, 65 * 60_000);
    assert.deepEqual(m.maintenance.at(-1), { start: Date.parse('2026-11-30T23:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') });
  });
});

describe('evidence', () => {
  it('repositoryUrl: CI variables, then origin without credentials; nothing for other remotes', () => {
    const table: [Record<string, string>, string | undefined, string | undefined][] = [
      [{ GITHUB_REPOSITORY: 'acme/status', GITHUB_SERVER_URL: 'https://ghe.acme.example/' }, undefined, 'https://ghe.acme.example/acme/status'],
      [{ GITHUB_REPOSITORY: 'acme/status' }, undefined, 'https://github.com/acme/status'],
      [{}, 'https://user:token@github.com/acme/status.git', 'https://github.com/acme/status'],
      [{}, 'git@github.com:acme/status.git', 'https://github.com/acme/status'],
      [{}, 'ssh://git@github.com/acme/status', 'https://github.com/acme/status'],
      [{}, '/srv/git/status.git', undefined],
      [{}, 'file:///srv/git/status', undefined],
      [{ GITHUB_REPOSITORY: 'acme/status', GITHUB_SERVER_URL: 'javascript:alert(1)' }, undefined, undefined],
    ];
    for (const [env, origin, want] of table) assert.equal(repositoryUrl(env, origin), want, JSON.stringify([env, origin]));
  });

  it('monthEvidence: the newest commit among the month files closes it; no links without a repository', () => {
    const log: SampleLog = {
      head: 'h',
      files: [
        { path: 'history/samples/2026-10-31.eu.tsv', day: '2026-10-31', commit: 'c3', order: 3 },
        { path: 'history/samples/2026-11-01.eu.tsv', day: '2026-11-01', commit: 'c2', order: 2 },
        { path: 'history/samples/2026-11-30.eu.tsv', day: '2026-11-30', commit: 'c1', order: 1 },
        { path: 'history/samples/2026-12-01.eu.tsv', day: '2026-12-01', commit: 'c0', order: 0 },
      ],
    };
    const e = monthEvidence(log, { start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z'), running: false });
    assert.equal(e.commit, 'c1');
    assert.deepEqual(
      e.files.map((f) => [f.day, f.carry, f.url]),
      [
        ['2026-10-31', true, undefined],
        ['2026-11-01', false, undefined],
        ['2026-11-30', false, undefined],
      ],
    );
    assert.equal(carryDays([1_200_000]), 1);
    assert.equal(carryDays([2 * 86_400_000 + 1]), 3);
  });

  it('csvField quotes by RFC 4180', () => {
    assert.deepEqual(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 99.93].map(csvField), ['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '', '99.93']);
  });
});
