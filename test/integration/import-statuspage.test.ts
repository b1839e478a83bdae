/**
 * `upkeep import statuspage` on real captured Statuspage v2 payloads (test/fixtures/statuspage/,
 * SOURCES.md): four vendors with different shapes, each imported, validated and imported again
 * (which changes nothing); a round trip (import GitHub's incidents, build, compare the built
 * api/v2/incidents.json with the source); the live address read from a local server; merging
 * into a vendor's own site.yml; and hostile text.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { fetchStatuspage } from '../../src/import/statuspage-source.ts';
import { markdownToText } from '../../src/text/render.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const fixtures = new URL('../fixtures/statuspage/', import.meta.url).pathname;
const fixture = async (name: string) => JSON.parse(await readFile(join(fixtures, name), 'utf8'));

type Sp = {
  id: string;
  name: string;
  status: string;
  impact: string;
  started_at: string;
  resolved_at: string | null;
  incident_updates: SpUpdate[];
  components: { id: string }[];
};
type SpUpdate = { status: string; body: string; display_at: string; created_at: string };

/** A folder with the given fixture files, as a vendor would save them. */
async function source(files: string[]): Promise<string> {
  const dir = await tempDir('upkeep-sp-src-');
  for (const f of files) await copyFile(join(fixtures, f), join(dir, f));
  return dir;
}

async function importInto(from: string, target?: { checks: string; history: string }) {
  const root = target ? undefined : await tempDir('upkeep-sp-');
  const checks = target?.checks ?? join(root!, 'checks');
  const history = target?.history ?? join(root!, 'history');
  const r = await upkeep(['import', 'statuspage', '--from', from, '--checks', checks, '--history', history]);
  return { ...r, checks, history };
}

