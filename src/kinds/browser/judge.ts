/** A browser journey is up when every step passed: a failed step is an error with its own reason (see probe.ts). */
import type { Verdict } from '../../status/evaluate.ts';

export const judge = (): Verdict => ({ outcome: 'up' });
