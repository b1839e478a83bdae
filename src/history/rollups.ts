/**
 * Rollup files: `history/rollups/YYYY-MM.tsv`, one row per UTC day, check and region.
 *
 *   day <TAB> check <TAB> region <TAB> key=value …
 *
 * keys: cap (seconds), n (up,degraded,down sample counts), s (up,degraded,down,nodata seconds),
 * lat (p50,p95,p99 ms), hist (bucket:count;…), seg (non-up segments, state@from-to in seconds of
 * the day; d = down, g = degraded, n = no data), lag (p50,p95,p99 seconds the data was old), lhist (lag
 * buckets as hist, over ms), xseg (the non-up segments with stale samples counted up, as seg; only on
 * days with a stale sample: the SLA's view when lag does not count), last (seconds of day:outcome of
 * the last sample, with :stale when it failed only for old data), zh (the site zone's midnights
 * inside the day, each with the hist of the samples before it: second/bucket:count;…,… — see
 * `ZonePart`), zlh (the same for lhist).
 * Written whole by `upkeep rollup` (temp file + rename), never by a probe run.
 */
import { lstat, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DAY_MS, type Outcome } from '../status/vocabulary.ts';
import { dayStartOf, type DayRollup, type ZonePart } from '../status/rollup.ts';
import type { CheckState, Segment } from '../status/timeline.ts';
import { isPlainDirUnder, safeWriteFile } from './safe-fs.ts';

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
  const hist = histText(r.hist);
  if (hist) fields.push(`hist=${hist}`);
  const seg = segText(r.segments, sec);
  if (seg) fields.push(`seg=${seg}`);
  if (r.lag) fields.push(`lag=${[r.lag.p50, r.lag.p95, r.lag.p99].map((ms) => ms / 1000).join(',')}`);
  const lhist = histText(r.lagHist ?? {});
  if (lhist) fields.push(`lhist=${lhist}`);
  if (r.slaSegments) fields.push(`xseg=${segText(r.slaSegments, sec)}`);
  if (r.last) fields.push(`last=${Math.round((r.last.at - start) / 1000)}:${r.last.outcome}${r.last.stale ? ':stale' : ''}`);
  if (r.zoneParts) {
    fields.push(`zh=${r.zoneParts.map((p) => `${sec(p.until)}/${histText(p.hist)}`).join(',')}`);
    if (r.lag) fields.push(`zlh=${r.zoneParts.map((p) => `${sec(p.until)}/${histText(p.lagHist ?? {})}`).join(',')}`);
  }
  return fields.join('\t');
}

/** `zh`/`zlh` text back into parts (lag histograms into `zlh`'s); undefined when unreadable. */
function parseZoneParts(zh: string, zlh: string, start: number): ZonePart[] | undefined {
  const lags = zlh ? zlh.split(',') : [];
  const parts = zh.split(',').map((text, i) => {
    const slash = text.indexOf('/');
    const until = start + Number(text.slice(0, slash)) * 1000;
    const hist = text.slice(slash + 1);
    const lag = lags[i]?.slice(lags[i].indexOf('/') + 1);
    return { until, hist: hist ? parseHist(hist) : {}, ...(lag !== undefined ? { lagHist: lag ? parseHist(lag) : {} } : {}) };
  });
  return parts.every((p) => Number.isFinite(p.until)) ? parts : undefined;
}

const histText = (hist: Record<number, number>) =>
  Object.entries(hist)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([b, n]) => `${b}:${n}`)
    .join(';');

const segText = (segments: readonly Segment[], sec: (t: number) => number) =>
  segments
    .filter((s) => s.state !== 'up')
    .map((s) => `${letters[s.state]}@${sec(s.start)}-${sec(s.end)}`)
    .join(';');

/** A day's segments from its non-up ones (`seg` text); up fills the gaps up to `end`. Undefined when unreadable. */
function parseSegments(seg: string, start: number, end: number): Segment[] | undefined {
  const segments: Segment[] = [];
  let t = start;
  if (seg) {
    for (const part of seg.split(';')) {
      const at = part.indexOf('@');
      const dash = part.indexOf('-', at);
      const state = codes[part.slice(0, at)];
      const from = start + Number(part.slice(at + 1, dash)) * 1000;
      const to = start + Number(part.slice(dash + 1)) * 1000;
      if (!state || !Number.isFinite(from) || !Number.isFinite(to)) return undefined;
      if (from > t) segments.push({ start: t, end: from, state: 'up' });
      segments.push({ start: from, end: to, state });
      t = to;
    }
  }
  if (t < end) segments.push({ start: t, end, state: 'up' });
  return segments;
}

function parseHist(text: string): Record<number, number> {
  const histogram: Record<number, number> = {};
  for (const part of text.split(';')) {
    const colon = part.indexOf(':');
    histogram[Number(part.slice(0, colon))] = Number(part.slice(colon + 1));
  }
  return histogram;
}

