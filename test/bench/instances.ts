/**
 * The instance-scale fixture the `--instances` benchmarks share: a site.yml with N instances and
 * 10 components, and two check definitions per component with `for_each: instances`, so the real
 * loader expands them to N × 10 × 2 checks (`component-3-b@in-07`). And its history, GENERATED for
 * load, not probed: raw sample files (real line format, real file names) for the most recent days,
 * and for older days rollup rows made by the real `rollupDay` from the same generated samples and
 * written by the real `writeRollupMonth` — what `upkeep rollup --all` would have written, without
 * first writing and parsing gigabytes of raw lines that retention would have deleted anyway.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { formatSampleLine } from '../../src/history/format.ts';
import { readRollupMonth, writeRollupMonth } from '../../src/history/rollups.ts';
import { dayFile } from '../../src/history/store.ts';
import { coverageCap, countingOf } from '../../src/status/components.ts';
import { rollupDay, type DayRollup, type LastSample } from '../../src/status/rollup.ts';
import type { Sample } from '../../src/status/sample.ts';

export const COMPONENTS = 10;
export const DEFINITIONS = ['a', 'b'] as const;
export const STEP = 5 * 60_000;
export const DAY = 86_400_000;
const REGIONS = ['North America', 'Europe', 'Asia Pacific', 'South America', 'Oceania'];

export const instanceId = (i: number) => `in-${String(i).padStart(2, '0')}`;

/** `--instances` on the command line. */
export const instancesMode = () => process.argv.includes('--instances');

/**
 * Writes site.yml and checks.yml for `instances` instances; `base` is where the checks point (a
 * loopback delay server for probing; a closed port when only history is measured). Returns the
 * expanded check ids in the loader's order.
 */
export async function writeInstanceSite(dir: string, instances: number, opts: { base?: string; delayMs?: number; extraSite?: string } = {}): Promise<string[]> {
  const base = opts.base ?? 'http://127.0.0.1:9';
  const path = opts.delayMs === undefined ? '' : `/delay/${opts.delayMs}`;
  await mkdir(dir, { recursive: true });
  const list = Array.from({ length: instances }, (_, i) => {
    const id = instanceId(i);
    return `  - id: ${id}\n    name: ${id.toUpperCase()}\n    region: ${REGIONS[i % REGIONS.length]}\n    hosts: [tenant-${i}.bench.example, crm-${i}.bench.example]\n    aliases: [pod-${i}]\n    vars: { base_url: "${base}${path}/${id}" }\n`;
  }).join('');
  const components = Array.from({ length: COMPONENTS }, (_, c) => `  - id: component-${c}\n    name: Component number ${c}\n`).join('');
  await writeFile(
    join(dir, 'site.yml'),
    `site:\n  title: Bench CRM Status\n  vendor: Bench CRM\n  url: https://status.bench.example.com\n${opts.extraSite ?? ''}instances:\n${list}components:\n${components}`,
  );
  const checks = Array.from({ length: COMPONENTS }, (_, c) =>
    DEFINITIONS.map(
      (d) =>
        `  - id: component-${c}-${d}\n    name: Component ${c} ${d} (\${{ instance.name }})\n    component: component-${c}\n    kind: http\n    for_each: instances\n    url: \${{ instance.base_url }}/component-${c}-${d}\n`,
    ).join(''),
  ).join('');
  await writeFile(join(dir, 'checks.yml'), `checks:\n${checks}`);
  const { config, errors } = await loadConfig(dir, { env: {} });
  if (!config) throw new Error(`bench config did not load: ${JSON.stringify(errors)}`);
  return config.checks.map((c) => c.id);
}

/** The real loader's coverage cap for these checks. */
export async function capForDir(dir: string): Promise<(check: string) => number> {
  const { config } = await loadConfig(dir, { env: {} });
  if (!config) throw new Error('bench config did not load');
  return coverageCap(countingOf(config));
}

/**
 * A little weather, the same for every run: a down sample about every 3.5 days per check, a slow
 * (degraded) hour about every 12 days, latency that wanders between 30 and 200 ms.
 */
export function sampleOf(check: string, c: number, t: number): Sample {
  const time = new Date(t).toISOString().replace('.000Z', 'Z');
  const k = Math.floor(t / STEP) + c * 131;
  if (k % 997 === 0) return { time, check, region: 'default', outcome: 'down', attempts: 3, reason: 'timeout', message: 'no complete answer within 10000 ms' };
  const outcome = k % 3457 < 12 ? 'degraded' : 'up';
  return { time, check, region: 'default', outcome, latencyMs: 30 + (k % 170) + (outcome === 'degraded' ? 2_000 : 0), attempts: 1, status: 200 };
}

export type Generated = { rawDays: number; rolledDays: number; rawSamples: number; rolledRows: number; rawBytes: number };

/**
 * History of `checks` up to `now`: raw sample files for the last `rawDays` days (the last one cut at
 * `now`; none with `raw: false`), rollup rows for the `rolledDays` before them, merged into the
 * month files already there.
 */
export async function generateHistory(
  historyDir: string,
  checks: readonly string[],
  opts: { now: number; rawDays: number; rolledDays: number; capFor: (check: string) => number; raw?: boolean },
): Promise<Generated> {
  const today = Math.floor(opts.now / DAY) * DAY;
  const firstRaw = today - (opts.rawDays - 1) * DAY;
  const firstRolled = firstRaw - opts.rolledDays * DAY;
  let rawSamples = 0;
  let rolledRows = 0;
  let rawBytes = 0;

  const lasts = new Map<string, LastSample>();
  let month = '';
  let rows: DayRollup[] = [];
  const flush = async () => {
    if (rows.length === 0) return;
    const existing = (await readRollupMonth(historyDir, month)).rollups;
    for (const r of existing) rows.push(r);
    await writeRollupMonth(historyDir, month, rows);
    rows = [];
  };
  for (let day = firstRolled; day < firstRaw; day += DAY) {
    const iso = new Date(day).toISOString().slice(0, 10);
    if (iso.slice(0, 7) !== month) {
      await flush();
      month = iso.slice(0, 7);
    }
    for (const [c, check] of checks.entries()) {
      const samples: Sample[] = [];
      for (let t = day; t < day + DAY; t += STEP) samples.push(sampleOf(check, c, t));
      const row = rollupDay({ day: iso, check, region: 'default', capMs: opts.capFor(check), samples, before: lasts.get(check) });
      if (row.last) lasts.set(check, row.last);
      rows.push(row);
      rolledRows++;
    }
  }
  await flush();

  for (let day = firstRaw; opts.raw !== false && day <= today; day += DAY) {
    const lines: string[] = [];
    for (let t = day; t < Math.min(day + DAY, opts.now); t += STEP)
      for (const [c, check] of checks.entries()) lines.push(formatSampleLine(sampleOf(check, c, t)));
    const file = dayFile(historyDir, new Date(day).toISOString().slice(0, 10), 'default');
    await mkdir(dirname(file), { recursive: true });
    const text = `${lines.join('\n')}\n`;
    await writeFile(file, text);
    rawSamples += lines.length;
    rawBytes += Buffer.byteLength(text);
  }
  return { rawDays: opts.rawDays, rolledDays: opts.rolledDays, rawSamples, rolledRows, rawBytes };
}
