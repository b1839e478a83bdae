/**
 * `npm run bench:journeys`: one probe round of 200 heartbeat checks and 200 API journeys (create →
 * read → search polled with `until` → finally delete) against a contacts API in its own process,
 * run as a whole `upkeep probe` process. Reports wall time, peak RSS, samples written, journeys up,
 * contacts left behind, and the wall time as a ratio to the longest single journey of the same run
 * (and to a bound that allows for the concurrency limit). One run; not a test: it asserts nothing.
 *
 * Peak RSS is the process's own high-water mark (getrusage's ru_maxrss, via process.resourceUsage()),
 * written with its CPU time by a module preloaded with --import as the process exits: no /usr/bin/time needed.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { recordBeat } from '../../src/history/heartbeats.ts';
import { readDay } from '../../src/history/store.ts';
import type { Sample } from '../../src/status/sample.ts';
import { percentile, round, rssHook, startProcess } from './util.ts';

const HEARTBEATS = 200;
const JOURNEYS = 200;
const CONCURRENCY = 64;
const SEARCH_LAG_MS = 300;
const MIN = 60_000;

const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

/** Heartbeat i's beat: the first half on time, then late ones, then on time but reporting a failed run. */
const beatOf = (i: number, now: number) =>
  i < HEARTBEATS / 2
    ? { at: now - 1 * MIN, status: 'ok' as const, expect: 'up' }
    : i < HEARTBEATS * 0.8
      ? { at: now - 40 * MIN, status: 'ok' as const, expect: 'down' }
      : { at: now - 2 * MIN, status: 'fail' as const, expect: 'down' };

const heartbeat = (i: number) => `  - id: hb-${i}\n    name: Job ${i}\n    component: jobs\n    kind: heartbeat\n    expect: { every: 15m, grace: 5m }\n`;

const journey = (i: number) => `  - id: j-${i}
    name: Contact journey ${i}
    component: api
    kind: api
    steps:
      - name: Create a contact
        method: POST
        url: \${{ vars.base }}/contacts
        json: { email: "probe-\${{ journey.id }}@example.invalid" }
        capture: { id: $.id }
        expect: { status: 201 }
      - name: Read it back
        url: \${{ vars.base }}/contacts/\${{ captured.id }}
        expect: { json: '$.email != null' }
      - name: Search finds it
        url: \${{ vars.base }}/search?q=probe-\${{ journey.id }}@example.invalid
        until: { interval: 100ms, deadline: 5s }
        expect: { json: '$.total > 0' }
    finally:
      - name: Delete it
        method: DELETE
        url: \${{ vars.base }}/contacts/\${{ captured.id }}
        expect: { status: 204 }
`;

