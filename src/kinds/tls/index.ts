import type { TlsMeasurement } from '../../status/measurement.ts';
import type { Kind } from '../kind.ts';
import { validatePortVar, validateTlsFiles } from '../shared.ts';
import { judge } from './judge.ts';
import { tlsCheck } from './schema.ts';

export const tls = {
  schema: tlsCheck,
  validate: (check, ctx) => {
    validatePortVar(check, ctx);
    validateTlsFiles(check, ctx);
  },
  judge,
  probe: async () => (await import('./probe.ts')).tls,
} satisfies Kind<typeof tlsCheck, TlsMeasurement>;
