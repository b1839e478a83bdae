/**
 * Ground truth for freshness: a local sync-status endpoint reports `last_sync_at` = now − trueLag(now),
 * where trueLag is a known function over one UTC day (a 30–90 s baseline and four stalls rising to
 * 17–40 min). Real http probes with `expect.fresh` step through the day every 5 minutes in
 * simulated time; the rollup's lag percentiles, the stale sample counts and the SLA's downtime
 * must match the function evaluated every second.
 *
 * "Within one sample", the rule every comparison here uses: a sample at t_i stands for its interval
 * [t_i, t_i + 5m), so the sampled series is trueLag held constant over each interval. Bracket
 * trueLag by its minimum and maximum inside each interval (lo ≤ trueLag ≤ hi, and lo ≤ held ≤ hi,
 * second by second); percentiles are monotone, so both the truth and an honest measurement lie in
 * [percentile(lo), percentile(hi)]: the change of trueLag inside one sampling interval, at that
 * percentile's rank. For time above a limit, each stretch above it is L long and holds ⌊L/5m⌋ or
 * ⌈L/5m⌉ samples: count × 5m is within one interval of the truth per stretch.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { readHistory } from '../../src/history/read.ts';
import { readRollupMonth } from '../../src/history/rollups.ts';
import { appendSamples, dayFile, readDay } from '../../src/history/store.ts';
import { probeChecks } from '../../src/probes/run.ts';
import { buildViewModel, HISTORY_DAYS } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const S = 1_000;
const MIN = 60 * S;
const DAY = 24 * 60 * MIN;
const INTERVAL = 5 * MIN;
const DEGRADED_OVER = 10 * MIN;
const DOWN_OVER = 30 * MIN;
const DAY_ISO = '2026-07-14';
const FROM = Date.parse(`${DAY_ISO}T00:00:00Z`);
const TO = FROM + DAY;

/** The sync keeps up within 30–90 s; its period is not a multiple of the probe interval. */
const baseline = (t: number) => 60 * S + 30 * S * Math.sin((2 * Math.PI * (t - FROM)) / (197 * MIN));

/**
 * Stalls: at `start` the sync stops (its last timestamp freezes, so the lag grows a second per
 * second), then works off its backlog, the lag falling linearly back to the baseline over `catchUp`.
 * Odd start times, so no edge sits on the probe grid; only the second stall passes 30 min.
 */
const STALLS = [
  { start: '03:11:23', stall: 24 * MIN, catchUp: 12 * MIN },
  { start: '09:47:51', stall: 39 * MIN, catchUp: 18 * MIN },
  { start: '16:28:09', stall: 21 * MIN, catchUp: 9 * MIN },
  { start: '21:05:37', stall: 16 * MIN, catchUp: 6 * MIN },
].map((s) => ({ ...s, at: Date.parse(`${DAY_ISO}T${s.start}Z`) }));

/** The true lag at `t`, in whole ms (the endpoint writes ms timestamps). */
function trueLag(t: number): number {
  for (const s of STALLS) {
    const frozen = s.at - baseline(s.at);
    const peak = s.at + s.stall - frozen;
    if (t >= s.at && t < s.at + s.stall) return Math.round(t - frozen);
    const u = (t - s.at - s.stall) / s.catchUp;
    if (u >= 0 && u < 1) return Math.round(peak + (baseline(t) - peak) * u);
  }
  return Math.round(baseline(t));
}

/** Nearest rank, as the rollup documents it; written again here so the test does not trust the code it checks. */
const nearestRank = (sorted: readonly number[], p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1];

