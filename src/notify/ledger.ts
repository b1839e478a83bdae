/**
 * The delivery ledger: what was claimed, sent, failed and given up on, committed in `history/` so
 * every run, in every region, after a rerun, a rebase or a killed run, knows what has gone out.
 *
 *   history/notifications/YYYY-MM-DD.tsv   one line per step, appended, by the UTC day it happened
 *   history/notifications/channels.tsv     when each channel began (older events never go there)
 *
 * A day line is `time <TAB> state <TAB> channel <TAB> event <TAB> recipient <TAB> runner <TAB> note`:
 *
 *   claim    a run is about to send; holds for `delivery.lease` unless that run writes again
 *   sent     delivered (`*` for every subscriber of a fan-out but those that failed)
 *   failed   an attempt failed (the note says how: `http 500`, `timeout`, `channel down`); tried again later
 *   expired  not delivered within `delivery.retry_for`: given up, and reported
 *
 * `recipient` is `-` for a team channel and a keyed hash for a subscriber (never an address); notes
 * are words Upkeep chose, never a response. Lines Upkeep cannot read are skipped, never fatal.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlainDirUnder, isPlainFileUnder, safeOpenAppend } from '../history/safe-fs.ts';
import { DAY_MS } from '../status/vocabulary.ts';

export const STATES = ['claim', 'sent', 'failed', 'expired'] as const;
export type LedgerState = (typeof STATES)[number];

/** Notes that release a claim without counting as a failed try (nothing was sent). */
export const NOT_TRIED = new Set(['channel down', 'out of time']);

export type LedgerLine = { at: number; state: LedgerState; channel: string; event: string; recipient: string; runner: string; note: string };

export const ledgerDir = (historyDir: string) => join(historyDir, 'notifications');
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.tsv$/;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
/** Tabs and line breaks would break the format; nothing Upkeep writes has them, but a channel id cannot be trusted to that. */
const field = (s: string) => s.replace(/[\t\r\n]+/g, ' ') || '-';

export function formatLine(l: LedgerLine): string {
  return [iso(l.at), l.state, l.channel, l.event, l.recipient, l.runner, l.note].map(field).join('\t');
}

export function parseLine(text: string): LedgerLine | undefined {
  const [at, state, channel, event, recipient, runner, note = ''] = text.split('\t');
  const t = Date.parse(at ?? '');
  if (!Number.isFinite(t) || !(STATES as readonly string[]).includes(state ?? '') || !channel || !event || !recipient || !runner) return undefined;
  return { at: t, state: state as LedgerState, channel, event, recipient, runner, note };
}

/** A ledger file, read only when it is a real file below the history folder (a committed link could point anywhere). */
async function readText(historyDir: string, file: string): Promise<string> {
  if (!(await isPlainFileUnder(historyDir, file))) return '';
  return readFile(file, 'utf8');
}

async function append(historyDir: string, file: string, text: string): Promise<void> {
  const fh = await safeOpenAppend(historyDir, file);
  try {
    await fh.appendFile(text);
  } finally {
    await fh.close();
  }
}

export type Ledger = {
  lines: LedgerLine[];
  /** When each channel began. */
  since: Map<string, number>;
};

/** The ledger's lines from `from` on (whole days), and every channel's start. */
export async function readLedger(historyDir: string, from: number): Promise<Ledger> {
  const dir = ledgerDir(historyDir);
  const first = iso(from - DAY_MS).slice(0, 10);
  const names = (await isPlainDirUnder(historyDir, dir)) ? await readdir(dir) : [];
  const lines: LedgerLine[] = [];
  for (const name of names.sort()) {
    const day = DAY_FILE.exec(name)?.[1];
    if (!day || day < first) continue;
    const text = await readText(historyDir, join(dir, name));
    for (const row of text.split('\n')) {
      const line = row ? parseLine(row) : undefined;
      if (line) lines.push(line);
    }
  }
  const since = new Map<string, number>();
  for (const row of (names.includes('channels.tsv') ? await readText(historyDir, join(dir, 'channels.tsv')) : '').split('\n')) {
    const [channel, at] = row.split('\t');
    const t = Date.parse(at ?? '');
    if (channel && Number.isFinite(t) && !since.has(channel)) since.set(channel, t);
  }
  return { lines, since };
}

/** Appends lines to their days' files (and new channels to channels.tsv). */
export async function appendLedger(historyDir: string, lines: readonly LedgerLine[], newChannels: ReadonlyMap<string, number> = new Map()): Promise<void> {
  const dir = ledgerDir(historyDir);
  const byDay = new Map<string, string[]>();
  for (const l of lines) {
    const day = iso(l.at).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), formatLine(l)]);
  }
  for (const [day, rows] of byDay) await append(historyDir, join(dir, `${day}.tsv`), `${rows.join('\n')}\n`);
  if (newChannels.size > 0)
    await append(historyDir, join(dir, 'channels.tsv'), [...newChannels].map(([channel, at]) => `${field(channel)}\t${iso(at)}\n`).join(''));
}

/** Where one event stands on one channel. */
export type Standing = {
  /** Delivered to everyone (team channel), or to every subscriber but `pending`. */
  sent: boolean;
  /** Subscribers whose delivery failed and has not succeeded since (by hash). */
  pending: Set<string>;
  /** A claim by another run that still holds. */
  claimedBy?: string;
  failures: number;
  /** When the last counted failure was. */
  lastFailure?: number;
  /** When the first failure was (any, counted or not): an event dated "now" each run expires from it. */
  firstFailure?: number;
  expired: boolean;
};

/** After `failures` failed tries, how long to wait before the next: 30 s, 1 min, 2 min, … up to an hour. */
export const retryDelayMs = (failures: number) => (failures <= 0 ? 0 : Math.min(60 * 60_000, 30_000 * 2 ** (failures - 1)));

export type LedgerIndex = (channel: string, event: string) => Standing;

/** Indexes the ledger: a claim holds for `leaseMs` unless its run wrote about the event again. */
export function indexLedger(ledger: Ledger, opts: { now: number; leaseMs: number; runner: string }): LedgerIndex {
  const by = new Map<string, LedgerLine[]>();
  for (const l of ledger.lines) {
    const k = `${l.channel}\u0000${l.event}`;
    const list = by.get(k);
    if (list) list.push(l);
    else by.set(k, [l]);
  }
  return (channel, event) => {
    const lines = (by.get(`${channel}\u0000${event}`) ?? []).sort((a, b) => a.at - b.at);
    const standing: Standing = { sent: false, pending: new Set(), failures: 0, expired: false };
    const claims = new Map<string, number>();
    for (const l of lines) {
      if (l.state === 'claim') claims.set(l.runner, l.at);
      else claims.delete(l.runner);
      if (l.state === 'expired') standing.expired = true;
      if (l.state === 'failed') {
        standing.firstFailure ??= l.at;
        if (!NOT_TRIED.has(l.note)) {
          standing.failures++;
          standing.lastFailure = l.at;
        }
        if (l.recipient !== '-' && l.recipient !== '*') standing.pending.add(l.recipient);
        else if (!standing.sent) standing.pending.add('-');
      }
      if (l.state === 'sent') {
        if (l.recipient === '-' || l.recipient === '*') {
          standing.sent = true;
          standing.pending.delete('-');
        } else standing.pending.delete(l.recipient);
      }
    }
    if (standing.sent) standing.pending.delete('-');
    for (const [runner, at] of claims) if (runner !== opts.runner && at + opts.leaseMs > opts.now) standing.claimedBy = runner;
    return standing;
  };
}
