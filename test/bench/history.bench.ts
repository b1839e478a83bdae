/**
 * `npm run bench:history`: history at scale. Prints figures, then one line of JSON. Asserts nothing.
 *
 * The year of samples is GENERATED for load (in the real on-disk format, through the real writer's
 * line format), not probed: 10.5 M real probes would take days. Everything measured on it — rollup,
 * build, git — is the real code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatSampleLine } from '../../src/history/format.ts';
import { dayFile } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { round } from './util.ts';

const CHECKS = Number(process.env.BENCH_CHECKS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const STEP = 5 * 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

const root = await mkdtemp(join(tmpdir(), 'upkeep-bench-history-'));
const checksDir = join(root, 'checks');

/** Runs the real CLI in its own process; returns wall ms and peak RSS MB. */
function timed(args: string[]): { ms: number; rssMb: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], {
    env: { ...process.env, UPKEEP_NOW: new Date(NOW).toISOString() },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`upkeep ${args.join(' ')} failed: ${r.stderr}`);
  const lines = r.stderr.toString().trim().split('\n');
  return { ms, rssMb: Number(lines.pop()) / 1024, out: r.stdout.toString().trim() };
}

function samplesAt(t: number): Sample[] {
  const time = new Date(t).toISOString().replace('.000Z', 'Z');
  const out: Sample[] = [];
  for (let c = 0; c < CHECKS; c++) {
    // A little weather: a down sample now and then, latency that wanders.
    const down = (t / STEP + c * 7) % 997 === 0;
    out.push(
      down
        ? { time, check: `check-${c}`, region: 'default', outcome: 'down', attempts: 3, reason: 'timeout', message: 'no complete answer within 10000 ms' }
        : {
            time,
            check: `check-${c}`,
            region: 'default',
            outcome: 'up',
            latencyMs: 30 + ((t / STEP + c) % 170),
            attempts: 1,
            status: 200,
            phases: { dns: 0, connect: 1, ttfb: 28 },
          },
    );
  }
  return out;
}

async function generate(historyDir: string, days: number) {
  const first = Math.floor((NOW - days * DAY) / DAY) * DAY;
  for (let day = first; day < NOW; day += DAY) {
    const lines: string[] = [];
    for (let t = day; t < Math.min(day + DAY, NOW); t += STEP) for (const s of samplesAt(t)) lines.push(formatSampleLine(s));
    const file = dayFile(historyDir, new Date(day).toISOString().slice(0, 10), 'default');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${lines.join('\n')}\n`);
  }
}

try {
  await mkdir(checksDir, { recursive: true });
  const components = Array.from({ length: Math.ceil(CHECKS / 4) }, (_, i) => `  - id: component-${i}\n    name: Component ${i}\n`).join('');
  await writeFile(join(checksDir, 'site.yml'), `site:\n  title: Bench\n  vendor: Bench\nhistory:\n  raw_days: 400\ncomponents:\n${components}`);
  const checks = Array.from(
    { length: CHECKS },
    (_, i) => `  - id: check-${i}\n    name: Check ${i}\n    component: component-${Math.floor(i / 4)}\n    kind: http\n    url: http://127.0.0.1:9/${i}\n`,
  ).join('');
  await writeFile(join(checksDir, 'checks.yml'), `checks:\n${checks}`);

  const year = join(root, 'year');
  const month = join(root, 'month');
  let t0 = performance.now();
  await generate(year, DAYS);
  await generate(month, 30);
  const generateMs = performance.now() - t0;
  const samples = CHECKS * DAYS * (DAY / STEP);
  console.log(
    `generated ${(samples / 1e6).toFixed(1)} M samples (${CHECKS} checks × ${DAYS} days × 288) in ${round(generateMs / 1000, 1)} s — generated for load, not probed`,
  );

  if (process.env.BENCH_STOP_AFTER_ROLLUP) {
    timed(['rollup', '--all', '--checks', checksDir, '--history', year]);
    throw new Error(`stopped; data in ${root}`);
  }
  const rollupYear = timed(['rollup', '--all', '--checks', checksDir, '--history', year]);
  timed(['rollup', '--all', '--checks', checksDir, '--history', month]);
  console.log(`rollup --all of the year: ${round(rollupYear.ms / 1000, 1)} s, peak RSS ${round(rollupYear.rssMb)} MB`);

  const builds: Record<string, { ms: number; rssMb: number }[]> = { month: [], year: [] };
  for (let i = 0; i < 3; i++) {
    for (const [name, dir] of [
      ['month', month],
      ['year', year],
    ] as const) {
      const b = timed(['build', '--checks', checksDir, '--history', dir, '--out', join(root, `dist-${name}`)]);
      builds[name].push({ ms: b.ms, rssMb: b.rssMb });
    }
  }
  const best = (list: { ms: number; rssMb: number }[]) => ({ ms: Math.min(...list.map((b) => b.ms)), rssMb: Math.max(...list.map((b) => b.rssMb)) });
  const build = { month: best(builds.month), year: best(builds.year) };
  const buildRatio = build.year.ms / build.month.ms;
  console.log(`upkeep build, 30 days: ${round(build.month.ms / 1000, 2)} s, peak RSS ${round(build.month.rssMb)} MB`);
  console.log(
    `upkeep build, ${DAYS} days: ${round(build.year.ms / 1000, 2)} s, peak RSS ${round(build.year.rssMb)} MB (ratio ${round(buildRatio, 3)}, target ≤ 1.2; RSS target < 1500 MB)`,
  );

  // Git: one simulated week of 5-minute probe runs, each appending its lines and committing.
  const repo = join(root, 'repo');
  await mkdir(repo);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@upkeep.invalid', ...args], { cwd: repo });
  git('init', '-q');
  const weekStart = Math.floor((NOW - 7 * DAY) / DAY) * DAY;
  t0 = performance.now();
  let commits = 0;
  for (let t = weekStart; t < weekStart + 7 * DAY; t += STEP) {
    const day = new Date(t).toISOString().slice(0, 10);
    const file = dayFile(join(repo, 'history'), day, 'default');
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${samplesAt(t).map(formatSampleLine).join('\n')}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', 'probe [skip ci]');
    commits++;
  }
  git('gc', '-q');
  const sizePack = Number(/size-pack: (\d+)/.exec(git('count-objects', '-v').toString())![1]) * 1024;
  const perCheckDay = sizePack / CHECKS / 7;
  console.log(
    `git: ${commits} commits (one week of 5-minute runs) in ${round((performance.now() - t0) / 1000, 1)} s; packed ${round(sizePack / 1024)} KiB after gc = ${round(perCheckDay)} bytes per check per day (target ≤ 4096)`,
  );

  console.log(
    JSON.stringify({
      bench: 'history',
      generated: true,
      samples,
      checks: CHECKS,
      days: DAYS,
      rollupYearS: round(rollupYear.ms / 1000, 2),
      rollupYearRssMb: round(rollupYear.rssMb),
      build30dS: round(build.month.ms / 1000, 2),
      build365dS: round(build.year.ms / 1000, 2),
      buildRatio: round(buildRatio, 3),
      build30dRssMb: round(build.month.rssMb),
      build365dRssMb: round(build.year.rssMb),
      gitBytesPerCheckPerDay: round(perCheckDay),
    }),
  );
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
