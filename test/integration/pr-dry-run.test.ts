/**
 * The pull-request dry run as an outsider would use it: a pull request adds checks against an
 * internal service. The run refuses internal addresses unless the base branch allows them (the
 * pull request cannot allow them itself), and what it prints, writes and comments names the
 * expectation that failed, never what the service answered.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { commentBody } from '../../src/github/pr-comment.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, writeTree } from '../helpers/temp.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd }).toString();

const INTERNAL = ['internal_key', 's3cret-value-42', 'topsecret-header-value', 'degraded', '10.9.8.7'];

describe('pull-request dry run: no internal targets, no response data', async () => {
  const { url } = await httpServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-internal', 'topsecret-header-value');
    res.end(JSON.stringify({ status: 'degraded', internal_key: 's3cret-value-42', upstream: '10.9.8.7' }));
  });
  const prChecks = `checks:
  - id: internal-json
    name: Internal JSON
    component: api
    kind: http
    url: ${url}/status
    expect:
      json: $.status == "ok"
  - id: internal-header
    name: Internal header
    component: api
    kind: http
    url: ${url}/status
    expect:
      headers:
        x-internal: expected
`;
  const site = `${SITE_YML}defaults:\n  retries: 0\n`;
  const repo = await writeTree({
    'checks/site.yml': site,
    'checks/a.yml': 'checks:\n  - id: old\n    name: Old\n    component: web\n    kind: http\n    url: http://127.0.0.1:9/\n',
  });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'checkout', '-q', '-b', 'pr');
  await writeFile(join(repo, 'checks/internal.yml'), prChecks);
  // The pull request also tries to allow itself every private address.
  await writeFile(join(repo, 'checks/site.yml'), `${site}pull_requests:\n  allow_private: ["0.0.0.0/0", "127.0.0.0/8", "::/0"]\n`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'add internal checks');

  const dryRun = async () => {
    const r = await upkeep([
      'probe',
      '--checks',
      join(repo, 'checks'),
      '--history',
      join(repo, 'history'),
      '--changed-since',
      'main',
      '--dry-run',
      '--untrusted',
      '--allow-missing-secrets',
      '--output',
      join(repo, 'r.json'),
    ]);
    const json = await upkeep([
      'probe',
      '--checks',
      join(repo, 'checks'),
      '--history',
      join(repo, 'history'),
      '--changed-since',
      'main',
      '--dry-run',
      '--untrusted',
      '--json',
    ]);
    const results = JSON.parse(await readFile(join(repo, 'r.json'), 'utf8')) as {
      samples: { check: string; reason?: string; message?: string }[];
      skipped: string[];
    };
    const everything = [
      r.stdout,
      r.stderr,
      json.stdout,
      json.stderr,
      JSON.stringify(results),
      commentBody(results.samples as never, results.skipped, 'ok'),
    ].join('\n');
    return { r, results, everything };
  };

  it('refuses the internal service: the pull request cannot allow it for itself', async () => {
    const { r, results, everything } = await dryRun();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      results.samples.map((s) => `${s.check} ${s.reason}`),
      ['internal-json private_target', 'internal-header private_target'],
    );
    assert.match(results.samples[0].message!, /127\.0\.0\.1 is a private, loopback or link-local address; .*pull_requests\.allow_private/);
    for (const word of INTERNAL) assert.ok(!everything.includes(word), word);
  });

  it('once the base branch allows it, says which expectation failed and never what the service sent', async () => {
    git(repo, 'checkout', '-q', 'main');
    await writeFile(join(repo, 'checks/site.yml'), `${site}pull_requests:\n  allow_private: ["127.0.0.1"]\n`);
    git(repo, 'commit', '-qam', 'allow the staging address');
    git(repo, 'checkout', '-q', 'pr');
    git(repo, 'merge', '-q', '-X', 'theirs', '--no-edit', 'main');
    const { results, everything } = await dryRun();
    assert.deepEqual(
      results.samples.map((s) => `${s.check} ${s.reason}: ${s.message}`),
      ['internal-json assert_json: $.status == "ok" does not hold', 'internal-header assert_header: header x-internal does not contain "expected"'],
    );
    for (const word of INTERNAL) assert.ok(!everything.includes(word), `${word} in:\n${everything}`);
  });

  it('the scheduled run (trusted) still keeps the full message in history', async () => {
    const r = await upkeep(['probe', '--checks', join(repo, 'checks'), '--only', 'internal-json', '--dry-run', '--json']);
    assert.match(JSON.parse(r.stdout)[0].message, /\$\.status is "degraded", expected == "ok"/);
  });
});
