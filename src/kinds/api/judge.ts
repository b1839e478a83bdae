/** Whether a journey went well: every step passed, its wait within the lag limits, and what it created cleaned up. Pure. */
import { formatDuration } from '../../config/duration.ts';
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { ApiMeasurement } from '../../status/measurement.ts';
import { judgeLag } from '../http/fresh.ts';
import type { ApiCheck } from './schema.ts';

export function judge(check: ApiCheck, measured: ApiMeasurement): Verdict {
  const journey = measured.api;
  if (!journey) return failed('down', 'error', 'the journey did not run', 'the journey did not run');
  const lag = journey.lagMs !== undefined ? { lagMs: journey.lagMs } : {};
  const where = (i: number, list = journey.steps, label = 'step') => `${label} ${i + 1} "${list[i].name}"`;
  // A step that failed only for old data did not stop the journey: a real failure after it comes first.
  const hard = journey.steps.findIndex((s) => !s.ok && s.failure?.reason !== 'stale');
  const failedAt = hard >= 0 ? hard : journey.steps.findIndex((s) => !s.ok);
  if (failedAt >= 0) {
    const f = journey.steps[failedAt].failure!;
    return { ...failed('down', f.reason, `${where(failedAt)}: ${f.message}`, `${where(failedAt)}: ${f.public}`), ...lag };
  }
  const lagVerdict =
    check.expect.lag && journey.lagMs !== undefined
      ? judgeLag(check.expect.lag, journey.lagMs, `the journey waited ${formatDuration(journey.lagMs)} for its data`)
      : undefined;
  if (lagVerdict?.outcome === 'down') return { ...lagVerdict, ...lag };
  // Something the journey made may be left behind: the team must know, before a lag that is only slow.
  const dirty = journey.cleanup.findIndex((s) => !s.ok);
  if (dirty >= 0) {
    const f = journey.cleanup[dirty].failure!;
    const label = where(dirty, journey.cleanup, 'finally step');
    return { ...failed('degraded', 'cleanup_failed', `${label}: ${f.message}`, `${label}: ${f.public}`), ...lag };
  }
  if (lagVerdict && lagVerdict.outcome !== 'up') return { ...lagVerdict, ...lag };
  const slow = journey.steps.findIndex((s) => s.degraded);
  if (slow >= 0) {
    const d = journey.steps[slow].degraded!;
    return { ...failed('degraded', d.reason, `${where(slow)}: ${d.message}`, `${where(slow)}: ${d.public}`), ...lag };
  }
  return { outcome: 'up', ...lag };
}
