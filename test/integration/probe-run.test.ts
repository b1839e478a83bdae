import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';
import { readDay } from '../../src/history/store.ts';

describe('upkeep probe', async () => {
  let flakyHits = 0;
  const { url } = await httpServer((req, res) => {
    if (req.url === '/flaky') {
      // Fails the first request of every three, then recovers: confirmation must not record "down".
      res.statusCode = flakyHits++ % 3 === 0 ? 500 : 200;
      return res.end();
    }
    if (req.url?.startsWith('/secret')) {
      res.statusCode = 401;
      return res.end('no');
    }
    if (req.url === '/down') {
      res.statusCode = 503;
      return res.end();
    }
    res.end('ok');
  });

  const checks = (extra = '') =>
    writeTree({
      'site.yml': SITE_YML.replace('http://127.0.0.1:9', url).replace('  base_url', '  base_url').concat('defaults:\n  retry_backoff: 10ms\n'),
      'api.yml': `checks:
  - id: api-ok
    name: API
    component: api
    kind: http
    url: \${{ vars.base_url }}/ok
  - id: web-flaky
    name: Web
    component: web
    kind: http
    url: \${{ vars.base_url }}/flaky
  - id: email-down
    name: Email
    component: email
    kind: http
    url: \${{ vars.base_url }}/down
${extra}`,
    });

  it('probes, confirms failures, and appends samples at UPKEEP_NOW', async () => {
    const dir = await checks();
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', dir, '--history', history], { UPKEEP_NOW: '2026-11-23T10:00:00Z' });
    assert.equal(r.code, 0, r.stderr);
    const { samples } = await readDay(history, '2026-11-23');
    const by = Object.fromEntries(samples.map((s) => [s.check, s]));
    assert.equal(by['api-ok'].outcome, 'up');
    assert.equal(by['api-ok'].attempts, 1);
    assert.equal(by['web-flaky'].outcome, 'up');
    assert.equal(by['web-flaky'].attempts, 2); // one failure, confirmed away
    assert.equal(by['email-down'].outcome, 'down');
    assert.equal(by['email-down'].attempts, 3);
    assert.equal(by['email-down'].reason, 'status_503');
    assert.ok(samples.every((s) => s.time === '2026-11-23T10:00:00Z'));
    assert.match(r.stdout, /3 probed, 1 down/);
  });

  it('incidents and build at the same clock as the probe see its samples (the newest sample is never left out)', async () => {
    const dir = await checks();
    const history = await tempDir();
    const env = { UPKEEP_NOW: '2026-11-23T10:00:00Z' };
    assert.equal((await upkeep(['probe', '--checks', dir, '--history', history], env)).code, 0);
    const r = await upkeep(['incidents', '--checks', dir, '--history', history, '--dry-run', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const actions = JSON.parse(r.stdout) as { type: string; component: string }[];
    assert.deepEqual(
      actions.filter((a) => a.type === 'open').map((a) => a.component),
      ['email'],
      'the sample taken this very second is what incidents acts on',
    );
  });

  it('--dry-run --json writes nothing and prints samples', async () => {
    const dir = await checks();
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', dir, '--history', history, '--dry-run', '--json', '--only', 'api-ok'], {});
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout);
    assert.equal(printed.length, 1);
    assert.equal(printed[0].check, 'api-ok');
    assert.deepEqual((await readDay(history, printed[0].time.slice(0, 10))).samples, []);
  });

  it('never writes a secret value, even when the target echoes the URL in an error', async () => {
    const dir = await checks(`  - id: secret
    name: Secret
    component: api
    kind: http
    url: \${{ vars.base_url }}/secret?token=\${{ env.CRM_TOKEN }}
    headers:
      authorization: Bearer \${{ env.CRM_TOKEN }}
    expect:
      body_contains: \${{ env.CRM_TOKEN }}
`);
    const history = await tempDir();
    const token = 'tok-7f3a9c-SECRET';
    const r = await upkeep(['probe', '--checks', dir, '--history', history, '--json'], { CRM_TOKEN: token, UPKEEP_NOW: '2026-11-23T10:00:00Z' });
    assert.equal(r.code, 0, r.stderr);
    const file = await readFile(join(history, 'samples/2026-11-23.default.tsv'), 'utf8');
    assert.ok(file.includes('secret'));
    for (const text of [file, r.stdout, r.stderr]) assert.ok(!text.includes(token), 'secret leaked');
  });

  it('exits 1 with file:line:col when the checks are invalid, and 2 on usage errors', async () => {
    const dir = await writeTree({ 'site.yml': SITE_YML, 'a.yml': 'checks:\n  - id: x\n    kind: http\n' });
    const bad = await upkeep(['probe', '--checks', dir]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /a\.yml:2:5 {2}checks\[0\]\.name: required a string, but it is missing/);
    assert.equal((await upkeep(['probe', '--bogus'])).code, 2);
    assert.equal((await upkeep(['probe', '--shard', '5/2'])).code, 2);
    assert.equal((await upkeep(['nonsense'])).code, 2);
    assert.equal((await upkeep(['build', '--json'])).code, 2);
    const only = await upkeep(['probe', '--checks', await checks(), '--only', 'api-okk']);
    assert.equal(only.code, 2);
    assert.match(only.stderr, /no check "api-okk" \(did you mean "api-ok"\?\)/);
    const now = await upkeep(['probe', '--checks', await checks()], { UPKEEP_NOW: 'yesterday' });
    assert.equal(now.code, 2);
  });
});
