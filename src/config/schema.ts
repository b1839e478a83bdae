/**
 * The single source of truth for what a vendor may write in `checks/`.
 * Types come from here (`z.output`), and so does the JSON Schema editors use (`npm run schema`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { durationPattern, parseDuration } from './duration.ts';
import { parseJsonAssertion } from './json-assertion.ts';
import { linkScheme } from '../text/markdown.ts';
import { impossibleTime } from '../time/parse.ts';

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Ids end up in file names and URLs, so they are kept to a safe alphabet. */
export const id = z
  .string({ error: (iss) => `expected an id such as "api-health", got ${show(iss.input)}` })
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
    error: (iss) => `expected an id of lowercase letters, digits and dashes (e.g. "api-health"), got ${show(iss.input)}`,
  });

/** A duration: `30s`, `5m`, `1h`, `250ms`; stored as milliseconds. */
export const duration = z
  .string({ error: (iss) => `expected a duration such as "30s", "5m" or "1h", got ${show(iss.input)}` })
  .regex(new RegExp(durationPattern), {
    error: (iss) => `expected a duration such as "30s", "5m" or "1h", got ${show(iss.input)}`,
  })
  .transform((text) => parseDuration(text)!);

const percent = z
  .number({ error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` })
  .min(0, { error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` })
  .max(100, { error: (iss) => `expected a percentage between 0 and 100, got ${show(iss.input)}` });

