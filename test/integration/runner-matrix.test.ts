import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readDay } from '../../src/history/store.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

type Entry = { region: string; shard: string; runs_on: string | string[]; lead: boolean; checks: number; worst_s: number };
type Sample = { check: string; outcome: string; region: string };

/** Instances p0…p(n-1): even ones probed from us, odd ones from eu, every third from both. */
function siteYml(base: string, n: number, interval = '1m') {
  const from = (i: number) => (i % 3 === 0 ? '[eu, us]' : i % 2 ? '[eu]' : '[us]');
  return `site: { title: T, vendor: V }
defaults: { interval: ${interval}, retry_backoff: 1ms }
regions:
  - id: eu
    runs_on: [self-hosted, eu]
  - id: us
instances:
${Array.from({ length: n }, (_, i) => `  - { id: p${i}, name: P${i}, probe_from: ${from(i)}, vars: { base: '${base}/p${i}' } }`).join('\n')}
components:
  - { id: api, name: API }
  - { id: web, name: Web }
`;
}

/** `perInstance` checks for every instance, and one check of no instance. */
function checksYml(perInstance: number) {
  const one = (id: string) => `  - id: ${id}
    name: ${id}
    component: api
    kind: http
    url: \${{ instance.base }}/${id}
    for_each: instances
`;
  return `checks:
${Array.from({ length: perInstance }, (_, i) => one(`c${i}`)).join('')}  - id: global
    name: Global
    component: web
    kind: http
    url: \${{ vars.base }}/global
`;
}

const instanceOf = (check: string) => check.split('@')[1];

