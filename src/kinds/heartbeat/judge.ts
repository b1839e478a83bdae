/** Whether a job's latest beat is on time and says it went well. Pure. */
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { HeartbeatMeasurement } from '../../status/measurement.ts';
import { formatDuration } from '../../config/duration.ts';
import type { HeartbeatCheck } from './schema.ts';

export function judge(check: HeartbeatCheck, measured: HeartbeatMeasurement, now: Date): Verdict {
  const { every, grace, degraded_over, down_over } = check.expect;
  const expected = `expected every ${formatDuration(every)} + ${formatDuration(grace)} grace`;
  const beat = measured.heartbeat;
  if (!beat) return failed('down', 'heartbeat_missing', `no beat has arrived yet (${expected})`, `no beat has arrived yet (${expected})`);
  const age = now.getTime() - Date.parse(beat.at);
  if (age >= every + grace) {
    const text = `no beat for ${formatDuration(age)}: ${formatDuration(age - every)} late (${expected}); the last was at ${beat.at}`;
    return failed('down', 'heartbeat_missed', text, text);
  }
  if (beat.status === 'fail') {
    const text = `the job reported a failure at ${beat.at}`;
    return failed('down', 'job_failed', beat.message ? `${text}: ${beat.message}` : text, text);
  }
  const took = beat.durationMs;
  if (took !== undefined && down_over !== undefined && took > down_over) {
    const text = `the run took ${formatDuration(took)}, limit ${formatDuration(down_over)}`;
    return failed('down', 'slow', text, text);
  }
  if (took !== undefined && degraded_over !== undefined && took > degraded_over) {
    const text = `the run took ${formatDuration(took)}, over ${formatDuration(degraded_over)}`;
    return failed('degraded', 'slow', text, text);
  }
  return { outcome: 'up' };
}
