/**
 * What a vendor writes for an API journey: requests in order, values captured from one answer for
 * the next, each step's own expectations (those of an http check), `until` to poll a step, and
 * `finally` steps that always run (to delete what the journey created).
 */
import { z } from 'zod';
import { checkBase, durationIn, latency, show } from '../../config/fields.ts';
import { parseJsonAssertion } from '../../config/json-assertion.ts';
import { httpExpect } from '../http/schema.ts';

/** A captured value's name: `${{ captured.NAME }}` in later steps. */
export const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a value comes from: `$.id` (a JSON path into the body) or `header:Location`. */
export const captureSource = z.string().refine((text) => parseCapture(text) !== undefined, {
  error: (iss) => `expected a JSON path such as "$.id" or a header such as "header:Location", got ${show(iss.input)}`,
});

export type CaptureFrom = { json: (string | number)[] } | { header: string };

export function parseCapture(text: string): CaptureFrom | undefined {
  const header = /^header:\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)$/i.exec(text.trim());
  if (header) return { header: header[1].toLowerCase() };
  const json = parseJsonAssertion(text);
  return json && !json.op ? { json: json.path } : undefined;
}

/** Up to ten minutes: a journey runs inside a probe round, and a round must fit its slot. */
const limit = durationIn('1s', '10m');

export const apiStep = z
  .strictObject({
    name: z.string().min(1).max(80).describe('What the step does, shown on the page and in failures: "Create a contact".'),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET').describe('The request method.'),
    url: z.string().min(1).describe('`https://…`; may use `${{ vars.NAME }}`, `${{ env.SECRET }}`, `${{ captured.NAME }}` and `${{ journey.id }}`.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers; values may use `${{ env.SECRET }}` and `${{ captured.NAME }}`.'),
    json: z.unknown().optional().describe('A body sent as JSON (strings inside may use references).'),
    form: z.record(z.string(), z.string()).optional().describe('A body sent as a form (application/x-www-form-urlencoded).'),
    body: z.string().optional().describe('A body sent as it is written.'),
    capture: z
      .record(
        z.string().regex(CAPTURE_NAME, { error: (iss) => `expected a name of letters, digits and _ (e.g. "contact_id"), got ${show(iss.input)}` }),
        captureSource,
      )
      .default({})
      .describe('Values for later steps: `contact_id: $.id`, `location: header:Location`. Captured values are kept out of every text Upkeep writes.'),
    expect: httpExpect.prefault({}).describe('What the answer must be, as for an http check: status (2xx by default), body, JSON, headers, latency.'),
    until: z
      .strictObject({
        interval: durationIn('100ms', '5m').prefault('5s').describe('Time between attempts.'),
        deadline: limit.describe('How long to keep trying before the step fails (`until_deadline`); the wait until it passed is the journey’s lag.'),
        since: z
          .string()
          .min(1)
          .optional()
          .describe('The earlier step (by name) the wait counts from, e.g. "Create a contact"; the step just before, by default.'),
      })
      .optional()
      .describe('Repeat the step until its expectations hold (search finds the new contact), at most until the deadline.'),
  })
  .superRefine((step, ctx) => {
    const bodies = (['json', 'form', 'body'] as const).filter((k) => step[k] !== undefined);
    if (bodies.length > 1) ctx.addIssue({ code: 'custom', path: [bodies[1]], message: `a step sends one body: ${bodies.join(' or ')}, not both` });
    if (step.until && step.until.interval >= step.until.deadline) {
      ctx.addIssue({ code: 'custom', path: ['until', 'interval'], message: 'the interval must be shorter than the deadline' });
    }
  });

export const apiCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('api').describe('A multi-step API journey: create, read back, search, clean up.'),
  steps: z
    .array(apiStep)
    .min(1, { error: 'an api check needs at least one step, e.g. `- name: Health\n    url: https://…`' })
    .max(20)
    .describe('The journey, in order; it stops at the first step that fails.'),
  finally: z
    .array(apiStep)
    .max(10)
    .default([])
    .describe(
      'Steps that always run after the journey, also after a failure or timeout: delete what it created. A step that needs a value never captured is skipped.',
    ),
  deadline: durationIn('1s', '10m')
    .prefault('3m')
    .describe('The whole journey’s time limit: past it no step starts (`timeout`), and the `finally` steps still run. A round must fit its slot.'),
  follow_redirects: z.number().int().min(0).max(20).default(5).describe('How many redirects each request follows.'),
  max_body_bytes: z.number().int().positive().default(1_048_576).describe('Bytes of each body read at most.'),
  expect: z
    .strictObject({
      lag: z
        .strictObject({
          degraded_over: limit.optional().describe('A wait (the `until` steps’ time to pass) longer than this is `degraded` (reason `stale`).'),
          down_over: limit.optional().describe('A wait longer than this is `down` (reason `stale`).'),
          sla: z.boolean().default(false).describe('Whether time spent stale counts against the SLA (default: shown, not counted).'),
        })
        .optional()
        .describe('Limits on the journey’s lag: how long the `until` steps waited.'),
      ...latency,
    })
    .prefault({})
    .describe('Limits on the whole journey: its lag, and its total time (`degraded_over_ms`, `down_over_ms`).'),
});

export type ApiCheck = z.output<typeof apiCheck>;
export type ApiStep = z.output<typeof apiStep>;
