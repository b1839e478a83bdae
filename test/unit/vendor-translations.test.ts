/**
 * Issue 17, "Vendor text in other languages": `translations:` on the site, links, groups,
 * components, instances, maintenance windows, incidents and updates; validate errors with
 * file:line:col for languages the page does not publish; and the fallback, field by field, in the
 * view each page, feed and the embed's data is made from.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { textIn } from '../../src/config/translations.ts';
import { loadIncidents } from '../../src/history/incidents.ts';
import { translator } from '../../src/i18n/index.ts';
import { feeds } from '../../src/site/feeds.ts';
import { titleIn } from '../../src/site/incident-words.ts';
import { viewIn } from '../../src/site/localize.ts';
import { statuspageApi } from '../../src/site/statuspage.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { feedparse } from '../helpers/feedparser.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const NOW = new Date('2026-11-23T12:00:00Z');

const SITE = `site:
  title: Test CRM Status
  vendor: Test CRM
  description: How our CRM is doing.
  url: https://status.test.example
  time_zone: Europe/Prague
  languages: [cs, fa]
  translations:
    cs: { title: Stav Test CRM, description: Jak se daří našemu CRM. }
  links:
    - label: Support
      url: https://support.test.example
      translations: { cs: { label: Podpora } }
groups:
  - id: core
    name: Core
    translations: { cs: { name: Jádro } }
components:
  - id: api
    name: REST API
    description: The public API.
    group: core
    translations:
      cs: { name: Rozhraní REST, description: Veřejné API. }
      fa: { name: رابط REST }
  - id: web
    name: Web app
    group: core
instances:
  - id: eu1
    name: EU1
    region: Europe
    translations: { cs: { region: Evropa } }
`;

const CHECKS = `checks:
  - id: api
    name: API health
    translations: { cs: { name: Stav API } }
    component: api
    kind: http
    url: http://127.0.0.1:9/
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

const PERSON = `---
id: 2026-11-23-login
title: Slow sign-in for some customers
translations:
  cs: { title: Pomalé přihlašování u některých zákazníků }
components: [api, web]
impact: major
updates:
  - at: 2026-11-23T09:10:00Z
    status: investigating
    message: Some customers cannot **sign in**.
    translations:
      cs: { message: Někteří zákazníci se nemohou **přihlásit**. }
  - at: 2026-11-23T09:40:00Z
    status: resolved
    message: Fixed.
---
`;

const AUTOMATIC = `---
id: 2026-11-20-api
title: "REST API: major outage"
components: [api]
impact: critical
automatic: true
started: 2026-11-20T18:00:00Z
updates:
  - at: 2026-11-20T18:00:01Z
    status: investigating
    by: upkeep
    component_status: major_outage
    reasons: [status_503]
    message: Our checks show a major outage of REST API since 18:00 UTC.
---
`;

/** The errors `validate` prints for site.yml plus `files`, with the folder shown as "checks". */
async function configErrors(files: Record<string, string>): Promise<string[]> {
  const dir = await writeTree({ 'site.yml': SITE, 'api.yml': CHECKS, ...files });
  const { errors } = await loadConfig(dir, { env: {} });
  return errors.map((e) => formatError(e).replaceAll(dir, 'checks'));
}

