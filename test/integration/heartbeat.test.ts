/**
 * Heartbeats end to end: a job's beat sent as a repository_dispatch (a local GitHub server),
 * recorded by `upkeep heartbeat record` into history and git, judged by probe rounds on the
 * simulated clock, and kept when beats and the slot push at once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readDay } from '../../src/history/store.ts';
import { upkeep } from '../helpers/cli.ts';
import { seededRemote } from '../helpers/git.ts';
import { githubServer } from '../helpers/github-server.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir } from '../helpers/temp.ts';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const SECRET = 'sync-worker-secret-"quoted" & 100%';
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

const CHECKS = `checks:
  - id: email-sync
    name: Email sync worker
    component: email
    kind: heartbeat
    expect:
      every: 10m
      grace: 2m
      degraded_over: 5m
      down_over: 9m
  - id: api
    name: API
    component: api
    kind: http
    url: \${{ vars.base_url }}/ok
`;

async function project(dir?: string) {
  const root = dir ?? (await tempDir());
  await mkdir(join(root, 'checks'), { recursive: true });
  await writeFile(join(root, 'checks/site.yml'), `${SITE_YML}defaults:\n  interval: 1s\n  retry_backoff: 1ms\n`);
  await writeFile(join(root, 'checks/jobs.yml'), CHECKS);
  const args = ['--checks', join(root, 'checks'), '--history', join(root, 'history')];
  const env = { UPKEEP_SECRETS: JSON.stringify({ SYNC_TOKEN: SECRET }) };
  return {
    root,
    history: join(root, 'history'),
    beat: (t: number, payload: Record<string, unknown>) =>
      upkeep(['heartbeat', 'record', ...args], { ...env, UPKEEP_NOW: at(t), UPKEEP_BEAT: JSON.stringify(payload) }),
    probe: (t: number) => upkeep(['probe', ...args, '--only', 'email-sync'], { ...env, UPKEEP_NOW: at(t) }),
  };
}

const samplesOf = async (history: string, check = 'email-sync') =>
  (await readDay(history, at(T0).slice(0, 10))).samples.filter((s) => s.check === check).sort((a, b) => a.time.localeCompare(b.time));

describe('heartbeat checks', () => {
  it('a beat is up; the rounds keep it up until every + grace has passed, then down with how late, exactly then', async () => {
    const p = await project();
    const r = await p.beat(T0, { check: 'email-sync', status: 'success', duration_ms: 42_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /email-sync ok at 2026-11-23T10:00:00Z, took 42000 ms → up/);
    assert.equal((await p.probe(T0 + 11 * MIN + 59_000)).code, 0);
    assert.equal((await p.probe(T0 + 12 * MIN)).code, 0);
    assert.equal((await p.probe(T0 + 15 * MIN)).code, 0);
    const s = await samplesOf(p.history);
    assert.deepEqual(
      s.map((x) => `${x.time} ${x.outcome} ${x.reason ?? ''}`),
      ['2026-11-23T10:00:00Z up ', '2026-11-23T10:11:59Z up ', '2026-11-23T10:12:00Z down heartbeat_missed', '2026-11-23T10:15:00Z down heartbeat_missed'],
    );
    assert.equal(s[0].latencyMs, 42_000, 'the run took 42 s: the duration is the measured series');
    assert.match(s[3].message!, /no beat for 15m: 5m late \(expected every 10m \+ 2m grace\); the last was at 2026-11-23T10:00:00Z/);
    assert.equal(s[2].attempts, 1, 'no confirmation re-probes: reading the beat again says the same');
    // The next beat brings it back.
    await p.beat(T0 + 16 * MIN, { check: 'email-sync', status: 'ok' });
    await p.probe(T0 + 17 * MIN);
    assert.equal((await samplesOf(p.history)).at(-1)!.outcome, 'up');
  });

  it('a check that never beat is down, saying so', async () => {
    const p = await project();
    await p.probe(T0);
    const [s] = await samplesOf(p.history);
    assert.equal(s.reason, 'heartbeat_missing');
    assert.match(s.message!, /no beat has arrived yet/);
  });

  it('a failed run is down with the job’s words, as plain text and without its secrets; a slow one degraded, then down', async () => {
    const p = await project();
    await p.beat(T0, {
      check: 'email-sync',
      status: 'failure',
      message: `IMAP login refused for token ${SECRET}\n![x](https://evil.example/p.png) <img src=x onerror=alert(1)>`,
    });
    const [failedRun] = await samplesOf(p.history);
    assert.equal(failedRun.outcome, 'down');
    assert.equal(failedRun.reason, 'job_failed');
    assert.match(failedRun.message!, /^the job reported a failure at 2026-11-23T10:00:00Z: IMAP login refused for token/);
    assert.ok(!failedRun.message!.includes('sync-worker-secret'), failedRun.message);
    const stored = await readFile(join(p.history, 'heartbeats/email-sync.json'), 'utf8');
    assert.ok(!stored.includes('sync-worker-secret') && !stored.includes('\\n'), stored);
    await p.probe(T0 + MIN);
    assert.equal((await samplesOf(p.history)).at(-1)!.reason, 'job_failed', 'the rounds keep saying so until the next beat');

    await p.beat(T0 + 2 * MIN, { check: 'email-sync', status: 'ok', duration: '6m' });
    await p.beat(T0 + 3 * MIN, { check: 'email-sync', status: 'ok', duration_ms: 9.5 * MIN });
    const [, , slow, slower] = await samplesOf(p.history);
    assert.equal(`${slow.outcome} ${slow.message}`, 'degraded the run took 6m, over 5m');
    assert.equal(`${slower.outcome} ${slower.message}`, 'down the run took 9m 30s, limit 9m');
  });

  it('an older beat recorded after a newer one does not replace it', async () => {
    const p = await project();
    await p.beat(T0 + 5 * MIN, { check: 'email-sync', status: 'ok', at: at(T0 + 5 * MIN) });
    // Sent at T0+1m, recorded at T0+6m (GitHub's queue, a rerun): the job's own time is kept, and it is older.
    await p.beat(T0 + 6 * MIN, { check: 'email-sync', status: 'fail', at: at(T0 + MIN) });
    const latest = JSON.parse(await readFile(join(p.history, 'heartbeats/email-sync.json'), 'utf8'));
    assert.deepEqual([latest.at, latest.status], [at(T0 + 5 * MIN), 'ok']);
  });

  it('a beat from outside is data: bad payloads are refused with a clear error and write nothing', async () => {
    const p = await project();
    const cases: [unknown, RegExp][] = [
      ['not json', /not JSON/],
      [[1, 2], /not a JSON object/],
      [{ status: 'ok' }, /names no check id/],
      [{ check: '../../etc/passwd', status: 'ok' }, /names no check id/],
      [{ check: 'nope', status: 'ok' }, /no such check/],
      [{ check: 'api', status: 'ok' }, /kind http, not heartbeat/],
      [{ check: 'email-sync', status: 'maybe' }, /status must be ok or fail/],
      [{ check: 'email-sync', status: 'ok', duration_ms: -5 }, /duration_ms must be/],
      [{ check: 'email-sync', status: 'ok', duration_ms: 'NaN' }, /./],
    ];
    for (const [payload, error] of cases) {
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      const r = await upkeep(['heartbeat', 'record', '--checks', join(p.root, 'checks'), '--history', p.history], { UPKEEP_NOW: at(T0), UPKEEP_BEAT: text });
      if ((payload as { duration_ms?: unknown }).duration_ms === 'NaN') {
        // A duration that is not a number is left out, not guessed.
        assert.equal(r.code, 0, r.stderr);
        continue;
      }
      assert.equal(r.code, 1, `${text}: ${r.stdout}`);
      assert.match(r.stderr, error);
      assert.doesNotMatch(r.stderr, /internal error/);
    }
    const written = await readdir(join(p.history, 'heartbeats')).catch(() => []);
    assert.deepEqual(written, ['email-sync.json'], 'only the one good beat was written');
    assert.ok(!(await readdir(p.root)).includes('etc'));
  });
});

describe('upkeep heartbeat ID (from a job)', () => {
  it('sends the documented dispatch with the check, status, duration and the job’s time', async () => {
    const gh = await githubServer();
    const env = { UPKEEP_HEARTBEAT_TOKEN: 'test-token', UPKEEP_STATUS_REPOSITORY: 'acme/status', GITHUB_API_URL: gh.url, UPKEEP_NOW: at(T0) };
    const r = await upkeep(['heartbeat', 'email-sync', '--status', 'failure', '--duration', '41.5', '--message', 'IMAP timeout'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(gh.dispatches, [
      {
        repo: 'acme/status',
        event_type: 'upkeep-heartbeat',
        client_payload: { check: 'email-sync', status: 'fail', duration_ms: 41_500, message: 'IMAP timeout', at: at(T0) },
      },
    ]);
  });

  it('a token that may not dispatch, or none, is a clear error that never prints the token', async () => {
    const gh = await githubServer();
    const wrongRepo = await upkeep(['heartbeat', 'email-sync'], {
      UPKEEP_HEARTBEAT_TOKEN: 'test-token',
      UPKEEP_STATUS_REPOSITORY: 'acme/other',
      GITHUB_API_URL: gh.url,
    });
    assert.equal(wrongRepo.code, 1);
    assert.match(wrongRepo.stderr, /may not dispatch to acme\/other \(404\): it needs Contents: write/);
    const bad = await upkeep(['heartbeat', 'email-sync'], {
      UPKEEP_HEARTBEAT_TOKEN: 'github_pat_wrong0123456789',
      UPKEEP_STATUS_REPOSITORY: 'acme/status',
      GITHUB_API_URL: gh.url,
    });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /refused \(401\)/);
    assert.doesNotMatch(bad.stderr + bad.stdout, /github_pat_wrong/);
    const none = await upkeep(['heartbeat', 'email-sync'], { GITHUB_API_URL: gh.url });
    assert.match(none.stderr, /UPKEEP_HEARTBEAT_TOKEN/);
    const usage = await upkeep(['heartbeat', 'email-sync', '--status', 'sideways'], {});
    assert.equal(usage.code, 2);
  });
});

describe('heartbeats and the slot pushing at once', () => {
  it('every beat and every sample lands in the remote', async () => {
    const { url } = await httpServer((_req, res) => res.end('ok'));
    const { clone } = await seededRemote(async (seed) => {
      await project(seed);
      await writeFile(join(seed, 'checks/site.yml'), `${SITE_YML.replace('http://127.0.0.1:9', url)}defaults:\n  interval: 1s\n  retry_backoff: 1ms\n`);
    });
    const run = (cwd: string, args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env } });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        const started = Date.now();
        child.on('exit', (code) => resolve({ code, out: `${out}\n(${Date.now() - started} ms)` }));
      });
    const slotDir = await clone();
    const beatDirs = await Promise.all([clone(), clone(), clone()]);
    const now = Date.now();
    const [slot, ...beats] = await Promise.all([
      run(slotDir, ['run', '--for', '3s', '--no-incidents', '--no-rollup', '--no-notify', '--commit', '--push']),
      ...beatDirs.map((dir, n) =>
        run(dir, ['heartbeat', 'record', '--commit', '--push'], {
          UPKEEP_BEAT: JSON.stringify({ check: 'email-sync', status: 'ok', at: at(now - (3 - n) * 1000) }),
        }),
      ),
    ]);
    assert.equal(slot.code, 0, slot.out);
    for (const b of beats) assert.equal(b.code, 0, b.out);
    const check = await clone();
    const day = new Date(now).toISOString().slice(0, 10);
    const samples = (await readDay(join(check, 'history'), day)).samples;
    const beatTimes = samples.filter((s) => s.check === 'email-sync' && s.attempts === 1 && s.outcome === 'up').map((s) => s.time);
    for (let n = 0; n < 3; n++) {
      const t = at(Math.floor((now - (3 - n) * 1000) / 1000) * 1000);
      assert.ok(beatTimes.includes(t), `the beat of ${t} is in the remote's history (${beatTimes.join(', ')})`);
    }
    assert.ok(samples.filter((s) => s.check === 'api').length >= 2, "the slot's rounds are all there too");
    const latest = JSON.parse(await readFile(join(check, 'history/heartbeats/email-sync.json'), 'utf8'));
    assert.equal(latest.at, at(Math.floor((now - 1000) / 1000) * 1000), 'the newest beat is the latest, whatever order they landed in');
  });
});
