/**
 * API journeys and freshness against a real contacts API on loopback: steps, captures, `until`
 * polling to a deadline, `finally` clean-up after success, failure and timeout, lag in samples,
 * captured values kept out of history.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readDay } from '../../src/history/store.ts';
import { upkeep } from '../helpers/cli.ts';
import { secretForms } from '../helpers/secret-forms.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const TOKEN = 'tok_"captured"&secret/100%+é';
const API_KEY = 'api-key-from-env-"x"&y';

/** A small CRM: contacts appear in search `searchLagMs` after they are created. */
function contactsApi() {
  const state = { searchLagMs: 0, hangRead: false, failRead: false, failDelete: false, failCreate: false, readDelayMs: 0, created: 0 };
  const contacts = new Map<string, { email: string; at: number }>();
  let next = 1;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://x');
    let body = '';
    for await (const chunk of req) body += chunk;
    if (req.headers['x-api-key'] !== API_KEY) return json(res, 401, { error: 'bad key' });
    if (req.method === 'POST' && url.pathname === '/contacts') {
      if (state.failCreate) return json(res, 500, { error: 'no' });
      const email = req.headers['content-type']?.includes('json') ? JSON.parse(body).email : new URLSearchParams(body).get('email');
      const id = `c${next++}`;
      contacts.set(id, { email, at: Date.now() });
      state.created++;
      res.setHeader('location', `/contacts/${id}`);
      return json(res, 201, { id, token: TOKEN });
    }
    const one = /^\/contacts\/([\w%]+)$/.exec(url.pathname);
    if (one && req.method === 'GET') {
      if (state.hangRead) return; // never answers
      if (state.readDelayMs) await new Promise((r) => setTimeout(r, state.readDelayMs));
      if (state.failRead) return json(res, 500, { error: 'db down', echo: TOKEN });
      const c = contacts.get(decodeURIComponent(one[1]));
      return c ? json(res, 200, { id: one[1], email: c.email }) : json(res, 404, {});
    }
    if (one && req.method === 'DELETE') {
      if (state.failDelete) return json(res, 503, {});
      contacts.delete(decodeURIComponent(one[1]));
      res.statusCode = 204;
      return res.end();
    }
    if (url.pathname === '/search') {
      const q = url.searchParams.get('q');
      const hits = [...contacts.entries()].filter(([, c]) => c.email === q && Date.now() - c.at >= state.searchLagMs).map(([id]) => ({ id }));
      return json(res, 200, { total: hits.length, results: hits, token: req.headers.authorization });
    }
    json(res, 404, {});
  };
  return { state, contacts, handler };
}

const JOURNEY = (extra = '') => `checks:
  - id: contact-journey
    name: Create and find a contact
    component: api
    kind: api
    retries: 0
    timeout: 1s
    steps:
      - name: Create a contact
        method: POST
        url: \${{ vars.base_url }}/contacts
        headers: { x-api-key: "\${{ env.CRM_KEY }}" }
        json: { email: "probe-\${{ journey.id }}@example.invalid" }
        capture: { id: $.id, token: $.token, location: "header:Location" }
        expect: { status: 201 }
      - name: Read it back
        url: \${{ vars.base_url }}/contacts/\${{ captured.id }}
        headers: { x-api-key: "\${{ env.CRM_KEY }}" }
        expect: { json: '$.email != null' }
      - name: Search finds it
        url: \${{ vars.base_url }}/search?q=probe-\${{ journey.id }}@example.invalid
        headers: { x-api-key: "\${{ env.CRM_KEY }}", authorization: "Bearer \${{ captured.token }}" }
        until: { interval: 100ms, deadline: 1500ms }
        expect: { json: '$.total > 0' }
    finally:
      - name: Delete it
        method: DELETE
        url: \${{ vars.base_url }}/contacts/\${{ captured.id }}
        headers: { x-api-key: "\${{ env.CRM_KEY }}" }
        expect: { status: 204 }
${extra}`;