describe('translations in site.yml and maintenance.yml', () => {
  it('loads, and keeps them beside the default text', async () => {
    const dir = await writeTree({ 'site.yml': SITE, 'api.yml': CHECKS, 'maintenance.yml': MAINTENANCE });
    const { config, errors } = await loadConfig(dir, { env: {} });
    assert.deepEqual(errors, []);
    const api = config!.components[0];
    assert.equal(textIn(api, 'cs', 'name'), 'Rozhraní REST');
    assert.equal(textIn(api, 'fa', 'description'), 'The public API.', 'a field not given falls back to the default language');
    assert.equal(textIn(config!.components[1], 'cs', 'name'), 'Web app', 'an object without translations is itself');
    assert.equal(textIn(api, 'en', 'name'), 'REST API');
  });

  const scenarios: { name: string; files: Record<string, string>; expected: string[] }[] = [
    {
      name: 'a language the page does not publish',
      files: { 'site.yml': SITE.replace('      fa: { name: رابط REST }', '      ru: { name: REST API (ru) }') },
      expected: [
        'checks/site.yml:25:7  components[0].translations.ru: "ru" is not published (site.yml `languages:` has cs, fa): add it there, or remove this translation',
      ],
    },
    {
      name: 'the default language',
      files: { 'site.yml': SITE.replace('    translations: { cs: { name: Jádro } }', '    translations: { en: { name: Core } }') },
      expected: [
        'checks/site.yml:17:21  groups[0].translations.en: "en" is the default language (site.language): write this text in the field itself, not under `translations`',
      ],
    },
    {
      name: 'a page without other languages',
      files: { 'site.yml': SITE.replace('  languages: [cs, fa]\n', '') },
      expected: [
        'checks/api.yml:4:21  checks[0].translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:8:5  site.translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:12:23  site.links[0].translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:16:21  groups[0].translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:23:7  components[0].translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:24:7  components[0].translations.fa: "fa" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
        'checks/site.yml:32:21  instances[0].translations.cs: "cs" is not published: site.yml publishes no other language; add it to `languages:` in site.yml, or remove this translation',
      ],
    },
    {
      name: 'a language code with a typo',
      files: { 'site.yml': SITE.replace('      fa: { name: رابط REST }', '      cz: { name: REST }') },
      // A component that does not pass is left out, so its checks name it too (as for any mistake in a component).
      expected: [
        'checks/api.yml:5:16  checks[0].component: unknown component "api"; components are declared in site.yml',
        'checks/site.yml:25:7  components[0].translations.cz: unknown key "cz" (did you mean "cs"?)',
      ],
    },
    {
      name: 'a field the object does not have',
      files: { 'site.yml': SITE.replace('      fa: { name: رابط REST }', '      fa: { title: رابط REST }') },
      expected: [
        'checks/api.yml:5:16  checks[0].component: unknown component "api"; components are declared in site.yml',
        'checks/site.yml:25:13  components[0].translations.fa.title: unknown key "title"; allowed: name, description',
      ],
    },
    {
      name: 'a check in a language the page does not publish',
      files: { 'api.yml': CHECKS.replace('{ cs: { name: Stav API } }', '{ ru: { name: Состояние API } }') },
      expected: [
        'checks/api.yml:4:21  checks[0].translations.ru: "ru" is not published (site.yml `languages:` has cs, fa): add it there, or remove this translation',
      ],
    },
    {
      name: 'a maintenance window in a language the page does not publish',
      files: { 'maintenance.yml': MAINTENANCE.replace('      cs: {', '      zh-CN: {') },
      expected: [
        'checks/maintenance.yml:9:7  maintenance[0].translations.zh-CN: "zh-CN" is not published (site.yml `languages:` has cs, fa): add it there, or remove this translation',
      ],
    },
  ];
  for (const s of scenarios) it(s.name, async () => assert.deepEqual(await configErrors(s.files), s.expected));
});

describe('translations in incident files', () => {
  it('validate names a language the page does not publish; the build keeps the incident', async () => {
    const history = await writeTree({ 'incidents/2026-11-23-login.md': PERSON.replace('      cs: { message:', '      ru: { message:') });
    const site = { language: 'en', languages: ['cs', 'fa'] };
    const checked = await loadIncidents(history, ['api', 'web'], [], site);
    assert.deepEqual(
      checked.errors.map((e) => formatError(e).replace(history, 'history')),
      [
        'history/incidents/2026-11-23-login.md:13:7  updates[0].translations.ru: "ru" is not published (site.yml `languages:` has cs, fa): add it there, or remove this translation',
      ],
    );
    assert.equal(checked.incidents.length, 0);
    const built = await loadIncidents(history, ['api', 'web'], []);
    assert.deepEqual(built.errors, []);
    assert.equal(built.incidents.length, 1, 'a translation nobody reads does not take an incident off the page');
  });

  it('checks links in a translated message as in the message itself', async () => {
    const history = await writeTree({
      'incidents/2026-11-23-login.md': PERSON.replace(
        '      cs: { message: Někteří zákazníci se nemohou **přihlásit**. }',
        '      cs:\n        message: Někteří zákazníci se nemohou [přihlásit](javascript:alert(1)).',
      ),
    });
    const { errors } = await loadIncidents(history, ['api', 'web'], [], { language: 'en', languages: ['cs'] });
    assert.deepEqual(
      errors.map((e) => formatError(e).replace(history, 'history')),
      [
        'history/incidents/2026-11-23-login.md:14:18  updates[0].translations.cs.message: the link "javascript:alert(1)" is not allowed: links must be https://, http://, mailto: or a path on the site',
      ],
    );
  });
});

