import type { TcpMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { validatePortVar, validateTlsFiles } from '../shared.ts';
import { judge } from './judge.ts';
import { tcpCheck } from './schema.ts';

export const tcp = {
  schema: tcpCheck,
  validate: (check, ctx) => {
    validatePortVar(check, ctx);
    validateTlsFiles(check, ctx);
  },
  judge,
  probe: async () => (await import('./probe.ts')).tcp,
} satisfies Kind<typeof tcpCheck, TcpMeasurement>;