describe('API journeys', async () => {
  const crm = contactsApi();
  const { url } = await httpServer((req, res) => void crm.handler(req, res));
  const site = SITE_YML.replace('http://127.0.0.1:9', url);
  const env = { UPKEEP_SECRETS: JSON.stringify({ CRM_KEY: API_KEY }) };

  const run = async (files: Record<string, string>) => {
    const checks = await writeTree({ 'site.yml': site, ...files });
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', checks, '--history', history], env);
    const day = new Date().toISOString().slice(0, 10);
    const samples = (await readDay(history, day)).samples;
    assert.equal(samples.length, 1, `${r.stdout}\n${r.stderr}`);
    return { ...r, history, samples, sample: samples[0] };
  };
  const reset = (patch: Partial<typeof crm.state> = {}) =>
    Object.assign(crm.state, { searchLagMs: 0, hangRead: false, failRead: false, failDelete: false, failCreate: false, readDelayMs: 0 }, patch);
  /** Every file under history/, as text: captured values and secrets must be in none. */
  const everything = async (dir: string) => {
    let text = '';
    for (const f of (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()))
      text += await readFile(join(f.parentPath, f.name), 'utf8');
    return text;
  };

  it('runs the steps, waits for search, records the wait as lag and per-step times, and deletes the contact', async () => {
    reset({ searchLagMs: 600 });
    const r = await run({ 'journey.yml': JOURNEY() });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.sample.outcome, 'up', r.sample.message);
    assert.equal(r.sample.steps?.length, 3);
    // The measured wait is within one poll interval (and a request) of the search's true lag.
    assert.ok(r.sample.lagMs! >= 500 && r.sample.lagMs! <= 900, `lag ${r.sample.lagMs} ms for a 600 ms search lag`);
    assert.ok(r.sample.latencyMs! >= r.sample.lagMs!, 'the journey took at least its wait');
    assert.equal(crm.contacts.size, 0, 'the contact was deleted');
  });

  it('stops polling at the deadline: down, reason until_deadline (counted in the SLA), naming the step; the contact is still deleted', async () => {
    reset({ searchLagMs: 60_000 });
    const started = Date.now();
    const r = await run({ 'journey.yml': JOURNEY() });
    const took = Date.now() - started;
    assert.equal(r.sample.outcome, 'down');
    assert.equal(r.sample.reason, 'until_deadline');
    assert.equal(r.sample.attempts, 1, 'a deadline waited out is not waited out again');
    assert.match(r.sample.message!, /step 3 "Search finds it": \$\.total is 0, expected > 0 \(\d+ attempts over [12] s\)/, 'the 1.5 s deadline, rounded');
    assert.ok(r.sample.lagMs! >= 1_400 && r.sample.lagMs! <= 2_500, `a wait that ran out is at least the deadline: ${r.sample.lagMs}`);
    assert.ok(took < 6_000, `the run ended soon after the 1.5 s deadline (${took} ms)`);
    assert.equal(crm.contacts.size, 0, 'finally ran after the failure');
    const log = await everything(r.history);
    assert.match(log, /finally 1\. Delete it — ok/);
  });

  it('a failing step names the step and its expectation, and finally runs; nothing captured reaches history', async () => {
    reset({ failRead: true });
    const r = await run({ 'journey.yml': JOURNEY() });
    assert.equal(r.sample.outcome, 'down');
    assert.equal(r.sample.reason, 'status_500');
    assert.match(r.sample.message!, /^step 2 "Read it back": HTTP 500, expected 2xx/);
    assert.equal(crm.contacts.size, 0);
    const text = await everything(r.history);
    for (const secret of [TOKEN, API_KEY, encodeURIComponent(TOKEN)]) assert.ok(!text.includes(secret), `history holds ${secret}`);
  });

  it('a step that times out fails with reason timeout, and finally still deletes', async () => {
    reset({ hangRead: true });
    const r = await run({ 'journey.yml': JOURNEY() });
    assert.equal(r.sample.reason, 'timeout');
    assert.match(r.sample.message!, /^step 2 "Read it back"/);
    assert.equal(crm.contacts.size, 0);
  });

  it('a failed clean-up is degraded (something may be left behind), and says which', async () => {
    reset({ failDelete: true });
    const r = await run({ 'journey.yml': JOURNEY() });
    assert.equal(r.sample.outcome, 'degraded');
    assert.equal(r.sample.reason, 'cleanup_failed');
    assert.match(r.sample.message!, /finally step 1 "Delete it": HTTP 503/);
    crm.contacts.clear();
  });

  it('a create that made a record but failed its expectation is still cleaned up (values are captured from any answer)', async () => {
    reset();
    const r = await run({ 'journey.yml': JOURNEY().replace('    retries: 0\n', '').replace('expect: { status: 201 }', 'expect: { status: 200 }') });
    assert.equal(r.sample.reason, 'status_201');
    assert.equal(r.sample.attempts, 3, 'a failed create is re-probed like any failure…');
    assert.equal(crm.contacts.size, 0, '…and every record each attempt made was deleted');
  });

  it('skips a finally step whose value was never captured (the create failed without a record), and says so', async () => {
    reset({ failCreate: true });
    const r = await run({ 'journey.yml': JOURNEY() });
    assert.equal(r.sample.reason, 'status_500');
    assert.match(await everything(r.history), /finally 1\. Delete it — skipped: id was never captured/);
  });

  it('a failed clean-up is not re-probed (that would only leave more behind)', async () => {
    reset({ failDelete: true });
    const before = crm.state.created;
    const r = await run({ 'journey.yml': JOURNEY().replace('    retries: 0\n', '') });
    assert.equal(r.sample.reason, 'cleanup_failed');
    assert.equal(r.sample.attempts, 1);
    assert.equal(crm.state.created - before, 1);
    crm.contacts.clear();
  });

  it('a value captured earlier can be expected in a later answer', async () => {
    reset();
    const r = await run({ 'journey.yml': JOURNEY().replace("expect: { json: '$.email != null' }", 'expect: { body_contains: "${{ journey.id }}" }') });
    assert.equal(r.sample.outcome, 'up', r.sample.message);
  });

  it('stops at the journey deadline: no step starts past it, and the clean-up still runs', async () => {
    reset({ searchLagMs: 60_000 });
    const started = Date.now();
    const r = await run({ 'journey.yml': JOURNEY('    deadline: 1s\n').replace('deadline: 1500ms }', 'deadline: 10s }') });
    assert.ok(Date.now() - started < 5_000, `ended near the 1 s journey deadline (${Date.now() - started} ms)`);
    assert.equal(r.sample.outcome, 'down');
    assert.equal(crm.contacts.size, 0);
  });

  it('sends form bodies, judges the lag against expect.lag', async () => {
    const form = JOURNEY('    expect:\n      lag: { degraded_over: 1s, down_over: 5s }\n').replace(
      'json: { email: "probe-${{ journey.id }}@example.invalid" }',
      'form: { email: "probe-${{ journey.id }}@example.invalid" }',
    );
    // 1s is the shortest limit the schema takes; a 1.2 s lag is over it.
    reset({ searchLagMs: 1_200 });
    const r = await run({ 'journey.yml': form });
    assert.equal(r.sample.outcome, 'degraded', r.sample.message);
    assert.equal(r.sample.reason, 'stale');
    assert.match(r.sample.message!, /the journey waited 1s for its data, over 1s/);
    assert.equal(crm.contacts.size, 0);
  });

  it('keeps a captured value out of history in every form, even when the answer quotes it back', async () => {
    reset();
    const quoting = JOURNEY().replace("expect: { json: '$.total > 0' }", "expect: { json: '$.token == null' }");
    const r = await run({ 'journey.yml': quoting });
    assert.equal(r.sample.reason, 'until_deadline');
    assert.match(r.sample.message!, /\$\.token is "Bearer \*\*\*"/);
    const text = await everything(r.history);
    for (const { name, text: form } of [...secretForms(TOKEN), ...secretForms(API_KEY)]) assert.ok(!text.includes(form), `history holds the ${name} form`);
    assert.equal(crm.contacts.size, 0);
  });

  it('counts the wait from the step `since` names (the create), not from the first look of the search', async () => {
    // Reading back takes 500 ms; search shows the contact 400 ms after the create, so the first look already finds it.
    reset({ readDelayMs: 500, searchLagMs: 400 });
    const plain = await run({ 'journey.yml': JOURNEY() });
    assert.ok(plain.sample.lagMs! < 100, `without since, the wait is only the search step's own: ${plain.sample.lagMs}`);
    const since = await run({
      'journey.yml': JOURNEY().replace('until: { interval: 100ms, deadline: 1500ms }', 'until: { interval: 100ms, deadline: 1500ms, since: Create a contact }'),
    });
    assert.ok(since.sample.lagMs! >= 400 && since.sample.lagMs! < 900, `since the create: ${since.sample.lagMs}`);
    const bad = await upkeep(
      [
        'validate',
        '--checks',
        await writeTree({ 'site.yml': site, 'journey.yml': JOURNEY().replace('deadline: 1500ms }', 'deadline: 1500ms, since: Create it }') }),
      ],
      env,
    );
    assert.match(bad.stderr, /journey\.yml:\d+:\d+.*"Create it" is not the name of an earlier step \("Create a contact", "Read it back"\)/);
  });

  it('validate refuses references in step names (shown on the page), two steps of one name, and since on a finally step', async () => {
    const bad = JOURNEY()
      .replace('- name: Read it back', '- name: Read ${{ captured.id }}')
      .replace('- name: Delete it', '- name: Create a contact')
      .replace('        expect: { status: 204 }', '        until: { interval: 100ms, deadline: 1s, since: Create a contact }\n        expect: { status: 204 }');
    const r = await upkeep(['validate', '--checks', await writeTree({ 'site.yml': site, 'journey.yml': bad })], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a step name is shown on the page: write it without \$\{\{ … \}\} references/);
    assert.match(r.stderr, /two steps are named "Create a contact" \(first at steps\[0\]\)/);
    assert.match(r.stderr, /`since` measures a journey’s lag, which finally steps do not have/);
  });

  it('follows a captured Location header as a URL relative to the previous request', async () => {
    reset();
    const r = await run({
      'journey.yml': JOURNEY().replace(
        'url: ${{ vars.base_url }}/contacts/${{ captured.id }}\n        headers',
        'url: ${{ captured.location }}\n        headers',
      ),
    });
    assert.equal(r.sample.outcome, 'up', r.sample.message);
    assert.equal(crm.contacts.size, 0);
  });

  it('validate names the file, line and fix for a value never captured, one captured later, and an unknown journey field', async () => {
    const bad = JOURNEY()
      .replace('/contacts/${{ captured.id }}\n        headers', '/contacts/${{ captured.idd }}\n        headers')
      .replace('q=probe-${{ journey.id }}', 'q=${{ journey.run }}');
    const dir = await writeTree({ 'site.yml': site, 'journey.yml': bad });
    const r = await upkeep(['validate', '--checks', dir], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /journey\.yml:\d+:\d+.*\$\{\{ captured\.idd \}\} is never captured; add `capture: \{ idd: \$\.… \}` to an earlier step/);
    assert.match(r.stderr, /\$\{\{ journey\.run \}\} is not known/);
    const later = JOURNEY().replace('url: ${{ vars.base_url }}/contacts\n', 'url: ${{ vars.base_url }}/contacts?x=${{ captured.token }}\n');
    const r2 = await upkeep(['validate', '--checks', await writeTree({ 'site.yml': site, 'journey.yml': later })], env);
    assert.match(r2.stderr, /captured\.token \}\} is captured by a later step/);
    const two = JOURNEY().replace('capture: { id: $.id', 'body: "x"\n        capture: { id: $.id');
    const r3 = await upkeep(['validate', '--checks', await writeTree({ 'site.yml': site, 'journey.yml': two })], env);
    assert.match(r3.stderr, /a step sends one body: json or body/);
  });
});

