/**
 * Freshness: how old the data behind an answer is. The answer carries a timestamp (a JSON value, a
 * header such as `Last-Modified`, or a regular expression's capture over the body); its age at the
 * run's clock is the lag, recorded in every sample and judged against the check's limits. Pure.
 */
import { z } from 'zod';
import { durationIn, show } from '../../config/fields.ts';
import { formatDuration } from '../../config/duration.ts';
import { parseJsonAssertion } from '../../config/json-assertion.ts';
import { failed, type Verdict } from '../../status/evaluate.ts';
import { execWithin, REGEX_MS } from './regex.ts';

const jsonPath = z.string().refine((text) => parseJsonAssertion(text) !== undefined && !parseJsonAssertion(text)!.op, {
  error: (iss) => `expected a JSON path such as "$.last_sync_at" or "$.jobs[0].finished", got ${show(iss.input)}`,
});

const capturingRegex = z.string().refine(
  (p) => {
    try {
      return new RegExp(`${p}|`).exec('')!.length > 1;
    } catch {
      return false;
    }
  },
  { error: (iss) => `expected a regular expression with one capture group around the timestamp, e.g. "synced at (\\\\S+)", got ${show(iss.input)}` },
);

const limit = durationIn('1s', '365d');

export const freshSchema = z
  .strictObject({
    json: jsonPath.optional().describe('Where the timestamp is in a JSON body, e.g. "$.last_sync_at".'),
    header: z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: (iss) => `expected a header name such as "Last-Modified", got ${show(iss.input)}` })
      .optional()
      .describe('A response header holding the timestamp, e.g. "Last-Modified".'),
    regex: capturingRegex.optional().describe('A regular expression over the body whose first capture group is the timestamp.'),
    max_age: limit.optional().describe('Data older than this is `down` (reason `stale`); the same as `down_over`.'),
    degraded_over: limit.optional().describe('Data older than this is `degraded` (reason `stale`).'),
    down_over: limit.optional().describe('Data older than this is `down` (reason `stale`).'),
    sla: z.boolean().default(false).describe('Whether time spent stale counts against the SLA (default: it shows on the page but does not count).'),
  })
  .superRefine((f, ctx) => {
    const sources = (['json', 'header', 'regex'] as const).filter((k) => f[k] !== undefined);
    if (sources.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'say where the timestamp is: `json: $.last_sync_at`, `header: Last-Modified` or `regex: "synced at (\\S+)"`' });
    } else if (sources.length > 1) {
      ctx.addIssue({ code: 'custom', path: [sources[1]], message: `give one place for the timestamp, not ${sources.join(' and ')}` });
    }
    if (f.max_age !== undefined && f.down_over !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['down_over'], message: '`max_age` and `down_over` are the same limit; write one of them' });
    }
    const down = f.down_over ?? f.max_age;
    if (down === undefined && f.degraded_over === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give a limit: `max_age: 15m` (older is down), and `degraded_over: 5m` if you like' });
    }
    if (down !== undefined && f.degraded_over !== undefined && f.degraded_over >= down) {
      ctx.addIssue({
        code: 'custom',
        path: ['degraded_over'],
        message: `degraded_over (${formatDuration(f.degraded_over)}) must be below max_age (${formatDuration(down)})`,
      });
    }
  })
  .transform(({ max_age, down_over, ...f }) => ({ ...f, ...((down_over ?? max_age) !== undefined ? { down_over: down_over ?? max_age } : {}) }));

export type Fresh = z.output<typeof freshSchema>;

/** Where the check reads the timestamp, in its own words (for messages). */
export const sourceOf = (f: Fresh) => (f.json !== undefined ? f.json : f.header !== undefined ? `header ${f.header}` : `/${f.regex}/`);

