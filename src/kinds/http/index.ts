import type { HttpMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { judge } from './judge.ts';
import { httpCheck } from './schema.ts';
import { validate } from './validate.ts';

export const http = {
  schema: httpCheck,
  validate,
  judge,
  probe: async () => (await import('./probe.ts')).http,
} satisfies Kind<typeof httpCheck, HttpMeasurement>;
