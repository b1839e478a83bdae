/**
 * Rollup files: `history/rollups/YYYY-MM.tsv`, one row per UTC day, check and region.
 *
 *   day <TAB> check <TAB> region <TAB> key=value …
 *
 * keys: cap (seconds), n (up,degraded,down sample counts), s (up,degraded,down,nodata seconds),
 * lat (p50,p95,p99 ms), hist (bucket:count;…), seg (non-up segments, state@from-to in seconds of
 * the day; d = down, g = degraded, n = no data), last (seconds of day:outcome of the last sample).
 * Written whole by `upkeep rollup` (temp file + rename), never by a probe run.
 */
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from '../status/evaluate.ts';
import { dayStartOf, DAY_MS, type DayRollup } from '../status/rollup.ts';
import type { CheckState, Segment } from '../status/timeline.ts';

const codes: Record<string, CheckState> = { d: 'down', g: 'degraded', n: 'nodata' };
const letters: Partial<Record<CheckState, string>> = { down: 'd', degraded: 'g', nodata: 'n' };

export function rollupsDir(historyDir: string): string {
  return join(historyDir, 'rollups');
}

export function formatRollup(r: DayRollup): string {
  const start = dayStartOf(r.day);
  const sec = (t: number) => Math.round((t - start) / 1000);
  const fields = [
    r.day,
    r.check,
    r.region,
    `cap=${Math.round(r.capMs / 1000)}`,
    `n=${r.counts.up},${r.counts.degraded},${r.counts.down}`,
    `s=${[r.ms.up, r.ms.degraded, r.ms.down, r.ms.nodata].map((v) => Math.round(v / 1000)).join(',')}`,
  ];
  if (r.latency) fields.push(`lat=${r.latency.p50},${r.latency.p95},${r.latency.p99}`);
  const hist = Object.entries(r.hist)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([b, n]) => `${b}:${n}`)
    .join(';');
  if (hist) fields.push(`hist=${hist}`);
  const seg = r.segments
    .filter((s) => s.state !== 'up')
    .map((s) => `${letters[s.state]}@${sec(s.start)}-${sec(s.end)}`)
    .join(';');
  if (seg) fields.push(`seg=${seg}`);
  if (r.last) fields.push(`last=${Math.round((r.last.at - start) / 1000)}:${r.last.outcome}`);
  return fields.join('\t');
}

/** One row back into a rollup; undefined if it does not parse. Up segments are the gaps between the others. */
export function parseRollup(line: string): DayRollup | undefined {
  const [day, check, region, ...rest] = line.split('\t');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day ?? '') || !check || !region) return undefined;
  const kv = Object.fromEntries(rest.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
  const start = dayStartOf(day);
  const nums = (text: string | undefined, n: number) => {
    const v = (text ?? '').split(',').map(Number);
    return v.length === n && v.every(Number.isFinite) ? v : undefined;
  };
  const n = nums(kv.n, 3);
  const s = nums(kv.s, 4);
  const cap = Number(kv.cap);
  if (!n || !s || !Number.isFinite(cap)) return undefined;
  const other: Segment[] = [];
  for (const part of (kv.seg ?? '').split(';').filter(Boolean)) {
    const m = /^([dgn])@(\d+)-(\d+)$/.exec(part);
    if (!m) return undefined;
    other.push({ start: start + Number(m[2]) * 1000, end: start + Number(m[3]) * 1000, state: codes[m[1]] });
  }
  const covered = (s[0] + s[1] + s[2] + s[3]) * 1000;
  const end = start + Math.min(covered, DAY_MS);
  const segments: Segment[] = [];
  let t = start;
  for (const seg of other) {
    if (seg.start > t) segments.push({ start: t, end: seg.start, state: 'up' });
    segments.push(seg);
    t = seg.end;
  }
  if (t < end) segments.push({ start: t, end, state: 'up' });
  const hist: Record<number, number> = {};
  for (const part of (kv.hist ?? '').split(';').filter(Boolean)) {
    const [b, c] = part.split(':').map(Number);
    if (Number.isFinite(b) && Number.isFinite(c)) hist[b] = c;
  }
  const lat = kv.lat ? nums(kv.lat, 3) : undefined;
  const lastMatch = /^(\d+):(up|degraded|down)$/.exec(kv.last ?? '');
  return {
    day,
    check,
    region,
    capMs: cap * 1000,
    counts: { up: n[0], degraded: n[1], down: n[2] },
    ms: { up: s[0] * 1000, degraded: s[1] * 1000, down: s[2] * 1000, nodata: s[3] * 1000 },
    ...(lat ? { latency: { p50: lat[0], p95: lat[1], p99: lat[2] } } : {}),
    hist,
    segments,
    ...(lastMatch ? { last: { at: start + Number(lastMatch[1]) * 1000, outcome: lastMatch[2] as Outcome } } : {}),
  };
}

/** All rollups of one month file ("YYYY-MM"), with warnings for rows that do not parse. */
export async function readRollupMonth(historyDir: string, month: string): Promise<{ rollups: DayRollup[]; warnings: string[] }> {
  const file = join(rollupsDir(historyDir), `${month}.tsv`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { rollups: [], warnings: [] };
  }
  const rollups: DayRollup[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line || line.startsWith('#')) return;
    const r = parseRollup(line);
    if (r) rollups.push(r);
    else warnings.push(`${file}:${i + 1}: skipped an unreadable rollup row`);
  });
  return { rollups, warnings };
}

export async function rollupMonths(historyDir: string): Promise<string[]> {
  try {
    return (await readdir(rollupsDir(historyDir)))
      .map((n) => /^(\d{4}-\d{2})\.tsv$/.exec(n)?.[1])
      .filter((m): m is string => !!m)
      .sort();
  } catch {
    return [];
  }
}

/** Writes a month file whole, atomically; returns false when the content was already that. */
export async function writeRollupMonth(historyDir: string, month: string, rollups: readonly DayRollup[]): Promise<boolean> {
  const dir = rollupsDir(historyDir);
  const file = join(dir, `${month}.tsv`);
  const rows = [...rollups].sort((a, b) => a.day.localeCompare(b.day) || a.check.localeCompare(b.check) || a.region.localeCompare(b.region));
  const text = `${rows.map(formatRollup).join('\n')}\n`;
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old === text) return false;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
  return true;
}
