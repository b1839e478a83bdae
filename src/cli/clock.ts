import { impossibleTime } from '../time/parse.ts';
import { UsageError } from './errors.ts';

/** `UPKEEP_NOW` replaces the clock for reproducible runs, tests and backfills. */
export function clockFrom(env: Record<string, string | undefined>): () => Date {
  const fixed = env.UPKEEP_NOW;
  if (!fixed) return () => new Date();
  const t = Date.parse(fixed);
  const impossible = impossibleTime(fixed);
  if (impossible) throw new UsageError(`UPKEEP_NOW ${JSON.stringify(fixed)} is not a real time: ${impossible}`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(fixed) || Number.isNaN(t)) {
    throw new UsageError(`UPKEEP_NOW must be an ISO 8601 time such as 2026-11-23T12:00:00Z, got ${JSON.stringify(fixed)}`);
  }
  return () => new Date(t);
}
