/**
 * The scheduled slot against real git: a bare "GitHub" remote, runners in separate clones (two
 * regions at once), each probing a local server and pushing with rebase-and-retry.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { readHistory } from '../../src/history/read.ts';
import { readDay } from '../../src/history/store.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import { git, seededRemote } from '../helpers/git.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir } from '../helpers/temp.ts';

const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

function upkeep(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('upkeep run: the scheduled slot, committing and pushing', async () => {
  const { url } = await httpServer((_req, res) => res.end('ok'));
  const { clone } = await seededRemote(async (seed) => {
    await mkdir(join(seed, 'checks'));
    await writeFile(join(seed, 'checks/site.yml'), `${SITE_YML.replace('http://127.0.0.1:9', url)}defaults:\n  interval: 1s\n  retry_backoff: 1ms\n`);
    await writeFile(
      join(seed, 'checks/a.yml'),
      'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/ok\n  - id: web\n    name: Web\n    component: web\n    kind: http\n    url: ${{ vars.base_url }}/ok\n',
    );
    await mkdir(join(seed, 'history'));
    await writeFile(join(seed, 'history/README.md'), 'history\n');
  });

  it('a first run in a repository that has no history/ yet commits and pushes its samples', async () => {
    const bare = await tempDir();
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    const dir = await clone();
    await rm(join(dir, 'history'), { recursive: true });
    git(dir, 'commit', '-qam', 'no history yet');
    git(dir, 'remote', 'set-url', 'origin', bare);
    git(dir, 'push', '-q', 'origin', 'main');
    const r = await upkeep(dir, ['run', '--for', '1s', '--no-incidents', '--no-rollup', '--commit', '--push']);
    assert.equal(r.code, 0, r.out);
    assert.doesNotMatch(r.out, /not in a git repository/);
    git(dir, 'fetch', '-q');
    assert.match(git(dir, 'log', '-1', '--format=%s', 'origin/main'), /^probe: 2 samples/);
    assert.ok(git(dir, 'ls-files', 'history').includes('history/samples/'));
  });

  it('two regions probing at once both land every sample in the remote; nothing is lost to the race', async () => {
    const [eu, us] = await Promise.all([clone(), clone()]);
    const [a, b] = await Promise.all([
      upkeep(eu, ['run', '--for', '3s', '--region', 'eu', '--no-incidents', '--no-rollup', '--commit', '--push']),
      upkeep(us, ['run', '--for', '3s', '--region', 'us', '--no-incidents', '--no-rollup', '--commit', '--push']),
    ]);
    assert.equal(a.code, 0, a.out);
    assert.equal(b.code, 0, b.out);
    const check = await clone();
    const log = git(check, 'log', '--format=%s');
    // Each round's samples are their own commit, pushed before anything else happens.
    assert.match(log, /^probe: 2 samples from eu \(round 1\) \[skip ci\]$/m);
    assert.match(log, /^probe: 2 samples from us \(round 1\) \[skip ci\]$/m);
    const day = new Date().toISOString().slice(0, 10);
    const { samples } = await readDay(join(check, 'history'), day);
    const count = (region: string) => samples.filter((s) => s.region === region).length;
    const rounds = (region: string) => log.split('\n').filter((l) => l.startsWith(`probe: 2 samples from ${region} (round`)).length;
    assert.equal(count('eu'), 2 * rounds('eu'));
    assert.equal(count('us'), 2 * rounds('us'));
    assert.ok(rounds('eu') >= 2, 'probed each interval for the length of the slot');
  });

  it('a push race on the same branch: both commits land (the loser rebases and retries)', async () => {
    const [one, two] = await Promise.all([clone(), clone()]);
    await writeFile(join(one, 'history', 'one.txt'), '1\n');
    await writeFile(join(two, 'history', 'two.txt'), '2\n');
    const { commitAndPush } = await import('../../src/history/git.ts');
    // The other runner pushes first, between this one's commit and its push (a pre-push hook, once).
    const scratch = await tempDir();
    const hook = join(one, '.git/hooks/pre-push');
    await writeFile(
      hook,
      `#!/bin/sh\n[ -e '${scratch}/done' ] && exit 0\ntouch '${scratch}/done'\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\ncd '${two}' && git add -A && git -c user.name=t -c user.email=t@t.invalid commit -qm two && git push -q\n`,
    );
    await chmod(hook, 0o755);
    const result = await commitAndPush(one, { paths: ['history'], message: 'x [skip ci]', push: true, wait: async () => {} });
    assert.equal(result.pushed, true, JSON.stringify(result));
    assert.equal(result.attempts, 2, 'the first push was refused, the rebased one landed');
    const check = await clone();
    assert.equal(await readFile(join(check, 'history/one.txt'), 'utf8'), '1\n');
    assert.equal(await readFile(join(check, 'history/two.txt'), 'utf8'), '2\n');
  });

  it('with two regions, a check is down on the page only when both see it down (quorum)', async () => {
    const dir = await clone();
    const history = await tempDir();
    const { appendSamples } = await import('../../src/history/store.ts');
    const t = Date.parse('2026-11-23T12:00:00Z');
    const at = (k: number) => new Date(Math.floor((t + k * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    // eu sees api down for 3 s; us sees it up. Then both see web down.
    for (let k = 0; k < 3; k++) {
      await appendSamples(history, [
        { time: at(k), check: 'api', region: 'eu', outcome: 'down', attempts: 3, reason: 'timeout' },
        { time: at(k), check: 'api', region: 'us', outcome: 'up', attempts: 1, latencyMs: 20 },
        { time: at(k), check: 'web', region: 'eu', outcome: 'down', attempts: 3, reason: 'econnrefused' },
        { time: at(k), check: 'web', region: 'us', outcome: 'down', attempts: 3, reason: 'econnrefused' },
      ]);
    }
    const { config } = await loadConfig(join(dir, 'checks'), { env: {} });
    const now = t + 3000;
    const h = await readHistory(history, { from: now - 86_400_000, now, capFor: coverageCap(countingOf(config!)) });
    const view = buildViewModel({ config: config!, days: h.days, recent: h.recent, now: new Date(now) });
    const status = Object.fromEntries(view.components.map((c) => [c.id, c.status]));
    assert.equal(status.api, 'operational');
    assert.equal(status.web, 'major_outage');
    const api = view.components.find((c) => c.id === 'api')!.checks[0];
    assert.deepEqual(
      api.byRegion.map((r) => `${r.region} ${r.last?.outcome}`),
      ['eu down', 'us up'],
    );
  });

  /** A repository whose api check passes (or not), with the api down for the last ten minutes, and incident files. */
  const outage = async (opts: { apiUp: boolean; incidentFiles: Record<string, string> }) => {
    const { url: target } = await httpServer((req, res) => {
      if (req.url === '/api' && !opts.apiUp) {
        res.statusCode = 503;
        return res.end('down');
      }
      res.end('ok');
    });
    const bare = await tempDir();
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    const seedDir = await tempDir();
    git(seedDir, 'clone', '-q', bare, '.');
    await mkdir(join(seedDir, 'checks'));
    await writeFile(join(seedDir, 'checks/site.yml'), `${SITE_YML.replace('http://127.0.0.1:9', target)}defaults:\n  interval: 1m\n  retries: 0\n`);
    await writeFile(
      join(seedDir, 'checks/a.yml'),
      'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/api\n  - id: web\n    name: Web\n    component: web\n    kind: http\n    url: ${{ vars.base_url }}/web\n',
    );
    const now = Date.now();
    const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
    const day = new Date(now).toISOString().slice(0, 10);
    // Ten minutes of samples ending a moment ago (those before midnight, if the test runs just after it, are left out).
    const minutes = [-10, -9, -8, -7, -6, -5, -4, -3, -2, -1].filter((m) => new Date(now + m * 60_000).toISOString().slice(0, 10) === day);
    const lines = minutes.flatMap((m) => [
      `${hhmmss(now + m * 60_000)}\tapi\tdown\t-\t1\treason=status_503\tmsg=HTTP 503, expected 2xx`,
      `${hhmmss(now + m * 60_000)}\tweb\tup\t20\t1`,
    ]);
    await mkdir(join(seedDir, 'history/samples'), { recursive: true });
    await writeFile(join(seedDir, 'history/samples', `${day}.default.tsv`), `${lines.join('\n')}\n`);
    await mkdir(join(seedDir, 'history/incidents'), { recursive: true });
    const at = new Date(now - 9 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    for (const [name, text] of Object.entries(opts.incidentFiles)) await writeFile(join(seedDir, 'history/incidents', name), text.replace(/AT/g, at));
    git(seedDir, 'add', '-A');
    git(seedDir, 'commit', '-qm', 'seed');
    git(seedDir, 'push', '-q', 'origin', 'main');
    const fresh = async () => {
      const dir = await tempDir();
      git(dir, 'clone', '-q', bare, '.');
      return dir;
    };
    return { fresh, day, oldSamples: minutes.length };
  };
  const OPEN_INCIDENT =
    '---\nid: 2026-01-01-api\ntitle: "REST API: major outage"\ncomponents: [api]\nimpact: critical\nautomatic: true\nstarted: AT\nupdates:\n  - at: AT\n    status: investigating\n    by: upkeep\n    component_status: major_outage\n    message: Our checks show a major outage of REST API.\n---\n';

  it("a person pushes an update to the open incident while the slot resolves it: both land, the person's first, and every sample is kept", async () => {
    const { fresh, day } = await outage({ apiUp: true, incidentFiles: { '2026-01-01-api.md': OPEN_INCIDENT } });
    const slot = await fresh();
    const person = await fresh();
    // The person pushes between the slot's incident commit and its push: a real pre-push hook does it, once.
    const scratch = await tempDir();
    const edit = join(scratch, 'edit.mjs');
    await writeFile(
      edit,
      `import { readFileSync, writeFileSync } from 'node:fs';
const f = 'history/incidents/2026-01-01-api.md';
const at = new Date().toISOString().replace(/\\.\\d+Z$/, 'Z');
writeFileSync(f, readFileSync(f, 'utf8').replace('---\\n', '---\\n# edited by a person\\n').replace(/\\n---\\n$/, '\\n  - at: ' + at + '\\n    status: identified\\n    by: alice\\n    message: The load balancer lost its pool; failing over by hand.\\n---\\n'));
`,
    );
    const marker = join(scratch, 'pushed');
    const hook = join(slot, '.git/hooks/pre-push');
    await writeFile(
      hook,
      `#!/bin/sh
case "$(git log -1 --format=%s)" in incidents*) ;; *) exit 0 ;; esac
[ -e '${marker}' ] && exit 0
touch '${marker}'
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
cd '${person}' && git pull -q && '${process.execPath}' '${edit}' && git -c user.name=alice -c user.email=alice@example.invalid commit -qam "identified: load balancer" && git push -q
`,
    );
    await chmod(hook, 0o755);
    const r = await upkeep(slot, ['run', '--commit', '--push']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /git: incidents committed, pushed after 2 attempts/, r.out);
    const check = await fresh();
    const text = await readFile(join(check, 'history/incidents/2026-01-01-api.md'), 'utf8');
    assert.match(text, /# edited by a person/, "the person's edit is kept");
    const byPerson = text.indexOf('by: alice');
    const resolved = text.indexOf('status: resolved');
    assert.ok(byPerson > 0 && resolved > byPerson, `the automatic resolution comes after the person's update:\n${text}`);
    assert.equal(text.split('status: resolved').length, 2, 'resolved once');
    const { samples } = await readDay(join(check, 'history'), day);
    assert.equal(samples.filter((s) => s.check === 'api' && s.outcome === 'up').length, 1, "the round's sample is in the remote");
  });

  it('a broken incident file: the samples are still committed and pushed, and no duplicate incident is opened', async () => {
    const broken = '---\nid: 2026-01-02-api\ncomponents: [api]\nupdates: *nowhere\n---\n';
    const { fresh, day, oldSamples } = await outage({ apiUp: false, incidentFiles: { '2026-01-02-api.md': broken } });
    const slot = await fresh();
    const r = await upkeep(slot, ['run', '--commit', '--push']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /incident file left out: .*2026-01-02-api\.md:4:10 .*\*nowhere/);
    assert.match(r.out, /no new incident is opened for api until the incident file above is fixed/);
    const check = await fresh();
    const { samples } = await readDay(join(check, 'history'), day);
    assert.equal(samples.filter((s) => s.check === 'api').length, oldSamples + 1, 'the old samples and the new one');
    assert.deepEqual((await readdir(join(check, 'history/incidents'))).sort(), ['2026-01-02-api.md'], 'no duplicate incident for api');
  });

  it('a committed symbolic link under history/ is never written through', async () => {
    const dir = await clone();
    const outside = await tempDir();
    await rm(join(dir, 'history', 'samples'), { recursive: true, force: true });
    await symlink(outside, join(dir, 'history', 'samples'));
    const r = await upkeep(dir, ['probe']);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /history\/samples is a symbolic link; Upkeep never writes through one/);
    assert.deepEqual(await readdir(outside), []);
  });
});
