import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { feedparse } from '../helpers/feedparser.ts';
import { icalparse } from '../helpers/icalendar.ts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { buildFixtureSite, HOSTILE, NOW } from '../helpers/site-fixture.ts';
import { loadConfig } from '../../src/config/load.ts';
import { feedUrls } from '../../src/cli/websub.ts';

// Real Statuspage payloads captured by others in public repositories (sources in SOURCES.md).
const REFERENCE = new URL('../fixtures/statuspage/', import.meta.url).pathname;

/** What a Statuspage client reads from summary.json: the same code runs on real Statuspage payloads. */
function readSummary(summary: {
  status: { indicator: string; description: string };
  components: { name: string; status: string; group: boolean }[];
  incidents: { name: string; impact: string; incident_updates: { body: string }[] }[];
}) {
  return {
    indicator: summary.status.indicator,
    description: summary.status.description,
    components: summary.components.filter((c) => !c.group).map((c) => `${c.name}: ${c.status}`),
    incidents: summary.incidents.map((i) => `${i.name} (${i.impact}): ${i.incident_updates[0]?.body ?? ''}`),
  };
}

/** Tags outside a small safe set, or any attribute but a plain http(s) href: what a hostile string would need. */
function unsafeMarkup(html: string): string[] {
  const allowed = new Set(['p', 'br', 'strong', 'em', 'small', 'a', 'code', 'pre', 'ul', 'ol', 'li', 'blockquote', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
  const bad: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const [tag, name, attrs] = m;
    if (!allowed.has(name.toLowerCase())) bad.push(tag);
    for (const a of attrs.matchAll(/([a-zA-Z-:]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const value = a[2].replace(/^["']|["']$/g, '');
      if (a[1].toLowerCase() !== 'href' || !(value === '' || /^(https?:|mailto:|\/|#)/i.test(value))) bad.push(tag);
    }
  }
  return bad;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('feeds, calendar, JSON API and badges of a site built from real probe runs', async () => {
  const site = await buildFixtureSite({ serve: false });
  const read = (path: string) => readFile(join(site.out, path), 'utf8');
  const incidentFiles = (await readdir(join(site.history, 'incidents'))).filter((f) => f.endsWith('.md'));

  it('has automatic incidents from the outage, and the person-written one', () => {
    assert.ok(
      incidentFiles.some((f) => /^2026-11-21-api\.md$/.test(f)),
      incidentFiles.join(', '),
    );
    assert.ok(incidentFiles.includes('2026-11-22-hostile.md'));
  });

  for (const kind of ['rss', 'atom'] as const) {
    it(`history.${kind}: a real feed client parses it cleanly; one item per incident and maintenance, newest first, every update inside`, async () => {
      const feed = feedparse(join(site.out, `history.${kind}`));
      assert.equal(Boolean(feed.bozo), false, feed.bozo_exception);
      assert.match(feed.version, kind === 'rss' ? /^rss20$/ : /^atom10$/);
      const api = feed.entries.find((e) => e.link === 'https://status.fixture.example.com/incidents/2026-11-21-api/');
      assert.ok(api, feed.entries.map((e) => e.link).join('\n'));
      assert.equal(api.id, 'https://status.fixture.example.com/incidents/2026-11-21-api/');
      assert.match(api.title, /^\[Resolved\] REST API: major outage$/);
      // Every update, newest first.
      const resolvedAt = api.content.indexOf('Resolved');
      const investigatingAt = api.content.indexOf('Investigating');
      assert.ok(resolvedAt >= 0 && investigatingAt > resolvedAt, api.content);
      const updated = feed.entries.map((e) => Date.parse(e.updated));
      assert.deepEqual(
        updated,
        [...updated].sort((a, b) => b - a),
      );
      assert.ok(feed.entries.some((e) => e.title === '[In progress] Running now'));
      assert.ok(feed.entries.some((e) => e.title === '[Scheduled] Upcoming upgrade'));
      // The weekly window: one item when scheduled, one per Thursday that has passed within 90 days; nothing after the build.
      assert.equal(feed.entries.filter((e) => e.title === '[Scheduled] Weekly deploy').length, 1);
      assert.equal(feed.entries.filter((e) => /^\[Completed\] Weekly deploy \(2026-\d\d-\d\d\)$/.test(e.title)).length, 13);
      assert.equal(feed.entries.length, incidentFiles.length + 3 + 1 + 13);
      assert.deepEqual(
        feed.entries.filter((e) => Date.parse(e.updated) > NOW).map((e) => e.title),
        [],
      );
      const body = await read(`history.${kind}`);
      const built = kind === 'rss' ? /<lastBuildDate>([^<]+)</.exec(body)?.[1] : /<updated>([^<]+)</.exec(body)?.[1];
      assert.ok(built && Date.parse(built) <= NOW, `the feed's own date ${built} is not after the build`);
    });
  }

  it('every feed names the WebSub hub and its own address, and those addresses are the ones `upkeep websub` pings', async () => {
    const { config } = await loadConfig(site.checks, { requireEnv: false });
    assert.ok(config);
    const pinged = feedUrls(
      config.site,
      config.components.map((c) => c.id),
    );
    assert.equal(pinged.length, 2 + 2 * config.components.length);
    for (const url of pinged) {
      const feed = feedparse(join(site.out, new URL(url).pathname));
      assert.equal(Boolean(feed.bozo), false, `${url}: ${feed.bozo_exception}`);
      const rel = (name: string) => feed.links.filter((l) => l.rel === name).map((l) => l.href);
      assert.deepEqual(rel('hub'), ['https://hub.fixture.example.com/'], url);
      assert.deepEqual(rel('self'), [url], 'a WebSub topic is the feed’s self link');
    }
  });

  it('per-component feeds carry only that component', async () => {
    const feed = feedparse(join(site.out, 'components/api/history.atom'));
    assert.equal(Boolean(feed.bozo), false, feed.bozo_exception);
    assert.ok(feed.entries.length >= 2);
    assert.ok(feed.entries.every((e) => !e.title.includes('Hostile')));
  });

  it('ids are stable from one build to the next', async () => {
    const again = feedparse(join(site.out, 'history.rss'));
    const ids = again.entries.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('https://status.fixture.example.com/')));
  });

  it('maintenance.ics holds the windows that have not ended, a weekly one as one event with its rule', async () => {
    const ics = await read('maintenance.ics');
    assert.match(ics, /^BEGIN:VCALENDAR/);
    const events = ics.split('BEGIN:VEVENT').slice(1);
    assert.equal(events.length, 3);
    const weekly = icalparse(ics, 3).events.find((e) => e.uid === 'weekly-window@upkeep');
    assert.equal(weekly?.rrule, 'FREQ=WEEKLY;BYDAY=TH');
    assert.equal(weekly?.tzid, 'Europe/Prague');
    assert.deepEqual(weekly?.starts, ['2026-08-27T04:00:00Z', '2026-09-03T04:00:00Z', '2026-09-10T04:00:00Z']);
    assert.match(ics, /UID:now-window@upkeep/);
    assert.match(ics, /UID:next-window@upkeep/);
    assert.match(ics, /DTSTART:20261130T220000Z/);
    assert.doesNotMatch(ics, /past-window/);
  });

  it('the v2 JSON API matches a schema written from Atlassian’s docs, as real Statuspage payloads do', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(new URL('../fixtures/statuspage-v2.schema.json', import.meta.url), 'utf8')));
    for (const ref of [
      'summary.githubstatus.json',
      'summary.instructure.json',
      'summary.claude.json',
      'components.coinbase.json',
      'incidents.githubstatus.json',
      'scheduled-maintenances.claude.json',
    ]) {
      assert.ok(validate(JSON.parse(await readFile(join(REFERENCE, ref), 'utf8'))), `${ref}: ${ajv.errorsText(validate.errors)}`);
    }
    for (const path of [
      'summary',
      'status',
      'components',
      'incidents',
      'incidents/unresolved',
      'scheduled-maintenances',
      'scheduled-maintenances/upcoming',
      'scheduled-maintenances/active',
    ]) {
      const body = JSON.parse(await read(`api/v2/${path}.json`));
      assert.ok(validate(body), `${path}.json: ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('a Statuspage client reads Upkeep’s summary as it reads a real one', async () => {
    const real = readSummary(JSON.parse(await readFile(join(REFERENCE, 'summary.githubstatus.json'), 'utf8')));
    assert.equal(real.components.length, 11);
    assert.match(real.incidents[0], /^Incident with Packages and Pages \(major\): /);
    const ours = readSummary(JSON.parse(await read('api/v2/summary.json')));
    assert.equal(ours.indicator, 'none');
    assert.equal(ours.description, 'Service Under Maintenance'); // one component is in a window
    assert.deepEqual(ours.components.slice(0, 2), ['REST API: operational', 'Web app: operational']);
    const summary = JSON.parse(await read('api/v2/summary.json'));
    const group = summary.components.find((c: { id: string }) => c.id === 'core');
    assert.deepEqual(group.components, ['api', 'web']);
    assert.equal(summary.components.find((c: { id: string }) => c.id === 'hostile').status, 'under_maintenance');
    assert.deepEqual(
      summary.scheduled_maintenances.map((m: { id: string; status: string }) => `${m.id} ${m.status}`),
      // Statuspage has no recurrence: the weekly window's occurrences of the next 30 days.
      [
        'now-window in_progress',
        'weekly-window-2026-11-26 scheduled',
        'next-window scheduled',
        'weekly-window-2026-12-03 scheduled',
        'weekly-window-2026-12-10 scheduled',
        'weekly-window-2026-12-17 scheduled',
      ],
    );
    const incidents = JSON.parse(await read('api/v2/incidents.json')).incidents;
    const api = incidents.find((i: { id: string }) => i.id === '2026-11-21-api');
    assert.equal(api.status, 'resolved');
    assert.equal(api.impact, 'critical');
    assert.ok(api.resolved_at && api.incident_updates.length === 2);
  });

  it('Upkeep’s own API has uptime windows, daily series and SLA months', async () => {
    const api = JSON.parse(await read('api/upkeep/v1/components/api.json'));
    assert.equal(api.daily.length, 90);
    assert.ok(api.windows['7d'].uptime < 100 && api.windows['7d'].down_seconds >= 30 * 60);
    assert.equal(api.sla_months[0].month, '2026-11');
    assert.equal(api.sla_months[0].target, 99.95);
  });

  it('Upkeep’s API has lag in seconds (newest, 24 hours, per day), the last beat, and journey steps', async () => {
    const web = JSON.parse(await read('api/upkeep/v1/components/web.json'));
    assert.deepEqual(web.behind, { check: 'Email sync freshness', lag_seconds: 540, at: '2026-11-23T11:50:00Z' });
    const sync = web.checks.find((c: { id: string }) => c.id === 'web-sync');
    // The schedule cycles 1–9 minutes: the median is 5 minutes, p95 the 9-minute top.
    assert.deepEqual(sync.lag['24h_seconds'], { p50: 300, p95: 540, p99: 540 });
    assert.equal(sync.lag.down_over_seconds, 1800);
    assert.equal(sync.lag.daily_seconds.length, 4);
    const worker = web.checks.find((c: { id: string }) => c.id === 'web-worker');
    assert.equal(worker.heartbeat.last_beat, '2026-11-23T11:49:30Z');
    assert.equal(worker.heartbeat.duration_seconds, 40);
    const journey = web.checks.find((c: { id: string }) => c.id === 'web-journey');
    assert.deepEqual(
      journey.steps.map((st: { name: string }) => st.name),
      ['Create a contact', 'Search finds it'],
    );
    assert.ok(
      journey.lag.last_seconds >= 0.1 && journey.lag.last_seconds < 1,
      `the search showed the contact on the second look, 100 ms later: ${journey.lag.last_seconds}`,
    );
  });

  it('no markup a person wrote survives into feeds or JSON', async () => {
    for (const file of ['history.rss', 'history.atom', 'components/hostile/history.rss']) {
      const raw = await read(file);
      assert.doesNotMatch(raw, /<(script|img|svg)\b/i, file);
      for (const entry of feedparse(join(site.out, file)).entries) {
        assert.deepEqual(unsafeMarkup(entry.content), [], `${file}: ${entry.content}`);
        assert.doesNotMatch(entry.title, /</, entry.title);
      }
    }
    for (const path of ['summary', 'incidents', 'components', 'scheduled-maintenances']) {
      for (const s of strings(JSON.parse(await read(`api/v2/${path}.json`)))) assert.doesNotMatch(s, /[<>]/, `${path}.json: ${s}`);
    }
    // The text is still there, shown as text.
    const hostile = JSON.parse(await read('api/v2/incidents.json')).incidents.find((i: { id: string }) => i.id === '2026-11-22-hostile');
    assert.match(hostile.incident_updates.at(-1).body, /&lt;script&gt;alert\("x1"\)&lt;\/script&gt;/);
    void HOSTILE;
  });

  it('badges: accessible SVG and shields.io endpoint JSON per component', async () => {
    const svg = await read('badges/api.svg');
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title>REST API: operational<\/title>/);
    const uptime = JSON.parse(await read('badges/api-uptime-30d.json'));
    assert.equal(uptime.schemaVersion, 1);
    assert.equal(uptime.label, 'REST API uptime 30d');
    assert.match(uptime.message, /^\d{2}(\.\d+)?%$/);
    assert.doesNotMatch(await read('badges/hostile.svg'), /<script/);
  });
});
