/**
 * `npm run bench:probe`: Upkeep's HTTP probing against a bare undici loop, same requests, same
 * concurrency, one run. Prints figures, then one line of JSON. Not a test: it asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import diagnostics from 'node:diagnostics_channel';
import { request } from 'undici';
import { loadConfig } from '../../src/config/load.ts';
import { mapLimit, probeChecks } from '../../src/probes/run.ts';
import { percentile, round, startProcess } from './util.ts';

const CHECKS = 1_000;
const DELAY = 100;
const CONCURRENCY = 64;

const { child, firstLine } = await startProcess(new URL('./delay-server.ts', import.meta.url).pathname);
const base = `http://127.0.0.1:${firstLine.trim()}`;
const dir = await mkdtemp(join(tmpdir(), 'upkeep-bench-'));

try {
  await writeFile(join(dir, 'site.yml'), `site:\n  title: Bench\n  vendor: Bench\nvars:\n  base: ${base}\ncomponents:\n  - id: api\n    name: API\n`);
  const checks = Array.from(
    { length: CHECKS },
    (_, i) => `  - id: c${i}\n    name: c${i}\n    component: api\n    kind: http\n    url: \${{ vars.base }}/delay/${DELAY}?i=${i}\n`,
  );
  await writeFile(join(dir, 'checks.yml'), `checks:\n${checks.join('')}`);
  const { config } = await loadConfig(dir, { env: {} });
  if (!config) throw new Error('bench config did not load');
  const urls = Array.from({ length: CHECKS }, (_, i) => `${base}/delay/${DELAY}?i=${i}`);

  const bare = async () => {
    const t0 = performance.now();
    await mapLimit(urls, CONCURRENCY, async (url) => {
      const r = await request(url);
      await r.body.text();
    });
    return performance.now() - t0;
  };
  const upkeep = async () => {
    const t0 = performance.now();
    const { samples } = await probeChecks(config, config.checks, {
      now: () => new Date(),
      wait: async () => {},
      env: {},
      region: 'bench',
      concurrency: CONCURRENCY,
    });
    const down = samples.filter((s) => s.outcome !== 'up').length;
    if (down > 0) throw new Error(`${down} samples not up`);
    return performance.now() - t0;
  };

  await bare(); // warm up both paths once
  await upkeep();
  const runs = { bare: [] as number[], upkeep: [] as number[] };
  for (let i = 0; i < 3; i++) {
    runs.bare.push(await bare());
    runs.upkeep.push(await upkeep());
  }
  const wall = { bare: Math.min(...runs.bare), upkeep: Math.min(...runs.upkeep) };
  const ratio = wall.upkeep / wall.bare;

  // Peak memory of the real CLI doing the same 1,000 checks.
  const timed = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, 'src/cli/upkeep.js', 'probe', '--checks', dir, '--dry-run', '--json', '--concurrency', String(CONCURRENCY)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const rssKb = Number(timed.stderr.toString().trim().split('\n').pop());

  // Timing accuracy: each probe request is also timed by undici's own diagnostics channel
  // (request created → response complete), so both figures describe the same request.
  const marks: { created?: number; done?: number } = {};
  const onCreate = () => (marks.created = performance.now());
  const onDone = () => (marks.done = performance.now());
  diagnostics.subscribe('undici:request:create', onCreate);
  diagnostics.subscribe('undici:request:trailers', onDone);
  const accuracy: Record<string, { samples: number; within: number; medianDiffMs: number; p95DiffMs: number }> = {};
  for (const delay of [0, 50, 200, 1_000]) {
    const count = delay >= 1_000 ? 10 : delay >= 200 ? 30 : 60;
    const one = { ...config, checks: [{ ...config.checks[0], id: 'acc', url: `${base}/delay/${delay}` }] };
    const diffs: { diff: number; bareMs: number }[] = [];
    for (let i = 0; i < count; i++) {
      const { samples } = await probeChecks(one, one.checks, { now: () => new Date(), wait: async () => {}, env: {}, region: 'bench', concurrency: 1 });
      const bareMs = (marks.done ?? 0) - (marks.created ?? 0);
      diffs.push({ diff: Math.abs((samples[0].latencyMs ?? 0) - bareMs), bareMs });
    }
    const within = diffs.filter((d) => d.diff <= Math.max(2, 0.02 * d.bareMs)).length;
    const ds = diffs.map((d) => d.diff);
    accuracy[`${delay}ms`] = {
      samples: count,
      within: round(within / count, 3),
      medianDiffMs: round(percentile(ds, 50)),
      p95DiffMs: round(percentile(ds, 95)),
    };
  }
  diagnostics.unsubscribe('undici:request:create', onCreate);
  diagnostics.unsubscribe('undici:request:trailers', onDone);

  console.log(`1,000 HTTP checks, ${DELAY} ms server delay, concurrency ${CONCURRENCY} (best of 3):`);
  console.log(`  bare undici loop   ${round(wall.bare)} ms`);
  console.log(`  upkeep probe run   ${round(wall.upkeep)} ms  (ratio ${round(ratio, 3)}, target ≤ 1.3)`);
  console.log(`  peak RSS of \`upkeep probe --dry-run\` with the same checks: ${round(rssKb / 1024, 1)} MB (target ≤ 250)`);
  console.log("Timing accuracy (share of samples within max(2 ms, 2 %) of undici's own timing of the same request; target ≥ 0.95):");
  for (const [delay, a] of Object.entries(accuracy))
    console.log(`  ${delay.padStart(7)}: ${a.within} of ${a.samples} samples, |Δ| median ${a.medianDiffMs} ms, p95 ${a.p95DiffMs} ms`);
  console.log(
    JSON.stringify({
      bench: 'probe',
      checks: CHECKS,
      delayMs: DELAY,
      concurrency: CONCURRENCY,
      bareMs: round(wall.bare),
      upkeepMs: round(wall.upkeep),
      ratio: round(ratio, 3),
      peakRssMb: round(rssKb / 1024, 1),
      accuracy,
    }),
  );
} finally {
  child.kill();
  await rm(dir, { recursive: true, force: true });
}
