import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { readHistory } from '../../src/history/read.ts';
import { parseRollup, formatRollup } from '../../src/history/rollups.ts';
import { appendSamples, readDay, sampleDays } from '../../src/history/store.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import type { Sample } from '../../src/status/sample.ts';
import { upkeep } from '../helpers/cli.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00Z');
const NOW = START + 10 * DAY + 3 * 3_600_000;

/** Ten days of samples every 5 minutes for two checks in two regions, with outages and gaps. */
function history(): Sample[] {
  const out: Sample[] = [];
  for (let t = START; t < NOW; t += 5 * MIN) {
    const hour = Math.floor((t - START) / 3_600_000);
    if (hour % 29 === 7) continue; // an hour of no data now and then
    for (const region of ['eu', 'us']) {
      for (const check of ['api', 'web']) {
        const down = check === 'web' && hour % 31 === 3 && region === 'eu';
        out.push({
          time: new Date(t).toISOString().replace('.000Z', 'Z'),
          check,
          region,
          outcome: down ? 'down' : hour % 17 === 0 ? 'degraded' : 'up',
          attempts: down ? 3 : 1,
          ...(down ? { reason: 'timeout' } : { latencyMs: 20 + ((t / MIN) % 97) }),
        });
      }
    }
  }
  return out;
}

const checksYml =
  'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: http://127.0.0.1:9/\n  - id: web\n    name: Web\n    component: web\n    kind: http\n    url: http://127.0.0.1:9/\n';

describe('rollups', async () => {
  const checks = await writeTree({ 'site.yml': SITE_YML, 'a.yml': checksYml });
  const retaining = await writeTree({ 'site.yml': SITE_YML.replace('site:\n', 'history:\n  raw_days: 5\nsite:\n'), 'a.yml': checksYml });
  const { config } = await loadConfig(checks, { env: {} });
  assert.ok(config);

  it('round-trip through the file format', () => {
    const line =
      '2026-11-02\tweb\teu\tcap=600\tn=270,10,8\ts=81000,3000,2400,0\tlat=40,90,110\thist=39:100;48:180\tseg=d@100-2500;g@3600-6600;n@86000-86400\tlast=86100:up';
    const r = parseRollup(line)!;
    assert.equal(formatRollup(r), line);
    assert.equal(r.segments[0].state, 'up');
    assert.equal(r.segments[1].state, 'down');
  });

  it('are derivable from raw samples: rolling up again from scratch gives the same bytes, and the same page numbers', async () => {
    const dir = await tempDir();
    await appendSamples(dir, history());
    const env = { UPKEEP_NOW: new Date(NOW).toISOString() };
    const first = await upkeep(['rollup', '--checks', checks, '--history', dir], env);
    assert.equal(first.code, 0, first.stderr);
    const months = await readdir(join(dir, 'rollups'));
    assert.deepEqual(months, ['2026-11.tsv']);
    const bytes = await readFile(join(dir, 'rollups/2026-11.tsv'), 'utf8');
    assert.equal(bytes.split('\n').filter(Boolean).length, 10 * 4); // 10 complete days × 2 checks × 2 regions

    // Idempotent: running again changes nothing.
    const again = await upkeep(['rollup', '--checks', checks, '--history', dir], env);
    assert.match(again.stdout, /no rollup file changed/);

    // Derivable: delete, rebuild everything, compare.
    await rm(join(dir, 'rollups'), { recursive: true });
    await upkeep(['rollup', '--checks', checks, '--history', dir, '--all'], env);
    assert.equal(await readFile(join(dir, 'rollups/2026-11.tsv'), 'utf8'), bytes);

    // The view from rollups equals the view from raw samples only.
    const fromRollups = await readHistory(dir, { from: NOW - 365 * DAY, now: NOW, capFor: coverageCap(countingOf(config)), timeZone: config.site.time_zone });
    const rawOnly = await tempDir();
    await appendSamples(rawOnly, history());
    const fromRaw = await readHistory(rawOnly, { from: NOW - 365 * DAY, now: NOW, capFor: coverageCap(countingOf(config)), timeZone: config.site.time_zone });
    const a = buildViewModel({ config, days: fromRollups.days, recent: fromRollups.recent, now: new Date(NOW) });
    const b = buildViewModel({ config, days: fromRaw.days, recent: fromRaw.recent, now: new Date(NOW) });
    assert.deepEqual(a.components, b.components);
    // Only the eu region saw the web check down; with two regions a quorum needs both.
    assert.equal(a.components[1].outages.length, 0);
    assert.equal(a.components[1].windows['7d'].downMs, 0);
    assert.ok(a.components[1].windows['7d'].degradedMs > 0);
  });

  it('removes raw samples past the retention only once rolled up, and keeps rollups', async () => {
    const dir = await tempDir();
    await appendSamples(dir, history());
    const r = await upkeep(['rollup', '--checks', retaining, '--history', dir], { UPKEEP_NOW: new Date(NOW).toISOString() });
    assert.match(r.stdout, /removed raw samples of 5 days older than 5 days/);
    const days = await sampleDays(dir);
    assert.deepEqual(days, ['2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09', '2026-11-10', '2026-11-11']);
    assert.equal((await readFile(join(dir, 'rollups/2026-11.tsv'), 'utf8')).split('\n').filter(Boolean).length, 40);
  });
});

describe('crash safety with real processes', () => {
  const writer = `
    import { appendSamples } from ${JSON.stringify(new URL('../../src/history/store.ts', import.meta.url).pathname)};
    const [dir, tag, count] = process.argv.slice(1);
    for (let i = 0; i < Number(count); i++) {
      await appendSamples(dir, [{ time: '2026-11-23T10:' + String(i % 60).padStart(2, '0') + ':00Z', check: tag + '-' + i, region: 'default', outcome: 'up', latencyMs: i, attempts: 1, message: 'x'.repeat(200) }]);
    }
  `;
  const run = (args: string[]) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    return { child, exited: new Promise((resolve) => child.on('exit', resolve)) };
  };

  it('two processes appending to the same day file at once lose nothing', async () => {
    const dir = await tempDir();
    const procs = [run([dir, 'a', '1500']), run([dir, 'b', '1500'])];
    await Promise.all(procs.map((p) => p.exited));
    const { samples, warnings } = await readDay(dir, '2026-11-23');
    assert.deepEqual(warnings, []);
    assert.equal(samples.length, 3000);
    assert.equal(new Set(samples.map((s) => s.check)).size, 3000);
  });

  it('a process killed while appending leaves a readable history, and the next run appends cleanly', async () => {
    const dir = await tempDir();
    const p = run([dir, 'k', '1000000']);
    // Kill it mid-stream: once it has written something, whatever the machine's load.
    for (let i = 0; i < 200 && (await readDay(dir, '2026-11-23')).samples.length < 50; i++) await new Promise((r) => setTimeout(r, 50));
    p.child.kill('SIGKILL');
    await p.exited;
    const before = await readDay(dir, '2026-11-23');
    assert.ok(before.samples.length > 10, `only ${before.samples.length} samples`);
    assert.ok(before.warnings.length <= 1, before.warnings.join('\n'));
    await appendSamples(dir, [{ time: '2026-11-23T11:00:00Z', check: 'after', region: 'default', outcome: 'up', attempts: 1 }]);
    const after = await readDay(dir, '2026-11-23');
    assert.equal(after.samples.length, before.samples.length + 1);
    assert.ok(after.samples.some((s) => s.check === 'after'));
  });
});
