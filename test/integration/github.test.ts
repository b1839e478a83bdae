import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadIncidents } from '../../src/history/incidents.ts';
import { appendSamples } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { main } from '../../src/cli/main.ts';
import { incidents } from '../../src/cli/incidents.ts';
import { prComment } from '../../src/cli/pr-comment.ts';
import { githubServer } from '../helpers/github-server.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const MIN = 60_000;
const sample = (t: number, outcome: Sample['outcome']): Sample => ({
  time: new Date(t).toISOString().replace('.000Z', 'Z'),
  check: 'api',
  region: 'default',
  outcome,
  attempts: outcome === 'down' ? 3 : 1,
  ...(outcome === 'down' ? { reason: 'status_503', message: 'HTTP 503, expected 2xx' } : { latencyMs: 30 }),
});

async function setup(incidentsYml = '') {
  const gh = await githubServer();
  const checks = await writeTree({
    'site.yml': `${SITE_YML}incidents:\n  github_issues: true\n${incidentsYml}`,
    'a.yml': 'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: http://127.0.0.1:9/\n',
  });
  const history = await tempDir();
  const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'pipewell/status', GITHUB_API_URL: gh.url };
  const io = { out: [] as string[], err: [] as string[] };
  const step = async (t: number, outcome: Sample['outcome']) => {
    await appendSamples(history, [sample(t, outcome)]);
    return incidents(
      { checks, history, dryRun: false, json: false, env, now: () => new Date(t + 1000), githubWaitScale: 0.001 },
      { out: (l) => io.out.push(l), err: (l) => io.err.push(l) },
    );
  };
  return { gh, checks, history, env, io, step };
}

describe('incident issues on GitHub (a local server with GitHub’s response shapes)', () => {
  it('opens one issue per automatic incident, labelled, comments on updates, closes on resolve', async () => {
    const { gh, history, step } = await setup();
    await step(T0, 'up');
    await step(T0 + 5 * MIN, 'down');
    assert.equal(gh.issues.length, 1);
    assert.deepEqual(
      gh.issues[0].labels.map((l) => l.name),
      ['incident', 'api'],
    );
    assert.equal(gh.issues[0].title, 'REST API: major outage');
    const file = (await loadIncidents(history, ['api', 'web', 'email'])).incidents[0];
    assert.equal(file.github_issue, 1);
    await step(T0 + 10 * MIN, 'down'); // no change: no noise
    assert.equal(gh.issues[0].comments.length, 0);
    await step(T0 + 15 * MIN, 'up');
    assert.equal(gh.issues[0].state, 'closed');
    assert.match(gh.issues[0].comments[0].body, /^\*\*resolved\*\* — REST API is operating normally again/);
  });

  it('turns collaborators’ status comments into updates, ignores everyone else, and never repeats one', async () => {
    const { gh, history, step } = await setup();
    await step(T0, 'down');
    gh.comment(1, 'alice', 'MEMBER', 'identified: The **database** failover did not finish.', new Date(T0 + 2 * MIN));
    gh.comment(1, 'mallory', 'NONE', 'resolved: all fine <script>alert(1)</script>', new Date(T0 + 3 * MIN));
    gh.comment(1, 'bob', 'COLLABORATOR', 'Thanks, looking into it.', new Date(T0 + 3 * MIN));
    gh.comment(1, 'carol', 'OWNER', 'Monitoring: fix deployed', new Date(T0 + 4 * MIN));
    await step(T0 + 5 * MIN, 'down');
    await step(T0 + 6 * MIN, 'down');
    const [incident] = (await loadIncidents(history, ['api', 'web', 'email'])).incidents;
    const people = incident.updates.filter((u) => u.by !== 'upkeep').map((u) => `${u.by} ${u.status} ${u.message}`);
    assert.deepEqual(people, ['alice identified The **database** failover did not finish.', 'carol monitoring fix deployed']);
    const text = await readFile(incident.file, 'utf8');
    assert.doesNotMatch(text, /mallory|Thanks/);
  });

  it('retries 5xx and secondary rate limits; a GitHub outage never stops incidents from being written', async () => {
    const { gh, history, io, step } = await setup();
    gh.fail(/^POST \/repos\/pipewell\/status\/issues$/, 502, 2);
    gh.fail(
      /^POST \/repos\/pipewell\/status\/issues$/,
      403,
      1,
      { 'retry-after': '1' },
      {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.invalid/rest/rate-limits',
      },
    );
    await step(T0, 'down');
    assert.equal(gh.issues.length, 1, 'created after two 502s and a secondary rate limit');
    assert.equal(gh.requests.filter((r) => r === 'POST /repos/pipewell/status/issues').length, 4);

    // Now GitHub is down for good: the incident is still resolved in the files.
    gh.fail(/.*/, 503, 100);
    await step(T0 + 5 * MIN, 'up');
    const [incident] = (await loadIncidents(history, ['api', 'web', 'email'])).incidents;
    assert.equal(incident.updates.at(-1)?.status, 'resolved');
    assert.ok(
      io.err.some((l) => /GitHub answered 503/.test(l)),
      io.err.join('\n'),
    );
  });

  it('a missing issue (404) is reported, and nothing is lost', async () => {
    const { gh, history, io, step } = await setup();
    await step(T0, 'down');
    gh.issues.length = 0; // someone deleted the issue
    await step(T0 + 5 * MIN, 'up');
    assert.ok(io.err.some((l) => /GitHub answered 404/.test(l)));
    const [incident] = (await loadIncidents(history, ['api', 'web', 'email'])).incidents;
    assert.equal(incident.updates.at(-1)?.status, 'resolved');
  });
});

