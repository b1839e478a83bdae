import { readBeat } from '../../history/heartbeats.ts';
import type { HeartbeatMeasurement } from '../../status/measurement.ts';
import type { Probe } from '../../probes/types.ts';
import type { HeartbeatCheck } from './schema.ts';

/** Reads the check's latest beat from history: the job reports in, nothing is asked of it. */
export const heartbeat: Probe<HeartbeatCheck, HeartbeatMeasurement> = async (check, ctx) => {
  if (!ctx.historyDir) return { kind: 'heartbeat', latencyMs: 0, error: { reason: 'error', message: 'no history folder to read beats from' } };
  const beat = await readBeat(ctx.historyDir, check.id);
  return { kind: 'heartbeat', latencyMs: beat?.durationMs ?? 0, ...(beat ? { heartbeat: beat } : {}) };
};
