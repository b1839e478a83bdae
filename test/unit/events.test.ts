/** The event stream: what is news, for whom, with ids that stay the same however often it is derived. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveEvents, type EventInput } from '../../src/status/events.ts';
import type { Segment, CheckState } from '../../src/status/timeline.ts';
import type { ComponentStatus } from '../../src/status/vocabulary.ts';

const T = Date.parse('2026-11-23T12:00:00Z');
const MIN = 60_000;

function input(extra: Partial<EventInput> = {}): EventInput {
  return {
    now: T + 60 * MIN,
    components: [{ id: 'api', name: 'REST API' }],
    checks: [{ id: 'api-health', name: 'API health', component: 'api', critical: true }],
    incidents: [],
    componentTimelines: new Map(),
    checkTimelines: new Map(),
    reasons: new Map(),
    maintenance: [],
    sampleTimes: [],
    intervalMs: MIN,
    staleAfter: 3,
    openAfterMs: 0,
    budgets: [],
    ...extra,
  };
}

const seg = <S extends string>(start: number, end: number, state: S): Segment<S> => ({ start, end, state });
const kinds = (i: EventInput) => deriveEvents(i).map((e) => `${e.kind} ${e.at.slice(11, 16)}`);

describe('deriveEvents', () => {
  it('a check going down and coming back: one down and one recovered, paired by their dedup key, both as severe as the failure', () => {
    const tl: Segment<CheckState>[] = [seg(T, T + 10 * MIN, 'up'), seg(T + 10 * MIN, T + 14 * MIN, 'down'), seg(T + 14 * MIN, T + 60 * MIN, 'up')];
    const events = deriveEvents(input({ checkTimelines: new Map([['api-health', tl]]), reasons: new Map([['api-health', 'status_503: HTTP 503']]) }));
    assert.deepEqual(
      events.map((e) => [e.kind, e.at, e.severity, e.public]),
      [
        ['check.down', '2026-11-23T12:10:00Z', 'critical', false],
        ['check.recovered', '2026-11-23T12:14:00Z', 'critical', false],
      ],
    );
    assert.equal(events[0].dedupKey, events[1].dedupKey);
    assert.equal(events[1].resolves, true);
    assert.equal(events[0].technical, 'status_503: HTTP 503', 'the team hears why');
    assert.match(events[1].text, /after 4 min/);
  });

  it('ids are the same when derived again later, with a longer timeline', () => {
    const tl = (end: number): Segment<CheckState>[] => [seg(T, T + 10 * MIN, 'up'), seg(T + 10 * MIN, end, 'down')];
    const first = deriveEvents(input({ now: T + 12 * MIN, checkTimelines: new Map([['api-health', tl(T + 12 * MIN)]]) }));
    const later = deriveEvents(input({ now: T + 40 * MIN, checkTimelines: new Map([['api-health', tl(T + 40 * MIN)]]) }));
    assert.deepEqual(
      first.map((e) => e.id),
      later.map((e) => e.id),
    );
  });

  it('a check failing from its very first sample is news; one already failing when the lookback began is not (it was news then)', () => {
    const fresh = [seg<CheckState>(T, T + 5 * MIN, 'nodata'), seg<CheckState>(T + 5 * MIN, T + 60 * MIN, 'down')];
    assert.deepEqual(kinds(input({ checkTimelines: new Map([['api-health', fresh]]) })), ['check.down 12:05']);
    const old = [seg<CheckState>(T, T + 60 * MIN, 'down')];
    assert.deepEqual(kinds(input({ checkTimelines: new Map([['api-health', old]]) })), []);
  });

  it('a gap without data inside an outage does not make two outages of it', () => {
    const tl = [
      seg<CheckState>(T, T + 5 * MIN, 'up'),
      seg<CheckState>(T + 5 * MIN, T + 9 * MIN, 'down'),
      seg<CheckState>(T + 9 * MIN, T + 20 * MIN, 'nodata'),
      seg<CheckState>(T + 20 * MIN, T + 30 * MIN, 'down'),
    ];
    assert.deepEqual(kinds(input({ checkTimelines: new Map([['api-health', tl]]) })), ['check.down 12:05']);
  });

  it('component status is public, but a blip shorter than incidents.open_after is not news for subscribers', () => {
    const tl = (blip: number): Segment<ComponentStatus>[] => [
      seg(T, T + 10 * MIN, 'operational'),
      seg(T + 10 * MIN, T + 10 * MIN + blip, 'major_outage'),
      seg(T + 10 * MIN + blip, T + 60 * MIN, 'operational'),
    ];
    const short = input({ openAfterMs: 5 * MIN, componentTimelines: new Map([['api', tl(41_000)]]) });
    assert.deepEqual(kinds(short), []);
    const long = input({ openAfterMs: 5 * MIN, componentTimelines: new Map([['api', tl(7 * MIN)]]) });
    const events = deriveEvents(long);
    assert.deepEqual(
      events.map((e) => [e.kind, e.at.slice(11, 16), e.componentUpdate?.to, e.public]),
      [
        ['component.status', '12:10', 'major_outage', true],
        ['component.status', '12:17', 'operational', true],
      ],
    );
    // Still going and not yet as long as the policy: not yet.
    const ongoing = input({
      now: T + 12 * MIN,
      openAfterMs: 5 * MIN,
      componentTimelines: new Map([['api', [seg(T, T + 10 * MIN, 'operational'), seg(T + 10 * MIN, T + 12 * MIN, 'major_outage')]]]),
    });
    assert.deepEqual(kinds(ongoing), []);
  });

  it('an incident: opened, each update, resolved; its resolve as severe as its impact (a channel that heard the start hears the end)', () => {
    const events = deriveEvents(
      input({
        incidents: [
          {
            id: 'inc-1',
            title: 'API errors',
            components: ['api'],
            impact: 'major',
            draft: false,
            updates: [
              { at: '2026-11-23T12:30:00Z', status: 'resolved', message: 'Fixed.' },
              { at: '2026-11-23T12:10:00Z', status: 'investigating', message: 'Looking.' },
              { at: '2026-11-23T12:20:00Z', status: 'identified', message: 'A bad deploy.' },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(
      events.map((e) => [e.kind, e.at.slice(11, 16), e.severity, e.public]),
      [
        ['incident.opened', '12:10', 'major', true],
        ['incident.updated', '12:20', 'major', true],
        ['incident.resolved', '12:30', 'major', true],
      ],
    );
    assert.ok(events.every((e) => e.dedupKey === 'incident:inc-1'));
    assert.equal(events[2].resolves, true);
  });

  it('a draft is for the team only; once published, subscribers hear it as one message from the time it was published', () => {
    const base = {
      id: 'inc-2',
      title: 'Sync lag',
      components: ['api'],
      impact: 'minor' as const,
      updates: [
        { at: '2026-11-23T12:10:00Z', status: 'investigating' as const, message: 'Looking.' },
        { at: '2026-11-23T12:20:00Z', status: 'identified' as const, message: 'Found it.' },
        { at: '2026-11-23T12:40:00Z', status: 'monitoring' as const, message: 'Fix deployed.' },
      ],
    };
    const draft = deriveEvents(input({ incidents: [{ ...base, draft: true }] }));
    assert.deepEqual(
      draft.map((e) => [e.kind, e.public]),
      [['incident.drafted', false]],
    );
    const published = deriveEvents(input({ incidents: [{ ...base, draft: false, published: '2026-11-23T12:30:00Z' }] }));
    assert.deepEqual(
      published.map((e) => [e.kind, e.at.slice(11, 16)]),
      [
        ['incident.opened', '12:30'],
        ['incident.updated', '12:40'],
      ],
    );
  });

  it('monitoring stale after N intervals without a sample, and resumed when samples come back', () => {
    const times = [T, T + MIN, T + 2 * MIN, T + 20 * MIN, T + 21 * MIN];
    const both = deriveEvents(input({ now: T + 22 * MIN, sampleTimes: times }));
    assert.deepEqual(kinds(input({ now: T + 22 * MIN, sampleTimes: times })), ['monitoring.stale 12:05', 'monitoring.resumed 12:20']);
    // A pager pairs them: the resume resolves what the stale one triggered.
    assert.equal(both[0].dedupKey, both[1].dedupKey);
    assert.deepEqual([both[0].resolves, both[1].resolves], [undefined, true]);
    // Still silent now: stale, and nothing resumed yet.
    assert.deepEqual(kinds(input({ now: T + 30 * MIN, sampleTimes: [T, T + MIN] })), ['monitoring.stale 12:04']);
    // A late sample within the allowance is not stale.
    assert.deepEqual(kinds(input({ now: T + 3 * MIN, sampleTimes: [T, T + MIN] })), []);
  });

  it('error budget burn at 50, 80 and 100 %, each once per month', () => {
    const e = deriveEvents(input({ budgets: [{ component: 'api', month: '2026-11', usedMs: 0.85 * 43 * MIN, budgetMs: 43 * MIN }] }));
    assert.deepEqual(
      e.map((x) => [x.id, x.severity]),
      [
        ['budget.burn:api:2026-11:50', 'minor'],
        ['budget.burn:api:2026-11:80', 'major'],
      ],
    );
    assert.deepEqual(deriveEvents(input({ budgets: [{ component: 'api', month: '2026-11', usedMs: 0, budgetMs: 0 }] })), []);
  });

  it('maintenance: announced once ahead (a weekly window is not announced every week), then started and completed', () => {
    const occ = (start: number, end: number, n: number) => ({
      id: `upgrade-${n}`,
      windowId: 'upgrade',
      title: 'Database upgrade',
      components: ['api'],
      start,
      end,
      recurring: true,
    });
    const now = T + 60 * MIN;
    const events = deriveEvents(
      input({
        now,
        maintenance: [
          occ(now + 14 * 1440 * MIN, now + 14 * 1440 * MIN + 20 * MIN, 3),
          occ(now - 30 * MIN, now - 10 * MIN, 1),
          occ(now + 7 * 1440 * MIN, now + 7 * 1440 * MIN + 20 * MIN, 2),
        ],
      }),
    );
    assert.deepEqual(
      events.map((x) => x.id),
      ['maintenance.started:upgrade-1', 'maintenance.completed:upgrade-1', 'maintenance.scheduled:upgrade'],
    );
    assert.ok(events.every((x) => x.public));
    // The one announcement names the next window, not a later one.
    assert.match(events.find((x) => x.kind === 'maintenance.scheduled')!.text, new RegExp(new Date(now + 7 * 1440 * MIN).toISOString().slice(0, 16)));
  });

  it('every event id is there once, whatever the input', () => {
    const events = deriveEvents(
      input({
        now: T + 60 * MIN,
        maintenance: Array.from({ length: 5 }, (_, n) => ({
          id: `weekly-${n}`,
          windowId: 'weekly',
          title: 'Weekly release',
          components: ['api'],
          start: T + (n + 1) * 7 * 1440 * MIN,
          end: T + (n + 1) * 7 * 1440 * MIN + 30 * MIN,
          recurring: true,
        })),
      }),
    );
    const ids = events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, ids.join('\n'));
  });
});
