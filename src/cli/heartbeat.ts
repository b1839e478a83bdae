/**
 * Heartbeats: a job reports in. `upkeep heartbeat ID` (in the job) sends a GitHub
 * `repository_dispatch` of type `upkeep-heartbeat`; the heartbeat workflow runs
 * `upkeep heartbeat record`, which checks the beat against checks/, writes it as the check's latest
 * beat (history/heartbeats/) and as a sample, and commits it with rebase-and-retry beside the slot.
 * The repository stays the only server: no endpoint to host, nothing listening.
 */
import { join, relative, resolve } from 'node:path';
import { loadOrFail } from './config.ts';
import { InputError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { parseDuration } from '../config/duration.ts';
import { commitDerived, repoRoot } from '../history/git.ts';
import { heartbeatsDir, recordBeat, type Beat } from '../history/heartbeats.ts';
import { appendSamples } from '../history/store.ts';
import { judge } from '../kinds/index.ts';
import { oneLine } from '../probes/errors.ts';
import { toSample } from '../probes/run.ts';
import { withoutUnwanted } from '../text/plain.ts';
import type { Redactor } from '../secrets/redact.ts';
import { secretsOf } from './secrets.ts';
import type { Check } from '../config/schema.ts';

export const EVENT_TYPE = 'upkeep-heartbeat';
/** The region beats are recorded under (history/samples/<day>.heartbeat.tsv). */
export const BEAT_REGION = 'heartbeat';
const MESSAGE_MAX = 500;

/** What a job sends, as the dispatch's client_payload. */
export type BeatPayload = { check: string; status: 'ok' | 'fail'; duration_ms?: number; message?: string; at?: string };

const okWords = new Set(['ok', 'success', 'succeeded', 'pass', 'passed', 'up']);
const failWords = new Set(['fail', 'failed', 'failure', 'error', 'cancelled', 'canceled', 'down', 'timed_out']);

/** A status word as jobs say it (GitHub's `job.status` says success / failure / cancelled). */
export function beatStatus(text: string): 'ok' | 'fail' | undefined {
  const t = text.trim().toLowerCase();
  return okWords.has(t) ? 'ok' : failWords.has(t) ? 'fail' : undefined;
}

/** "42s", "1.5m", or plain seconds ("42", "41.7"): what a CI job has at hand. */
export function beatDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  return parseDuration(text);
}

export type SendOptions = {
  check: string;
  status: string;
  duration?: string;
  message?: string;
  env: Record<string, string | undefined>;
  now: () => Date;
};

/** `upkeep heartbeat ID`: one dispatch to the status repository. */
export async function sendBeat(opts: SendOptions, io: Io): Promise<void> {
  const status = beatStatus(opts.status);
  if (!status) throw new UsageError(`--status must be ok or fail (success, failure and cancelled also do), got ${JSON.stringify(opts.status)}`);
  const duration = opts.duration === undefined ? undefined : beatDuration(opts.duration);
  if (opts.duration !== undefined && duration === undefined)
    throw new UsageError(`--duration must be seconds or a duration such as 42s or 3m, got ${JSON.stringify(opts.duration)}`);
  const token = opts.env.UPKEEP_HEARTBEAT_TOKEN ?? opts.env.GITHUB_TOKEN;
  const repository = opts.env.UPKEEP_STATUS_REPOSITORY ?? opts.env.GITHUB_REPOSITORY;
  if (!token) throw new InputError('a heartbeat needs a token that may dispatch to the status repository: set UPKEEP_HEARTBEAT_TOKEN (README: Heartbeats)');
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository))
    throw new InputError('set UPKEEP_STATUS_REPOSITORY to the status repository, as owner/name (README: Heartbeats)');
  const payload: BeatPayload = {
    check: opts.check,
    status,
    ...(duration !== undefined ? { duration_ms: duration } : {}),
    ...(opts.message ? { message: opts.message.slice(0, MESSAGE_MAX) } : {}),
    at: opts
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
  };
  const { github } = await import('../github/client.ts');
  const gh = github({ token, repository, baseUrl: opts.env.GITHUB_API_URL, log: (l) => io.err(l) });
  try {
    await gh.rest.repos.createDispatchEvent({ owner: gh.owner, repo: gh.repo, event_type: EVENT_TYPE, client_payload: payload });
  } catch (error) {
    const s = (error as { status?: number }).status;
    // Never the token, never GitHub's whole answer: what to do about it.
    const why =
      s === 401
        ? 'the token was refused (401)'
        : s === 403 || s === 404
          ? `the token may not dispatch to ${repository} (${s}): it needs Contents: write on that repository`
          : `GitHub answered ${s ?? 'nothing'}`;
    throw new InputError(`heartbeat ${opts.check} not sent: ${why}`);
  }
  io.out(`heartbeat: ${opts.check} ${status} sent to ${repository}`);
}

