import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incidentMetrics, planIncidents, type Action, type ComponentNow } from '../../src/status/incidents.ts';
import { componentsNow } from '../../src/status/components.ts';
import { rollupDay } from '../../src/status/rollup.ts';
import { applyIncidentActions, loadIncidents } from '../../src/history/incidents.ts';
import { tempDir } from '../helpers/temp.ts';

const NOW = Date.parse('2026-11-23T13:05:00Z');
const MIN = 60_000;
const comp = (status: ComponentNow['status'], extra: Partial<ComponentNow> = {}): ComponentNow => ({
  id: 'email',
  name: 'Email sync',
  status,
  inMaintenance: false,
  ...extra,
});
type Inc = Parameters<typeof planIncidents>[0]['incidents'][number];
const open = (component_status: string, extra: Partial<Inc> = {}): Inc => ({
  id: '2026-11-23-email',
  components: ['email'],
  impact: 'major',
  automatic: true,
  started: '2026-11-23T12:50:00Z',
  updates: [{ at: '2026-11-23T12:50:00Z', status: 'investigating', by: 'upkeep', component_status: component_status as never }],
  ...extra,
});
const plan = (c: ComponentNow, incidents: Inc[] = []) => planIncidents({ components: [c], incidents, now: NOW, quietMs: 30 * MIN });
const brief = (a: Action[]) => a.map((x) => `${x.type} ${x.id} ${x.update.status}${'impact' in x && x.impact ? ` ${x.impact}` : ''}`);

