/**
 * `npm run bench:history`: history at scale. Prints figures, then one line of JSON. Asserts nothing.
 *
 * The year of samples is GENERATED for load (in the real on-disk format, through the real writer's
 * line format), not probed: 10.5 M real probes would take days. Everything measured on it — rollup,
 * build, git — is the real code.
 *
 * `npm run bench:history -- --instances`: the same questions for 50 instances × 10 components × 2
 * checks (`for_each: instances`, 1,000 checks) beside 5 instances (100 checks): rollup, build with
 * 30 and 365 days, the daily rollup, the built site, and git growth. How its history is generated:
 * instances.ts.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatSampleLine } from '../../src/history/format.ts';
import { dayFile } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { capForDir, generateHistory, instancesMode, sampleOf, writeInstanceSite, type Generated } from './instances.ts';
import { measureProcess, round, treeSize } from './util.ts';

const CHECKS = Number(process.env.BENCH_CHECKS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const STEP = 5 * 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');
const GIT_DAYS = Number(process.env.BENCH_GIT_DAYS ?? 7);
const RAW_DAYS = 30;
const SMALL_INSTANCES = Number(process.env.BENCH_SMALL_INSTANCES ?? 5);
const LARGE_INSTANCES = Number(process.env.BENCH_INSTANCES ?? 50);
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

const root = await mkdtemp(join(tmpdir(), 'upkeep-bench-history-'));
const checksDir = join(root, 'checks');

/** Runs the real CLI in its own process; returns wall ms and its peak RSS MB (the --import hook of util.ts). */
async function timed(args: string[]): Promise<{ ms: number; rssMb: number; out: string }> {
  const r = await measureProcess([cli, ...args], { UPKEEP_NOW: new Date(NOW).toISOString() });
  if (r.code !== 0) throw new Error(`upkeep ${args.join(' ')} failed (exit ${r.code}, peak RSS ${round(r.peakRssMb)} MB): ${r.stderr}`);
  return { ms: r.wallMs, rssMb: r.peakRssMb, out: r.stdout.trim() };
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

async function flat() {
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
  const t0 = performance.now();
  await generate(year, DAYS);
  await generate(month, 30);
  const generateMs = performance.now() - t0;
  const samples = CHECKS * DAYS * (DAY / STEP);
  console.log(
    `generated ${(samples / 1e6).toFixed(1)} M samples (${CHECKS} checks × ${DAYS} days × 288) in ${round(generateMs / 1000, 1)} s — generated for load, not probed`,
  );

  if (process.env.BENCH_STOP_AFTER_ROLLUP) {
    await timed(['rollup', '--all', '--checks', checksDir, '--history', year]);
    throw new Error(`stopped; data in ${root}`);
  }
  const rollupYear = await timed(['rollup', '--all', '--checks', checksDir, '--history', year]);
  await timed(['rollup', '--all', '--checks', checksDir, '--history', month]);
  console.log(`rollup --all of the year: ${round(rollupYear.ms / 1000, 1)} s, peak RSS ${round(rollupYear.rssMb)} MB`);

  const builds: Record<string, { ms: number; rssMb: number }[]> = { month: [], year: [] };
  for (let i = 0; i < 3; i++) {
    for (const [name, dir] of [
      ['month', month],
      ['year', year],
    ] as const) {
      const b = await timed(['build', '--checks', checksDir, '--history', dir, '--out', join(root, `dist-${name}`)]);
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
  const git = await gitGrowth(join(root, 'repo'), (t) => samplesAt(t).map(formatSampleLine));
  const perCheckDay = git.packedBytes / CHECKS / GIT_DAYS;
  console.log(
    `git: ${git.commits} commits (${GIT_DAYS} days of 5-minute runs) in ${round(git.ms / 1000, 1)} s; packed ${round(git.packedBytes / 1024)} KiB after gc = ${round(perCheckDay)} bytes per check per day (target ≤ 4096)`,
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
}

/**
 * `GIT_DAYS` simulated days of 5-minute probe runs in a new repository, each appending its lines
 * to the day's file and committing; then `git gc`. Returns the packed size.
 */
async function gitGrowth(repo: string, linesAt: (t: number) => string[]): Promise<{ commits: number; ms: number; packedBytes: number }> {
  await mkdir(repo);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@upkeep.invalid', ...args], { cwd: repo });
  git('init', '-q');
  const weekStart = Math.floor((NOW - GIT_DAYS * DAY) / DAY) * DAY;
  const t0 = performance.now();
  let commits = 0;
  for (let t = weekStart; t < weekStart + GIT_DAYS * DAY; t += STEP) {
    const day = new Date(t).toISOString().slice(0, 10);
    const file = dayFile(join(repo, 'history'), day, 'default');
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${linesAt(t).join('\n')}\n`);
    git('add', '-A');
    git('commit', '-q', '-m', 'probe [skip ci]');
    commits++;
  }
  git('gc', '-q');
  const packedBytes = Number(/size-pack: (\d+)/.exec(git('count-objects', '-v').toString())![1]) * 1024;
  return { commits, ms: performance.now() - t0, packedBytes };
}

type Size = {
  instances: number;
  checks: number;
  rollupMonth: { ms: number; rssMb: number };
  buildMonth: { ms: number; rssMb: number };
  buildYear: { ms: number; rssMb: number };
  rollupDaily: { ms: number; rssMb: number };
  site: { files: number; bytes: number };
  generated: Generated;
};

/** One size of the instance fixture: 30 raw days rolled up by the CLI, then the year's older days added as rollups. */
async function instanceSize(instances: number): Promise<Size> {
  const dir = join(root, `instances-${instances}`);
  const checksDir = join(dir, 'checks');
  const ids = await writeInstanceSite(checksDir, instances);
  const capFor = await capForDir(checksDir);
  const month = join(dir, 'month');
  const year = join(dir, 'year');
  let t0 = performance.now();
  const raw = await generateHistory(month, ids, { now: NOW, rawDays: RAW_DAYS, rolledDays: 0, capFor });
  const rawS = (performance.now() - t0) / 1000;
  const rollupMonth = await timed(['rollup', '--all', '--checks', checksDir, '--history', month]);
  console.log(
    `${ids.length} checks (${instances} instances): generated ${RAW_DAYS} days of raw samples, ${(raw.rawSamples / 1e6).toFixed(2)} M lines, ${round(raw.rawBytes / 2 ** 20)} MiB, in ${round(rawS, 1)} s; rollup --all of them: ${round(rollupMonth.ms / 1000, 1)} s, peak RSS ${round(rollupMonth.rssMb)} MB`,
  );
  const buildMonth = await timed(['build', '--checks', checksDir, '--history', month, '--out', join(dir, 'dist-month')]);
  console.log(`  upkeep build, ${RAW_DAYS} days: ${round(buildMonth.ms / 1000, 2)} s, peak RSS ${round(buildMonth.rssMb)} MB`);
  await rm(join(dir, 'dist-month'), { recursive: true, force: true });

  // The year: the month's files (hard links: the CLI replaces files, never edits them) and rollup rows for the older days.
  execFileSync('cp', ['-al', month, year]);
  t0 = performance.now();
  const older = await generateHistory(year, ids, { now: NOW, rawDays: RAW_DAYS, rolledDays: DAYS - RAW_DAYS, capFor, raw: false });
  console.log(
    `  generated ${older.rolledRows} rollup rows (${DAYS - RAW_DAYS} older days × ${ids.length} checks, real rollupDay) in ${round((performance.now() - t0) / 1000, 1)} s`,
  );
  const out = join(dir, 'dist-year');
  const buildYear = await timed(['build', '--checks', checksDir, '--history', year, '--out', out]);
  const site = await treeSize(out);
  console.log(
    `  upkeep build, ${DAYS} days: ${round(buildYear.ms / 1000, 2)} s, peak RSS ${round(buildYear.rssMb)} MB; the site: ${site.files} files, ${round(site.bytes / 2 ** 20)} MiB`,
  );
  const rollupDaily = await timed(['rollup', '--checks', checksDir, '--history', year]);
  console.log(
    `  daily upkeep rollup (the two latest complete days, the month file rewritten): ${round(rollupDaily.ms / 1000, 2)} s, peak RSS ${round(rollupDaily.rssMb)} MB`,
  );
  await rm(dir, { recursive: true, force: true });
  return {
    instances,
    checks: ids.length,
    rollupMonth: pick(rollupMonth),
    buildMonth: pick(buildMonth),
    buildYear: pick(buildYear),
    rollupDaily: pick(rollupDaily),
    site,
    generated: { ...raw, rolledDays: older.rolledDays, rolledRows: older.rolledRows },
  };
}

const pick = ({ ms, rssMb }: { ms: number; rssMb: number }) => ({ ms, rssMb });

async function instanceScale() {
  const [small, large] = [await instanceSize(SMALL_INSTANCES), await instanceSize(LARGE_INSTANCES)];
  const buildRatio = large.buildYear.ms / small.buildYear.ms;
  console.log(
    `build time over ${DAYS} days, ${large.checks} checks to ${small.checks}: ${round(buildRatio, 2)}× (target ≤ 12); ${large.checks} checks: ${round(large.buildYear.ms / 1000, 1)} s (target ≤ 60 s), peak RSS ${round(large.buildYear.rssMb)} MB (target ≤ 2048)`,
  );
  console.log(
    `rollup at ${large.checks} checks: daily ${round(large.rollupDaily.rssMb)} MB (target ≤ 1024), --all of ${RAW_DAYS} days ${round(large.rollupMonth.rssMb)} MB peak RSS`,
  );
  const dir = join(root, 'instances-git');
  const ids = await writeInstanceSite(join(dir, 'checks'), LARGE_INSTANCES);
  const git = await gitGrowth(join(dir, 'repo'), (t) => ids.map((id, c) => formatSampleLine(sampleOf(id, c, t))));
  const perCheckDay = git.packedBytes / large.checks / GIT_DAYS;
  console.log(
    `git at ${large.checks} checks: ${git.commits} commits (${GIT_DAYS} days of 5-minute runs) in ${round(git.ms / 1000, 1)} s; packed ${round(git.packedBytes / 2 ** 20, 1)} MiB after gc = ${round(perCheckDay)} bytes per check per day (target ≤ 4096)`,
  );
  const sizeJson = (s: Size) => ({
    checks: s.checks,
    instances: s.instances,
    rollupAll30dS: round(s.rollupMonth.ms / 1000, 2),
    rollupAll30dRssMb: round(s.rollupMonth.rssMb),
    build30dS: round(s.buildMonth.ms / 1000, 2),
    build30dRssMb: round(s.buildMonth.rssMb),
    build365dS: round(s.buildYear.ms / 1000, 2),
    build365dRssMb: round(s.buildYear.rssMb),
    rollupDailyS: round(s.rollupDaily.ms / 1000, 2),
    rollupDailyRssMb: round(s.rollupDaily.rssMb),
    siteFiles: s.site.files,
    siteBytes: s.site.bytes,
    rawSamples: s.generated.rawSamples,
    rolledRows: s.generated.rolledRows,
  });
  console.log(
    JSON.stringify({
      bench: 'history-instances',
      generated: true,
      days: DAYS,
      rawDays: RAW_DAYS,
      small: sizeJson(small),
      large: sizeJson(large),
      buildRatio: round(buildRatio, 3),
      gitDays: GIT_DAYS,
      gitCommits: git.commits,
      gitPackedBytes: git.packedBytes,
      gitBytesPerCheckPerDay: round(perCheckDay),
    }),
  );
}

try {
  if (instancesMode()) await instanceScale();
  else await flat();
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