describe('the view in each language, with fallback', async () => {
  const dir = await writeTree({ 'site.yml': SITE, 'api.yml': CHECKS, 'maintenance.yml': MAINTENANCE });
  const history = await writeTree({ 'incidents/2026-11-23-login.md': PERSON, 'incidents/2026-11-20-api.md': AUTOMATIC });
  const { config } = await loadConfig(dir, { env: {} });
  const { incidents, errors } = await loadIncidents(history, ['api', 'web'], [], config!.site);
  assert.deepEqual(errors, []);
  const view = buildViewModel({ config: config!, days: [], recent: [], incidents, now: NOW });
  const cs = viewIn(view, 'cs');
  const fa = viewIn(view, 'fa');
  const t = translator('cs');

  it('the default language is the view itself', () => assert.equal(viewIn(view, 'en'), view));

  it('site, links, groups and components: translated where given, the default text where not', () => {
    assert.equal(cs.site.title, 'Stav Test CRM');
    assert.equal(cs.site.vendor, 'Test CRM');
    assert.equal(cs.site.description, 'Jak se daří našemu CRM.');
    assert.equal(cs.site.links[0].label, 'Podpora');
    assert.equal(cs.groups[0].name, 'Jádro');
    assert.deepEqual(
      cs.components.map((c) => [c.name, c.description]),
      [
        ['Rozhraní REST', 'Veřejné API.'],
        ['Web app', undefined],
      ],
    );
    assert.deepEqual(
      cs.groups[0].components.map((c) => c.name),
      ['Rozhraní REST', 'Web app'],
    );
    assert.equal(fa.site.title, 'Test CRM Status');
    assert.deepEqual(
      fa.components.map((c) => [c.name, c.description]),
      [
        ['رابط REST', 'The public API.'],
        ['Web app', undefined],
      ],
    );
    assert.deepEqual([cs.instances[0].name, cs.instances[0].region], ['EU1', 'Evropa']);
    assert.equal(cs.components[0].checks[0].name, 'Stav API');
    assert.equal(fa.components[0].checks[0].name, 'API health');
    assert.deepEqual(
      cs.instances[0].components.map((c) => c.name),
      ['Rozhraní REST', 'Web app'],
    );
    assert.equal(view.components[0].name, 'REST API', 'the default view is untouched');
  });

  it("incidents: a person's title and message, the components' names, and Upkeep's own words quoting the name", () => {
    const person = cs.incidents.find((i) => i.id === '2026-11-23-login')!;
    assert.equal(titleIn(person, 'cs'), 'Pomalé přihlašování u některých zákazníků');
    assert.deepEqual(
      person.components.map((c) => c.name),
      ['Rozhraní REST', 'Web app'],
    );
    const first = person.updates.at(-1)!;
    assert.equal(first.html, '<p>Někteří zákazníci se nemohou <strong>přihlásit</strong>.</p>');
    assert.equal(first.text, 'Někteří zákazníci se nemohou přihlásit.');
    assert.equal(person.updates[0].text, 'Fixed.', 'an update without a translation keeps its text');
    assert.equal(titleIn(fa.incidents.find((i) => i.id === '2026-11-23-login')!, 'fa'), 'Slow sign-in for some customers');
    const automatic = cs.incidents.find((i) => i.id === '2026-11-20-api')!;
    assert.equal(titleIn(automatic, 'cs'), `Rozhraní REST: ${t('status.major_outage')}`);
    assert.match(automatic.updates[0].text, /Rozhraní REST/);
    assert.match(automatic.updates[0].html, /^<p>.*Rozhraní REST/);
    // The day bar's incident names follow.
    const day = cs.components[0].bars.find((b) => b.incidentList.some((i) => i.id === '2026-11-23-login'));
    assert.equal(day && titleIn(day.incidentList.find((i) => i.id === '2026-11-23-login')!, 'cs'), 'Pomalé přihlašování u některých zákazníků');
  });

  it('maintenance: title, description and the components it names', () => {
    const m = cs.maintenance[0];
    assert.equal(m.title, 'Upgrade databáze');
    assert.equal(m.descriptionHtml, '<p>Upgradujeme <strong>databázi</strong>.</p>');
    assert.deepEqual(m.componentNames, ['Rozhraní REST', 'Web app']);
    assert.equal(fa.maintenance[0].title, 'Database upgrade');
    assert.equal(cs.homeMaintenance[0].title, 'Upgrade databáze');
  });

  it('feeds: one set per language, read by a real feed client, linking to that language', async () => {
    const bodies = feeds(view);
    for (const path of ['history.rss', 'cs/history.rss', 'cs/history.atom', 'fa/components/api/history.rss', 'cs/components/web/history.atom'])
      assert.ok(bodies[path], path);
    const out = await tempDir();
    const read = async (path: string) => {
      const file = join(out, path.replaceAll('/', '-'));
      await writeFile(file, bodies[path]);
      const feed = feedparse(file);
      assert.equal(Boolean(feed.bozo), false, feed.bozo_exception);
      return feed;
    };
    const czech = await read('cs/history.rss');
    assert.match(bodies['cs/history.rss'], /<language>cs<\/language>/);
    assert.equal(czech.title, 'Stav Test CRM: incidenty a údržba');
    const item = czech.entries.find((e) => e.link === 'https://status.test.example/cs/incidents/2026-11-23-login/');
    assert.equal(item?.title, `[${t('incident.resolved')}] Pomalé přihlašování u některých zákazníků`);
    assert.match(item?.content ?? '', /Dotčeno: Rozhraní REST, Web app/);
    assert.match(item?.content ?? '', /Někteří zákazníci se nemohou <strong>přihlásit<\/strong>/);
    assert.ok(czech.entries.some((e) => e.title === `[${t('maintenance.scheduled')}] Upgrade databáze`));
    const english = await read('history.rss');
    assert.ok(english.entries.some((e) => e.title === '[Resolved] Slow sign-in for some customers' && e.link.endsWith('/incidents/2026-11-23-login/')));
    const persian = await read('fa/components/api/history.rss');
    assert.match(persian.title, /رابط REST/);
  });

  it("the Statuspage API stays in the default language, with each language's name and page for the embed", () => {
    const summary = statuspageApi(view)['summary.json'] as {
      components: { name: string }[];
      scheduled_maintenances: { name: string; translations: Record<string, { name: string; shortlink: string }> }[];
    };
    const all = statuspageApi(view)['incidents.json'] as {
      incidents: { id: string; name: string; translations: Record<string, { name: string; shortlink: string }> }[];
    };
    assert.deepEqual(
      summary.components.map((c) => c.name),
      ['Core', 'REST API', 'Web app'],
    );
    const person = all.incidents.find((i) => i.id === '2026-11-23-login')!;
    assert.equal(person.name, 'Slow sign-in for some customers');
    assert.deepEqual(person.translations, {
      cs: { name: 'Pomalé přihlašování u některých zákazníků', shortlink: 'https://status.test.example/cs/incidents/2026-11-23-login/' },
      fa: { name: 'Slow sign-in for some customers', shortlink: 'https://status.test.example/fa/incidents/2026-11-23-login/' },
    });
    assert.deepEqual(summary.scheduled_maintenances[0].translations.cs, {
      name: 'Upgrade databáze',
      shortlink: 'https://status.test.example/cs/maintenance/',
    });
  });
});
