/**
 * The sample line format (documented in history/README.md):
 *
 *   HH:MM:SS <TAB> check <TAB> outcome <TAB> latency_ms|- <TAB> attempts [<TAB> key=value]…
 *
 * keys: reason, status, t (phases dns/connect/tls/ttfb), lag (seconds the data was old, e.g. 93.5; kept on
 * every sample that has one, as latency is), steps (ms per browser or journey step, a/b/c), art (the
 * failure's screenshot and step log under artifacts/), msg (always last; tabs and newlines become spaces).
 * The day comes from the file's path, so a line holds only the time of day. Status and phases are
 * kept for samples that are not up, where they explain something; for the many up samples they
 * would cost about an eighth of the repository's growth (measured) and say nothing new.
 */
import type { Sample } from '../status/sample.ts';
import { CHECK_ID_PATTERN } from '../status/vocabulary.ts';

const OUTCOMES = new Set(['up', 'degraded', 'down']);

const clean = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

export function formatSampleLine(s: Sample): string {
  const fields = [s.time.slice(11, 19), s.check, s.outcome, s.latencyMs === undefined ? '-' : String(Math.round(s.latencyMs)), String(s.attempts)];
  if (s.reason) fields.push(`reason=${clean(s.reason)}`);
  if (s.status !== undefined && s.outcome !== 'up') fields.push(`status=${s.status}`);
  if (s.phases && s.outcome !== 'up') {
    const p = s.phases;
    fields.push(`t=${[p.dns, p.connect, p.tls, p.ttfb].map((v) => (v === undefined ? '' : String(v))).join('/')}`);
  }
  if (s.lagMs !== undefined) fields.push(`lag=${Math.round(s.lagMs) / 1000}`);
  if (s.steps && s.steps.length > 0) fields.push(`steps=${s.steps.join('/')}`);
  if (s.artifact) fields.push(`art=${clean(s.artifact)}`);
  if (s.message) fields.push(`msg=${clean(s.message)}`);
  return fields.join('\t');
}

/** A sample from one line of the file for `day` (YYYY-MM-DD) and `region`; undefined when the line is unreadable. */
export function parseSampleLine(line: string, day: string, region: string): Sample | undefined {
  const f = line.split('\t');
  if (f.length < 5) return undefined;
  const [time, check, outcome, latency, attempts] = f;
  if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(time) || !CHECK_ID_PATTERN.test(check) || !OUTCOMES.has(outcome)) return undefined;
  if (latency !== '-' && !/^\d+$/.test(latency)) return undefined;
  if (!/^\d+$/.test(attempts)) return undefined;
  const s: Sample = { time: `${day}T${time}Z`, check, region, outcome: outcome as Sample['outcome'], attempts: Number(attempts) };
  if (latency !== '-') s.latencyMs = Number(latency);
  for (const field of f.slice(5)) {
    const eq = field.indexOf('=');
    if (eq < 1) return undefined;
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (key === 'reason') s.reason = value;
    else if (key === 'status' && /^\d{3}$/.test(value)) s.status = Number(value);
    else if (key === 't') {
      const [dns, connect, tls, ttfb] = value.split('/').map((v) => (v === '' ? undefined : Number(v)));
      s.phases = {};
      if (dns !== undefined) s.phases.dns = dns;
      if (connect !== undefined) s.phases.connect = connect;
      if (tls !== undefined) s.phases.tls = tls;
      if (ttfb !== undefined) s.phases.ttfb = ttfb;
    } else if (key === 'lag' && /^\d+(\.\d+)?$/.test(value)) s.lagMs = Math.round(Number(value) * 1000);
    else if (key === 'steps' && /^\d+(\/\d+)*$/.test(value)) s.steps = value.split('/').map(Number);
    else if (key === 'art' && /^\d{4}-\d{2}-\d{2}\/[\w.@-]+$/.test(value)) s.artifact = value;
    else if (key === 'msg') s.message = value;
    // Unknown keys come from a newer Upkeep: keep reading.
  }
  return s;
}
