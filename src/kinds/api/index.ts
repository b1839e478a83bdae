import type { ApiMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { judge } from './judge.ts';
import { apiCheck } from './schema.ts';
import { JOURNEY_SCOPES, validate } from './validate.ts';

export const api = {
  schema: apiCheck,
  validate,
  judge,
  probe: async () => (await import('./probe.ts')).api,
  scopes: JOURNEY_SCOPES,
} satisfies Kind<typeof apiCheck, ApiMeasurement>;
