/** What a vendor writes for an http check. */
import { z } from 'zod';
import { freshSchema } from './fresh.ts';
import { checkBase, latency, show, statusRange, stringOrList, jsonAssertion, tlsFiles } from '../../config/fields.ts';

export const httpExpect = z.strictObject({
  status: z
    .union([statusRange, z.array(statusRange).min(1)])
    .optional()
    .describe('Accepted statuses: `200`, `[200, 204]`, `"2xx"`, `"200-399"`. Default: 2xx.'),
  body_contains: stringOrList.optional().describe('Text the body must contain.'),
  body_not_contains: stringOrList.optional().describe('Text the body must not contain.'),
  body_matches: z
    .string()
    .refine(
      (p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      },
      { error: (iss) => `expected a valid regular expression, got ${show(iss.input)}` },
    )
    .optional()
    .describe('A regular expression the body must match.'),
  json: z
    .union([jsonAssertion, z.array(jsonAssertion)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe('JSON assertions, one or a list: `$.status == "ok"`, `$.queue.depth < 100`.'),
  headers: z.record(z.string(), z.string()).optional().describe('Response headers that must be present with these values (case-insensitive names).'),
  fresh: freshSchema
    .optional()
    .describe('How old the data behind the answer may be: where its timestamp is (`json`, `header` or `regex`) and `max_age` / `degraded_over`.'),
  ...latency,
});

export const httpCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('http').describe('An HTTP(S) request and expectations about its answer.'),
  url: z.string().min(1).describe('`https://…`; may use `${{ vars.NAME }}` and `${{ env.SECRET }}`.'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET').describe('The request method.'),
  headers: z.record(z.string(), z.string()).default({}).describe('Request headers; values may use `${{ env.SECRET }}`.'),
  body: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .describe('Request body: text, or an object sent as JSON.'),
  follow_redirects: z.number().int().min(0).max(20).default(5).describe('How many redirects to follow (0 to not follow).'),
  max_body_bytes: z.number().int().positive().default(1_048_576).describe('Bytes of body read at most; more is `too_large`.'),
  ...tlsFiles,
  expect: httpExpect.prefault({}).describe('What the answer must be: status (2xx by default), body, JSON, headers, latency.'),
});

export type HttpCheck = z.output<typeof httpCheck>;
export type HttpExpect = z.output<typeof httpExpect>;
