import type { BrowserMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { judge } from './judge.ts';
import { browserCheck } from './schema.ts';

export const browser = {
  schema: browserCheck,
  judge,
  probe: async () => (await import('./probe.ts')).browser,
} satisfies Kind<typeof browserCheck, BrowserMeasurement>;
