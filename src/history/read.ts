/**
 * What the site build reads: rollups for settled days, raw samples for recent ones, so a year of
 * history costs O(checks × days). And the `rollup` step that writes those rollups.
 */
import { DAY_MS, type Outcome } from '../status/vocabulary.ts';
import { dayStartOf, rollupDay, utcDay, type DayRollup } from '../status/rollup.ts';
import type { Sample } from '../status/sample.ts';
import { readRollupMonth, writeRollupMonth } from './rollups.ts';
import { readDay, removeDay, sampleDays } from './store.ts';
import { pushAll } from '../util/arrays.ts';
import { observedUntil } from '../status/timeline.ts';

export type CapFor = (check: string) => number;

export type History = {
  /** One row per check, region and UTC day in range; the running day is cut at `now`. */
  days: DayRollup[];
  /** Raw samples of the recent days (last results, the 24-hour chart). */
  recent: Sample[];
  warnings: string[];
};

type Last = { at: number; outcome: Outcome };

const key = (check: string, region: string) => `${check}\u0000${region}`;

function* daysBetween(fromDay: string, toDay: string): Generator<string> {
  for (let t = dayStartOf(fromDay); t <= dayStartOf(toDay); t += DAY_MS) yield utcDay(t);
}

const monthsOf = (days: Iterable<string>) => [...new Set([...days].map((d) => d.slice(0, 7)))];

/** Rolls up one day from its raw samples, carrying coverage in from the previous day's last samples. */
function rollupFromRaw(day: string, samples: readonly Sample[], lasts: Map<string, Last>, capFor: CapFor, end?: number, timeZone?: string): DayRollup[] {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = key(s.check, s.region);
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  const start = dayStartOf(day);
  for (const [k, last] of lasts) {
    const check = k.split('\u0000')[0];
    if (!groups.has(k) && last.at + capFor(check) > start) groups.set(k, []);
  }
  return [...groups].map(([k, list]) => {
    const [check, region] = k.split('\u0000');
    return rollupDay({ day, check, region, capMs: capFor(check), samples: list, before: lasts.get(k), end, timeZone });
  });
}

export async function readHistory(
  historyDir: string,
  opts: { from: number; now: number; capFor: CapFor; recentDays?: number; histDays?: number; timeZone?: string },
): Promise<History> {
  const warnings: string[] = [];
  const fromDay = utcDay(opts.from - DAY_MS);
  const toDay = utcDay(opts.now);
  const cutoff = utcDay(opts.now - (opts.recentDays ?? 2) * DAY_MS);
  const range = [...daysBetween(fromDay, toDay)];
  const rolled = new Map<string, DayRollup[]>();
  for (const month of monthsOf(range)) {
    const r = await readRollupMonth(historyDir, month, utcDay(opts.now - (opts.histDays ?? 92) * DAY_MS));
    pushAll(warnings, r.warnings);
    for (const row of r.rollups) {
      const list = rolled.get(row.day);
      if (list) list.push(row);
      else rolled.set(row.day, [row]);
    }
  }
  const raw = new Set((await sampleDays(historyDir)).filter((d) => d >= fromDay && d <= toDay));
  const lasts = new Map<string, Last>();
  const days: DayRollup[] = [];
  const recent: Sample[] = [];
  for (const day of range) {
    let rows = rolled.get(day);
    const useRaw = raw.has(day) && (!rows || day >= cutoff || day === toDay);
    if (useRaw) {
      const r = await readDay(historyDir, day);
      pushAll(warnings, r.warnings);
      if (day >= cutoff) pushAll(recent, r.samples);
      rows = rollupFromRaw(day, r.samples, lasts, opts.capFor, day === toDay ? observedUntil(opts.now) : undefined, opts.timeZone);
    } else if (!rows) {
      rows = rollupFromRaw(day, [], lasts, opts.capFor, day === toDay ? observedUntil(opts.now) : undefined, opts.timeZone);
    }
    for (const row of rows) if (row.last) lasts.set(key(row.check, row.region), row.last);
    pushAll(days, rows);
  }
  return { days, recent, warnings };
}

