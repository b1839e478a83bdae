/**
 * The history store on disk. The only module that knows where samples live:
 *
 *   history/samples/YYYY-MM-DD.<region>[.<i>-of-<n>].tsv
 *
 * One file per UTC day and runner (region, shard), holding every check's lines: a probe run appends
 * one short line per check to one file, which keeps git cheap (per-check files cost ~7× more packed,
 * and each directory level is one more tree object per commit: one flat folder costs a fifth less
 * than month folders, measured). Retention keeps the folder short.
 * Appends are a single O_APPEND write; a torn last line from a killed run is skipped on read, and
 * fenced off with a newline before the next append so it can never swallow a good line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sample } from '../status/sample.ts';
import { formatSampleLine, parseSampleLine } from './format.ts';
import { isPlainDirUnder, safeOpenAppend, safeRemove, safeWriteFile } from './safe-fs.ts';
import { pushAll } from '../util/arrays.ts';

export type Shard = { index: number; count: number };

export type ReadResult = { samples: Sample[]; warnings: string[] };

export const dayOf = (iso: string) => iso.slice(0, 10);

const samplesDir = (historyDir: string) => join(historyDir, 'samples');

/** The file one runner writes for one UTC day. */
export function dayFile(historyDir: string, day: string, region: string, shard?: Shard): string {
  const runner = shard && shard.count > 1 ? `${region}.${shard.index}-of-${shard.count}` : region;
  return join(samplesDir(historyDir), `${day}.${runner}.tsv`);
}

/** The UTC day of a sample file's name (`2026-11-30.default.tsv` → 2026-11-30), or undefined for any other name. */
export const sampleFileDay = (name: string) => (/^\d{4}-\d{2}-\d{2}\..+\.tsv$/.test(name) ? name.slice(0, 10) : undefined);

/** The runner of a sample file's name (`2026-11-30.eu.2-of-4.tsv` → region eu, shard 2 of 4), or undefined for any other name. */
export function sampleFileRunner(name: string): { region: string; shard?: Shard } | undefined {
  if (!sampleFileDay(name)) return undefined;
  const runner = name.slice(11, -'.tsv'.length);
  const m = /^(.+)\.(\d+)-of-(\d+)$/.exec(runner);
  return m ? { region: m[1], shard: { index: Number(m[2]), count: Number(m[3]) } } : { region: runner };
}

/** Sample files: regular files only (a symbolic link committed here is not history). */
async function sampleFileNames(historyDir: string): Promise<string[]> {
  if (!(await isPlainDirUnder(historyDir, samplesDir(historyDir)))) return [];
  try {
    return (await readdir(samplesDir(historyDir), { withFileTypes: true }))
      .filter((e) => e.isFile() && /^\d{4}-\d{2}-\d{2}\..+\.tsv$/.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Every runner's file of one day. */
export async function dayFiles(historyDir: string, day: string): Promise<{ file: string; region: string }[]> {
  return (await sampleFileNames(historyDir))
    .filter((n) => n.startsWith(`${day}.`))
    .map((n) => ({ file: join(samplesDir(historyDir), n), region: n.split('.')[1] }));
}

export const artifactsDir = (historyDir: string) => join(historyDir, 'artifacts');

/**
 * A failure's screenshot and step log go to `artifacts/YYYY-MM-DD/<check>.<region>.<HHMMSS>.{jpg,log}`;
 * the sample line keeps the stem. Written before the line, so a line never points at nothing.
 */
async function writeAttachments(historyDir: string, s: Sample, redact: (text: string) => string): Promise<Sample> {
  if (!s.attachments) return s;
  const { attachments, ...rest } = s;
  const stem = `${dayOf(s.time)}/${s.check}.${s.region}.${s.time.slice(11, 19).replace(/:/g, '')}`;
  await safeWriteFile(historyDir, join(artifactsDir(historyDir), `${stem}.log`), redact(attachments.log));
  if (attachments.screenshot) await safeWriteFile(historyDir, join(artifactsDir(historyDir), `${stem}.jpg`), attachments.screenshot);
  return { ...rest, artifact: stem };
}

export type AppendOptions = {
  shard?: Shard;
  /** The history writer's own fence: messages and logs pass through it once more before they are written. */
  redact?: (text: string) => string;
};

/** Appends samples to their day files; returns the files touched. */
export async function appendSamples(historyDir: string, samples: readonly Sample[], opts: AppendOptions = {}): Promise<string[]> {
  const { shard } = opts;
  const redact = opts.redact ?? ((t: string) => t);
  const byFile = new Map<string, string[]>();
  for (const original of samples) {
    const fenced = original.message === undefined ? original : { ...original, message: redact(original.message) };
    const s = await writeAttachments(historyDir, fenced, redact);
    const file = dayFile(historyDir, dayOf(s.time), s.region, shard);
    const lines = byFile.get(file) ?? [];
    lines.push(formatSampleLine(s));
    byFile.set(file, lines);
  }
  for (const [file, lines] of byFile) await appendLines(historyDir, file, lines);
  return [...byFile.keys()];
}

async function appendLines(historyDir: string, file: string, lines: string[]): Promise<void> {
  const fh = await safeOpenAppend(historyDir, file);
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
  const samples: Sample[] = [];
  const warnings: string[] = [];
  for (const { file, region } of await dayFiles(historyDir, day)) {
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
  return [...new Set((await sampleFileNames(historyDir)).map((n) => n.slice(0, 10)))];
}

/** Samples of the days in [fromDay, toDay], inclusive. */
export async function readSamples(historyDir: string, fromDay: string, toDay: string): Promise<ReadResult> {
  const days = (await sampleDays(historyDir)).filter((d) => d >= fromDay && d <= toDay);
  const out: ReadResult = { samples: [], warnings: [] };
  for (const day of days) {
    const r = await readDay(historyDir, day);
    pushAll(out.samples, r.samples);
    pushAll(out.warnings, r.warnings);
  }
  return out;
}

/** Removes every runner's file of one day, and its artifacts (raw-sample retention; rollups stay). */
export async function removeDay(historyDir: string, day: string): Promise<void> {
  for (const { file } of await dayFiles(historyDir, day)) await safeRemove(historyDir, file);
  await safeRemove(historyDir, join(artifactsDir(historyDir), day));
}