const timeZone = z.string().refine(
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

const httpStatus = z
  .number({ error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .int({ error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .min(100, { error: (iss) => `expected a number 100–599, got ${show(iss.input)}` })
  .max(599, { error: (iss) => `expected a number 100–599, got ${show(iss.input)}` });

/** `200`, `"2xx"` or `"200-299"`. */
const statusError = (iss: { input?: unknown }) => `expected a number 100–599, "2xx" or a range like "200-299", got ${show(iss.input)}`;
const statusRange = z.union([httpStatus, z.string({ error: statusError }).regex(/^(?:[1-5]xx|[1-5]\d\d-[1-5]\d\d)$/, { error: statusError })], {
  error: statusError,
});

/**
 * A link a vendor writes into the page: http(s), mailto, or a path on the site. `javascript:`,
 * `data:` and other schemes would run or carry content in every visitor's browser.
 */
export const linkSchemes = ['http', 'https', 'mailto'] as const;

const safeLink = z
  .string()
  .min(1)
  .refine((url) => {
    const scheme = linkScheme(url);
    return scheme === undefined || (linkSchemes as readonly string[]).includes(scheme);
  }, { error: (iss) => `expected an https://, http:// or mailto: link, or a path such as "/logo.svg", got ${show(iss.input)} (other schemes, such as javascript: and data:, are refused: they run in visitors' browsers)` });

/** Languages with message files in src/i18n. */
export const supportedLanguages = ['en', 'pt-BR', 'cs', 'ru', 'fa', 'zh-CN'] as const;

export const site = z.strictObject({
  /** Page title, e.g. "Acme CRM Status". */
  title: z.string().min(1),
  /** The vendor's name as customers know it. */
  vendor: z.string().min(1),
  /** One sentence under the title. */
  description: z.string().optional(),
  /** Public address of the status page, used in feeds and canonical links. @example "https://status.acme-crm.example" */
  url: z.url({ protocol: /^https?$/, error: (iss) => `expected the page's https:// address, got ${show(iss.input)}` }).optional(),
  /** Path prefix for GitHub project pages. @example "/status/" */
  base_path: z.string().regex(/^\/(?:[A-Za-z0-9._-]+\/)*$/, { error: 'expected a path that starts and ends with "/", e.g. "/" or "/status/"' }).default('/'),
  /** Time zone the page shows times in (stored times are always UTC). @example "Europe/Prague" */
  time_zone: timeZone.default('UTC'),
  /** Default language of the page. */
  language: z.enum(supportedLanguages).default('en'),
  /** Other languages to publish, each under its own path (/cs/, /pt-br/ …). */
  languages: z.array(z.enum(supportedLanguages)).default([]),
  /** A logo image URL (shown beside the title; SVG or PNG). */
  logo: safeLink.optional(),
  /** Accent colour (CSS hex). */
  accent: z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour like "#2563eb"' }).optional(),
  /** Links shown in the header: support, main site. */
  links: z.array(z.strictObject({ label: z.string().min(1), url: safeLink })).default([]),
});

export const defaults = z.strictObject({
  /** How often the scheduler probes; a sample covers at most twice this. */
  interval: duration.prefault('5m'),
  /** Per-attempt timeout. */
  timeout: duration.prefault('10s'),
  /** Re-probes of a failing check before it is recorded as down. */
  retries: z.number().int().min(0).max(5).default(2),
  /** With several regions, how many must see a check down for it to count as down (default: a majority). */
  quorum: z.number().int().min(1).optional(),
  /** Wait before the first re-probe; doubled for each further one. */
  retry_backoff: duration.prefault('2s'),
});

export const group = z.strictObject({
  id,
  name: z.string().min(1),
  description: z.string().optional(),
});

export const component = z.strictObject({
  id,
  /** What customers call it, e.g. "Email sync". */
  name: z.string().min(1),
  description: z.string().optional(),
  /** Id of a group in `groups`. */
  group: id.optional(),
  /** Monthly SLA target in percent; the site's `sla.target` when absent. */
  sla: percent.optional(),
  /** Down when `any` critical check is down (default), or only when `all` are. */
  down_when: z.enum(['any', 'all']).default('any'),
});

export const credit = z.strictObject({
  /** Monthly uptime below this percentage… */
  below: percent,
  /** …earns this service credit, in percent of the monthly fee. */
  credit: percent,
});

export const siteFile = z.strictObject({
  site,
  /** Values checks use as `${{ vars.NAME }}`, e.g. the CRM's base URL. Not secret. */
  vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  defaults: defaults.prefault({}),
  groups: z.array(group).default([]),
  components: z.array(component).min(1, { error: 'add at least one component (what customers see, e.g. "API")' }),
  sla: z
    .strictObject({
      target: percent.default(99.9),
      /** Service credits, e.g. below 99.9 → 10, below 99 → 25. */
      credits: z.array(credit).default([]),
      /** Calendar months for the SLA are counted in this zone. */
      time_zone: timeZone.default('UTC'),
    })
    .prefault({}),
  incidents: z
    .strictObject({
      /** Open incidents from probe results (people's incidents work either way). */
      automatic: z.boolean().default(true),
      /** A component failing again this soon after its incident resolved re-opens that incident. */
      quiet_period: duration.prefault('30m'),
      /** Mirror automatic incidents to GitHub issues (needs GITHUB_TOKEN with issues: write). */
      github_issues: z.boolean().default(false),
    })
    .prefault({}),
  history: z
    .strictObject({
      /** Raw samples older than this many days are deleted by `upkeep rollup` once rolled up (rollups are kept forever). */
      raw_days: z.number().int().min(3).default(90),
    })
    .prefault({}),
  pull_requests: z
    .strictObject({
      /**
       * Private, loopback and link-local targets a pull request's dry run may probe: addresses,
       * networks ("10.20.0.0/16") or host names. Read from the base branch, never from the pull request.
       * @example ["10.20.0.0/16", "crm-staging.internal"]
       */
      allow_private: z.array(z.string().refine(isAllowEntry, { error: (iss) => `expected an address, a network such as "10.20.0.0/16", or a host name, got ${show(iss.input)}` })).default([]),
    })
    .prefault({}),
});

/** A date or time that exists: "2026-02-30" and "25:61" are refused where they are written. */
const real = <T extends z.ZodString>(schema: T) =>
  schema.refine((text) => impossibleTime(text) === undefined, { error: (iss) => `${show(iss.input)} is not a real time: ${impossibleTime(String(iss.input))}` });

const dateTime = real(
  z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$/, {
    error: (iss) => `expected a date and time such as "2026-11-28 22:00" (in the window's time zone) or "2026-11-28T21:00:00Z", got ${show(iss.input)}`,
  }),
);
const date = real(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: (iss) => `expected a date such as "2026-11-28", got ${show(iss.input)}` }));
export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const maintenanceWindow = z
  .strictObject({
    id,
    title: z.string().min(1),
    /** Markdown, shown on the page and in feeds. */
    description: z.string().optional(),
    /** Component ids the window covers: their failures raise no incident and count as maintenance. */
    components: z.array(id).min(1),
    /** Zone for times without an offset, and for recurring windows; the site's zone when absent. */
    time_zone: timeZone.optional(),
    /** A one-off window. */
    start: dateTime.optional(),
    end: dateTime.optional(),
    /** A recurring window: weekly on some days, or monthly on a day, at a local time, for a duration. */
    recurring: z
      .strictObject({
        weekly: z.array(z.enum(weekdays)).min(1).optional(),
        /** Day of the month (a later day than the month has means its last day). */
        monthly: z.number().int().min(1).max(31).optional(),
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => `expected a local time such as "06:00", got ${show(iss.input)}` }),
        duration,
        /** First and last dates it applies (inclusive). */
        from: date.optional(),
        until: date.optional(),
      })
      .refine((r) => (r.weekly === undefined) !== (r.monthly === undefined), { error: 'give either `weekly: [mon, …]` or `monthly: <day>`' })
      .optional(),
  })
  .refine((w) => (w.recurring !== undefined) !== (w.start !== undefined || w.end !== undefined), {
    error: 'give either `start` and `end` (a one-off window) or `recurring:`',
  })
  .refine((w) => w.recurring !== undefined || (w.start !== undefined && w.end !== undefined), { error: 'a one-off window needs both `start` and `end`' });