describe('runners: regions, shards by instance, and the matrix that fits a slot', async () => {
  const { url } = await httpServer((req, res) => res.end(req.url === '/p1/c0' ? 'x' : 'ok'));
  const site = (n: number, interval?: string) => siteYml(url, n, interval).replace('defaults:', `vars: { base: '${url}' }\ndefaults:`);

  const probeAs = async (checks: string, ...args: string[]) => {
    const r = await upkeep(['probe', '--checks', checks, '--dry-run', '--json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as Sample[]).map((s) => s.check).sort();
  };

  it('a region probes the instances that name it in probe_from and every check of no instance; an undeclared runner probes all', async () => {
    const checks = await writeTree({ 'site.yml': site(6), 'a.yml': checksYml(2) });
    const eu = await probeAs(checks, '--region', 'eu');
    const us = await probeAs(checks, '--region', 'us');
    const all = await probeAs(checks);
    assert.equal(all.length, 6 * 2 + 1);
    // p0, p3: both; p1, p5: eu; p2, p4: us.
    assert.deepEqual([...new Set(eu.map(instanceOf))].sort(), ['p0', 'p1', 'p3', 'p5', undefined].sort());
    assert.deepEqual([...new Set(us.map(instanceOf))].sort(), ['p0', 'p2', 'p3', 'p4', undefined].sort());
    assert.ok(eu.includes('global') && us.includes('global'));
  });

  it("shards split by instance: disjoint, together everything, each instance's checks on one runner", async () => {
    const checks = await writeTree({ 'site.yml': site(12), 'a.yml': checksYml(3) });
    const shards = await Promise.all([1, 2, 3].map((i) => probeAs(checks, '--region', 'eu', '--shard', `${i}/3`)));
    const union = shards.flat().sort();
    assert.deepEqual(union, await probeAs(checks, '--region', 'eu'));
    assert.equal(new Set(union).size, union.length, 'no check on two shards');
    const owner = new Map<string, number>();
    shards.forEach((list, i) => {
      for (const c of list) {
        const inst = instanceOf(c);
        if (!inst) continue;
        assert.equal(owner.get(inst) ?? i, i, `${inst} is split over shards ${owner.get(inst)} and ${i}`);
        owner.set(inst, i);
      }
    });
    assert.ok(shards.filter((s) => s.length > 0).length >= 2, 'the instances spread over the shards');
  });

  it('1,000 checks: `upkeep matrix` shards each region so the worst round fits the interval, one runner leads, and GitHub gets it as an output', async () => {
    const checks = await writeTree({ 'site.yml': site(50), 'a.yml': checksYml(20) });
    const dir = await tempDir();
    const out = join(dir, 'github-output');
    await writeFile(out, 'earlier=1\n');
    const r = await upkeep(['matrix', '--checks', checks, '--json', '--concurrency', '64'], { GITHUB_OUTPUT: out });
    assert.equal(r.code, 0, r.stderr);
    const { include } = JSON.parse(r.stdout) as { include: Entry[] };
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'earlier=1', 'appends to what the step already wrote');
    assert.deepEqual(JSON.parse(lines[1].replace(/^matrix=/, '')), { include });
    assert.equal(include.filter((e) => e.lead).length, 1);
    // 10 s timeout × 3 attempts + backoff ≈ 30 s a check at worst; 64 at once; 1 minute rounds.
    for (const e of include) assert.ok(e.worst_s <= 60, `${e.region} ${e.shard}: worst round ${e.worst_s} s`);
    const eu = include.filter((e) => e.region === 'eu');
    const us = include.filter((e) => e.region === 'us');
    assert.ok(eu.length > 1 && us.length > 1, 'a single runner per region cannot fit 1,000 checks timing out');
    assert.deepEqual(eu[0].runs_on, ['self-hosted', 'eu']);
    assert.equal(us[0].runs_on, 'ubuntu-latest');
    // Every check of a region is on exactly one of its runners, as `probe` itself selects them.
    for (const region of [eu, us]) {
      const total = region.reduce((n, e) => n + e.checks, 0);
      const [name, count] = [region[0].region, Number(region[0].shard.split('/')[1])];
      const probed = (await Promise.all(region.map((e) => probeAs(checks, '--region', name, '--shard', e.shard)))).flat();
      assert.equal(probed.length, total);
      assert.equal(new Set(probed).size, total);
      assert.equal(total, (await probeAs(checks, '--region', name)).length, `${name}: ${count} shards cover it`);
    }
    // A longer interval needs fewer runners.
    await writeFile(join(checks, 'site.yml'), site(50, '5m'));
    const slower = JSON.parse((await upkeep(['matrix', '--checks', checks, '--json', '--concurrency', '64'])).stdout) as { include: Entry[] };
    assert.ok(slower.include.length < include.length, `${slower.include.length} runners at 5 minutes, ${include.length} at 1 minute`);
  });

  it('a check slower than the interval on its own is named: no number of shards fixes it', async () => {
    const checks = await writeTree({
      'site.yml': site(2),
      'a.yml': `${checksYml(1)}  - id: slow
    name: Slow
    component: api
    kind: http
    url: ${url}/slow
    timeout: 30s
`,
    });
    const r = await upkeep(['matrix', '--checks', checks]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: region eu: 1 check can take longer than the interval \(1m\) on their own[^\n]*: slow; lower their timeout or retries/);
    assert.match(r.stdout, /leads: incidents, notify, rollup/);
  });

  it('no regions declared: one runner, which leads', async () => {
    const checks = await writeTree({
      'site.yml': site(2)
        .replace(/regions:[\s\S]*?instances:/, 'instances:')
        .replace(/probe_from: \[[^\]]*\], /g, ''),
      'a.yml': checksYml(1),
    });
    const r = await upkeep(['matrix', '--checks', checks, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { include: Entry[] }).include.map(({ region, shard, lead, runs_on }) => ({ region, shard, lead, runs_on })),
      [{ region: 'default', shard: '1/1', lead: true, runs_on: 'ubuntu-latest' }],
    );
  });

  it('an unknown or duplicate region is a validate error at its line, with the fix', async () => {
    const checks = await writeTree({
      'site.yml': site(3).replace('probe_from: [eu]', 'probe_from: [euu]').replace('  - id: us\n', '  - id: us\n  - id: us\n'),
      'a.yml': checksYml(1),
    });
    const r = await upkeep(['validate', '--checks', checks]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /site\.yml:\d+:\d+[^\n]*unknown region "euu" \(did you mean "eu"\?\)/);
    assert.match(r.stderr, /site\.yml:\d+:\d+[^\n]*duplicate region id "us"/);
  });

  it('a matrix entry tells `upkeep run` its region and shard; only the lead plans incidents', async () => {
    const files = {
      'site.yml': `${site(4)}incidents: { open_after: 0 }\n`,
      'a.yml': checksYml(1).replace('    for_each: instances\n', '    for_each: instances\n    expect: { body_contains: ok }\n'),
    };
    for (const lead of [false, true]) {
      const checks = await writeTree(files);
      const history = await tempDir();
      const r = await upkeep(['run', '--checks', checks, '--history', history, '--no-notify'], {
        UPKEEP_MATRIX: JSON.stringify({ region: 'eu', shard: '1/1', lead, runs_on: 'x' }),
      });
      assert.equal(r.code, 0, r.stderr);
      const samples = (await readDay(history, new Date().toISOString().slice(0, 10))).samples;
      assert.ok(samples.every((s) => s.region === 'eu'));
      assert.deepEqual([...new Set(samples.map((s) => instanceOf(s.check)))].sort(), ['p0', 'p1', 'p3', undefined].sort());
      const incidents = await readdir(join(history, 'incidents')).catch(() => []);
      // p1's c0 answers "x": down. The follower leaves incidents to the lead.
      assert.equal(incidents.length, lead ? 1 : 0, `lead ${lead}: ${incidents.join(', ')}`);
    }
    const bad = await upkeep(['run', '--checks', await writeTree(files), '--history', await tempDir()], { UPKEEP_MATRIX: 'eu' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /UPKEEP_MATRIX must be one entry of `upkeep matrix` as JSON/);
  });
});
