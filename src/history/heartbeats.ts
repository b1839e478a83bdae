/**
 * The latest beat of each heartbeat check: `history/heartbeats/<check>.json`, one small file per
 * check, replaced by a newer beat and never by an older one (two beats recorded out of order, or
 * re-recorded after a refused push, leave the newest). Probe rounds judge it; the page reads the
 * samples those rounds and the recorder write.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlainFileUnder, safeMkdir, safeWriteFile } from './safe-fs.ts';

export type Beat = {
  /** When the job reported (ISO, whole seconds, UTC). */
  at: string;
  status: 'ok' | 'fail';
  durationMs?: number;
  /** The job's own words, redacted and cut before they are written. */
  message?: string;
};

export const heartbeatsDir = (historyDir: string) => join(historyDir, 'heartbeats');
const fileOf = (historyDir: string, check: string) => join(heartbeatsDir(historyDir), `${check}.json`);

/** The latest beat, or undefined when there is none (or the file is not one Upkeep can read). */
export async function readBeat(historyDir: string, check: string): Promise<Beat | undefined> {
  const file = fileOf(historyDir, check);
  if (!(await isPlainFileUnder(historyDir, file))) return undefined;
  try {
    const b = JSON.parse(await readFile(file, 'utf8')) as Partial<Beat>;
    if (typeof b.at !== 'string' || !Number.isFinite(Date.parse(b.at)) || (b.status !== 'ok' && b.status !== 'fail')) return undefined;
    return {
      at: b.at,
      status: b.status,
      ...(typeof b.durationMs === 'number' && b.durationMs >= 0 ? { durationMs: b.durationMs } : {}),
      ...(typeof b.message === 'string' ? { message: b.message } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Writes `beat` unless a newer one is there already; says whether it did. */
export async function recordBeat(historyDir: string, check: string, beat: Beat): Promise<boolean> {
  const current = await readBeat(historyDir, check);
  if (current && Date.parse(current.at) > Date.parse(beat.at)) return false;
  await safeMkdir(historyDir, heartbeatsDir(historyDir));
  await safeWriteFile(historyDir, fileOf(historyDir, check), `${JSON.stringify(beat, null, 2)}\n`);
  return true;
}