/** Runs `upkeep probe` as its own process: wall time from spawn to exit, its peak RSS and CPU time. */
async function probeProcess(checks: string, history: string, extra: string[] = []) {
  const rssFile = join(history, '..', `rss-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--import', rssHook, cli, 'probe', '--checks', checks, '--history', history, '--concurrency', String(CONCURRENCY), ...extra],
    {
      env: { ...process.env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallMs = performance.now() - started;
  const usage = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRSS: number; cpuUs: number };
  return { code, wallMs, peakRssMb: usage.maxRSS / 1024, cpuMs: usage.cpuUs / 1000, stderr };
}

const { child: server, firstLine } = await startProcess(new URL('./contacts-server.ts', import.meta.url).pathname, [String(SEARCH_LAG_MS)]);
const base = `http://127.0.0.1:${firstLine.trim()}`;
const dir = await mkdtemp(join(tmpdir(), 'upkeep-bench-journeys-'));
const stats = async () => (await (await fetch(`${base}/stats`)).json()) as { live: number; created: number; deleted: number; journeysMs: number[] };

try {
  const checks = join(dir, 'checks');
  const history = join(dir, 'history');
  await mkdir(checks);
  await mkdir(history);
  await writeFile(
    join(checks, 'site.yml'),
    `site:\n  title: Bench\n  vendor: Bench\nvars:\n  base: ${base}\ncomponents:\n  - id: api\n    name: API\n  - id: jobs\n    name: Jobs\n`,
  );
  await writeFile(join(checks, 'heartbeats.yml'), `checks:\n${Array.from({ length: HEARTBEATS }, (_, i) => heartbeat(i)).join('')}`);
  await writeFile(join(checks, 'journeys.yml'), `checks:\n${Array.from({ length: JOURNEYS }, (_, i) => journey(i)).join('')}`);
  const now = Math.floor(Date.now() / 1000) * 1000;
  for (let i = 0; i < HEARTBEATS; i++) {
    const b = beatOf(i, now);
    await recordBeat(history, `hb-${i}`, { at: new Date(b.at).toISOString().replace('.000Z', 'Z'), status: b.status });
  }

  // The fixed cost: starting Node, loading the 400 checks, probing one heartbeat, writing its line.
  const fixed = await probeProcess(checks, join(dir, 'history-fixed'), ['--only', 'hb-0']);
  const from = Date.now();
  const run = await probeProcess(checks, history);
  const days = [...new Set([from, Date.now()].map((t) => new Date(t).toISOString().slice(0, 10)))];
  const samples: Sample[] = [];
  for (const day of days) samples.push(...(await readDay(history, day)).samples);
  const after = await stats();

  const journeys = samples.filter((s) => s.check.startsWith('j-'));
  const beats = samples.filter((s) => s.check.startsWith('hb-'));
  const beatsAsExpected = beats.filter((s) => s.outcome === beatOf(Number(s.check.slice(3)), now).expect).length;
  const up = journeys.filter((s) => s.outcome === 'up').length;
  const lags = journeys.filter((s) => s.lagMs !== undefined).map((s) => s.lagMs!);
  const longestMs = Math.max(...after.journeysMs);
  // No schedule can beat either the longest journey or the journeys' total time spread over the slots.
  const boundMs = Math.max(longestMs, after.journeysMs.reduce((a, b) => a + b, 0) / CONCURRENCY);
  const internalErrors = run.stderr.split('\n').filter((l) => l.includes('internal error')).length;

  console.log(
    `One \`upkeep probe\` round: ${HEARTBEATS} heartbeat checks + ${JOURNEYS} API journeys (search lag ${SEARCH_LAG_MS} ms), concurrency ${CONCURRENCY}, one run:`,
  );
  console.log(
    `  wall time (spawn to exit)      ${round(run.wallMs)} ms (exit code ${run.code}; fixed cost of the same process with one check: ${round(fixed.wallMs)} ms)`,
  );
  console.log(`  CPU time (user + system)       ${round(run.cpuMs)} ms (one check: ${round(fixed.cpuMs)} ms)`);
  console.log(`  peak RSS                       ${round(run.peakRssMb, 1)} MB (one check: ${round(fixed.peakRssMb, 1)} MB)`);
  console.log(`  samples written                ${samples.length} of ${HEARTBEATS + JOURNEYS}`);
  console.log(`  journeys up                    ${up} of ${JOURNEYS}`);
  console.log(`  heartbeats as expected         ${beatsAsExpected} of ${beats.length} (${HEARTBEATS / 2} on time, the rest late or failed)`);
  console.log(`  contacts left on the server    ${after.live} (created ${after.created}, deleted ${after.deleted})`);
  console.log(`  journey wait (lag)             p50 ${percentile(lags, 50)} ms, max ${Math.max(...lags)} ms, for a ${SEARCH_LAG_MS} ms search lag`);
  console.log(
    `  journey time (create → delete) median ${round(percentile(after.journeysMs, 50))} ms, longest ${round(longestMs)} ms; bound with ${CONCURRENCY} slots ${round(boundMs)} ms`,
  );
  console.log(`  wall / longest journey         ${round(run.wallMs / longestMs, 3)}`);
  console.log(`  wall / bound with ${CONCURRENCY} slots     ${round(run.wallMs / boundMs, 3)}`);
  if (internalErrors > 0 || run.code !== 0) console.log(`  stderr of the round:\n${run.stderr}`);
  console.log(
    JSON.stringify({
      bench: 'journeys',
      heartbeats: HEARTBEATS,
      journeys: JOURNEYS,
      concurrency: CONCURRENCY,
      searchLagMs: SEARCH_LAG_MS,
      exitCode: run.code,
      wallMs: round(run.wallMs),
      fixedWallMs: round(fixed.wallMs),
      cpuMs: round(run.cpuMs),
      fixedCpuMs: round(fixed.cpuMs),
      peakRssMb: round(run.peakRssMb, 1),
      fixedPeakRssMb: round(fixed.peakRssMb, 1),
      samples: samples.length,
      journeysUp: up,
      heartbeatsAsExpected: beatsAsExpected,
      contactsLeft: after.live,
      internalErrors,
      lagP50Ms: percentile(lags, 50),
      lagMaxMs: Math.max(...lags),
      journeyMedianMs: round(percentile(after.journeysMs, 50)),
      longestJourneyMs: round(longestMs),
      boundMs: round(boundMs),
      ratioToLongest: round(run.wallMs / longestMs, 3),
      ratioToBound: round(run.wallMs / boundMs, 3),
    }),
  );
} finally {
  server.kill();
  await rm(dir, { recursive: true, force: true });
}
