import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const check = (id: string, path: string, component = 'api') => `  - id: ${id}
    name: ${id}
    component: ${component}
    kind: http
    url: \${{ vars.base_url }}${path}
`;

describe('which checks a run probes', async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  // A seeded flapper: request n fails when the n-th draw of a small LCG is below one half.
  let seed = 12345;
  const draws: boolean[] = [];
  const { url } = await httpServer((req, res) => {
    if (req.url === '/slow') {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 50);
      return;
    }
    if (req.url === '/flap') {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const fail = seed / 2 ** 31 < 0.5;
      draws.push(fail);
      res.statusCode = fail ? 500 : 200;
      return res.end();
    }
    if (req.url === '/hang') return; // never answers
    res.end('ok');
  });
  const site = `${SITE_YML.replace('http://127.0.0.1:9', url)}defaults:\n  retry_backoff: 1ms\n`;

  it('never has more than --concurrency probes in flight', async () => {
    const checks = await writeTree({ 'site.yml': site, 'a.yml': `checks:\n${Array.from({ length: 12 }, (_, i) => check(`slow-${i}`, '/slow')).join('')}` });
    maxInFlight = 0;
    const r = await upkeep(['probe', '--checks', checks, '--dry-run', '--concurrency', '4']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(maxInFlight, 4);
  });

  it('a target that never answers times out alone; the others are unaffected', async () => {
    const checks = await writeTree({
      'site.yml': site,
      'a.yml': `checks:\n${check('hang', '/hang')}    timeout: 500ms\n    retries: 0\n${Array.from({ length: 5 }, (_, i) => check(`fine-${i}`, '/ok')).join('')}`,
    });
    const r = await upkeep(['probe', '--checks', checks, '--dry-run', '--json', '--concurrency', '2']);
    const samples = JSON.parse(r.stdout) as { check: string; outcome: string; reason?: string; latencyMs?: number }[];
    assert.equal(samples.find((s) => s.check === 'hang')?.reason, 'timeout');
    for (const s of samples.filter((x) => x.check !== 'hang')) {
      assert.equal(s.outcome, 'up');
      assert.ok((s.latencyMs ?? 0) < 400, `${s.check} took ${s.latencyMs} ms`);
    }
  });

  it('a 50 % flapper is up or down exactly as the confirmation policy says', async () => {
    const checks = await writeTree({ 'site.yml': site, 'a.yml': `checks:\n${check('flap', '/flap')}` });
    const outcomes: string[] = [];
    for (let run = 0; run < 20; run++) {
      const r = await upkeep(['probe', '--checks', checks, '--dry-run', '--json']);
      outcomes.push(...(JSON.parse(r.stdout) as { outcome: string }[]).map((s) => s.outcome));
    }
    // Replay the server's draws through the policy: up at the first success, down after 3 failures.
    const expected: string[] = [];
    let i = 0;
    while (i < draws.length) {
      let attempts = 0;
      let up = false;
      while (attempts < 3 && i < draws.length) {
        attempts++;
        if (!draws[i++]) {
          up = true;
          break;
        }
      }
      expected.push(up ? 'up' : 'down');
    }
    assert.deepEqual(outcomes, expected);
    assert.ok(outcomes.includes('up') && outcomes.filter((o) => o === 'down').length < outcomes.length / 2);
  });

  it('--changed-since probes only checks a commit added or changed (after vars are filled in)', async () => {
    const repo = await tempDir();
    const sh = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd: repo });
    sh('init', '-q', '-b', 'main');
    const dir = join(repo, 'checks');
    execFileSync('mkdir', ['-p', dir]);
    await writeFile(join(dir, 'site.yml'), site);
    await writeFile(join(dir, 'a.yml'), `checks:\n${check('same', '/ok')}${check('edited', '/ok')}${check('by-var', '/ok')}`);
    sh('add', '-A');
    sh('commit', '-qm', 'base');
    await writeFile(
      join(dir, 'a.yml'),
      `checks:\n${check('same', '/ok')}${check('edited', '/ok?v=2')}${check('by-var', '/ok')}${check('added', '/ok', 'web')}`,
    );
    const r = await upkeep(['probe', '--checks', dir, '--changed-since', 'main', '--dry-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { check: string }[]).map((s) => s.check).sort(), ['added', 'edited']);

    const bad = await upkeep(['probe', '--checks', dir, '--changed-since', 'no-such-ref', '--dry-run']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--changed-since: git rev-parse/);
  });

  it('a check with every: 3 is probed every third cycle', async () => {
    const checks = await writeTree({ 'site.yml': site, 'a.yml': `checks:\n${check('often', '/ok')}${check('rarely', '/ok')}    every: 3\n` });
    const history = await tempDir();
    const probed: string[][] = [];
    for (let step = 0; step < 7; step++) {
      const now = new Date(Date.parse('2026-11-23T23:50:00Z') + step * 5 * 60_000).toISOString();
      const r = await upkeep(['probe', '--checks', checks, '--history', history, '--json'], { UPKEEP_NOW: now });
      probed.push((JSON.parse(r.stdout) as { check: string }[]).map((s) => s.check));
    }
    // Crosses midnight UTC on the way: the last sample is found in yesterday's file.
    assert.deepEqual(probed, [['often', 'rarely'], ['often'], ['often'], ['often', 'rarely'], ['often'], ['often'], ['often', 'rarely']]);
  });
});
