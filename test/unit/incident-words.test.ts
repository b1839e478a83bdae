import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayStatus, headlineStatus, incidentsOnDay } from '../../src/status/declared.ts';
import { autoTitleOf, autoWords, reasonClass, reasonsFromMessage, titleIn, type AutoUpdate } from '../../src/site/incident-words.ts';
import { planIncidents } from '../../src/status/incidents.ts';

const H = 3_600_000;

describe('declared impact on a day', () => {
  const rows = [
    {
      name: 'a major incident makes a measured operational day a partial outage',
      measured: 'operational',
      impacts: ['major'],
      status: 'partial_outage',
      declared: true,
    },
    { name: 'measured worse than declared stays measured', measured: 'major_outage', impacts: ['minor'], status: 'major_outage', declared: false },
    { name: 'the worst of several incidents', measured: 'operational', impacts: ['minor', 'critical'], status: 'major_outage', declared: true },
    { name: 'impact none colours nothing', measured: 'operational', impacts: ['none'], status: 'operational', declared: false },
    { name: 'a day without data takes the declared impact', measured: 'nodata', impacts: ['minor'], status: 'degraded_performance', declared: true },
    { name: 'equal to measured is not declared', measured: 'partial_outage', impacts: ['major'], status: 'partial_outage', declared: false },
  ] as const;
  for (const r of rows)
    it(r.name, () => {
      assert.deepEqual(
        dayStatus(
          r.measured,
          r.impacts.map((impact) => ({ impact })),
        ),
        { status: r.status, declared: r.declared },
      );
    });

  it('an incident counts on every day it was open, an open one up to now', () => {
    const list = [
      { id: 'a', title: 'A', impact: 'major' as const, started: new Date(10 * H).toISOString(), resolvedAt: new Date(30 * H).toISOString() },
      { id: 'b', title: 'B', impact: 'minor' as const, started: new Date(47 * H).toISOString() },
    ];
    const ids = (start: number) => incidentsOnDay({ start: start * H, end: (start + 24) * H }, list, 50 * H).map((i) => i.id);
    assert.deepEqual([ids(0), ids(24), ids(48)], [['a'], ['a', 'b'], ['b']]);
  });

  it('the headline takes what open incidents declare', () => {
    assert.equal(headlineStatus('operational', ['major']), 'partial_outage');
    assert.equal(headlineStatus('under_maintenance', []), 'under_maintenance');
  });
});

describe('automatic incident words', () => {
  it('reads reason codes from an old message, never the values', () => {
    assert.deepEqual(
      reasonsFromMessage('Our checks show a major outage of X since 18:00 UTC (`status_503: HTTP 503, expected 2xx; assert_json: $.backlog is 4200`).'),
      ['status_503', 'assert_json'],
    );
    assert.deepEqual(reasonsFromMessage('X is operating normally again.'), []);
  });

  it('classes reasons as customers see them', () => {
    assert.equal(reasonClass('major_outage', ['status_503']), 'failing');
    assert.equal(reasonClass('degraded_performance', ['slow']), 'slow');
    assert.equal(reasonClass('degraded_performance', ['stale']), 'behind');
  });

  const base: AutoUpdate = {
    kind: 'open',
    component: 'REST API',
    status: 'major_outage',
    reasons: ['status_503'],
    since: '2026-11-20T18:00:00Z',
    at: '2026-11-20T18:00:01Z',
  };
  const rows: { lang: string; u: AutoUpdate; want: string }[] = [
    { lang: 'en', u: base, want: 'Requests to REST API are failing since 7:00 PM. We are investigating.' },
    {
      lang: 'en',
      u: { ...base, status: 'degraded_performance', reasons: ['slow'], kind: 'changed' },
      want: 'REST API is slow. Status now: Degraded performance.',
    },
    {
      lang: 'en',
      u: { ...base, component: 'Email sync', reasons: ['stale'], kind: 'reopen', at: '2026-11-20T20:00:00Z' },
      want: 'Email sync is behind again since 9:00 PM. We are investigating.',
    },
    {
      lang: 'en',
      u: { ...base, kind: 'resolved', status: 'operational', at: '2026-11-20T18:40:00Z' },
      want: 'REST API is working normally again. The problem lasted 40 min (7:00 PM to 7:40 PM).',
    },
    { lang: 'fa', u: base, want: 'درخواست‌ها به REST API ناموفق است، از ۱۹:۰۰. در حال بررسی هستیم.' },
    { lang: 'cs', u: base, want: 'Požadavky na REST API selhávají od 19:00. Zjišťujeme příčinu.' },
  ];
  for (const r of rows)
    it(`${r.lang}: ${r.u.kind}, ${r.u.reasons.join(',')}`, () => {
      assert.equal(autoWords(r.u, r.lang, 'Europe/Prague').replace(/\u202f/g, ' '), r.want);
    });

  it('Upkeep’s own titles are worded per language; a title a person changed is kept', () => {
    const at = (title: string) => ({ title, ...(autoTitleOf(title, 'REST API') ? { autoTitle: autoTitleOf(title, 'REST API') } : {}) });
    assert.equal(titleIn(at('REST API: major outage'), 'fa'), 'REST API: قطعی گسترده');
    assert.equal(titleIn(at('REST API (eu2): partial outage'), 'cs'), 'REST API (eu2): Částečný výpadek');
    assert.equal(titleIn(at('REST API: slow logins after the deploy'), 'fa'), 'REST API: slow logins after the deploy');
  });

  it('planning stores the failing checks’ reason codes beside the message', () => {
    const [open] = planIncidents({
      components: [
        {
          id: 'email',
          name: 'Email sync',
          status: 'major_outage',
          inMaintenance: false,
          failingSince: 0,
          reason: 'assert_json: $.backlog is 4200',
          reasonCodes: ['assert_json'],
        },
      ],
      incidents: [],
      now: 600_000,
      quietMs: H,
    });
    assert.equal(open.type, 'open');
    assert.deepEqual(open.type === 'open' && open.update.reasons, ['assert_json']);
  });
});