describe('http answers a hostile target can send', async () => {
  const seen: Record<string, string | undefined>[] = [];
  const other = await httpServer((req, res) => {
    seen.push({ authorization: req.headers.authorization, key: req.headers['x-api-key'] as string | undefined });
    res.end('ok');
  });
  const { url } = await httpServer((req, res) => {
    if (req.url === '/away') return res.writeHead(302, { location: `${other.url}/landing` }).end();
    if (req.url === '/here') return res.writeHead(302, { location: '/echo' }).end();
    if (req.url === '/echo') return res.end(JSON.stringify({ key: req.headers['x-api-key'] }));
    res.setHeader('content-type', 'application/json');
    res.end(`${'['.repeat(200_000)}1${']'.repeat(200_000)}`);
  });
  const SECRET = 'redirect-secret-"x"&%';
  const probe = async (path: string, expect = '') => {
    const checks = await writeTree({
      'site.yml': SITE_YML.replace('http://127.0.0.1:9', url),
      'c.yml': `checks:\n  - id: c\n    name: C\n    component: api\n    kind: http\n    retries: 0\n    url: \${{ vars.base_url }}${path}\n    headers: { authorization: "Bearer \${{ env.K }}", x-api-key: "\${{ env.K }}" }\n${expect}`,
    });
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', checks, '--history', history], { UPKEEP_SECRETS: JSON.stringify({ K: SECRET }) });
    assert.equal(r.code, 0, r.stderr);
    return (await readDay(history, new Date().toISOString().slice(0, 10))).samples;
  };

  it('a redirect to another origin gets none of the check’s headers (its secrets stay with the address the vendor wrote)', async () => {
    await probe('/away');
    assert.deepEqual(seen, [{ authorization: undefined, key: undefined }]);
    const [same] = await probe('/here', "    expect: { json: '$.key != null' }\n");
    assert.equal(same.outcome, 'up', 'a same-origin redirect keeps them');
  });

  it('JSON nested 200,000 deep is a down sample (bad_response), never a missing one', async () => {
    const samples = await probe('/deep', "    expect: { json: '$[0] == 1' }\n");
    assert.equal(samples.length, 1);
    assert.equal(samples[0].outcome, 'down');
  });
});

