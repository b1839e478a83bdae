import type { HeartbeatMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { judge } from './judge.ts';
import { heartbeatCheck } from './schema.ts';

export const heartbeat = {
  schema: heartbeatCheck,
  judge,
  probe: async () => (await import('./probe.ts')).heartbeat,
  // Reading the beat again would say the same: a late beat is down at once, with how late.
  reprobe: false,
} satisfies Kind<typeof heartbeatCheck, HeartbeatMeasurement>;
