/**
 * The pieces check schemas are made of (ids, durations, ports, host names, latency thresholds, the
 * fields every check has), shared by each kind's own schema in src/kinds/<kind>/schema.ts.
 */
import { z } from 'zod';
import { durationPattern, parseDuration } from './duration.ts';
import { parseJsonAssertion } from './json-assertion.ts';
import { ID_PATTERN } from '../status/vocabulary.ts';
import { VAR_REFERENCE, withoutReferences } from './template.ts';

/** A value as the vendor wrote it, for "got …" in messages (JSON writes Infinity as null). */
export const show = (v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Ids end up in file names and URLs, so they are kept to a safe alphabet. */
export const id = z.string({ error: (iss) => `expected an id such as "api-health", got ${show(iss.input)}` }).regex(ID_PATTERN, {
  error: (iss) => `expected an id of lowercase letters, digits and dashes (e.g. "api-health"), got ${show(iss.input)}`,
});

/** A duration: `30s`, `5m`, `1h`, `250ms`; stored as milliseconds. Use `durationIn` for a field, which bounds it. */
export const duration = z
  .string({ error: (iss) => `expected a duration such as "30s", "5m" or "1h", got ${show(iss.input)}` })
  .regex(new RegExp(durationPattern), {
    error: (iss) => `expected a duration such as "30s", "5m" or "1h", got ${show(iss.input)}`,
  })
  .transform((text) => parseDuration(text)!);

/**
 * A duration between `min` and `max` (as written: "1s", "10m"): a zero interval would spin a run,
 * and timers cannot wait longer than 24.8 days.
 */
export function durationIn(min: string, max: string) {
  const lo = parseDuration(min)!;
  const hi = parseDuration(max)!;
  const shape = (iss: { input?: unknown }) => `expected a duration such as "30s", "5m" or "1h", got ${show(iss.input)}`;
  return z
    .string({ error: shape })
    .regex(new RegExp(durationPattern), { error: shape })
    .refine(
      (text) => {
        const ms = parseDuration(text);
        return ms === undefined || (ms >= lo && ms <= hi);
      },
      { error: (iss) => `expected a duration from ${min} to ${max}, got ${show(iss.input)}` },
    )
    .transform((text) => parseDuration(text)!);
}

export const percent = z
  .number({ error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` })
  .min(0, { error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` })
  .max(100, { error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` });

export const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: (iss) => `expected an IANA time zone such as "Europe/Prague" or "UTC", got ${show(iss.input)}` },
);

export const httpStatus = z
  .number({ error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .int({ error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .min(100, { error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .max(599, { error: (iss) => `expected a number 100–599, got ${show(iss.input)}` });

/** `200`, `"2xx"` or `"200-299"`. */
export const statusError = (iss: { input?: unknown }) => `expected a number 100–599, "2xx" or a range like "200-299", got ${show(iss.input)}`;

export const statusRange = z.union([httpStatus, z.string({ error: statusError }).regex(/^(?:[1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, { error: statusError })], {
  error: statusError,
});

export const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

export const jsonAssertion = z.string().refine((text) => parseJsonAssertion(text) !== undefined, {
  error: (iss) => `expected an assertion like '$.status == "ok"' or '$.queue.depth < 100', got ${show(iss.input)}`,
});

export const latency = {
  degraded_over_ms: z.number().int().positive().optional().describe('Slower than this is `degraded`.'),
  down_over_ms: z.number().int().positive().optional().describe('Slower than this is `down`.'),
};

export const hostname = z
  .string()
  .min(1)
  .refine((h) => !/[\s/]/.test(withoutReferences(h, 'x')) && !h.includes('://'), {
    error: (iss) => `expected a host name or address without scheme or path, e.g. "mail.example.com", got ${show(iss.input)}`,
  });

export const port = z
  .number({ error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .int({ error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .min(1, { error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .max(65_535, { error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` });

/** A port, or a `${{ vars.NAME }}` reference to one (checked once vars are known). */
export const portOrVar = z.union([port, z.string().regex(VAR_REFERENCE)], {
  error: (iss) => `expected a port number 1–65535 or "\${{ vars.NAME }}", got ${show(iss.input)}`,
});

/** Trust and identity for TLS: a private CA, and a client certificate for mutual TLS. */
export const tlsFiles = {
  ca_file: z.string().min(1).optional().describe('Extra trusted CA certificates (a PEM file, relative to the checks folder or absolute) for a private CA.'),
  cert: z.string().min(1).optional().describe('Client certificate (PEM) for mutual TLS; usually `${{ env.NAME }}`.'),
  key: z.string().min(1).optional().describe("The client certificate's private key (PEM): must be `${{ env.NAME }}`, a repository secret."),
};

/** Languages with message files in src/i18n. */
export const supportedLanguages = ['en', 'pt-BR', 'cs', 'ru', 'fa', 'zh-CN'] as const;

/**
 * The vendor's own text in the page's other languages, the same shape on every object that has
 * any (Starlight's `translations`, one level deeper because an object has several texts): each
 * key a language of `site.languages`, each value some of the object's texts; what is not given
 * falls back to the default language's text.
 * @example translations: { cs: { name: Přihlášení, description: Jednotné přihlášení (SSO) } }
 */
export function translations<K extends string>(fields: Record<K, string>) {
  const texts = z.strictObject(
    Object.fromEntries(Object.entries<string>(fields).map(([key, what]) => [key, z.string().min(1).optional().describe(what)])) as Record<
      K,
      z.ZodOptional<z.ZodString>
    >,
  );
  return z
    .strictObject(
      Object.fromEntries(supportedLanguages.map((lang) => [lang, texts.optional()])) as Record<
        (typeof supportedLanguages)[number],
        z.ZodOptional<typeof texts>
      >,
    )
    .optional()
    .meta({
      description: `The texts in the page's other languages (each one of \`site.languages\`); what is not given shows the default language's. Keys: ${Object.keys(fields).join(', ')}.`,
      examples: [
        {
          cs: Object.fromEntries(
            Object.keys(fields)
              .slice(0, 1)
              .map((k) => [k, '…']),
          ),
        },
      ],
    });
}

export type Translations<K extends string> = Partial<Record<(typeof supportedLanguages)[number], Partial<Record<K, string>>>>;

export const checkBase = {
  id: id.describe('Stable id; renaming it starts a new history.'),
  name: z.string().min(1).describe('Shown on the page, e.g. "REST API health".'),
  translations: translations({ name: 'Its name on the page in this language.' }),
  component: id.describe('Id of the component this check belongs to.'),
  description: z.string().optional().describe('A sentence about the check, for the people who keep it.'),
  critical: z.boolean().default(true).describe('A critical check that is down puts its component in an outage; a non-critical one only degrades it.'),
  every: z.number().int().min(1).max(1_440).default(1).describe('Probe every Nth cycle of `defaults.interval`.'),
  timeout: durationIn('100ms', '10m').optional().describe('Per-attempt limit, e.g. "10s" (defaults.timeout when absent).'),
  retries: z.number().int().min(0).max(5).optional().describe('Re-probes of a failure before it is recorded as down (defaults.retries when absent).'),
  for_each: z
    .union([z.literal('instances'), z.array(id).min(1)])
    .optional()
    .describe('`instances`: one check per instance of site.yml (ids `check@instance`), with `${{ instance.NAME }}` in its fields; or a list of instance ids.'),
  instance: id.optional().describe('The one instance this check is about (set for you by `for_each`).'),
};
