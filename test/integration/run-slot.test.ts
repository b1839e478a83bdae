/**
 * The scheduled slot against real git: a bare "GitHub" remote, runners in separate clones (two
 * regions at once), each probing a local server and pushing with rebase-and-retry.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { readHistory } from '../../src/history/read.ts';
import { readDay } from '../../src/history/store.ts';
import { buildViewModel, capFor } from '../../src/site/view-model.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir } from '../helpers/temp.ts';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd }).toString();
const cli = new URL('../../src/cli/upkeep.ts', import.meta.url).pathname;

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
  const remote = await tempDir();
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  const seed = await tempDir();
  git(seed, 'clone', '-q', remote, '.');
  await mkdir(join(seed, 'checks'));
  await writeFile(join(seed, 'checks/site.yml'), `${SITE_YML.replace('http://127.0.0.1:9', url)}defaults:\n  interval: 1s\n  retry_backoff: 1ms\n`);
  await writeFile(join(seed, 'checks/a.yml'), 'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/ok\n  - id: web\n    name: Web\n    component: web\n    kind: http\n    url: ${{ vars.base_url }}/ok\n');
  await mkdir(join(seed, 'history'));
  await writeFile(join(seed, 'history/README.md'), 'history\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');

  const clone = async () => {
    const dir = await tempDir();
    git(dir, 'clone', '-q', remote, '.');
    return dir;
  };

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
    const results = await Promise.all([one, two].map((d) => commitAndPush(d, { paths: ['history'], message: 'x [skip ci]', push: true, wait: async () => {} })));
    assert.ok(results.every((r) => r.pushed), JSON.stringify(results));
    assert.ok(results.some((r) => r.attempts > 1) || results.every((r) => r.attempts === 1));
    const check = await clone();
    assert.equal(await readFile(join(check, 'history/one.txt'), 'utf8'), '1\n');
    assert.equal(await readFile(join(check, 'history/two.txt'), 'utf8'), '2\n');
  });

  it('with two regions, a check is down on the page only when both see it down (quorum)', async () => {
    const dir = await clone();
    const history = await tempDir();
    const { appendSamples } = await import('../../src/history/store.ts');
    const t = Date.now() - 10_000;
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
    const h = await readHistory(history, { from: now - 86_400_000, now, capFor: capFor(config!) });
    const view = buildViewModel({ config: config!, days: h.days, recent: h.recent, now: new Date(now) });
    const status = Object.fromEntries(view.components.map((c) => [c.id, c.status]));
    assert.equal(status.api, 'operational');
    assert.equal(status.web, 'major_outage');
    const api = view.components.find((c) => c.id === 'api')!.checks[0];
    assert.deepEqual(api.byRegion.map((r) => `${r.region} ${r.last?.outcome}`), ['eu down', 'us up']);
  });

  it('copies the example checks of the repository as a fork would, and the engine updates merge cleanly over vendor edits', async () => {
    // Upstream: the engine at this commit. A vendor forks, edits its own files, gathers history.
    const upstream = await tempDir();
    git(upstream, 'init', '-q', '-b', 'main');
    const root = new URL('../../', import.meta.url).pathname;
    for (const p of ['src', 'checks', 'history', '.github', 'package.json', 'astro.config.mjs', 'tsconfig.json', 'README.md']) await cp(join(root, p), join(upstream, p), { recursive: true });
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-qm', 'engine v1');
    const vendor = await tempDir();
    git(vendor, 'clone', '-q', upstream, '.');
    await writeFile(join(vendor, 'checks/site.yml'), (await readFile(join(vendor, 'checks/site.yml'), 'utf8')).replace('Pipewell CRM Status', 'Acme CRM Status'));
    await writeFile(join(vendor, 'checks/acme.yml'), 'checks: []\n');
    await mkdir(join(vendor, 'history/incidents'), { recursive: true });
    await writeFile(join(vendor, 'history/incidents/2026-11-20-api.md'), '---\nid: 2026-11-20-api\n---\n');
    git(vendor, 'add', '-A');
    git(vendor, 'commit', '-qm', 'vendor edits');
    // Upstream ships a new engine version: it touches engine files only, by rule.
    await writeFile(join(upstream, 'src/cli/upkeep.ts'), `${await readFile(join(upstream, 'src/cli/upkeep.ts'), 'utf8')}// v2\n`);
    await writeFile(join(upstream, 'README.md'), `${await readFile(join(upstream, 'README.md'), 'utf8')}\nv2\n`);
    git(upstream, 'commit', '-qam', 'engine v2');
    const changed = git(upstream, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n');
    assert.ok(changed.every((f) => !f.startsWith('checks/') && !f.startsWith('history/')), changed.join(', '));
    git(vendor, 'pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main');
    assert.match(git(vendor, 'log', '--format=%s', '-3'), /engine v2/);
    assert.match(await readFile(join(vendor, 'checks/site.yml'), 'utf8'), /Acme CRM Status/);
    assert.equal(git(vendor, 'status', '--porcelain').trim(), '');
  });
});
