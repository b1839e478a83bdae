/** What a vendor writes for a tls check. */
import { z } from 'zod';
import { checkBase, hostname, latency, portOrVar } from '../../config/fields.ts';

export const tlsCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('tls').describe('A TLS handshake, to watch the certificate: expiry, host name, chain.'),
  host: hostname.describe('The host to connect to.'),
  port: portOrVar.default(443),
  servername: hostname.optional().describe('The name to ask for and match the certificate against; `host` when absent.'),
  ca_file: z.string().min(1).optional().describe('Extra trusted CA certificates (a PEM file, relative to the checks folder or absolute) for a private CA.'),
  expect: z
    .strictObject({
      degraded_under_days: z.number().min(0).default(14).describe('Fewer days than this until the certificate expires is `degraded`.'),
      down_under_days: z.number().min(0).default(0).describe('Fewer days than this is `down` (an expired certificate is always down).'),
      hostname: z.boolean().default(true).describe('The certificate must name the host.'),
      chain: z.boolean().default(true).describe('The chain must lead to a trusted root.'),
      ...latency,
    })
    .prefault({}),
});

export type TlsCheck = z.output<typeof tlsCheck>;
