/**
 * The history store on disk. The only module that knows where samples live:
 *
 *   history/samples/YYYY/MM/DD/<region>[.<shard>].tsv
 *
 * One file per UTC day and runner (region, shard), holding every check's lines: a probe run appends
 * one short line per check to one file, which keeps git cheap (per-check files cost ~7× more packed).
 * Appends are a single O_APPEND write; a torn last line from a killed run is skipped on read, and
 * fenced off with a newline before the next append so it can never swallow a good line.
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sample } from '../status/sample.ts';
import { formatSampleLine, parseSampleLine } from './format.ts';

export type Shard = { index: number; count: number };

export type ReadResult = { samples: Sample[]; warnings: string[] };

export const dayOf = (iso: string) => iso.slice(0, 10);

export function dayDir(historyDir: string, day: string): string {
  const [y, m, d] = day.split('-');
  return join(historyDir, 'samples', y, m, d);
}

export function runnerFile(region: string, shard?: Shard): string {
  return shard && shard.count > 1 ? `${region}.${shard.index}-of-${shard.count}.tsv` : `${region}.tsv`;
}

/** Appends samples to their day files; returns the files touched. */
export async function appendSamples(historyDir: string, samples: readonly Sample[], shard?: Shard): Promise<string[]> {
  const byFile = new Map<string, string[]>();
  for (const s of samples) {
    const file = join(dayDir(historyDir, dayOf(s.time)), runnerFile(s.region, shard));
    const lines = byFile.get(file) ?? [];
    lines.push(formatSampleLine(s));
    byFile.set(file, lines);
  }
  for (const [file, lines] of byFile) await appendLines(file, lines);
  return [...byFile.keys()];
}

async function appendLines(file: string, lines: string[]): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const fh = await open(file, 'a+');
  try {
    const { size } = await fh.stat();
    let fence = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) fence = '\n';
    }
    const data = Buffer.from(`${fence}${lines.join('\n')}\n`);
    let written = 0;
    while (written < data.length) written += (await fh.write(data, written)).bytesWritten;
  } finally {
    await fh.close();
  }
}

/** Every sample of one UTC day, from every runner's file, sorted by time. */
export async function readDay(historyDir: string, day: string): Promise<ReadResult> {
  const dir = dayDir(historyDir, day);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.tsv')).sort();
  } catch {
    return { samples: [], warnings: [] };
  }
  const samples: Sample[] = [];
  const warnings: string[] = [];
  for (const name of names) {
    const region = name.split('.')[0];
    const file = join(dir, name);
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    const torn = !text.endsWith('\n') && text.length > 0;
    lines.forEach((line, i) => {
      if (line === '') return;
      const isLast = i === lines.length - 1;
      const sample = isLast && torn ? undefined : parseSampleLine(line, day, region);
      if (sample) samples.push(sample);
      else warnings.push(`${file}:${i + 1}: skipped ${isLast && torn ? 'a torn last line (a run was interrupted while writing)' : 'an unreadable line'}`);
    });
  }
  samples.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { samples, warnings };
}

/** Days (YYYY-MM-DD) that have sample files, oldest first. */
export async function sampleDays(historyDir: string): Promise<string[]> {
  const root = join(historyDir, 'samples');
  const days: string[] = [];
  const list = async (dir: string, re: RegExp) => {
    try {
      return (await readdir(dir)).filter((n) => re.test(n)).sort();
    } catch {
      return [];
    }
  };
  for (const y of await list(root, /^\d{4}$/)) {
    for (const m of await list(join(root, y), /^\d{2}$/)) {
      for (const d of await list(join(root, y, m), /^\d{2}$/)) days.push(`${y}-${m}-${d}`);
    }
  }
  return days;
}

/** Samples of the days in [fromDay, toDay], inclusive. */
export async function readSamples(historyDir: string, fromDay: string, toDay: string): Promise<ReadResult> {
  const days = (await sampleDays(historyDir)).filter((d) => d >= fromDay && d <= toDay);
  const out: ReadResult = { samples: [], warnings: [] };
  for (const day of days) {
    const r = await readDay(historyDir, day);
    out.samples.push(...r.samples);
    out.warnings.push(...r.warnings);
  }
  return out;
}
