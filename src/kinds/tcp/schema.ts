/** What a vendor writes for a tcp check. */
import { z } from 'zod';
import { checkBase, hostname, latency, portOrVar, tlsFiles } from '../../config/fields.ts';

export const tcpCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('tcp').describe('A TCP (optionally TLS) connection, an optional line sent, the first line of the reply.'),
  host: hostname.describe("Host name or address, e.g. the CRM's SMTP or IMAP server."),
  port: portOrVar.describe('The port, or `${{ vars.NAME }}`.'),
  tls: z.boolean().default(false).describe('Wrap the connection in TLS (SMTPS 465, IMAPS 993).'),
  ...tlsFiles,
  send: z.string().optional().describe('A line to send after connecting (CRLF added when missing).'),
  expect: z
    .strictObject({
      reply_prefix: z.string().optional().describe('The first line the server sends must start with this, e.g. "220" for SMTP, "* OK" for IMAP.'),
      ...latency,
    })
    .prefault({}),
});

export type TcpCheck = z.output<typeof tcpCheck>;