describe('the pull-request comment', () => {
  const results = JSON.stringify({
    samples: [
      {
        time: '2026-11-23T10:00:00Z',
        check: 'api-health',
        region: 'default',
        outcome: 'down',
        attempts: 3,
        reason: 'status_503',
        message: 'HTTP 503 | <b>x</b>',
      },
    ],
    skipped: ['needs-secret'],
  });

  it('is one comment, updated on the next push, not repeated', async () => {
    const gh = await githubServer();
    const dir = await tempDir();
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 1 } }));
    await writeFile(join(dir, 'r.json'), results);
    // The pull request is issue 1 on the fake server.
    gh.issues.push({
      id: 1,
      node_id: 'PR_1',
      number: 1,
      title: 'Add a check',
      body: '',
      state: 'open',
      labels: [],
      comments: [],
      user: { login: 'dev' },
      html_url: '',
      created_at: '',
      updated_at: '',
      closed_at: null,
    });
    const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'pipewell/status', GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: join(dir, 'event.json') };
    const out: string[] = [];
    await prComment({ file: join(dir, 'r.json'), env, waitScale: 0.001 }, { out: (l) => out.push(l), err: () => {} });
    await prComment({ file: join(dir, 'r.json'), env, waitScale: 0.001 }, { out: (l) => out.push(l), err: () => {} });
    assert.equal(gh.issues[0].comments.length, 1);
    assert.match(out[1], /^updated comment/);
    const body = gh.issues[0].comments[0].body;
    // What a target sent is a code span: shown literally, no markup, no links (the table's pipes escaped).
    assert.match(body, /\| `api-health` \| 🔴 down \| — \| 3 \| `status_503: HTTP 503 \\\| <b>x<\/b>` \|/);
    assert.match(body, /Not probed .*`needs-secret`/);
  });

  it('with a fork’s read-only token, says so and passes', async () => {
    const gh = await githubServer();
    const dir = await tempDir();
    await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }));
    await writeFile(join(dir, 'r.json'), results);
    gh.fail(/comments/, 403, 10, {}, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.invalid/rest' });
    const out: string[] = [];
    const code = await main(
      ['pr-comment', '--file', join(dir, 'r.json')],
      { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'fork/status', GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: join(dir, 'event.json') },
      { out: (l) => out.push(l), err: () => {} },
    );
    assert.equal(code, 0);
    assert.match(out.join('\n'), /notice: not commenting on #7: the token cannot write here/);
  });
});

describe('review drafts on GitHub', () => {
  it('with incidents.review, a draft is published by a collaborator’s `publish` comment, never by anyone else’s', async () => {
    const { gh, history, step } = await setup('  review: true\n');
    await step(T0, 'down');
    const draft = async () => (await loadIncidents(history, ['api', 'web', 'email'])).incidents[0];
    assert.equal((await draft()).draft, true);
    assert.deepEqual(gh.issues[0].labels.map((l) => l.name).sort(), ['api', 'draft', 'incident']);
    assert.match(gh.issues[0].body, /Comment `publish`/);
    gh.comment(1, 'mallory', 'NONE', 'publish', new Date(T0 + MIN));
    gh.comment(1, 'dependabot[bot]', 'MEMBER', 'publish', new Date(T0 + MIN));
    await step(T0 + 2 * MIN, 'down');
    assert.equal((await draft()).draft, true, 'a stranger or a bot cannot publish');
    gh.comment(1, 'alice', 'MEMBER', 'Publish — confirmed with the on-call', new Date(T0 + 3 * MIN));
    await step(T0 + 4 * MIN, 'down');
    const published = await draft();
    assert.equal(published.draft, false);
    assert.equal(published.published, new Date(T0 + 3 * MIN).toISOString().replace('.000Z', 'Z'));
    await step(T0 + 5 * MIN, 'down'); // read again: nothing changes
    assert.equal((await draft()).published, published.published);
  });

  it('with incidents.review, the `publish` label publishes a draft', async () => {
    const { gh, history, step } = await setup('  review: true\n');
    await step(T0, 'down');
    gh.label(1, 'publish');
    await step(T0 + 2 * MIN, 'down');
    const [incident] = (await loadIncidents(history, ['api', 'web', 'email'])).incidents;
    assert.equal(incident.draft, false);
    assert.equal(incident.published, new Date(T0 + 2 * MIN + 1000).toISOString().replace('.000Z', 'Z'));
  });
});