export const maintenanceFile = z.strictObject({
  maintenance: z.array(maintenanceWindow).default([]),
});

export type MaintenanceWindow = z.output<typeof maintenanceWindow>;

const stringOrList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const jsonAssertion = z.string().refine((text) => parseJsonAssertion(text) !== undefined, {
  error: (iss) => `expected an assertion like '$.status == "ok"' or '$.queue.depth < 100', got ${show(iss.input)}`,
});

const latency = {
  /** Slower than this is `degraded`. */
  degraded_over_ms: z.number().int().positive().optional(),
  /** Slower than this is `down`. */
  down_over_ms: z.number().int().positive().optional(),
};

const hostname = z
  .string()
  .min(1)
  .refine((h) => !/[\s/]/.test(h.replace(/\$\{\{[^}]*\}\}/g, 'x')) && !h.includes('://'), { error: (iss) => `expected a host name or address without scheme or path, e.g. "mail.example.com", got ${show(iss.input)}` });

const port = z
  .number({ error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .int({ error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .min(1, { error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` })
  .max(65_535, { error: (iss) => `expected a port number 1–65535, got ${show(iss.input)}` });

const httpExpect = z.strictObject({
  /** Accepted statuses: `200`, `[200, 204]`, `"2xx"`, `"200-399"`. Default: 2xx. */
  status: z.union([statusRange, z.array(statusRange).min(1)]).optional(),
  /** Text the body must contain. */
  body_contains: stringOrList.optional(),
  /** Text the body must not contain. */
  body_not_contains: stringOrList.optional(),
  /** A regular expression the body must match. */
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
    .optional(),
  /** JSON assertions: `$.status == "ok"`, `$.queue.depth < 100`. */
  json: z
    .union([jsonAssertion, z.array(jsonAssertion)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  /** Response headers that must be present with these values (case-insensitive names). */
  headers: z.record(z.string(), z.string()).optional(),
  ...latency,
});

/** "1.1.1.1", "1.1.1.1:53", "2606:4700::1111" or "[2606:4700::1111]:53", as Node's resolver takes them. */
function isResolverAddress(text: string): boolean {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text) ?? /^([\d.]+)(?::(\d{1,5}))?$/.exec(text) ?? /^([0-9a-fA-F:]+)()$/.exec(text);
  return !!m && isIP(m[1]) !== 0 && (!m[2] || (Number(m[2]) >= 1 && Number(m[2]) <= 65_535));
}

/** An address, a CIDR network or a host name, for `pull_requests.allow_private`. */
function isAllowEntry(text: string): boolean {
  const [address, bits, extra] = text.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (bits !== undefined) return version !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
  return version !== 0 || /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(address);
}

/** Trust and identity for TLS: a private CA, and a client certificate for mutual TLS. */
const tlsFiles = {
  /** Extra trusted CA certificates (a PEM file, relative to the checks folder or absolute) for a private CA. */
  ca_file: z.string().min(1).optional(),
  /** Client certificate (PEM) for mutual TLS; usually `${{ env.NAME }}`. */
  cert: z.string().min(1).optional(),
  /** The client certificate's private key (PEM): must be `${{ env.NAME }}`, a repository secret. */
  key: z.string().min(1).optional(),
};

const checkBase = {
  /** Stable id; renaming it starts a new history. */
  id,
  /** Shown on the page, e.g. "REST API health". */
  name: z.string().min(1),
  /** Id of the component this check belongs to. */
  component: id,
  description: z.string().optional(),
  /** A critical check that is down puts its component in an outage; a non-critical one only degrades it. */
  critical: z.boolean().default(true),
  /** Probe every Nth cycle of `defaults.interval`. */
  every: z.number().int().min(1).max(1_440).default(1),
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(5).optional(),
};

export const httpCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('http'),
  /** `https://…`; may use `${{ vars.NAME }}` and `${{ env.SECRET }}`. */
  url: z.string().min(1),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Request body: text, or an object sent as JSON. */
  body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** How many redirects to follow (0 to not follow). */
  follow_redirects: z.number().int().min(0).max(20).default(5),
  /** Bytes of body read at most; more is `too_large`. */
  max_body_bytes: z.number().int().positive().default(1_048_576),
  ...tlsFiles,
  expect: httpExpect.prefault({}),
});

/** A port, or a `${{ vars.NAME }}` reference to one (checked once vars are known). */
const portOrVar = z.union([port, z.string().regex(/^\$\{\{\s*vars\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/)], {
  error: (iss) => `expected a port number 1–65535 or "\${{ vars.NAME }}", got ${show(iss.input)}`,
});

export const tcpCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('tcp'),
  /** Host name or address, e.g. the CRM's SMTP or IMAP server. */
  host: hostname,
  port: portOrVar,
  /** Wrap the connection in TLS (SMTPS 465, IMAPS 993). */
  tls: z.boolean().default(false),
  ...tlsFiles,
  /** A line to send after connecting (CRLF added when missing). */
  send: z.string().optional(),
  expect: z
    .strictObject({
      /** The first line the server sends must start with this, e.g. "220" for SMTP, "* OK" for IMAP. */
      reply_prefix: z.string().optional(),
      ...latency,
    })
    .prefault({}),
});

export const dnsRecordTypes = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;
export const dnsRcodes = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'] as const;

export const dnsCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('dns'),
  /** The name to resolve, e.g. "api.pipewell.example". */
  query: hostname,
  record: z.enum(dnsRecordTypes).default('A'),
  /** A resolver to ask, "host" or "host:port"; the system's resolvers when absent. */
  server: z
    .string()
    .refine(isResolverAddress, { error: (iss) => `expected a resolver's address, "address" or "address:port", e.g. "1.1.1.1", "127.0.0.1:5353" or "[2606:4700:4700::1111]:53", got ${show(iss.input)} (resolvers are named by address, not by host name)` })
    .optional(),
  expect: z
    .strictObject({
      /** The answer code; NOERROR unless you expect a name not to exist. */
      rcode: z.enum(dnsRcodes).default('NOERROR'),
      /** Records that must be in the answer (A/AAAA addresses, names, "10 mx.example.com" for MX, TXT text). */
      records: stringOrList.optional(),
      ...latency,
    })
    .prefault({}),
});

export const tlsCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('tls'),
  host: hostname,
  port: portOrVar.default(443),
  /** The name to ask for and match the certificate against; `host` when absent. */
  servername: hostname.optional(),
  /** Extra trusted CA certificates (a PEM file, relative to the checks folder or absolute) for a private CA. */
  ca_file: z.string().min(1).optional(),
  expect: z
    .strictObject({
      /** Fewer days than this until the certificate expires is `degraded`. */
      degraded_under_days: z.number().min(0).default(14),
      /** Fewer days than this is `down` (an expired certificate is always down). */
      down_under_days: z.number().min(0).default(0),
      /** The certificate must name the host. */
      hostname: z.boolean().default(true),
      /** The chain must lead to a trusted root. */
      chain: z.boolean().default(true),
      ...latency,
    })
    .prefault({}),
});

