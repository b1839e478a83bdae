/**
 * A recurring window on the maintenance page, in the feeds, the calendar and the Statuspage API:
 * one card with its schedule, one feed item when scheduled plus one per occurrence that began,
 * nothing dated after the build, one VEVENT with an RRULE that a real calendar parser expands
 * to the same times Upkeep counts.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { maintenanceWindow } from '../../src/config/schema.ts';
import { feedItems, feeds, maintenanceCalendar } from '../../src/site/feeds.ts';
import { maintenanceWindows, scheduleText } from '../../src/site/maintenance.ts';
import { statuspageApi } from '../../src/site/statuspage.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { occurrences, type Schedule } from '../../src/status/maintenance.ts';
import { feedparse } from '../helpers/feedparser.ts';
import { icalparse } from '../helpers/icalendar.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

// Monday 23 November 2026, 12:00 UTC.
const NOW = Date.parse('2026-11-23T12:00:00Z');
const CHECKS = `checks:
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
`;
const MAINTENANCE = `maintenance:
  - id: weekly-deploy
    title: Weekly deploy
    components: [web]
    time_zone: Europe/Prague
    recurring: { weekly: [tue], at: "06:00", duration: 30m }
  - id: month-end
    title: Month-end close
    components: [api]
    time_zone: America/New_York
    recurring: { monthly: 31, at: "23:00", duration: 2h, from: "2026-11-25", until: "2027-06-30" }
  - id: db-upgrade
    title: Database upgrade
    components: [api]
    start: 2026-12-12T21:00:00Z
    end: 2026-12-13T00:00:00Z
  - id: past-fix
    title: Past fix
    components: [web]
    start: 2026-11-10T02:00:00Z
    end: 2026-11-10T03:00:00Z
`;

async function view(now = NOW, maintenance = MAINTENANCE) {
  const dir = await writeTree({
    'site.yml': SITE_YML.replace('  time_zone: Europe/Prague\n', '  time_zone: Europe/Prague\n  url: https://status.example.com\n'),
    'checks.yml': CHECKS,
    'maintenance.yml': maintenance,
  });
  const { config } = await loadConfig(dir, { env: {} });
  assert.ok(config);
  return buildViewModel({ config, days: [], recent: [], now: new Date(now) });
}

describe('the maintenance page: one card per window', () => {
  it('a weekly window is one card with its next occurrence and its last, beside the one-off windows', async () => {
    const v = await view();
    assert.ok(v.maintenance.filter((m) => m.windowId === 'weekly-deploy').length > 30, 'the view still knows every occurrence (the API needs them)');
    const cards = maintenanceWindows(v.maintenance);
    assert.deepEqual(
      cards.map((c) => `${c.id} ${c.status} ${c.start}`),
      [
        'past-fix completed 2026-11-10T02:00:00.000Z',
        'weekly-deploy scheduled 2026-11-24T05:00:00.000Z',
        'month-end scheduled 2026-12-01T04:00:00.000Z',
        'db-upgrade scheduled 2026-12-12T21:00:00.000Z',
      ],
    );
    const weekly = cards.find((c) => c.id === 'weekly-deploy')!;
    assert.equal(weekly.last?.start, '2026-11-17T05:00:00.000Z');
    assert.equal(weekly.first?.start, '2026-09-01T04:00:00.000Z', 'the first occurrence the page knows (ending within 90 days)');
    assert.deepEqual(weekly.componentNames, ['Web app']);
  });

  it('while an occurrence runs, the card shows it (in progress, until its end)', async () => {
    const during = Date.parse('2026-11-24T05:10:00Z');
    const weekly = maintenanceWindows((await view(during)).maintenance).find((c) => c.id === 'weekly-deploy')!;
    assert.equal(weekly.status, 'in_progress');
    assert.equal(weekly.end, '2026-11-24T05:30:00.000Z');
  });

  it('a window past its `until` is one past card, dated by its last occurrence', async () => {
    const ended = MAINTENANCE.replace('duration: 30m }', 'duration: 30m, until: "2026-11-10" }');
    const weekly = maintenanceWindows((await view(NOW, ended)).maintenance).find((c) => c.id === 'weekly-deploy')!;
    assert.equal(weekly.status, 'completed');
    assert.equal(weekly.last?.start, '2026-11-10T05:00:00.000Z');
  });
});

describe('a schedule in words, in the page language', () => {
  const weekly: Schedule = { weekly: ['tue'], at: '06:00', durationMs: 30 * 60_000, timeZone: 'Europe/Prague' };
  const scenarios: { name: string; schedule: Schedule; lang: string; text: string }[] = [
    { name: 'English', schedule: weekly, lang: 'en', text: 'Every Tuesday, 6:00\u2009–\u20096:30\u202fAM (Europe/Prague)' },
    { name: 'Persian, in its own digits and words', schedule: weekly, lang: 'fa', text: 'هر سه‌شنبه، ۶:۰۰ تا ۶:۳۰ (Europe/Prague)' },
    { name: 'Czech', schedule: weekly, lang: 'cs', text: 'Každý týden: úterý, 6:00–6:30 (Europe/Prague)' },
    { name: 'Chinese', schedule: weekly, lang: 'zh-CN', text: '每星期二 06:00–06:30（Europe/Prague）' },
    {
      name: 'several days, in week order',
      schedule: { ...weekly, weekly: ['thu', 'mon'] },
      lang: 'en',
      text: 'Every Monday and Thursday, 6:00\u2009–\u20096:30\u202fAM (Europe/Prague)',
    },
    {
      name: 'across midnight',
      schedule: { ...weekly, weekly: ['sat'], at: '23:00', durationMs: 2 * 3_600_000 },
      lang: 'en',
      text: 'Every Saturday, 11:00 PM to 1:00 AM (Europe/Prague)',
    },
    {
      name: 'a day or longer',
      schedule: { ...weekly, weekly: ['sat'], at: '22:00', durationMs: 26 * 3_600_000 },
      lang: 'en',
      text: 'Every Saturday, 10:00 PM for 1 day 2 hr (Europe/Prague)',
    },
    {
      name: 'monthly on the 31st means the last day',
      schedule: { monthly: 31, at: '23:00', durationMs: 3_600_000, timeZone: 'America/New_York', until: '2027-06-30' },
      lang: 'en',
      text: 'Monthly on the last day, 11:00 PM to 12:00 AM (America/New_York) · until Jun 30, 2027',
    },
    {
      name: 'monthly on the 30th',
      schedule: { monthly: 30, at: '01:00', durationMs: 3_600_000, timeZone: 'UTC', from: '2027-01-01' },
      lang: 'fa',
      text: 'روز ۳۰ هر ماه میلادی (در ماه‌های کوتاه‌تر، روز آخر)، ۱:۰۰ تا ۲:۰۰ (UTC) | از ۱۱ دی ۱۴۰۵',
    },
  ];
  for (const s of scenarios) it(s.name, () => assert.equal(scheduleText(s.schedule, s.lang), s.text));
});

describe('feeds: a recurring window is one item, and nothing is dated after the build', () => {
  it('one scheduled item per window, one per occurrence that began, none in the future (checked with a real feed client)', async () => {
    const v = await view();
    const dir = await tempDir();
    const bodies = feeds(v);
    for (const path of ['history.rss', 'history.atom', 'components/web/history.rss', 'components/api/history.atom']) {
      const file = join(dir, path.replaceAll('/', '-'));
      await writeFile(file, bodies[path]);
      const feed = feedparse(file);
      assert.equal(Boolean(feed.bozo), false, feed.bozo_exception);
      const late = feed.entries.filter((e) => Date.parse(e.updated) > NOW);
      assert.deepEqual(late, [], `${path}: nothing after the build`);
    }
    const rss = bodies['history.rss'];
    assert.match(rss, /<lastBuildDate>Mon, 23 Nov 2026 12:00:00 GMT<\/lastBuildDate>/);
    const titles = feedItems(v).map((i) => `${i.date.toISOString()} ${i.title}`);
    assert.equal(titles.filter((t) => t.includes('Weekly deploy')).length, 1 + 12, titles.join('\n'));
    assert.ok(titles.includes('2026-09-01T04:00:00.000Z [Scheduled] Weekly deploy'), 'dated by its first occurrence the page knows');
    assert.ok(titles.includes('2026-11-17T05:30:00.000Z [Completed] Weekly deploy (2026-11-17)'));
    assert.ok(!titles.some((t) => t.includes('Weekly deploy (2026-11-24)')), 'the next occurrence has no item yet');
    // A future one-off window, and a monthly window that has not begun yet, are dated by the build.
    assert.ok(titles.includes('2026-11-23T12:00:00.000Z [Scheduled] Database upgrade'));
    assert.ok(titles.includes('2026-11-23T12:00:00.000Z [Scheduled] Month-end close'));
    assert.ok(titles.includes('2026-11-10T03:00:00.000Z [Completed] Past fix'));
    const web = feedparse(join(dir, 'components-web-history.rss')).entries;
    assert.ok(web.every((e) => /Weekly deploy|Past fix/.test(e.title)));
  });

  it('an occurrence in progress is an item dated by its start', async () => {
    const during = Date.parse('2026-11-24T05:10:00Z');
    const items = feedItems(await view(during));
    const running = items.find((i) => i.title === '[In progress] Weekly deploy (2026-11-24)');
    assert.equal(running?.date.toISOString(), '2026-11-24T05:00:00.000Z');
    assert.equal(
      items.find((i) => i.title.includes('Weekly deploy')),
      running,
      'the newest of its window',
    );
  });
});

describe('maintenance.ics: a recurring window is one event with its rule', () => {
  it('one VEVENT per window, an RRULE in the window’s zone, expanded by a real parser to the times Upkeep counts', async () => {
    const v = await view();
    const ics = maintenanceCalendar(v);
    const { timezones, events } = icalparse(ics, 12);
    assert.deepEqual(events.map((e) => e.uid).sort(), ['db-upgrade@upkeep', 'month-end@upkeep', 'weekly-deploy@upkeep']);
    assert.deepEqual(timezones.sort(), ['America/New_York', 'Europe/Prague']);
    const weekly = events.find((e) => e.uid === 'weekly-deploy@upkeep')!;
    assert.equal(weekly.tzid, 'Europe/Prague');
    assert.equal(weekly.rrule, 'FREQ=WEEKLY;BYDAY=TU');
    assert.match(ics, /DTSTART;TZID=Europe\/Prague:20260901T060000/);
    assert.match(ics, /DTEND;TZID=Europe\/Prague:20260901T063000/);
    const monthly = events.find((e) => e.uid === 'month-end@upkeep')!;
    assert.match(monthly.rrule ?? '', /^FREQ=MONTHLY;UNTIL=20270701T035959Z;BYMONTHDAY=28,29,30,31;BYSETPOS=-1$/);
    // The parser's expansion (through the VTIMEZONE the file carries) matches Upkeep's own, across DST and short months.
    const config = (await loadConfig(join(await writeTree({ 'site.yml': SITE_YML, 'c.yml': CHECKS, 'maintenance.yml': MAINTENANCE }), '.'), { env: {} }))
      .config!;
    for (const e of [weekly, monthly]) {
      const id = e.uid.replace('@upkeep', '');
      const ours = occurrences(
        config.maintenance.filter((w) => w.id === id),
        'UTC',
        Date.parse(e.starts[0]),
        Date.parse('2028-01-01T00:00:00Z'),
      ).map((o) => new Date(o.start).toISOString().replace('.000', ''));
      assert.deepEqual(e.starts, ours.slice(0, e.starts.length), id);
    }
    assert.equal(monthly.starts.length, 8, 'December to June, then its `until`');
    assert.ok(weekly.starts.includes('2026-10-27T05:00:00Z') && weekly.starts.includes('2026-10-20T04:00:00Z'), 'CEST, then CET');
    const once = events.find((e) => e.uid === 'db-upgrade@upkeep')!;
    assert.equal(once.rrule, undefined);
    assert.deepEqual(once.starts, ['2026-12-12T21:00:00Z']);
  });

  it('a window in a zone without DST gets a VTIMEZONE with one offset', () => {
    const w = maintenanceWindow.parse({
      id: 'w',
      title: 'W',
      components: ['api'],
      time_zone: 'Asia/Kolkata',
      recurring: { weekly: ['sun'], at: '02:00', duration: '1h' },
    });
    const list = occurrences([w], 'UTC', NOW - 86_400_000 * 10, NOW + 86_400_000 * 30).map((o) => ({
      ...o,
      start: new Date(o.start).toISOString(),
      end: new Date(o.end).toISOString(),
      status: o.end < NOW ? ('completed' as const) : ('scheduled' as const),
      componentNames: ['API'],
    }));
    const ics = maintenanceCalendar({
      site: { vendor: 'V', url: 'https://s.example.com/', basePath: '/', language: 'en', languages: ['en'] },
      generatedAt: new Date(NOW).toISOString(),
      components: [],
      maintenance: list,
    } as never);
    const { events } = icalparse(ics, 3);
    assert.match(ics, /TZOFFSETFROM:\+0530\r\nTZOFFSETTO:\+0530/);
    assert.deepEqual(events[0].starts, ['2026-11-14T20:30:00Z', '2026-11-21T20:30:00Z', '2026-11-28T20:30:00Z']);
  });
});

describe('the Statuspage API lists occurrences, but only the next 30 days', () => {
  it('upcoming and summary hold the next 30 days of occurrences and what is in progress', async () => {
    const api = statuspageApi(await view()) as Record<string, { scheduled_maintenances: { id: string; status: string; scheduled_for: string }[] }>;
    const upcoming = api['scheduled-maintenances/upcoming.json'].scheduled_maintenances;
    assert.deepEqual(
      upcoming.map((m) => m.id),
      [
        'weekly-deploy-2026-11-24',
        'month-end-2026-11-30',
        'weekly-deploy-2026-12-01',
        'weekly-deploy-2026-12-08',
        'db-upgrade',
        'weekly-deploy-2026-12-15',
        'weekly-deploy-2026-12-22',
      ],
    );
    assert.ok(upcoming.every((m) => Date.parse(m.scheduled_for) - NOW <= 30 * 86_400_000));
    const all = api['scheduled-maintenances.json'].scheduled_maintenances;
    assert.ok(!all.some((m) => m.status === 'scheduled' && Date.parse(m.scheduled_for) - NOW > 30 * 86_400_000));
    assert.ok(all.some((m) => m.id === 'past-fix' && m.status === 'completed'));
  });
});
