import type { CheckKind } from '../config/schema.ts';
import { http } from './http.ts';
import type { Probe } from './types.ts';

/** Every check kind and the probe that measures it. */
export const probes = { http } satisfies { [K in CheckKind]: Probe<K> };
