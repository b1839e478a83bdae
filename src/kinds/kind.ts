/**
 * What a check kind is: everything about it in one folder (src/kinds/<kind>/), registered by one
 * row in src/kinds/index.ts. The schema says what a vendor may write, `validate` what only the
 * whole configuration can tell (a file exists, a var is a port), `probe` measures (the network
 * edge, loaded only when a run probes), `judge` decides up or down from the measurement (pure).
 */
import type { z } from 'zod';
import type { ProbeContext } from '../probes/types.ts';
import type { Judge } from '../status/evaluate.ts';

export type ValidateContext = {
  /** The checks folder (files a check names are relative to it). */
  dir: string;
  /** site.yml's vars, with any overrides. */
  vars: Record<string, string>;
  /** Reports a problem at a path inside the check, e.g. `['port']`. */
  at: (path: PropertyKey[], message: string) => void;
};

export type Kind<S extends z.ZodType, M> = {
  schema: S;
  validate?: (check: z.output<S>, ctx: ValidateContext) => void;
  judge: Judge<z.output<S>, M>;
  probe: () => Promise<(check: z.output<S>, ctx: ProbeContext) => Promise<M>>;
  /** Reference scopes the kind fills in as it runs (`captured` for a journey); its `validate` checks them. */
  scopes?: readonly string[];
  /** False when probing again cannot change the answer (a heartbeat): no confirmation re-probes. */
  reprobe?: boolean;
};
