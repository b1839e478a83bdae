/** What a vendor writes for a dns check. */
import { isIP } from 'node:net';
import { z } from 'zod';
import { checkBase, hostname, latency, show, stringOrList } from '../../config/fields.ts';

/** "1.1.1.1", "1.1.1.1:53", "2606:4700::1111" or "[2606:4700::1111]:53", as Node's resolver takes them. */
function isResolverAddress(text: string): boolean {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([\d.]+)(?::(\d{1,5}))?$/.exec(text) ?? /^([0-9a-fA-F:]+)()$/.exec(text);
  return !!m && isIP(m[1]) !== 0 && (!m[2] || (Number(m[2]) >= 1 && Number(m[2]) <= 65_535));
}

export const dnsRecordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;

export const dnsRcodes = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'] as const;

export const dnsCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('dns').describe('A DNS query and the answer expected.'),
  query: hostname.describe('The name to resolve, e.g. "api.pipewell.example".'),
  record: z.enum(dnsRecordTypes).default('A').describe('The record type to ask for.'),
  server: z
    .string()
    .refine(isResolverAddress, {
      error: (iss) =>
        `expected a resolver's address, "address" or "address:port", e.g. "1.1.1.1", "127.0.0.1:5353" or "[2606:4700:4700::1111]:53", got ${show(iss.input)} (resolvers are named by address, not by host name)`,
    })
    .optional()
    .describe('A resolver to ask, by address ("1.1.1.1", "127.0.0.1:5353"); the system\'s resolvers when absent.'),
  expect: z
    .strictObject({
      rcode: z.enum(dnsRcodes).default('NOERROR').describe('The answer code; NOERROR unless you expect a name not to exist.'),
      records: stringOrList.optional().describe('Records that must be in the answer (A/AAAA addresses, names, "10 mx.example.com" for MX, TXT text).'),
      ...latency,
    })
    .prefault({}),
});

export type DnsCheck = z.output<typeof dnsCheck>;
