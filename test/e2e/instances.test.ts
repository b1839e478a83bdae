/**
 * Instances end to end: six instances in three regions probed for real (one having a bad day),
 * an incident on two of them, the built page in Chromium with and without JavaScript, and each
 * instance's Statuspage v2 subtree against the schema real payloads pass.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { preview } from 'astro';
import { siteRoot } from '../../src/cli/build.ts';
import { launch } from '../helpers/browser.ts';
import { feedparse } from '../helpers/feedparser.ts';
import { icalparse } from '../helpers/icalendar.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const INSTANCES = [
  ['na1', 'NA1', 'North America', 'acme.pipewell.example'],
  ['na2', 'NA2', 'North America', 'globex.pipewell.example'],
  ['eu1', 'EU1', 'Europe', 'initech.pipewell.example'],
  ['eu2', 'EU2', 'Europe', 'umbrella.pipewell.example'],
  ['ap1', 'AP1', 'Asia Pacific', 'hooli.pipewell.example'],
  ['ap2', 'AP2', 'Asia Pacific', 'stark.pipewell.example'],
] as const;

describe('instances: "am I affected?"', async () => {
  // EU2 is having a bad day: its API answers 503.
  const { url } = await httpServer((req, res) => {
    res.statusCode = req.url?.startsWith('/eu2/') ? 503 : 200;
    res.end('ok');
  });
  const site = `site:
  title: Pipewell Status
  vendor: Pipewell
  url: https://status.pipewell.example
  languages: [fa]
instances:
${INSTANCES.map(([id, name, region, host]) => `  - id: ${id}\n    name: ${name}\n    region: ${region}\n    hosts: [${host}]\n    aliases: [${id}-pod]\n    vars: { base_url: "${url}/${id}" }\n`).join('')}components:
  - id: api
    name: REST API
  - id: web
    name: Web app
`;
  const checks = await writeTree({
    'site.yml': site,
    'api.yml': `checks:
  - id: api-health
    name: API health (\${{ instance.name }})
    component: api
    kind: http
    retries: 0
    for_each: instances
    url: \${{ instance.base_url }}/health
  - id: web-home
    name: Web app
    component: web
    kind: http
    retries: 0
    url: ${url}/web
`,
    'maintenance.yml': `maintenance:
  - id: eu2-db
    title: EU2 database upgrade
    components: [api]
    instances: [eu2]
    start: 2026-12-20T22:00:00Z
    end: 2026-12-20T23:00:00Z
`,
  });
  const history = await tempDir();
  for (const t of ['10:00', '10:05', '10:10']) {
    const r = await upkeep(['probe', '--checks', checks, '--history', history], { UPKEEP_NOW: `2026-12-02T${t}:00Z` });
    assert.equal(r.code, 0, r.stderr);
    const i = await upkeep(['incidents', '--checks', checks, '--history', history], { UPKEEP_NOW: `2026-12-02T${t}:00Z` });
    assert.equal(i.code, 0, i.stderr);
  }
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(join(history, 'incidents'), { recursive: true });
  await writeFile(
    join(history, 'incidents/2026-12-02-eu-api.md'),
    `---\nid: 2026-12-02-eu-api\ntitle: API errors in Europe\ncomponents: [api]\ninstances: [eu1, eu2]\nimpact: major\nupdates:\n  - at: 2026-12-02T10:02:00Z\n    status: investigating\n    message: We are looking into API errors on EU1 and EU2.\n---\n`,
  );
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', checks, '--history', history, '--out', out], { UPKEEP_NOW: '2026-12-02T10:11:00Z' });
  assert.equal(built.code, 0, built.stderr);
  const json = async (path: string) => JSON.parse(await readFile(join(out, path), 'utf8'));

  it('expands one definition into one check per instance, with stable ids', async () => {
    const r = await upkeep(['probe', '--checks', checks, '--history', await tempDir(), '--dry-run', '--json']);
    const ids = (JSON.parse(r.stdout) as { check: string }[]).map((s) => s.check).sort();
    assert.deepEqual(ids, [...INSTANCES.map(([id]) => `api-health@${id}`).sort(), 'web-home'].sort());
  });

  it('each instance has its own status and Statuspage v2 subtree; the incident on two instances shows only there', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(new URL('../fixtures/statuspage-v2.schema.json', import.meta.url), 'utf8')));
    for (const [id] of INSTANCES) {
      for (const path of ['summary', 'status', 'components', 'incidents', 'incidents/unresolved', 'scheduled-maintenances']) {
        const body = await json(`instances/${id}/api/v2/${path}.json`);
        assert.ok(validate(body), `${id} ${path}.json: ${ajv.errorsText(validate.errors)}`);
      }
      const summary = await json(`instances/${id}/api/v2/summary.json`);
      const api = summary.components.find((c: { name: string }) => c.name === 'REST API');
      assert.equal(api.status, id === 'eu2' ? 'major_outage' : 'operational', id);
      // The automatic incident names exactly the instance that failed; the person's names EU1 and EU2.
      assert.deepEqual(
        summary.incidents.map((i: { name: string }) => i.name).sort(),
        id === 'eu2' ? ['API errors in Europe', 'REST API (eu2): major outage'] : id === 'eu1' ? ['API errors in Europe'] : [],
        id,
      );
    }
    // Each instance's feeds, read by a real feed client: EU2's carry its incidents, NA1's none of them.
    for (const [id, want] of [
      ['eu2', 2],
      ['na1', 0],
    ] as const) {
      for (const ext of ['rss', 'atom']) {
        const feed = feedparse(join(out, `instances/${id}/history.${ext}`));
        assert.ok(!feed.bozo, `${id}.${ext}: ${feed.bozo_exception}`);
        assert.equal(feed.entries.filter((e) => /Europe|eu2/.test(e.title)).length, want, `${id}.${ext}`);
        assert.ok(
          feed.links.some((l) => l.rel === 'alternate' && l.href.endsWith(`/instances/${id}/`)),
          `${id}.${ext} links its instance page: ${JSON.stringify(feed.links)}`,
        );
      }
    }
    // Each instance's calendar, read by a real iCalendar parser: the window for EU2 is only in EU2's.
    for (const [id, want] of [
      ['eu2', ['EU2 database upgrade']],
      ['na1', []],
    ] as const) {
      const cal = icalparse(await readFile(join(out, `instances/${id}/maintenance.ics`), 'utf8'));
      assert.deepEqual(
        cal.events.map((e) => e.summary.replace(/^Pipewell maintenance: /, '')),
        want,
        `${id}'s maintenance.ics`,
      );
      if (want.length) assert.deepEqual(cal.events[0].starts.slice(0, 1), ['2026-12-20T22:00:00Z']);
    }
    // Badges: the instance's worst status under its name, and its components as that instance sees them.
    const badge = async (path: string) => (await readFile(join(out, path), 'utf8')).replace(/<[^>]+>/g, ' ');
    assert.match(await badge('instances/eu2/badge.svg'), /EU2.*major outage/s);
    assert.match(await badge('instances/na1/badge.svg'), /operational/);
    assert.match(await badge('instances/eu2/badges/api.svg'), /REST API.*major outage/s);
    assert.match(await badge('instances/na1/badges/api.svg'), /REST API.*operational/s);
    assert.deepEqual((await json('instances/eu2/badge.json')).message, 'major outage');
    // The whole page: one instance of six down is a partial outage of the API, not a major one.
    const all = await json('api/v2/summary.json');
    assert.equal(all.components.find((c: { name: string }) => c.name === 'REST API').status, 'partial_outage');
  });

  it('validate explains an unknown instance value, an unknown instance, for_each without instances, and duplicate ids', async () => {
    const bad = await writeTree({
      'site.yml': site.replace('  - id: na2\n', '  - id: na1\n'),
      'a.yml': `checks:
  - id: a
    name: A
    component: api
    kind: http
    for_each: [na1, eu9]
    url: \${{ instance.base_ur }}/x
  - id: a
    name: A again
    component: api
    kind: http
    for_each: instances
    url: \${{ instance.base_url }}/x
  - id: b
    name: B \${{ instance.name }}
    component: api
    kind: http
    url: ${url}/b
`,
    });
    const r = await upkeep(['validate', '--checks', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /site\.yml:\d+:\d+\s+instances\[1\]\.id: duplicate instance id "na1"/);
    assert.match(r.stderr, /a\.yml:\d+:\d+\s+checks\[0\]\.for_each\[1\]: unknown instance "eu9"/);
    assert.match(r.stderr, /checks\[0\]\.url: \$\{\{ instance\.base_ur \}\} is not set for any instance \(did you mean "base_url"\?\)/);
    assert.match(r.stderr, /duplicate check id "a@na1"/);
    assert.match(r.stderr, /checks\[2\]\.name: \$\{\{ instance\.name \}\} is only filled in a check with `for_each: instances`/);
    const none = await writeTree({
      'site.yml': site.replace(/instances:\n[\s\S]*?components:/, 'components:'),
      'a.yml': `checks:\n  - id: a\n    name: A\n    component: api\n    kind: http\n    for_each: instances\n    url: ${url}/x\n`,
    });
    assert.match((await upkeep(['validate', '--checks', none])).stderr, /site\.yml declares no `instances:`/);
    // An incident file naming an instance that does not exist (it would show on no instance page).
    const hist = await writeTree({
      'incidents/2026-12-02-typo.md': `---\nid: 2026-12-02-typo\ntitle: API errors\ncomponents: [api]\ninstances: [eu1, eu3]\nimpact: minor\nupdates:\n  - at: 2026-12-02T10:02:00Z\n    status: investigating\n    message: Looking.\n---\n`,
    });
    const typo = await upkeep(['validate', '--checks', checks, '--history', hist]);
    assert.equal(typo.code, 1, typo.stdout);
    assert.match(typo.stderr, /2026-12-02-typo\.md:5:\d+\s+instances\[1\]: unknown instance "eu3" \(did you mean "eu1"\?\)/);
    const plainSite = await writeTree({
      'site.yml': site.replace(/instances:\n[\s\S]*?components:/, 'components:'),
      'a.yml': `checks:\n  - id: a\n    name: A\n    component: api\n    kind: http\n    url: ${url}/x\n`,
    });
    const noInstances = await upkeep(['validate', '--checks', plainSite, '--history', hist]);
    assert.match(noInstances.stderr, /instances\[0\]: site\.yml declares no instances/);
  });

  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const base = `http://127.0.0.1:${server.port}/`;
  const browser = await launch();

  it('find your instance: a plain list of links without JavaScript, a type-ahead with it (host names, regions, aliases)', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const page = await plain.newPage();
    await page.goto(base);
    assert.equal(await page.locator('[data-instance-list] li a').count(), 6);
    assert.equal(await page.locator('[data-finder]').isVisible(), false, 'no search box that cannot work');
    await page.locator('[data-instance="eu2"] a').click();
    await page.waitForURL(/instances\/eu2\/$/);
    assert.match(await page.locator('h1').innerText(), /EU2/);
    assert.match(await page.locator('main').innerText(), /API errors in Europe/);
    await page.goto(`${base}components/api/`);
    assert.match(await page.locator('[data-by-instance] [data-instance="eu2"]').innerText(), /Major outage\s+EU2/);
    assert.match(await page.locator('[data-by-instance] [data-instance="na1"]').innerText(), /Operational\s+NA1/);
    await plain.close();

    const js = await browser.newContext();
    const live = await js.newPage();
    await live.goto(base);
    const visible = async () => live.locator('[data-instance-list] li:not([hidden])').evaluateAll((els) => els.map((e) => e.getAttribute('data-instance')));
    await live.locator('#instance-search').fill('umbrella.pipewell');
    assert.deepEqual(await visible(), ['eu2']);
    await live.locator('#instance-search').fill('asia');
    assert.deepEqual(await visible(), ['ap1', 'ap2']);
    await live.locator('#instance-search').fill('na2-pod');
    assert.deepEqual(await visible(), ['na2']);
    await live.locator('#instance-search').fill('nowhere');
    assert.deepEqual(await visible(), []);
    assert.match(await live.locator('#instance-count').innerText(), /No instance matches/);
    const { violations } = await new AxeBuilder({ page: live }).analyze();
    assert.deepEqual(
      violations.map((v) => v.id),
      [],
    );
    await live.goto(`${base}fa/instances/eu2/`);
    const { violations: fa } = await new AxeBuilder({ page: live }).analyze();
    assert.deepEqual(
      fa.map((v) => v.id),
      [],
    );
    await js.close();
  });

  it('closes the browser and server', async () => {
    await browser.close();
    await server.stop();
  });
});
