/**
 * Issue 17, the rest of "the vendor's text in other languages": an incident's write-up per language
 * (`<id>.<lang>.md` beside `<id>.md`), the view's marks on text shown untranslated (so pages can say
 * its `lang`), and the maintenance calendar per language with LANGUAGE parameters, read by a real
 * iCalendar parser (python3-icalendar); feeds carry the write-up, read by a real feed client.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { loadIncidents } from '../../src/history/incidents.ts';
import { langAttrs } from '../../src/i18n/index.ts';
import { feeds, maintenanceCalendar } from '../../src/site/feeds.ts';
import { viewIn } from '../../src/site/localize.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { feedparse } from '../helpers/feedparser.ts';
import { icalparse } from '../helpers/icalendar.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const NOW = new Date('2026-11-23T12:00:00Z');

const SITE = `site:
  title: Test CRM Status
  vendor: Test CRM
  url: https://status.test.example
  time_zone: Europe/Prague
  languages: [cs, fa]
  translations:
    cs: { title: Stav Test CRM }
components:
  - id: api
    name: REST API
    translations:
      cs: { name: Rozhraní REST }
      fa: { name: رابط REST }
  - id: web
    name: Web app
`;

const MAINTENANCE = `maintenance:
  - id: db
    title: Database upgrade
    description: We upgrade the **database**.
    components: [api, web]
    start: 2026-11-28 22:00
    end: 2026-11-28 23:00
    translations:
      cs: { title: Upgrade databáze, description: Upgradujeme **databázi**. }
`;

const ID = '2026-11-23-login';
const INCIDENT = `---
id: ${ID}
title: Slow sign-in for some customers
translations:
  cs: { title: Pomalé přihlašování u některých zákazníků }
components: [api, web]
impact: major
updates:
  - at: 2026-11-23T09:10:00Z
    status: investigating
    message: Some customers cannot sign in.
    translations:
      cs: { message: Někteří zákazníci se nemohou přihlásit. }
  - at: 2026-11-23T09:40:00Z
    status: resolved
    message: Fixed.
---

## What happened

A certificate **expired** on one load balancer.
`;

const CZECH_BODY = `## Co se stalo

Na jednom vyrovnávači zátěže **vypršel** certifikát.
`;

const SITE_LANGS = { language: 'en', languages: ['en', 'cs', 'fa'] };

describe('the write-up in other languages: <id>.<lang>.md beside the incident', () => {
  it('is loaded onto its incident, by language', async () => {
    const history = await writeTree({ [`incidents/${ID}.md`]: INCIDENT, [`incidents/${ID}.cs.md`]: CZECH_BODY });
    const { incidents, errors } = await loadIncidents(history, ['api', 'web'], [], SITE_LANGS);
    assert.deepEqual(errors, []);
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0].bodies?.cs, CZECH_BODY.trim());
    assert.match(incidents[0].body, /expired/);
  });

  const scenarios: { name: string; files: Record<string, string>; site?: boolean; expected: string[] }[] = [
    {
      name: 'a misspelt language code',
      files: { [`incidents/${ID}.cz.md`]: CZECH_BODY },
      expected: [`history/incidents/${ID}.cz.md:1:1  names the language "cz", which Upkeep does not know (did you mean "cs"?); the file is <id>.<lang>.md`],
    },
    {
      name: 'a language the page does not publish (validate)',
      files: { [`incidents/${ID}.ru.md`]: CZECH_BODY },
      site: true,
      expected: [`history/incidents/${ID}.ru.md:1:1  "ru" is not published (site.yml \`languages:\` has cs, fa): add it there, or remove this translation`],
    },
    {
      name: 'the default language',
      files: { [`incidents/${ID}.en.md`]: CZECH_BODY },
      site: true,
      expected: [
        `history/incidents/${ID}.en.md:1:1  "en" is the default language (site.language): write this text in the field itself, not under \`translations\``,
      ],
    },
    {
      name: 'front matter in a translated write-up',
      files: { [`incidents/${ID}.cs.md`]: `---\ntitle: Pomalé\n---\n${CZECH_BODY}` },
      expected: [
        `history/incidents/${ID}.cs.md:1:1  a write-up in another language holds only its Markdown; the title in "cs" goes in the incident's own file, under \`translations: { cs: { title: … } }\``,
      ],
    },
    {
      name: 'no incident of that id',
      files: { 'incidents/2026-11-23-logn.cs.md': CZECH_BODY },
      expected: [
        'history/incidents/2026-11-23-logn.cs.md:1:1  is the write-up in "cs" of incident "2026-11-23-logn", but there is no 2026-11-23-logn.md (did you mean "2026-11-23-login"?)',
      ],
    },
    {
      name: 'a link of a refused scheme, at its line and column',
      files: { [`incidents/${ID}.cs.md`]: `${CZECH_BODY}\nViz [podrobnosti](javascript:alert(1)).\n` },
      expected: [
        `history/incidents/${ID}.cs.md:5:19  the link "javascript:alert(1)" is not allowed: links must be https://, http://, mailto: or a path on the site`,
      ],
    },
  ];
  for (const s of scenarios)
    it(s.name, async () => {
      const history = await writeTree({ [`incidents/${ID}.md`]: INCIDENT, ...s.files });
      const { incidents, errors } = await loadIncidents(history, ['api', 'web'], [], s.site ? SITE_LANGS : undefined);
      assert.deepEqual(
        errors.map((e) => formatError(e).replace(history, 'history')),
        s.expected,
      );
      assert.equal(incidents.length, 1, 'a bad translation never takes the incident off the page');
      assert.equal(incidents[0].bodies, undefined);
    });
});

describe('pages, feeds and the calendar in each language', async () => {
  const dir = await writeTree({ 'site.yml': SITE, 'maintenance.yml': MAINTENANCE });
  const history = await writeTree({ [`incidents/${ID}.md`]: INCIDENT, [`incidents/${ID}.cs.md`]: CZECH_BODY });
  const { config, errors: configErrors } = await loadConfig(dir, { env: {} });
  assert.deepEqual(configErrors, []);
  const { incidents, errors } = await loadIncidents(history, ['api', 'web'], [], config!.site);
  assert.deepEqual(errors, []);
  const view = buildViewModel({ config: config!, days: [], recent: [], incidents, now: NOW });
  const cs = viewIn(view, 'cs');
  const fa = viewIn(view, 'fa');

  it("the write-up: Czech in Czech, as written in Persian (marked as the default language's)", () => {
    const czech = cs.incidents.find((i) => i.id === ID)!;
    assert.equal(czech.bodyHtml, '<h2>Co se stalo</h2>\n<p>Na jednom vyrovnávači zátěže <strong>vypršel</strong> certifikát.</p>');
    assert.equal(czech.fallback?.body, undefined);
    const persian = fa.incidents.find((i) => i.id === ID)!;
    assert.match(persian.bodyHtml!, /<strong>expired<\/strong>/);
    assert.equal(persian.fallback?.body, 'en');
    assert.match(view.incidents[0].bodyHtml!, /expired/, 'the default view keeps its own');
  });

  it('marks each text shown as written on a page of another language, and no translated one', () => {
    assert.deepEqual(
      fa.components.map((c) => [c.name, c.fallback?.name]),
      [
        ['رابط REST', undefined],
        ['Web app', 'en'],
      ],
    );
    assert.equal(cs.site.fallback?.title, undefined);
    assert.equal(fa.site.fallback?.title, 'en');
    const czech = cs.incidents[0];
    const persian = fa.incidents[0];
    assert.equal(czech.fallback?.title, undefined);
    assert.equal(persian.fallback?.title, 'en');
    assert.deepEqual(
      persian.components.map((c) => c.fallback?.name),
      [undefined, 'en'],
    );
    // Newest first: "Fixed." has no Czech line, the first update has.
    assert.deepEqual(
      czech.updates.map((u) => u.fallback?.text),
      ['en', undefined],
    );
    assert.equal(cs.maintenance[0].fallback, undefined);
    assert.deepEqual(fa.maintenance[0].fallback, { title: 'en', description: 'en' });
    assert.deepEqual(cs.maintenance[0].componentNamesFallback, [undefined, 'en']);
    assert.equal(view.components[1].fallback, undefined, 'the default language marks nothing');
  });

  it('the attributes a page writes: lang, and dir where the text runs the other way', () => {
    assert.deepEqual(langAttrs('en', 'fa'), { lang: 'en', dir: 'ltr' });
    assert.deepEqual(langAttrs('en', 'cs'), { lang: 'en' });
    assert.deepEqual(langAttrs('fa', 'en'), { lang: 'fa', dir: 'rtl' });
    assert.deepEqual(langAttrs(undefined, 'fa'), {});
  });

  it("feeds carry the write-up in the feed's language, or as written", async () => {
    const bodies = feeds(view);
    const out = await tempDir();
    const read = async (path: string) => {
      const file = join(out, path.replaceAll('/', '-'));
      await writeFile(file, bodies[path]);
      const feed = feedparse(file);
      assert.equal(Boolean(feed.bozo), false, feed.bozo_exception);
      return feed.entries.find((e) => e.link.endsWith(`/incidents/${ID}/`))!;
    };
    const czech = await read('cs/history.atom');
    assert.match(czech.content, /Na jednom vyrovnávači zátěže <strong>vypršel<\/strong> certifikát/);
    assert.doesNotMatch(czech.content, /expired/);
    assert.match(czech.content, /Rozbor/, "the write-up's heading in Czech");
    assert.match((await read('fa/history.rss')).content, /A certificate <strong>expired<\/strong>/);
    assert.match((await read('history.rss')).content, /A certificate <strong>expired<\/strong>/);
  });

  it("maintenance.ics in Czech: Czech words and the window's Czech text, LANGUAGE=cs, links to the Czech page", () => {
    const cal = icalparse(maintenanceCalendar(cs, undefined, 'cs'));
    assert.equal(cal.name, 'Údržba Test CRM');
    const [event] = cal.events;
    assert.equal(event.summary, 'Údržba Test CRM: Upgrade databáze');
    assert.equal(event.summaryLanguage, 'cs');
    assert.equal(event.description, 'Upgradujeme **databázi**.\n\nDotčeno: Rozhraní REST, Web app');
    assert.equal(event.descriptionLanguage, 'cs');
    assert.equal(event.url, 'https://status.test.example/cs/maintenance/#db');
    assert.deepEqual(event.starts, ['2026-11-28T21:00:00Z']);
  });

  it('maintenance.ics in Persian: no Persian title, so its SUMMARY says LANGUAGE=en', () => {
    const [event] = icalparse(maintenanceCalendar(fa, undefined, 'fa')).events;
    assert.equal(event.summary, 'نگهداری Test CRM: Database upgrade');
    assert.equal(event.summaryLanguage, 'en');
    assert.equal(event.descriptionLanguage, 'en');
    assert.match(event.description!, /رابط REST/);
  });

  it('the default calendar is as before, in English, with LANGUAGE=en', () => {
    const text = maintenanceCalendar(view);
    const cal = icalparse(text);
    assert.equal(cal.name, 'Test CRM maintenance');
    assert.equal(cal.events[0].summary, 'Test CRM maintenance: Database upgrade');
    assert.equal(cal.events[0].summaryLanguage, 'en');
    assert.equal(cal.events[0].url, 'https://status.test.example/maintenance/#db');
    // Folded again after the parameters went in: no line longer than 75 octets (RFC 5545 3.1).
    for (const line of text.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  });
});