/** What an answer's timestamp says: its age at `now` (never below zero), or why there is none. */
export function lagOf(f: Fresh, answer: { headers: Record<string, string>; body: string }, now: Date): { lagMs: number; at: number } | { problem: string } {
  let raw: unknown;
  if (f.json !== undefined) {
    let doc: unknown;
    try {
      doc = JSON.parse(answer.body);
    } catch {
      return { problem: 'body is not JSON' };
    }
    raw = doc;
    for (const key of parseJsonAssertion(f.json)!.path) {
      if (raw === null || typeof raw !== 'object' || !(key in (raw as object))) return { problem: `${f.json} is missing` };
      raw = (raw as Record<string | number, unknown>)[key];
    }
  } else if (f.header !== undefined) {
    raw = answer.headers[f.header.toLowerCase()];
    if (raw === undefined) return { problem: `header ${f.header} is missing` };
  } else {
    const m = execWithin(f.regex!, answer.body);
    if (m === undefined) return { problem: `/${f.regex}/ took over ${REGEX_MS / 1000} s on this body (a pattern that backtracks a lot); simplify it` };
    if (!m) return { problem: `body does not match /${f.regex}/` };
    // The first group that took part: `synced at (\S+)|ts=(\d+)` may match by either.
    raw = m.slice(1).find((g) => g !== undefined);
    if (raw === undefined) return { problem: `/${f.regex}/ matched, but no group captured a timestamp` };
  }
  const at = timestampOf(raw);
  if (at === undefined) return { problem: `${sourceOf(f)} is not a timestamp` };
  return { lagMs: Math.max(0, now.getTime() - at), at };
}

/**
 * A timestamp as services write them: ISO 8601 (a zone-less one read as UTC), an HTTP date
 * (`Last-Modified`), or Unix time in seconds, milliseconds, microseconds or nanoseconds (told apart
 * by size), as a number or digits. Anything else (a bare "5", "May 3", a local-time "07/14/2026")
 * is not a timestamp: guessing would make a stale service look fresh.
 */
export function timestampOf(raw: unknown): number | undefined {
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw))) {
    const n = Number(raw);
    // Below 1e9 seconds (2001) a number is a count, not a time.
    if (!Number.isFinite(n) || n < 1e9) return undefined;
    const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1e3 : n / 1e6;
    return inRange(Math.round(ms));
  }
  if (typeof raw !== 'string' || raw.length > 64) return undefined;
  const text = raw.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (iso) {
    const [, date, rawTime, zone] = iso;
    // A leap second (23:59:60) is the last second of its minute; a date that does not exist (Feb 30) is not a timestamp.
    const time = (rawTime ?? '00:00').replace(/^(\d{2}:\d{2}):60/, '$1:59');
    if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return undefined;
    const offset = zone && zone.toUpperCase() !== 'Z' ? (zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`) : 'Z';
    return inRange(Date.parse(`${date}T${time}${offset}`));
  }
  // RFC 9110's HTTP date (Last-Modified), and RFC 2822 dates with a numeric zone.
  if (/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}(:\d{2})? (GMT|UTC|[+-]\d{4})$/.test(text)) {
    return inRange(Date.parse(text));
  }
  return undefined;
}

/** A time a Date can hold (so messages can print it), else not a timestamp. */
const inRange = (t: number) => (Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : undefined);

/** Judges the lag; an `up` verdict still carries it, since lag is a measured series like latency. */
export function judgeFresh(f: Fresh, answer: { headers: Record<string, string>; body: string }, now: Date): Verdict {
  const lag = lagOf(f, answer, now);
  if ('problem' in lag) return failed('down', 'assert_fresh', `no timestamp: ${lag.problem}`, `no timestamp at ${sourceOf(f)}`);
  return { ...judgeLag(f, lag.lagMs, `data is ${formatDuration(lag.lagMs)} old (${sourceOf(f)} is ${new Date(lag.at).toISOString()})`), lagMs: lag.lagMs };
}

/** Lag against limits: `stale` when over one. `what` says what the lag is, for the message. */
export function judgeLag(limits: { degraded_over?: number; down_over?: number }, lagMs: number, what: string): Verdict {
  if (limits.down_over !== undefined && lagMs > limits.down_over) {
    return failed(
      'down',
      'stale',
      `${what}, limit ${formatDuration(limits.down_over)}`,
      `data is ${formatDuration(lagMs)} old, limit ${formatDuration(limits.down_over)}`,
    );
  }
  if (limits.degraded_over !== undefined && lagMs > limits.degraded_over) {
    return failed(
      'degraded',
      'stale',
      `${what}, over ${formatDuration(limits.degraded_over)}`,
      `data is ${formatDuration(lagMs)} old, over ${formatDuration(limits.degraded_over)}`,
    );
  }
  return { outcome: 'up' };
}