describe('freshness on http checks', async () => {
  let stamp: unknown = '';
  let header: string | undefined;
  const { url } = await httpServer((_req, res) => {
    if (header) res.setHeader('last-modified', header);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sync: { last: stamp }, text: `synced at ${stamp}` }));
  });
  const NOW = Date.parse('2026-12-02T10:00:00Z');
  const check = (fresh: string) => `checks:
  - id: sync
    name: Email sync
    component: email
    kind: http
    retries: 0
    url: \${{ vars.base_url }}/sync/status
    expect:
      fresh: ${fresh}
`;
  const probe = async (fresh: string) => {
    const checks = await writeTree({ 'site.yml': SITE_YML.replace('http://127.0.0.1:9', url), 'c.yml': check(fresh) });
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(NOW).toISOString() });
    assert.equal(r.code, 0, r.stderr);
    return (await readDay(history, '2026-12-02')).samples[0];
  };
  const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

  it('records the lag in seconds on every sample, and judges it against max_age and degraded_over (reason stale)', async () => {
    const limits = '{ json: $.sync.last, degraded_over: 5m, max_age: 15m }';
    stamp = ago(90);
    let s = await probe(limits);
    assert.deepEqual([s.outcome, s.lagMs], ['up', 90_000]);
    stamp = ago(6 * 60);
    s = await probe(limits);
    assert.deepEqual([s.outcome, s.reason, s.lagMs], ['degraded', 'stale', 360_000]);
    assert.match(s.message!, /data is 6m old \(\$\.sync\.last is 2026-12-02T09:54:00\.000Z\), over 5m/);
    stamp = ago(16 * 60);
    s = await probe(limits);
    assert.deepEqual([s.outcome, s.reason, s.lagMs], ['down', 'stale', 960_000]);
  });

  it('reads Unix seconds and milliseconds, zone-less ISO as UTC, a Last-Modified header, and a regex capture', async () => {
    for (const [value, fresh] of [
      [(NOW - 30_000) / 1000, '{ json: $.sync.last, max_age: 1m }'],
      [NOW - 30_000, '{ json: $.sync.last, max_age: 1m }'],
      [String((NOW - 30_000) / 1000), '{ json: $.sync.last, max_age: 1m }'],
      ['2026-12-02T09:59:30', '{ json: $.sync.last, max_age: 1m }'],
      ['2026-12-02T09:59:30Z', "{ regex: 'synced at ([0-9TZ:-]+)', max_age: 1m }"],
    ] as const) {
      stamp = value;
      const s = await probe(fresh);
      assert.equal(s.lagMs, 30_000, `${JSON.stringify(value)} with ${fresh}: ${s.message}`);
    }
    header = new Date(NOW - 120_000).toUTCString();
    const s = await probe('{ header: Last-Modified, max_age: 1m }');
    assert.deepEqual([s.outcome, s.lagMs], ['down', 120_000]);
    header = undefined;
  });

  it('a missing or unreadable timestamp is down with reason assert_fresh; a future one is fresh', async () => {
    stamp = 'yesterday-ish';
    let s = await probe('{ json: $.sync.last, max_age: 1m }');
    assert.deepEqual([s.outcome, s.reason], ['down', 'assert_fresh']);
    s = await probe('{ json: $.sync.missing, max_age: 1m }');
    assert.match(s.message!, /\$\.sync\.missing is missing/);
    stamp = new Date(NOW + 60_000).toISOString();
    s = await probe('{ json: $.sync.last, max_age: 1m }');
    assert.deepEqual([s.outcome, s.lagMs], ['up', 0]);
  });

  it('validate explains a freshness block without a place, with two, or with limits the wrong way round', async () => {
    for (const [fresh, message] of [
      ['{ max_age: 5m }', /say where the timestamp is/],
      ['{ json: $.a, header: Date, max_age: 5m }', /give one place for the timestamp, not json and header/],
      ['{ json: $.a, degraded_over: 10m, max_age: 5m }', /degraded_over \(10m\) must be below max_age \(5m\)/],
      ['{ json: $.a }', /give a limit: `max_age: 15m`/],
      ['{ regex: "synced", max_age: 5m }', /one capture group/],
      ['{ json: $.a, max_age: 5m, down_over: 6m }', /the same limit; write one/],
    ] as const) {
      const dir = await writeTree({ 'site.yml': SITE_YML, 'c.yml': check(fresh) });
      const r = await upkeep(['validate', '--checks', dir]);
      assert.equal(r.code, 1, fresh);
      assert.match(r.stderr, /c\.yml:\d+:\d+/, fresh);
      assert.match(r.stderr, message, `${fresh}: ${r.stderr}`);
    }
  });
});
