import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readHistory } from '../../src/history/read.ts';
import { appendSamples, dayFile, readDay, readSamples, sampleDays } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { tempDir } from '../helpers/temp.ts';

const sample = (time: string, check: string, extra: Partial<Sample> = {}): Sample => ({
  time,
  check,
  region: 'default',
  outcome: 'up',
  latencyMs: 42,
  attempts: 1,
  ...extra,
});

describe('history store', () => {
  it('appends and reads back every field', async () => {
    const dir = await tempDir();
    const samples: Sample[] = [
      sample('2026-11-23T10:00:00Z', 'api', { outcome: 'degraded', reason: 'slow', phases: { dns: 0, connect: 1, ttfb: 40 }, status: 200 }),
      { time: '2026-11-23T10:00:00Z', check: 'web', region: 'default', outcome: 'down', attempts: 3, reason: 'timeout', message: 'no answer\twithin\n10 s' },
    ];
    const files = await appendSamples(dir, samples);
    assert.deepEqual(files, [join(dir, 'samples/2026-11-23.default.tsv')]);
    const { samples: back, warnings } = await readDay(dir, '2026-11-23');
    assert.deepEqual(warnings, []);
    assert.deepEqual(back[0], samples[0]);
    assert.deepEqual(back[1], { ...samples[1], message: 'no answer within 10 s' });
  });

  it('keeps status and phases only where they explain something (not for up samples)', async () => {
    const dir = await tempDir();
    await appendSamples(dir, [sample('2026-11-23T10:00:00Z', 'api', { phases: { dns: 0, connect: 1, ttfb: 40 }, status: 200 })]);
    const { samples } = await readDay(dir, '2026-11-23');
    assert.deepEqual(samples[0], sample('2026-11-23T10:00:00Z', 'api'));
  });

  it('appends to the end and never rewrites what is there', async () => {
    const dir = await tempDir();
    await appendSamples(dir, [sample('2026-11-23T10:00:00Z', 'api')]);
    const file = dayFile(dir, '2026-11-23', 'default');
    const before = await readFile(file, 'utf8');
    await appendSamples(dir, [sample('2026-11-23T10:05:00Z', 'api')]);
    const after = await readFile(file, 'utf8');
    assert.ok(after.startsWith(before));
    assert.equal(after.split('\n').filter(Boolean).length, 2);
  });

  it('shards by UTC day, region and shard', async () => {
    const dir = await tempDir();
    await appendSamples(dir, [
      sample('2026-11-23T23:59:59Z', 'api'),
      sample('2026-11-24T00:00:00Z', 'api'),
      { ...sample('2026-11-24T00:00:00Z', 'api'), region: 'eu' },
    ]);
    await appendSamples(dir, [sample('2026-11-24T00:05:00Z', 'web')], { shard: { index: 2, count: 3 } });
    assert.deepEqual(await sampleDays(dir), ['2026-11-23', '2026-11-24']);
    const { samples } = await readSamples(dir, '2026-11-24', '2026-11-24');
    assert.deepEqual(
      samples.map((s) => `${s.time} ${s.check} ${s.region}`),
      ['2026-11-24T00:00:00Z api default', '2026-11-24T00:00:00Z api eu', '2026-11-24T00:05:00Z web default'],
    );
  });

  it('skips a torn last line with a warning, and the next append does not glue onto it', async () => {
    const dir = await tempDir();
    await appendSamples(dir, [sample('2026-11-23T10:00:00Z', 'api')]);
    const file = dayFile(dir, '2026-11-23', 'default');
    await appendFile(file, '10:05:00\tapi\tu'); // a run killed mid-write
    let read = await readDay(dir, '2026-11-23');
    assert.equal(read.samples.length, 1);
    assert.equal(read.warnings.length, 1);
    assert.match(read.warnings[0], /default\.tsv:2: skipped a torn last line/);

    await appendSamples(dir, [sample('2026-11-23T10:10:00Z', 'api')]);
    read = await readDay(dir, '2026-11-23');
    assert.deepEqual(
      read.samples.map((s) => s.time),
      ['2026-11-23T10:00:00Z', '2026-11-23T10:10:00Z'],
    );
    assert.match(read.warnings[0], /default\.tsv:2: skipped an unreadable line/);
  });

  it('skips garbage lines but keeps reading', async () => {
    const dir = await tempDir();
    const file = dayFile(dir, '2026-11-23', 'default');
    await appendSamples(dir, [sample('2026-11-23T10:00:00Z', 'api')]);
    await appendFile(file, 'not a sample\n25:00:00\tapi\tup\t1\t1\n10:01:00\tapi\tmaybe\t1\t1\n');
    await appendSamples(dir, [sample('2026-11-23T10:02:00Z', 'api')]);
    const read = await readDay(dir, '2026-11-23');
    assert.equal(read.samples.length, 2);
    assert.equal(read.warnings.length, 3);
  });

  it('reads lines written by a newer version with unknown keys', async () => {
    const dir = await tempDir();
    const file = dayFile(dir, '2026-11-23', 'default');
    await appendSamples(dir, [sample('2026-11-23T10:00:00Z', 'api')]);
    await writeFile(file, '10:00:00\tapi\tdown\t-\t3\treason=timeout\tfuture=1\tmsg=x\n');
    const read = await readDay(dir, '2026-11-23');
    assert.deepEqual(read.warnings, []);
    assert.equal(read.samples[0].reason, 'timeout');
  });
});

describe('history at scale', () => {
  it('reads a day of 1,000 checks every 5 minutes (288,000 samples) without running out of stack', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    for (let slot = 0; slot < 288; slot++) {
      const t = `${String(Math.floor(slot / 12)).padStart(2, '0')}:${String((slot % 12) * 5).padStart(2, '0')}:00`;
      for (let c = 0; c < 1_000; c++) lines.push(`${t}\tc${c}\tup\t42\t1`);
    }
    await mkdir(join(dir, 'samples'), { recursive: true });
    await writeFile(join(dir, 'samples/2026-11-23.default.tsv'), `${lines.join('\n')}\n`);
    const now = Date.parse('2026-11-24T00:00:00Z');
    const h = await readHistory(dir, { from: now - 2 * 86_400_000, now, capFor: () => 600_000 });
    assert.equal(h.recent.length, 288_000);
    assert.equal(h.days.filter((d) => d.day === '2026-11-23').length, 1_000);
  });
});
