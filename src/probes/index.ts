import type { CheckKind } from '../config/schema.ts';
import { browser } from './browser.ts';
import { dns } from './dns.ts';
import { http } from './http.ts';
import { tcp } from './tcp.ts';
import { tls } from './tls.ts';
import type { Probe } from './types.ts';

/** Every check kind and the probe that measures it. */
export const probes = { http, tcp, dns, tls, browser } satisfies { [K in CheckKind]: Probe<K> };