/** One row back into a rollup; undefined if it does not parse. Up segments are the gaps between the others. */
export function parseRollup(line: string, histFrom = ''): DayRollup | undefined {
  // A year of 100 checks is 36,500 rows: this runs often, so it splits by hand rather than with regexes.
  const fields = line.split('\t');
  const [day, check, region] = fields;
  if (day?.length !== 10 || !check || !region) return undefined;
  let cap = NaN;
  let n: number[] | undefined;
  let s: number[] | undefined;
  let lat: number[] | undefined;
  let hist = '';
  let seg = '';
  let last = '';
  let lag: number[] | undefined;
  let lhist = '';
  let xseg: string | undefined;
  let zh = '';
  let zlh = '';
  for (let i = 3; i < fields.length; i++) {
    const f = fields[i];
    const eq = f.indexOf('=');
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    if (key === 'cap') cap = Number(value);
    else if (key === 'n') n = value.split(',').map(Number);
    else if (key === 's') s = value.split(',').map(Number);
    else if (key === 'lat') lat = value.split(',').map(Number);
    else if (key === 'hist') hist = value;
    else if (key === 'seg') seg = value;
    else if (key === 'last') last = value;
    else if (key === 'lag') lag = value.split(',').map((v) => Math.round(Number(v) * 1000));
    else if (key === 'lhist') lhist = value;
    else if (key === 'xseg') xseg = value;
    else if (key === 'zh') zh = value;
    else if (key === 'zlh') zlh = value;
  }
  const start = dayStartOf(day);
  if (n?.length !== 3 || !s || s.length !== 4 || !Number.isFinite(start) || !Number.isFinite(cap)) return undefined;
  for (const v of n) if (!Number.isFinite(v)) return undefined;
  for (const v of s) if (!Number.isFinite(v)) return undefined;
  const end = start + Math.min((s[0] + s[1] + s[2] + s[3]) * 1000, DAY_MS);
  const segments = parseSegments(seg, start, end);
  const slaSegments = xseg === undefined ? undefined : parseSegments(xseg, start, end);
  if (!segments || (xseg !== undefined && !slaSegments)) return undefined;
  // Latency histograms only matter for recent windows; a caller reading a year skips the old ones.
  const recent = day >= histFrom;
  const histogram = hist && recent ? parseHist(hist) : {};
  // The parts are histograms too: only recent days need them.
  const zoneParts = zh && recent ? parseZoneParts(zh, zlh, start) : undefined;
  const [lastAt, lastOutcome, lastFlag] = last.split(':');
  return {
    day,
    check,
    region,
    capMs: cap * 1000,
    counts: { up: n[0], degraded: n[1], down: n[2] },
    ms: { up: s[0] * 1000, degraded: s[1] * 1000, down: s[2] * 1000, nodata: s[3] * 1000 },
    ...(lat && lat.length === 3 ? { latency: { p50: lat[0], p95: lat[1], p99: lat[2] } } : {}),
    hist: histogram,
    segments,
    ...(lag?.length === 3 && lag.every(Number.isFinite)
      ? { lag: { p50: lag[0], p95: lag[1], p99: lag[2] }, lagHist: lhist && recent ? parseHist(lhist) : {} }
      : {}),
    ...(slaSegments ? { slaSegments } : {}),
    ...(lastAt && (lastOutcome === 'up' || lastOutcome === 'degraded' || lastOutcome === 'down')
      ? { last: { at: start + Number(lastAt) * 1000, outcome: lastOutcome as Outcome, ...(lastFlag === 'stale' ? { stale: true } : {}) } }
      : {}),
    ...(zoneParts ? { zoneParts } : {}),
  };
}

/** All rollups of one month file ("YYYY-MM"), with warnings for rows that do not parse. */
export async function readRollupMonth(historyDir: string, month: string, histFrom = ''): Promise<{ rollups: DayRollup[]; warnings: string[] }> {
  const file = join(rollupsDir(historyDir), `${month}.tsv`);
  let text: string;
  try {
    if (!(await isPlainDirUnder(historyDir, rollupsDir(historyDir)))) return { rollups: [], warnings: [] };
    if ((await lstat(file)).isSymbolicLink()) return { rollups: [], warnings: [`${file}: a symbolic link, not read (rollups are regular files)`] };
    text = await readFile(file, 'utf8');
  } catch {
    return { rollups: [], warnings: [] };
  }
  const rollups: DayRollup[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line || line.startsWith('#')) return;
    const r = parseRollup(line, histFrom);
    if (r) rollups.push(r);
    else warnings.push(`${file}:${i + 1}: skipped an unreadable rollup row`);
  });
  return { rollups, warnings };
}

export async function rollupMonths(historyDir: string): Promise<string[]> {
  if (!(await isPlainDirUnder(historyDir, rollupsDir(historyDir)))) return [];
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
  await safeWriteFile(historyDir, file, text);
  return true;
}