/** The truth, second by second: the lag, and its bracket by the minimum and maximum of each 5-minute interval. */
function truth() {
  const perSecond = Array.from({ length: DAY / S }, (_, i) => trueLag(FROM + i * S));
  const perInterval = INTERVAL / S;
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < perSecond.length; i += perInterval) {
    const block = perSecond.slice(i, i + perInterval);
    lo.push(...new Array(block.length).fill(Math.min(...block)));
    hi.push(...new Array(block.length).fill(Math.max(...block)));
  }
  const sorted = [...perSecond].sort((a, b) => a - b);
  lo.sort((a, b) => a - b);
  hi.sort((a, b) => a - b);
  const at = (p: number) => ({ value: nearestRank(sorted, p), lo: nearestRank(lo, p), hi: nearestRank(hi, p) });
  /** Time above `limit`, and in how many separate stretches. */
  const above = (limit: number) => {
    let ms = 0;
    let stretches = 0;
    perSecond.forEach((v, i) => {
      if (v > limit) {
        ms += S;
        if (i === 0 || perSecond[i - 1] <= limit) stretches++;
      }
    });
    return { ms, stretches };
  };
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1], above };
}

describe('ground truth: a sync lag known second by second, probed for freshness', async () => {
  let clock = FROM;
  const { url } = await httpServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(req.url === '/sync/status' ? JSON.stringify({ last_sync_at: new Date(clock - trueLag(clock)).toISOString() }) : '{}');
  });
  const files = (sla: boolean) => ({
    'site.yml': `site:
  title: Truth
  vendor: Truth
  time_zone: UTC
vars:
  base_url: ${url}
defaults:
  interval: 5m
  retry_backoff: 1ms
components:
  - id: email
    name: Email sync
sla:
  target: 99.9
`,
    'sync.yml': `checks:
  - id: sync
    name: Email sync
    component: email
    kind: http
    url: \${{ vars.base_url }}/sync/status
    expect:
      fresh: { json: $.last_sync_at, degraded_over: 10m, max_age: 30m${sla ? ', sla: true' : ''} }
`,
  });
  const checks = await writeTree(files(false));
  const history = await tempDir();
  const { config } = await loadConfig(checks, { env: {} });
  assert.ok(config);
  for (clock = FROM; clock < TO; clock += INTERVAL) {
    const at = clock;
    const { samples, errors } = await probeChecks(config, config.checks, {
      now: () => new Date(at),
      wait: async () => {},
      env: {},
      region: 'default',
      concurrency: 1,
    });
    assert.deepEqual(errors, []);
    await appendSamples(history, samples);
  }
  const rolled = await upkeep(['rollup', '--checks', checks, '--history', history], { UPKEEP_NOW: new Date(TO).toISOString() });
  assert.equal(rolled.code, 0, rolled.stderr);
  const { rollups } = await readRollupMonth(history, DAY_ISO.slice(0, 7));
  const day = rollups.find((r) => r.day === DAY_ISO && r.check === 'sync')!;
  const samples = (await readDay(history, DAY_ISO)).samples;
  const real = truth();
  const probeTimes = Array.from({ length: DAY / INTERVAL }, (_, i) => FROM + i * INTERVAL);

  const minutes = (ms: number) => `${(ms / MIN).toFixed(2)} min`;
  const withinOneSample = (measured: number, t: { value: number; lo: number; hi: number }, what: string) => {
    assert.ok(t.lo <= t.value && t.value <= t.hi, `${what}: the truth ${minutes(t.value)} is outside its own bracket (the test is wrong)`);
    assert.ok(
      t.lo <= measured && measured <= t.hi,
      `${what}: measured ${minutes(measured)}, truth ${minutes(t.value)}, one sample allows ${minutes(t.lo)} – ${minutes(t.hi)}`,
    );
  };

  it('the day is shaped so the percentiles say something: p95 and p99 on slopes, below the peak', () => {
    assert.ok(real.max > 39 * MIN && real.max < 41 * MIN, minutes(real.max));
    assert.ok(real.p95.value > 10 * MIN && real.p95.value < real.max - 10 * MIN, `p95 ${minutes(real.p95.value)}`);
    assert.ok(real.p99.value > 20 * MIN && real.p99.value < real.max - 3 * MIN, `p99 ${minutes(real.p99.value)}`);
    assert.ok(real.p50.value > 30 * S && real.p50.value < 90 * S, `p50 ${minutes(real.p50.value)}`);
  });

  it('every sample line carries lag=, the true lag at its time to the millisecond', async () => {
    const lines = (await readFile(dayFile(history, DAY_ISO, 'default'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, probeTimes.length);
    lines.forEach((line, i) => {
      const lag = /\tlag=(\d+(?:\.\d+)?)(\t|$)/.exec(line);
      assert.ok(lag, `line ${i + 1} has no lag=: ${line}`);
      assert.equal(Math.round(Number(lag[1]) * 1000), trueLag(probeTimes[i]), line);
    });
  });

  it("rolls up the day's lag: exact nearest-rank percentiles of the samples, each within one sample of the truth", () => {
    assert.ok(day.lag && day.lagHist, JSON.stringify(day));
    const taken = probeTimes.map(trueLag).sort((a, b) => a - b);
    assert.deepEqual(day.lag, { p50: nearestRank(taken, 50), p95: nearestRank(taken, 95), p99: nearestRank(taken, 99) });
    withinOneSample(day.lag.p50, real.p50, 'p50');
    withinOneSample(day.lag.p95, real.p95, 'p95');
    withinOneSample(day.lag.p99, real.p99, 'p99');
    assert.equal(
      Object.values(day.lagHist).reduce((a, n) => a + n, 0),
      probeTimes.length,
    );
  });

  it('counts stale samples as the time over each limit, within one sample per stretch', () => {
    const stale = samples.filter((s) => s.reason === 'stale');
    const down = stale.filter((s) => s.outcome === 'down');
    const degraded = stale.filter((s) => s.outcome === 'degraded');
    assert.equal(stale.length, down.length + degraded.length);
    assert.equal(samples.length - stale.length, day.counts.up, 'every other sample is up');
    const over30 = real.above(DOWN_OVER);
    assert.equal(over30.stretches, 1);
    assert.ok(Math.abs(down.length * INTERVAL - over30.ms) < INTERVAL, `${down.length} down (stale) samples for ${minutes(over30.ms)} over 30 min`);
    // Over degraded_over is stale too (degraded when under max_age): four stalls, four stretches.
    const over10 = real.above(DEGRADED_OVER);
    assert.equal(over10.stretches, STALLS.length);
    assert.ok(
      Math.abs(stale.length * INTERVAL - over10.ms) < over10.stretches * INTERVAL,
      `${stale.length} stale samples for ${minutes(over10.ms)} over 10 min`,
    );
    assert.deepEqual([day.counts.degraded, day.counts.down], [degraded.length, down.length]);
  });

  it('the SLA leaves stale time out by default and counts it with sla: true; the page shows it either way', async () => {
    const view = async (sla: boolean, now: number) => {
      const { config: c } = await loadConfig(await writeTree(files(sla)), { env: {} });
      const h = await readHistory(history, { from: now - HISTORY_DAYS * DAY, now, capFor: coverageCap(countingOf(c!)) });
      return buildViewModel({ config: c!, days: h.days, recent: h.recent, now: new Date(now) }).components[0];
    };
    const over30 = real.above(DOWN_OVER).ms;
    // At the day's end the page reads the raw samples; three days later, the rollup row (its xseg).
    for (const now of [TO, TO + 3 * DAY]) {
      const [lenient, strict] = [await view(false, now), await view(true, now)];
      const month = (v: typeof lenient) => v.sla.find((m) => m.month === DAY_ISO.slice(0, 7))!;
      const when = `read at ${new Date(now).toISOString()}`;
      assert.equal(month(lenient).usedMs, 0, `${when}: stale time is not SLA downtime by default`);
      const used = month(strict).usedMs;
      assert.ok(Math.abs(used - over30) < INTERVAL, `${when}: with sla: true, ${minutes(used)} used for ${minutes(over30)} over max_age`);
      for (const v of [lenient, strict]) {
        const bar = v.bars.find((b) => b.date === DAY_ISO)!;
        assert.equal(bar.stats.downMs, used, `${when}: the day's bar shows the stale downtime`);
      }
    }
  });
});