const stepTimeout = { /** This step's own limit (the check's `step_timeout` otherwise). */ timeout: duration.optional() };
const selector = z.string().min(1);

const stepForms = {
  goto: z.strictObject({ goto: z.string().min(1), ...stepTimeout }),
  fill: z.strictObject({ fill: z.strictObject({ selector, value: z.string() }), ...stepTimeout }),
  click: z.strictObject({ click: selector, ...stepTimeout }),
  press: z.strictObject({ press: z.union([z.string().min(1), z.strictObject({ selector: selector.optional(), key: z.string().min(1) })]), ...stepTimeout }),
  wait_for: z.strictObject({ wait_for: z.union([selector, z.strictObject({ selector }), z.strictObject({ url: z.string().min(1) })]), ...stepTimeout }),
  expect_text: z.strictObject({ expect_text: z.union([z.string().min(1), z.strictObject({ selector: selector.optional(), text: z.string().min(1) })]), ...stepTimeout }),
  expect_url: z.strictObject({ expect_url: z.string().min(1), ...stepTimeout }),
  expect_title: z.strictObject({ expect_title: z.string().min(1), ...stepTimeout }),
};
const stepHelp: Record<keyof typeof stepForms, string> = {
  goto: '`goto: URL`',
  fill: '`fill: { selector: "#email", value: "…" }`',
  click: '`click: SELECTOR`',
  press: '`press: Enter` or `press: { selector, key }`',
  wait_for: '`wait_for: SELECTOR`, `wait_for: { selector }` or `wait_for: { url: "**/dashboard" }`',
  expect_text: '`expect_text: TEXT` or `expect_text: { selector, text }`',
  expect_url: '`expect_url: PATTERN`',
  expect_title: '`expect_title: TEXT`',
};