export type RecordOptions = {
  checks: string;
  history: string;
  /** The dispatch's client_payload, as JSON (the workflow passes `toJSON(github.event.client_payload)`). */
  payload: string | undefined;
  commit: boolean;
  push: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  redactor?: Redactor;
};

/** Reads a beat from a payload a token holder wrote: data, checked field by field. */
export function parsePayload(text: string | undefined, now: number): Omit<Beat, 'at'> & { check: string; at: string } {
  if (!text) throw new InputError('no beat: UPKEEP_BEAT is empty (the heartbeat workflow passes the dispatch payload in it)');
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text);
  } catch {
    throw new InputError('the beat is not JSON');
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new InputError('the beat is not a JSON object');
  if (typeof p.check !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(p.check)) throw new InputError('the beat names no check id (client_payload.check)');
  const status = typeof p.status === 'string' ? beatStatus(p.status) : undefined;
  if (!status) throw new InputError(`beat for ${p.check}: status must be ok or fail`);
  const duration = typeof p.duration_ms === 'number' ? p.duration_ms : typeof p.duration === 'string' ? beatDuration(p.duration) : undefined;
  if (duration !== undefined && !(Number.isFinite(duration) && duration >= 0 && duration < 31 * 86_400_000))
    throw new InputError(`beat for ${p.check}: duration_ms must be a number of milliseconds`);
  // The job's clock, if it is near ours (a dispatch waits in GitHub's queue for seconds to minutes); ours otherwise.
  const sent = typeof p.at === 'string' ? Date.parse(p.at) : Number.NaN;
  const at = Number.isFinite(sent) && sent <= now + 60_000 && sent >= now - 3_600_000 ? Math.min(sent, now) : now;
  return {
    check: p.check,
    status,
    at: new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    ...(duration !== undefined ? { durationMs: Math.round(duration) } : {}),
    ...(typeof p.message === 'string' && p.message.trim() ? { message: p.message.slice(0, MESSAGE_MAX) } : {}),
  };
}

/** `upkeep heartbeat record`: the heartbeat workflow's one step. */
export async function recordHeartbeat(opts: RecordOptions, io: Io): Promise<void> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  const now = opts.now().getTime();
  const beat = parsePayload(opts.payload, now);
  const check = config.checks.find((c) => c.id === beat.check);
  if (!check) throw new InputError(`beat for ${beat.check}: there is no such check in ${opts.checks}/`);
  if (check.kind !== 'heartbeat') throw new InputError(`beat for ${beat.check}: that check is kind ${check.kind}, not heartbeat`);
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  // What the job said is data: redacted, one line, cut (after redaction, so no piece of a secret is left).
  const { check: id, ...stored } = beat;
  const clean: Beat = { ...stored, ...(beat.message ? { message: oneLine(withoutUnwanted(redactor.redact(beat.message)), MESSAGE_MAX) } : {}) };
  const measured = { kind: 'heartbeat' as const, latencyMs: clean.durationMs ?? 0, heartbeat: clean };
  const sample = toSample(check as Check, measured, judge(check, measured, new Date(Date.parse(clean.at))), {
    time: clean.at,
    // Its own sample file: the slot appends to its region's, and two writers of one file would conflict on rebase.
    region: BEAT_REGION,
    attempts: 1,
    secrets: redactor,
    untrusted: false,
  });
  // Every beat is a sample at its time; the latest-beat file only ever moves forward.
  const write = async () => {
    await appendSamples(opts.history, [sample], { redact: (t) => redactor.redact(t) });
    await recordBeat(opts.history, id, clean);
  };
  const repo = opts.commit ? await repoRoot(resolve(opts.history)) : undefined;
  if (!repo) {
    if (opts.commit) io.err(`warning: ${opts.history} is not in a git repository; nothing will be committed`);
    await write();
  } else {
    const inRepo = (p: string) => relative(repo, resolve(p)) || '.';
    const r = await commitDerived(repo, {
      paths: [inRepo(heartbeatsDir(opts.history)), inRepo(join(opts.history, 'samples'))],
      message: `heartbeat: ${id} ${clean.status} [skip ci]`,
      push: opts.push,
      write,
      discard: true,
    });
    if (r.error) throw new InputError(`heartbeat ${id}: the beat could not be pushed after ${r.attempts} attempts; the job's next beat is recorded as usual`);
  }
  io.out(`heartbeat: ${id} ${clean.status} at ${clean.at}${clean.durationMs !== undefined ? `, took ${clean.durationMs} ms` : ''} → ${sample.outcome}`);
}
