/**
 * `npm run bench:probe`: Upkeep's HTTP probing against a bare undici loop, same requests, same
 * concurrency, one run. Prints figures, then one line of JSON. Not a test: it asserts nothing.
 *
 * `npm run bench:probe -- --instances`: one probe round of 50 instances × 10 components × 2 check
 * definitions (`for_each: instances`, 1,000 checks) as a whole `upkeep probe` process writing its
 * history, against bare-undici.ts doing the same 1,000 requests (a fresh connection each, the same
 * concurrency) as a process of its own: wall time spawn to exit and each process's own peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import diagnostics from 'node:diagnostics_channel';
import { request } from 'undici';
import { loadConfig } from '../../src/config/load.ts';
import { mapLimit, probeChecks } from '../../src/probes/run.ts';
import { instancesMode, writeInstanceSite } from './instances.ts';
import { measureProcess, percentile, round, startProcess, type Measured } from './util.ts';

const CHECKS = 1_000;
const DELAY = 100;
const CONCURRENCY = 64;
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;
const RUNS = 3;

if (instancesMode()) await instances();
else await flat();

async function flat() {
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
      ['-f', '%M', process.execPath, cli, 'probe', '--checks', dir, '--dry-run', '--json', '--concurrency', String(CONCURRENCY)],
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
}

/** 1,000 checks from `for_each: instances`, each round a whole process; RUNS alternating rounds after one warm-up of each. */
async function instances() {
  const INSTANCES = 50;
  const { child, firstLine } = await startProcess(new URL('./delay-server.ts', import.meta.url).pathname);
  const base = `http://127.0.0.1:${firstLine.trim()}`;
  const dir = await mkdtemp(join(tmpdir(), 'upkeep-bench-instances-'));
  try {
    const checksDir = join(dir, 'checks');
    await writeInstanceSite(checksDir, INSTANCES, { base, delayMs: DELAY });
    const { config } = await loadConfig(checksDir, { env: {} });
    if (!config) throw new Error('bench config did not load');
    const urls = config.checks.map((c) => (c.kind === 'http' ? c.url : ''));
    const urlFile = join(dir, 'urls.json');
    await writeFile(urlFile, JSON.stringify(urls));

    let runIndex = 0;
    const upkeepRound = async () => {
      const history = join(dir, `history-${runIndex++}`);
      const r = await measureProcess([cli, 'probe', '--checks', checksDir, '--history', history, '--concurrency', String(CONCURRENCY)]);
      if (r.code !== 0) throw new Error(`upkeep probe exited ${r.code}: ${r.stderr}`);
      const day = new Date().toISOString().slice(0, 10);
      const lines = (await readFile(join(history, 'samples', `${day}.default.tsv`), 'utf8').catch(() => '')).split('\n');
      const up = lines.filter((l) => l.split('\t')[2] === 'up').length;
      if (up !== urls.length) throw new Error(`${up} of ${urls.length} samples up: ${r.stderr}`);
      return r;
    };
    const bareRound = async () => {
      const r = await measureProcess([new URL('./bare-undici.ts', import.meta.url).pathname, urlFile, String(CONCURRENCY)]);
      if (r.code !== 0 || Number(r.stdout.trim()) !== urls.length) throw new Error(`bare loop: exit ${r.code}, ${r.stdout.trim()} answered 200: ${r.stderr}`);
      return r;
    };
    await bareRound(); // warm the page cache and Node's compile cache for both
    await upkeepRound();
    // The fixed cost: the same process loading the same 1,000 checks and probing one of them.
    const one = await measureProcess([cli, 'probe', '--checks', checksDir, '--history', join(dir, 'history-one'), '--only', config.checks[0].id]);
    if (one.code !== 0) throw new Error(`upkeep probe --only exited ${one.code}: ${one.stderr}`);
    const oneUrlFile = join(dir, 'one-url.json');
    await writeFile(oneUrlFile, JSON.stringify(urls.slice(0, 1)));
    const bareOne = await measureProcess([new URL('./bare-undici.ts', import.meta.url).pathname, oneUrlFile, String(CONCURRENCY)]);
    const runs = { bare: [] as Measured[], upkeep: [] as Measured[] };
    for (let i = 0; i < RUNS; i++) {
      runs.bare.push(await bareRound());
      runs.upkeep.push(await upkeepRound());
    }
    const best = (list: Measured[]) => Math.min(...list.map((r) => r.wallMs));
    const median = (list: Measured[]) =>
      percentile(
        list.map((r) => r.wallMs),
        50,
      );
    const peak = (list: Measured[]) => Math.max(...list.map((r) => r.peakRssMb));
    const ratio = best(runs.upkeep) / best(runs.bare);
    const medianRatio = median(runs.upkeep) / median(runs.bare);
    const all = (list: Measured[]) => list.map((r) => round(r.wallMs, 0)).join(', ');
    console.log(
      `One probe round: ${INSTANCES} instances × 10 components × 2 checks (for_each: instances) = ${urls.length} HTTP checks, ${DELAY} ms server, concurrency ${CONCURRENCY}, each a whole process (${RUNS} runs each, alternating, after a warm-up):`,
    );
    console.log(
      `  bare undici loop, fresh connection per request   best ${round(best(runs.bare), 0)} ms (runs ${all(runs.bare)}), peak RSS ${round(peak(runs.bare), 1)} MB`,
    );
    console.log(
      `  upkeep probe (writes its history)                best ${round(best(runs.upkeep), 0)} ms (runs ${all(runs.upkeep)}), peak RSS ${round(peak(runs.upkeep), 1)} MB (target ≤ 300)`,
    );
    console.log(
      `  upkeep probe --only one of the 1,000 checks     ${round(one.wallMs, 0)} ms, CPU ${round(one.cpuMs, 0)} ms, peak RSS ${round(one.peakRssMb, 1)} MB (the fixed cost; the bare loop with one URL: ${round(bareOne.wallMs, 0)} ms, CPU ${round(bareOne.cpuMs, 0)} ms)`,
    );
    console.log(`  ratio, best to best ${round(ratio, 3)} (target ≤ 1.25); median to median ${round(medianRatio, 3)}`);
    console.log(
      `  CPU time of upkeep probe ${round(Math.min(...runs.upkeep.map((r) => r.cpuMs)), 0)} ms, of the bare loop ${round(Math.min(...runs.bare.map((r) => r.cpuMs)), 0)} ms (best runs)`,
    );
    console.log(
      JSON.stringify({
        bench: 'probe-instances',
        instances: INSTANCES,
        checks: urls.length,
        delayMs: DELAY,
        concurrency: CONCURRENCY,
        runs: RUNS,
        bareMs: round(best(runs.bare)),
        upkeepMs: round(best(runs.upkeep)),
        ratio: round(ratio, 3),
        medianRatio: round(medianRatio, 3),
        upkeepPeakRssMb: round(peak(runs.upkeep), 1),
        barePeakRssMb: round(peak(runs.bare), 1),
        upkeepCpuMs: round(Math.min(...runs.upkeep.map((r) => r.cpuMs)), 0),
        bareCpuMs: round(Math.min(...runs.bare.map((r) => r.cpuMs)), 0),
        oneCheckMs: round(one.wallMs),
        oneCheckCpuMs: round(one.cpuMs, 0),
        oneCheckPeakRssMb: round(one.peakRssMb, 1),
        bareOneUrlMs: round(bareOne.wallMs),
        bareOneUrlCpuMs: round(bareOne.cpuMs, 0),
      }),
    );
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