/** Says which action was meant, and what that action takes, instead of "matches no form". */
function stepError(input: unknown): string {
  const actions = Object.keys(stepForms);
  if (!input || typeof input !== 'object' || Array.isArray(input)) return `expected one step such as ${stepHelp.goto} or ${stepHelp.click}, got ${show(input)}`;
  const keys = Object.keys(input).filter((k) => k !== 'timeout');
  if (keys.length !== 1) return `a step has exactly one action (${actions.join(', ')}), got ${keys.length ? keys.join(', ') : 'none'}`;
  const key = keys[0];
  if (!(key in stepForms)) {
    const near = actions.find((a) => a.startsWith(key.slice(0, 3))) ?? actions.find((a) => a.includes(key));
    return `unknown step "${key}"${near ? ` (did you mean "${near}"?)` : ''}; steps are ${actions.join(', ')}`;
  }
  return `${key} takes ${stepHelp[key as keyof typeof stepForms]}, got ${show((input as Record<string, unknown>)[key])}`;
}

/** One step of a browser journey: exactly one action. */
export const browserStep = z.union(Object.values(stepForms) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]], { error: (iss) => stepError(iss.input) }) as z.ZodType<
  z.output<(typeof stepForms)[keyof typeof stepForms]>,
  z.input<(typeof stepForms)[keyof typeof stepForms]>