describe('planIncidents', () => {
  const scenarios: { name: string; c: ComponentNow; incidents?: Inc[]; expected: string[]; message?: RegExp }[] = [
    { name: 'all fine: nothing', c: comp('operational'), expected: [] },
    { name: 'no data: nothing (we do not know)', c: comp('nodata'), incidents: [open('major_outage')], expected: [] },
    {
      name: 'a confirmed outage opens one',
      c: comp('major_outage', { failingSince: NOW - 10 * MIN, reason: 'status_503: HTTP 503' }),
      expected: ['open 2026-11-23-email investigating critical'],
      message: /major outage of Email sync since 12:55 UTC \(`status_503: HTTP 503`\)/,
    },
    { name: 'degraded opens a minor one', c: comp('degraded_performance'), expected: ['open 2026-11-23-email investigating minor'] },
    { name: 'during maintenance: nothing', c: comp('major_outage', { inMaintenance: true }), expected: [] },
    { name: 'still down, same status: no noise', c: comp('partial_outage'), incidents: [open('partial_outage')], expected: [] },
    {
      name: 'worse: an update, impact raised',
      c: comp('major_outage'),
      incidents: [open('partial_outage')],
      expected: ['update 2026-11-23-email investigating critical'],
      message: /^Worse: Email sync now shows a major outage, after a partial outage/,
    },
    {
      name: 'better: an update, impact kept',
      c: comp('degraded_performance'),
      incidents: [open('major_outage', { impact: 'critical' })],
      expected: ['update 2026-11-23-email investigating'],
      message: /^Better/,
    },
    {
      name: 'an update keeps the status a person gave',
      c: comp('major_outage'),
      incidents: [open('partial_outage', { updates: [...open('partial_outage').updates, { at: '2026-11-23T13:00:00Z', status: 'identified', by: 'alice' }] })],
      expected: ['update 2026-11-23-email identified critical'],
    },
    {
      name: 'recovery resolves with the duration',
      c: comp('operational'),
      incidents: [open('major_outage')],
      expected: ['resolve 2026-11-23-email resolved'],
      message: /lasted 15m \(12:50 UTC to 13:05 UTC\)/,
    },
    {
      name: 'a flap inside the quiet period re-opens the same incident',
      c: comp('major_outage'),
      incidents: [
        open('major_outage', {
          updates: [...open('major_outage').updates, { at: '2026-11-23T12:55:00Z', status: 'resolved', by: 'upkeep', component_status: 'operational' }],
        }),
      ],
      expected: ['reopen 2026-11-23-email investigating critical'],
    },
    {
      name: 'after the quiet period it is a new incident, with a fresh id',
      c: comp('major_outage'),
      incidents: [
        open('major_outage', {
          started: '2026-11-23T11:00:00Z',
          updates: [
            { at: '2026-11-23T11:00:00Z', status: 'investigating', by: 'upkeep' },
            { at: '2026-11-23T12:00:00Z', status: 'resolved', by: 'upkeep' },
          ],
        }),
      ],
      expected: ['open 2026-11-23-email-2 investigating critical'],
    },
    {
      name: 'an incident a person resolved is not re-opened by Upkeep',
      c: comp('major_outage'),
      incidents: [open('major_outage', { updates: [...open('major_outage').updates, { at: '2026-11-23T13:00:00Z', status: 'resolved', by: 'alice' }] })],
      expected: ['open 2026-11-23-email-2 investigating critical'],
    },
    { name: "people's own incidents are left alone", c: comp('operational'), incidents: [open('major_outage', { automatic: false })], expected: [] },
  ];
  for (const s of scenarios) {
    it(s.name, () => {
      const actions = plan(s.c, s.incidents);
      assert.deepEqual(brief(actions), s.expected);
      if (s.message) assert.match(actions[0].update.message, s.message);
      for (const a of actions) assert.equal(a.update.by, 'upkeep');
    });
  }

  it('metrics: count, time to detect, time to resolve, longest', () => {
    const incidents = [
      {
        components: ['email'],
        started: '2026-11-02T10:00:00Z',
        updates: [
          { at: '2026-11-02T10:02:00Z', status: 'investigating' as const, message: 'x' },
          { at: '2026-11-02T11:00:00Z', status: 'resolved' as const, message: 'x' },
        ],
      },
      {
        components: ['email'],
        started: '2026-11-10T10:00:00Z',
        updates: [
          { at: '2026-11-10T10:04:00Z', status: 'investigating' as const, message: 'x' },
          { at: '2026-11-10T10:30:00Z', status: 'resolved' as const, message: 'x' },
        ],
      },
      { components: ['api'], started: '2026-11-10T10:00:00Z', updates: [{ at: '2026-11-10T10:04:00Z', status: 'investigating' as const, message: 'x' }] },
    ];
    const m = incidentMetrics(incidents, 'email', Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'));
    assert.deepEqual(m, { count: 2, mttdMs: 3 * MIN, mttrMs: 45 * MIN, longestMs: 60 * MIN });
  });
});

describe('time to detect', () => {
  it('runs from the last good sample before the problem (an upper bound), not from the first failing one', () => {
    const m = incidentMetrics(
      [
        {
          components: ['api'],
          started: '2026-11-02T10:05:00Z',
          last_good: '2026-11-02T10:00:00Z',
          updates: [{ at: '2026-11-02T10:05:01Z', status: 'investigating' as const, message: 'x' }],
        },
      ],
      'api',
      Date.parse('2026-11-01T00:00:00Z'),
      Date.parse('2026-12-01T00:00:00Z'),
    );
    assert.equal(m.mttdMs, 5 * MIN + 1_000);
  });

  it('an automatic incident records the last good sample its checks had', () => {
    const T = Date.parse('2026-11-02T10:00:00Z');
    const sample = (min: number, outcome: 'up' | 'down') => ({
      time: new Date(T + min * MIN).toISOString().replace('.000Z', 'Z'),
      check: 'api-health',
      region: 'default',
      outcome,
      attempts: 1,
    });
    const recent = [sample(0, 'up'), sample(5, 'down'), sample(10, 'down')];
    const counting = {
      components: [{ id: 'api', name: 'API', down_when: 'any' as const }],
      checks: [{ id: 'api-health', component: 'api', critical: true, every: 1 }],
      intervalMs: 5 * MIN,
    };
    const days = [rollupDay({ day: '2026-11-02', check: 'api-health', region: 'default', capMs: 10 * MIN, samples: recent, end: T + 12 * MIN })];
    const [api] = componentsNow(counting, days, recent, T + 11 * MIN, []);
    assert.equal(api.status, 'major_outage');
    assert.equal(api.failingSince, T + 5 * MIN);
    assert.equal(api.lastGood, T);
    const [open] = planIncidents({ components: [api], incidents: [], now: T + 11 * MIN, quietMs: 0 });
    assert.equal(open.type, 'open');
    assert.equal((open as { lastGood?: string }).lastGood, '2026-11-02T10:00:00Z');
  });

  it('an open incident on some instances grows to the instances that fail later, and to all when every one fails', () => {
    const onEu2 = open('major_outage', { instances: ['eu2'], title: 'Email sync (eu2): major outage' });
    // EU2 still down, NA1 now too: same status, the incident names both and says so.
    const [grow] = plan(comp('major_outage', { instances: ['na1', 'eu2'], instanceStatus: 'major_outage' }), [onEu2]);
    assert.equal(grow.type, 'update');
    assert.deepEqual((grow as { instances?: string[] }).instances, ['eu2', 'na1']);
    assert.equal((grow as { title?: string }).title, 'Email sync (eu2, na1): major outage');
    assert.match(grow.update.message, /Also affected now: Email sync on na1/);
    // Only the instances it already names, or fewer: nothing to say.
    assert.deepEqual(plan(comp('major_outage', { instances: ['eu2'], instanceStatus: 'major_outage' }), [onEu2]), []);
    // Every instance failing: the list goes (all of them); a title people wrote is kept.
    const [all] = plan(comp('major_outage'), [{ ...onEu2, title: 'Mail delays in Europe' }]);
    assert.equal((all as { instances?: string[] | null }).instances, null);
    assert.equal((all as { title?: string }).title, undefined);
    assert.match(all.update.message, /every instance/);
  });

  it('the grown list and title are written to the incident file, and a list that becomes all is removed', async () => {
    const dir = await tempDir();
    const first: Action = {
      type: 'open',
      id: '2026-11-23-email',
      component: 'email',
      instances: ['eu2'],
      title: 'Email sync (eu2): major outage',
      impact: 'critical',
      started: '2026-11-23T12:50:00Z',
      draft: false,
      update: { at: '2026-11-23T12:50:00Z', status: 'investigating', by: 'upkeep', message: 'Failing on eu2.' },
    };
    await applyIncidentActions(dir, [first]);
    const [grow] = plan(comp('major_outage', { instances: ['na1'], instanceStatus: 'major_outage' }), [
      { ...open('major_outage', { instances: ['eu2'], title: 'Email sync (eu2): major outage' }) },
    ]);
    await applyIncidentActions(dir, [grow]);
    let [loaded] = (await loadIncidents(dir, ['email'])).incidents;
    assert.deepEqual(loaded.instances, ['eu2', 'na1']);
    assert.equal(loaded.title, 'Email sync (eu2, na1): major outage');
    assert.equal(loaded.updates.length, 2);
    const [all] = plan(comp('major_outage'), [{ ...open('major_outage', { instances: loaded.instances, title: loaded.title }) }]);
    await applyIncidentActions(dir, [all]);
    [loaded] = (await loadIncidents(dir, ['email'])).incidents;
    assert.equal(loaded.instances, undefined);
    assert.equal(loaded.title, 'Email sync: major outage');
  });
});