/** Every file under `dir` with its text. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = await readFile(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

const site = async (checks: string) => parse(await readFile(join(checks, 'site.yml'), 'utf8'));
const markers = (text: string) => new Map([...text.matchAll(/- id: (\S+) # statuspage: (\S+)/g)].map((m) => [m[2], m[1]]));
const incidentMarker = (text: string) => /^# statuspage: (\S+)$/m.exec(text)?.[1];

describe('import statuspage from saved payloads', () => {
  const vendors = [
    {
      name: 'GitHub: 50 resolved incidents plus an open one, no groups, impacts none to critical',
      files: ['summary.githubstatus.json', 'incidents.githubstatus.json'],
      components: 13,
      groups: 0,
      incidents: 51,
      windows: 0,
      lines: [
        'components: 13 added',
        '(1 named only by incidents)',
        'incidents: 51 added',
        'with 294 updates',
        '18 incidents and windows named no component',
        'impact "none": 3 incidents keep it',
      ],
    },
    {
      name: 'Instructure: groups, local offsets, an incident in identified',
      files: ['summary.instructure.json'],
      components: 21,
      groups: 3,
      incidents: 1,
      windows: 0,
      lines: [
        'components: 21 added',
        'groups: 3 added',
        'still open on Statuspage: 2021-12-07-amazon-web-services-aws-is-currently-experiencing-an (identified)',
      ],
    },
    {
      name: 'Claude: sorted keys, a monitoring incident, completed maintenance',
      files: ['summary.claude.json', 'scheduled-maintenances.claude.json'],
      components: 6,
      groups: 0,
      incidents: 1,
      windows: 2,
      lines: ['maintenance: 2 windows added', 'maintenance updates after the announcement (6)'],
    },
    {
      name: 'Coinbase: 139 components in 3 groups, no incidents',
      files: ['components.coinbase.json'],
      components: 136,
      groups: 3,
      incidents: 0,
      windows: 0,
      lines: ['components: 136 added', 'groups: 3 added', 'incidents: none new'],
    },
  ];
  for (const v of vendors) {
    it(v.name, async () => {
      const r = await importInto(await source(v.files));
      assert.equal(r.code, 0, r.stderr);
      for (const line of v.lines) assert.ok(r.stdout.includes(line), `expected "${line}" in:\n${r.stdout}`);
      assert.match(r.stdout, /postmortem: none here/);
      const s = await site(r.checks);
      assert.equal(s.components.length, v.components);
      assert.equal((s.groups ?? []).length, v.groups);
      const ids = [...s.components, ...(s.groups ?? [])].map((c: { id: string }) => c.id);
      assert.equal(new Set(ids).size, ids.length, 'group and component ids are all different');
      const incidents = (await readdir(join(r.history, 'incidents')).catch(() => [])).filter((f) => f.endsWith('.md'));
      assert.equal(incidents.length, v.incidents);
      const windows = v.windows ? parse(await readFile(join(r.checks, 'maintenance.yml'), 'utf8')).maintenance : [];
      assert.equal(windows.length, v.windows);

      const validate = await upkeep(['validate', '--checks', r.checks, '--history', r.history]);
      assert.equal(validate.code, 0, validate.stderr);
      assert.match(validate.stdout, new RegExp(`${v.components} components, ${v.windows} maintenance windows, ${v.incidents} incidents`));

      // Idempotent: the same source again writes nothing.
      const before = { ...(await tree(r.checks)), ...(await tree(r.history)) };
      const again = await importInto(await source(v.files), r);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /nothing to change: everything here is imported already/);
      assert.deepEqual({ ...(await tree(r.checks)), ...(await tree(r.history)) }, before);
    });
  }

  it('keeps groups, order and ids stable (Instructure)', async () => {
    const r = await importInto(await source(['summary.instructure.json']));
    const s = await site(r.checks);
    const src = (await fixture('summary.instructure.json')).components as { id: string; name: string; group: boolean; group_id: string | null }[];
    const byMarker = markers(await readFile(join(r.checks, 'site.yml'), 'utf8'));
    for (const c of src) {
      const id = byMarker.get(c.id);
      assert.ok(id, `${c.name} is remembered by its Statuspage id`);
      if (c.group) continue;
      const mine = s.components.find((x: { id: string }) => x.id === id);
      assert.equal(mine.name, c.name);
      assert.equal(mine.group, c.group_id ? byMarker.get(c.group_id) : undefined);
    }
    // A component named like its group gets the group's prefix rather than a number.
    assert.equal(byMarker.get('9dlvqx1drp3d'), 'canvas-canvas');
    assert.equal(byMarker.get('41wg86q5vc14'), 'canvas');
  });

  it('makes maintenance windows of scheduled maintenance (Claude)', async () => {
    const r = await importInto(await source(['summary.claude.json', 'scheduled-maintenances.claude.json']));
    const text = await readFile(join(r.checks, 'maintenance.yml'), 'utf8');
    const { maintenance } = parse(text);
    const src = (await fixture('scheduled-maintenances.claude.json')).scheduled_maintenances as {
      id: string;
      name: string;
      scheduled_for: string;
      scheduled_until: string;
      components: { id: string }[];
    }[];
    const byMarker = markers(await readFile(join(r.checks, 'site.yml'), 'utf8'));
    for (const m of src) {
      const w = maintenance.find((x: { title: string }) => x.title === m.name);
      assert.ok(w, m.name);
      assert.ok(text.includes(`- id: ${w.id} # statuspage: ${m.id}`));
      assert.equal(Date.parse(w.start), Date.parse(m.scheduled_for));
      assert.equal(Date.parse(w.end), Date.parse(m.scheduled_until));
      assert.deepEqual(
        w.components,
        m.components.map((c) => byMarker.get(c.id)),
      );
    }
  });

  it('refuses a folder that mixes pages, and says which file is which', async () => {
    const r = await importInto(await source(['summary.claude.json', 'summary.githubstatus.json']));
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /these files come from 2 different pages; import one page at a time: summary\.claude\.json: Claude \(tymt9n04zgry\); summary\.githubstatus\.json: GitHub \(kctbh9vrtdwd\)/,
    );
  });
});

describe('round trip: import, build, compare api/v2/incidents.json with the source', () => {
  it("GitHub's 50 incidents come back with the same names, statuses, impacts, updates and texts", async () => {
    const r = await importInto(await source(['summary.githubstatus.json', 'incidents.githubstatus.json']));
    assert.equal(r.code, 0, r.stderr);
    const out = join(await tempDir('upkeep-sp-out-'), 'dist');
    const build = await oneBuildAtATime(() =>
      upkeep(['build', '--checks', r.checks, '--history', r.history, '--out', out], { UPKEEP_NOW: '2026-07-31T04:00:00Z' }),
    );
    assert.equal(build.code, 0, build.stderr);

    const src = (await fixture('incidents.githubstatus.json')).incidents as Sp[];
    const built = JSON.parse(await readFile(join(out, 'api', 'v2', 'incidents.json'), 'utf8')).incidents as (Sp & { id: string })[];
    assert.equal(built.length, 50);
    // Upkeep's ids are slugs; the file of each incident remembers the Statuspage id.
    const upkeepId = new Map<string, string>();
    for (const f of await readdir(join(r.history, 'incidents')))
      upkeepId.set(incidentMarker(await readFile(join(r.history, 'incidents', f), 'utf8'))!, f.slice(0, -3));
    const componentOf = markers(await readFile(join(r.checks, 'site.yml'), 'utf8'));

    const plain = (t: string) =>
      t
        .replace(/(?:<br\s*\/?>\s*)+/gi, '\n')
        .replace(/\s+/g, ' ')
        .trim();
    const rendered = (t: string) => plain(markdownToText(t.replace(/(?:<br\s*\/?>\s*)+/gi, '\n\n')));
    const markdownOnly: string[] = [];
    for (const s of src) {
      const b = built.find((x) => x.id === upkeepId.get(s.id));
      assert.ok(b, `${s.name} is in the built API`);
      assert.equal(b.name, s.name);
      assert.equal(b.status, s.status);
      assert.equal(b.impact, s.impact);
      assert.equal(b.started_at, new Date(s.started_at).toISOString());
      assert.equal(b.resolved_at, s.resolved_at && new Date(s.resolved_at).toISOString());
      assert.equal(b.incident_updates.length, s.incident_updates.length, `${s.name}: every update`);
      const theirs = [...s.incident_updates].sort((x, y) => Date.parse(y.display_at) - Date.parse(x.display_at));
      theirs.forEach((u, k) => {
        const mine = b.incident_updates[k];
        assert.equal(mine.status, u.status);
        assert.equal(mine.created_at, new Date(u.display_at).toISOString());
        // The API serves the text of the rendered markdown: equal to the source's, rendered the same way.
        assert.equal(plain(mine.body), rendered(u.body), `${s.name}, update ${k}`);
        if (plain(mine.body) !== plain(u.body)) markdownOnly.push(`${s.name}: ${plain(u.body).slice(0, 40)}`);
      });
      const components = s.components.map((c) => componentOf.get(c.id));
      assert.deepEqual(
        b.components.map((c: { id: string }) => c.id),
        components.length ? components : ['general'],
      );
    }
    // Only markdown syntax in the source ("- " lists, a "---" rule) reads differently as plain text.
    assert.equal(markdownOnly.length, 2, markdownOnly.join('\n'));
  });
});

describe('import statuspage from the live address', () => {
  it('reads summary, incidents and scheduled maintenance from /api/v2/, the same as saved files', async () => {
    const files: Record<string, string> = {
      '/api/v2/summary.json': await readFile(join(fixtures, 'summary.claude.json'), 'utf8'),
      '/api/v2/scheduled-maintenances.json': await readFile(join(fixtures, 'scheduled-maintenances.claude.json'), 'utf8'),
    };
    const asked: string[] = [];
    const { url } = await httpServer((req, res) => {
      asked.push(`${req.method} ${req.url} ${req.headers['user-agent']}`);
      // The page moved its summary once: redirects are followed (a few).
      if (req.url === '/status/api/v2/summary.json') {
        res.writeHead(301, { location: '/moved/summary.json' }).end();
        return;
      }
      const body = files[req.url!.replace(/^\/status/, '').replace('/moved/', '/api/v2/')];
      if (body) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else res.writeHead(404).end('not found');
    });
    const live = await importInto(`${url}/status`);
    assert.equal(live.code, 0, live.stderr);
    assert.match(live.stdout, /left out: incidents\.json: the page answered 404/);
    assert.deepEqual(
      asked.map((a) => a.replace(/ upkeep\/\S+ \(import\)$/, ' ua')),
      [
        'GET /status/api/v2/summary.json ua',
        'GET /moved/summary.json ua',
        'GET /status/api/v2/incidents.json ua',
        'GET /status/api/v2/scheduled-maintenances.json ua',
      ],
    );
    const saved = await importInto(await source(['summary.claude.json', 'scheduled-maintenances.claude.json']));
    assert.deepEqual(await tree(live.checks), await tree(saved.checks));
    assert.deepEqual(await tree(live.history), await tree(saved.history));
  });

  it('gives up cleanly on what is not a Statuspage answer', async () => {
    let hang = false;
    const { url } = await httpServer((req, res) => {
      if (hang) return; // never answers
      if (req.url === '/html/api/v2/summary.json') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>');
      else if (req.url === '/big/api/v2/summary.json') res.writeHead(200, { 'content-type': 'application/json' }).end(`{"page":${' '.repeat(5000)}}`);
      else if (req.url === '/loop/api/v2/summary.json') res.writeHead(302, { location: '/loop/api/v2/summary.json' }).end();
      else res.writeHead(404).end();
    });
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['not JSON', () => fetchStatuspage(`${url}/html`), /did not answer JSON \(content-type text\/html\): is it a Statuspage page\?/],
      ['no page', () => fetchStatuspage(`${url}/nothing`), /answered 404: is .* a Statuspage page\?/],
      ['too large', () => fetchStatuspage(`${url}/big`, { maxBytes: 1000 }), /sent more than 0 MB|is 0 MB, over/],
      ['redirect loop', () => fetchStatuspage(`${url}/loop`), /answered 302 \(too many redirects\)/],
      [
        'no answer',
        () => {
          hang = true;
          return fetchStatuspage(url, { timeoutMs: 300 });
        },
        /could not read .*summary\.json: timeout/,
      ],
    ];
    for (const [name, run, message] of cases) await assert.rejects(run, message, name);
    const r = await upkeep(['import', 'statuspage', '--from', 'status.example.com']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--from status\.example\.com: no such folder \(for a page's address, give https:\/\/status\.example\.com\)/);
  });
});

describe('import statuspage into a page that exists', () => {
  const vendorSite = `# yaml-language-server: $schema=../src/config/site.schema.json
# Our page. Hand-written comments stay.
site:
  title: Octo Status      # aligned comment
  vendor: Octo
components:
  - id: webhooks          # ours, kept as we wrote it
    name: Outgoing webhooks
  - id: actions
    name: Actions

sla:
  target: 99.9
`;

  it('adds to site.yml without changing a byte of it, and matches components by name', async () => {
    const root = await writeTree({ 'checks/site.yml': vendorSite });
    const r = await importInto(await source(['summary.githubstatus.json']), { checks: join(root, 'checks'), history: join(root, 'history') });
    assert.equal(r.code, 0, r.stderr);
    const text = await readFile(join(root, 'checks', 'site.yml'), 'utf8');
    // Only lines added: the vendor's lines are all there, in order and unchanged, but the one that gained a marker.
    const lines = text.split('\n');
    let at = 0;
    for (const line of vendorSite.split('\n')) {
      const want = line === '  - id: actions' ? '  - id: actions # statuspage: br0l2tvcx85d' : line;
      at = lines.indexOf(want, at);
      assert.notEqual(at, -1, `kept: ${want}`);
    }
    const s = parse(text);
    assert.equal(s.components.filter((c: { id: string }) => c.id === 'webhooks' || c.id === 'actions').length, 2, 'no duplicates');
    assert.equal(s.components.find((c: { id: string }) => c.id === 'webhooks').name, 'Outgoing webhooks');
    assert.match(r.stdout, /components: 9 added to .*site\.yml, 2 already there/);
    assert.match(r.stdout, /kept your names: webhooks \("Outgoing webhooks", "Webhooks" on Statuspage\)/);
    assert.equal((await upkeep(['validate', '--checks', join(root, 'checks'), '--history', join(root, 'history')])).code, 0);
  });

  it('on a second import, follows renamed ids, keeps edits, and adds only new updates', async () => {
    const root = await tempDir('upkeep-sp-again-');
    const checks = join(root, 'checks');
    const history = join(root, 'history');
    const from = await source(['summary.githubstatus.json']);
    assert.equal((await importInto(from, { checks, history })).code, 0);

    // The vendor renames a component id (the marker comment stays on its line) and edits the open incident's title.
    const siteFile = join(checks, 'site.yml');
    await writeFile(siteFile, (await readFile(siteFile, 'utf8')).replace('- id: packages # statuspage', '- id: pkg # statuspage'));
    const incident = join(history, 'incidents', '2022-11-25-incident-with-packages-and-pages.md');
    await writeFile(
      incident,
      (await readFile(incident, 'utf8'))
        .replace('  - packages\n', '  - pkg\n')
        .replace('title: Incident with Packages and Pages', 'title: Packages and Pages degraded'),
    );

    // Meanwhile on Statuspage the incident is resolved.
    const summary = await fixture('summary.githubstatus.json');
    const inc = summary.incidents[0];
    inc.status = 'resolved';
    inc.incident_updates.unshift({
      ...inc.incident_updates[0],
      id: 'newupdate001',
      status: 'resolved',
      body: 'This incident has been resolved.',
      display_at: '2022-11-25T16:30:00.000Z',
      created_at: '2022-11-25T16:30:00.000Z',
    });
    await writeFile(join(from, 'summary.githubstatus.json'), JSON.stringify(summary));

    const r = await importInto(from, { checks, history });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /components: none new, 11 already there/);
    assert.match(r.stdout, /incidents: none new, 1 new update added to 1 incident imported before/);
    assert.match(r.stdout, /kept your edits to incidents that differ from Statuspage now: 2022-11-25-incident-with-packages-and-pages: title/);
    const text = await readFile(incident, 'utf8');
    assert.match(text, /title: Packages and Pages degraded/);
    assert.match(text, / {2}- pkg\n/);
    assert.match(text, /status: resolved\n {4}message: This incident has been resolved\.\n---\n$/);
    assert.ok(!(await readFile(siteFile, 'utf8')).includes('id: packages'), 'the renamed component is not added again');
    assert.equal((await upkeep(['validate', '--checks', checks, '--history', history])).code, 0);
  });

  it('--dry-run says what it would write and writes nothing', async () => {
    const root = await tempDir('upkeep-sp-dry-');
    const r = await upkeep([
      'import',
      'statuspage',
      '--from',
      await source(['summary.claude.json']),
      '--checks',
      join(root, 'checks'),
      '--history',
      join(root, 'history'),
      '--dry-run',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /dry run: would write .*site\.yml, .*\.md; nothing written/);
    assert.deepEqual(await readdir(root), []);
  });
});

describe('hostile or odd text from the source', () => {
  it("keeps people's words as text, never breaks the front matter, refuses nothing Upkeep can read", async () => {
    const page = { id: 'evilpage0001', name: 'Evil "Corp"\n<script>', url: 'javascript:alert(1)', time_zone: 'Mars/Olympus' };
    const component = (id: string, name: string) => ({ id, name, status: 'operational', position: 1, group: false, group_id: null });
    const update = (status: string, body: string, at: string) => ({ id: `u${at.replace(/\D/g, '')}`, status, body, created_at: at, display_at: at });
    const incidents = [
      {
        id: 'hostile00001',
        name: 'Title with\nnewline: and "quotes" # and a hash\u0000',
        status: 'resolved',
        impact: 'critical',
        created_at: '2026-01-02T10:00:00Z',
        started_at: '2026-01-02T09:55:00Z',
        components: [component('cmp000000001', '🔥🔥')],
        incident_updates: [
          update('investigating', '---\nid: injected\n---\nStill the message.\n---', '2026-01-02T10:00:00Z'),
          update('identified', '[click](javascript:alert(1)) and <javascript:alert(2)> and <script>alert(3)</script>', '2026-01-02T10:10:00Z'),
          update('postmortem', 'Root cause: **a cable**.<br /><br />We replaced it.', '2026-01-03T10:00:00Z'),
          update('resolved', '', '2026-01-02T11:00:00Z'),
        ],
      },
      {
        id: '../../etc/passwd',
        name: 'Bad id',
        status: 'investigating',
        impact: 'sideways',
        created_at: '2026-01-04T10:00:00Z',
        components: [],
        incident_updates: [update('weird', 'Hello', '2026-01-04T10:00:00Z')],
      },
      {
        id: 'huge00000001',
        name: 'A very long story',
        status: 'resolved',
        impact: 'minor',
        created_at: '2026-01-06T10:00:00Z',
        components: [],
        incident_updates: [update('resolved', 'word '.repeat(220_000), '2026-01-06T10:00:00Z')],
      },
      {
        id: 'noupdates001',
        name: 'Nothing said',
        status: 'resolved',
        impact: 'minor',
        created_at: '2026-01-05T10:00:00Z',
        components: [],
        incident_updates: [],
      },
      {
        id: 'badtime00001',
        name: 'Bad time',
        status: 'resolved',
        impact: 'minor',
        created_at: 'yesterday',
        components: [],
        incident_updates: [update('resolved', 'x', 'soon')],
      },
    ];
    const scheduled = [
      {
        id: 'maint0000001',
        name: 'No times',
        status: 'scheduled',
        impact: 'maintenance',
        created_at: '2026-01-01T00:00:00Z',
        components: [],
        incident_updates: [],
      },
    ];
    const from = await writeTree({
      'summary.json': JSON.stringify({ page, components: [component('cmp000000001', '🔥🔥'), { bad: true }], incidents, scheduled_maintenances: scheduled }),
      'notes.json': '{"hello": "world"}',
      'broken.json': '{',
    });
    const r = await importInto(from);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /left out: broken\.json: not JSON/);
    assert.match(r.stdout, /left out: notes\.json: not a Statuspage v2 answer/);
    assert.match(r.stdout, /left out: summary\.json components\[1\]/);
    assert.match(r.stdout, /left out: incident 2026-01-06-a-very-long-story: 1\.0 MB, more than an incident file may be/);
    assert.match(r.stdout, /left out: incident noupdates001 \("Nothing said"\): no updates to make an incident of/);
    assert.match(r.stdout, /left out: maintenance maint0000001 \("No times"\): no scheduled_for and scheduled_until/);
    assert.match(r.stdout, /time zone "Mars\/Olympus" is not an IANA zone Upkeep knows: site.time_zone is UTC/);
    assert.match(r.stdout, /impact "sideways" \(1 incident\) is not Statuspage's: written as "minor"/);
    assert.match(r.stdout, /postmortem: 1 postmortem became the write-up/);
    assert.match(r.stdout, /1 update had links with schemes Upkeep refuses/);
    assert.doesNotMatch(r.stdout, /When this page takes over/);

    const s = await site(r.checks);
    assert.deepEqual(s.site, { title: 'Evil "Corp" <script> Status', vendor: 'Evil "Corp" <script>', time_zone: 'UTC' });
    assert.equal(s.components[0].id, 'component-cmp000000001');
    const files = await readdir(join(r.history, 'incidents'));
    const hostile = await readFile(join(r.history, 'incidents', files.find((f) => f.includes('title-with-newline'))!), 'utf8');
    const front = parse(/^---\n([\s\S]*?)\n---\n/.exec(hostile)![1]);
    assert.equal(front.id, files.find((f) => f.includes('title-with-newline'))!.slice(0, -3));
    assert.equal(front.title, 'Title with newline: and "quotes" # and a hash');
    assert.equal(front.updates[0].message, '---\nid: injected\n---\nStill the message.\n---');
    assert.equal(front.updates[1].message, '\\[click\\](javascript:alert(1)) and \\<javascript:alert(2)\\> and \\<script\\>alert(3)\\</script\\>');
    assert.equal(front.updates[2].message, 'Status: resolved.');
    assert.equal(front.updates.length, 3);
    assert.match(hostile, /\n---\n\nRoot cause: \*\*a cable\*\*\.\n\nWe replaced it\.\n$/);
    // An id that is not Statuspage's shape is never written into a comment.
    const bad = await readFile(join(r.history, 'incidents', files.find((f) => f.includes('bad-id'))!), 'utf8');
    assert.equal(incidentMarker(bad), undefined);
    assert.match(bad, /status: investigating\n {4}message: Hello/);

    const validate = await upkeep(['validate', '--checks', r.checks, '--history', r.history]);
    assert.equal(validate.code, 0, validate.stderr);
  });
});

/**
 * One build at a time across these test files: two `upkeep build`s in one checkout share Astro's
 * .astro/.prerender folder and break each other when they overlap.
 */
async function oneBuildAtATime<T>(run: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), 'upkeep-import-build.lock');
  for (;;) {
    if (
      await mkdir(lock).then(
        () => true,
        () => false,
      )
    )
      break;
    const since = (await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now();
    if (Date.now() - since > 120_000) await rm(lock, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 200));
  }
  try {
    return await run();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
