import type { DnsMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { judge } from './judge.ts';
import { dnsCheck } from './schema.ts';

export const dns = {
  schema: dnsCheck,
  judge,
  probe: async () => (await import('./probe.ts')).dns,
} satisfies Kind<typeof dnsCheck, DnsMeasurement>;