/** Day rows made from the raw samples alone (no rollups), for [fromDay, toDay]: what `upkeep sla` recomputes from. */
export async function rawDays(
  historyDir: string,
  opts: { fromDay: string; toDay: string; now: number; capFor: CapFor },
): Promise<{ days: DayRollup[]; warnings: string[] }> {
  const lasts = new Map<string, Last>();
  const days: DayRollup[] = [];
  const warnings: string[] = [];
  const nowDay = utcDay(opts.now);
  for (const day of daysBetween(opts.fromDay, opts.toDay)) {
    if (day > nowDay) break;
    const r = await readDay(historyDir, day);
    pushAll(warnings, r.warnings);
    const rows = rollupFromRaw(day, r.samples, lasts, opts.capFor, day === nowDay ? observedUntil(opts.now) : undefined);
    for (const row of rows) if (row.last) lasts.set(key(row.check, row.region), row.last);
    pushAll(days, rows);
  }
  return { days, warnings };
}

export type RollupResult = { days: string[]; monthsWritten: string[]; deletedRawDays: string[]; warnings: string[] };

/**
 * Writes rollups of complete UTC days: days that have none yet, the two most recent complete days
 * (late samples may still arrive), or all with `all`. Idempotent: the same samples give the same bytes.
 * With `timeZone` (the site's), each day's histograms are also cut at that zone's midnights.
 * With `rawDays`, raw sample days older than that, already rolled up, are deleted.
 */
export async function rollupHistory(
  historyDir: string,
  opts: { now: number; capFor: CapFor; all?: boolean; rawDays?: number; timeZone?: string },
): Promise<RollupResult> {
  const warnings: string[] = [];
  const complete = (await sampleDays(historyDir)).filter((d) => dayStartOf(d) + DAY_MS <= opts.now);
  const settle = utcDay(opts.now - 2 * DAY_MS);
  const months = new Map<string, DayRollup[]>();
  const loadMonth = async (month: string) => {
    if (!months.has(month)) {
      const r = await readRollupMonth(historyDir, month);
      pushAll(warnings, r.warnings);
      months.set(month, r.rollups);
    }
    return months.get(month)!;
  };
  for (const m of monthsOf(complete)) await loadMonth(m);
  const hasRows = (day: string) => months.get(day.slice(0, 7))?.some((r) => r.day === day) ?? false;
  const targets = complete.filter((d) => opts.all || !hasRows(d) || d >= settle);

  const lasts = new Map<string, Last>();
  let previous: string | undefined;
  const changed = new Set<string>();
  for (const day of targets) {
    const before = utcDay(dayStartOf(day) - DAY_MS);
    if (previous !== before) {
      // Seed coverage from the previous day: its rollup when there is one, else its raw samples.
      lasts.clear();
      const prior = (await loadMonth(before.slice(0, 7))).filter((r) => r.day === before);
      const seed = prior.length > 0 ? prior : rollupFromRaw(before, (await readDay(historyDir, before)).samples, new Map(), opts.capFor);
      for (const row of seed) if (row.last) lasts.set(key(row.check, row.region), row.last);
    }
    const r = await readDay(historyDir, day);
    pushAll(warnings, r.warnings);
    const rows = rollupFromRaw(day, r.samples, lasts, opts.capFor, undefined, opts.timeZone);
    for (const row of rows) if (row.last) lasts.set(key(row.check, row.region), row.last);
    const month = day.slice(0, 7);
    months.set(month, [...(await loadMonth(month)).filter((x) => x.day !== day), ...rows]);
    changed.add(month);
    previous = day;
  }
  const monthsWritten: string[] = [];
  for (const month of changed) if (await writeRollupMonth(historyDir, month, months.get(month)!)) monthsWritten.push(month);

  const deletedRawDays: string[] = [];
  if (opts.rawDays !== undefined) {
    const oldest = utcDay(opts.now - opts.rawDays * DAY_MS);
    for (const day of complete) {
      if (day < oldest && (months.get(day.slice(0, 7))?.some((x) => x.day === day) ?? false)) {
        await removeDay(historyDir, day);
        deletedRawDays.push(day);
      }
    }
  }
  return { days: targets, monthsWritten, deletedRawDays, warnings };
}