>;

export const browserCheck = z.strictObject({
  ...checkBase,
  kind: z.literal('browser'),
  /** The journey, in order: the customer's path through login to the dashboard. */
  steps: z.array(browserStep).min(1, { error: 'a browser check needs at least one step, e.g. `- goto: https://…`' }),
  /** Limit for each step. */
  step_timeout: duration.prefault('10s'),
  /** Browser window size. */
  viewport: z.strictObject({ width: z.number().int().min(320).max(3840), height: z.number().int().min(240).max(2160) }).prefault({ width: 1280, height: 800 }),
  expect: z.strictObject({ ...latency }).prefault({}),
});

export const checkKinds = ['http', 'tcp', 'dns', 'tls', 'browser'] as const;

export const check = z.discriminatedUnion('kind', [httpCheck, tcpCheck, dnsCheck, tlsCheck, browserCheck], {
  error: (iss) => `expected kind one of ${checkKinds.map((k) => `"${k}"`).join(', ')}, got ${show(iss.input)}`,
});

export const checksFile = z.strictObject({
  checks: z.array(check).min(1, { error: 'add at least one check, or delete the file' }),
});

export type SiteFile = z.output<typeof siteFile>;
export type Component = z.output<typeof component>;
export type Group = z.output<typeof group>;
export type Check = z.output<typeof check>;
export type HttpCheck = z.output<typeof httpCheck>;
export type TcpCheck = z.output<typeof tcpCheck>;
export type DnsCheck = z.output<typeof dnsCheck>;
export type TlsCheck = z.output<typeof tlsCheck>;
export type BrowserCheck = z.output<typeof browserCheck>;
export type BrowserStep = z.output<typeof browserStep>;
export type CheckKind = Check['kind'];
export type HttpExpect = z.output<typeof httpExpect>;

export const componentStatuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const impacts = ['none', 'minor', 'major', 'critical'] as const;

const instantText = real(
  z
    .string({ error: (iss) => `expected a time such as "2026-11-23T13:05:00Z", got ${show(iss.input)}` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
      error: (iss) => `expected a time with its offset, such as "2026-11-23T13:05:00Z" or "2026-11-23T14:05:00+01:00", got ${show(iss.input)}`,
    }),
);

export const incidentUpdate = z.strictObject({
  /** When this update was posted. */
  at: instantText,
  status: z.enum(incidentStatuses),
  /** Markdown. Rendered safely: raw HTML is shown as text. */
  message: z.string().min(1),
  /** Who wrote it: "upkeep" for automatic updates, a GitHub login for comments, anything for people. */
  by: z.string().optional(),
  /** Automatic updates note the component status they saw. */
  component_status: z.enum(componentStatuses).optional(),
});

export const incidentFile = z.strictObject({
  /** Must match the file name (`<id>.md`). */
  id: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, { error: (iss) => `expected an id of lowercase letters, digits and dashes, got ${show(iss.input)}` }),
  title: z.string().min(1),
  components: z.array(id).min(1),
  impact: z.enum(impacts),
  /** Opened by Upkeep from probe results (people may still add updates). */
  automatic: z.boolean().default(false),
  /** When the problem began (the first failing sample), if known. */
  started: instantText.optional(),
  /** The GitHub issue that mirrors it, if any. */
  github_issue: z.number().int().positive().optional(),
  /** Newest or oldest first, as you like; pages sort them. */
  updates: z.array(incidentUpdate).min(1, { error: 'an incident needs at least one update (at, status, message)' }),
});

export type IncidentFile = z.output<typeof incidentFile>;
export type IncidentUpdate = z.output<typeof incidentUpdate>;
export type Impact = (typeof impacts)[number];
export type IncidentStatus = (typeof incidentStatuses)[number];
