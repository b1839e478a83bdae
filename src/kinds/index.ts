/**
 * Every check kind, one row each. Adding a kind: a folder src/kinds/<kind>/ with schema.ts,
 * probe.ts, judge.ts (and validate.ts if it needs one) and index.ts, its measurement shape in
 * src/status/measurement.ts, and a row here (CONTRIBUTING.md has the steps).
 */
import type { z } from 'zod';
import { evaluate, type Verdict } from '../status/evaluate.ts';
import type { Measurement } from '../status/measurement.ts';
import { api } from './api/index.ts';
import { browser } from './browser/index.ts';
import { dns } from './dns/index.ts';
import { heartbeat } from './heartbeat/index.ts';
import { http } from './http/index.ts';
import type { Kind } from './kind.ts';
import { tcp } from './tcp/index.ts';
import { tls } from './tls/index.ts';

/** One row per kind; the check's `kind` literal must be the row's name, and every measured kind has a row. */
export const kinds = { http, tcp, dns, tls, browser, heartbeat, api } satisfies { [K in Measurement['kind']]: { schema: z.ZodType<{ kind: K }> } };

export type CheckKind = keyof typeof kinds;

/** The check of one kind, as the schema outputs it. */
export type CheckOf<K extends CheckKind> = z.output<(typeof kinds)[K]['schema']>;

type Judged = { kind: CheckKind; expect: { degraded_over_ms?: number; down_over_ms?: number } };
type AnyKind = Kind<z.ZodType<Judged>, Measurement>;

/** Up or down: a failed attempt is down with its reason, else the kind's judge, then latency thresholds. */
export function judge(check: CheckOf<CheckKind>, measured: Measurement, now: Date = new Date()): Verdict {
  // A heartbeat's thresholds are its own (run durations); the latency ones are absent, so none apply twice.
  return evaluate(check as Judged, measured, now, (kinds[check.kind] as unknown as AnyKind).judge);
}

/** Whether time a check spent stale (its data too old) counts against the SLA: only when the vendor says so. */
export function lagInSla(check: CheckOf<CheckKind> | undefined): boolean {
  const e = check?.expect as { fresh?: { sla?: boolean }; lag?: { sla?: boolean } } | undefined;
  const steps = check?.kind === 'api' ? check.steps : [];
  return !!(e?.fresh?.sla || e?.lag?.sla || steps.some((s) => s.expect.fresh?.sla));
}
