/**
 * The single source of truth for what a vendor may write in `checks/` and `history/incidents/`.
 * Types come from here (`z.output`), and so does the JSON Schema editors use (`npm run schema`).
 * Each check kind's own fields are in src/kinds/<kind>/schema.ts; the table in src/kinds makes the union.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { durationIn, id, percent, show, supportedLanguages, timeZone, translations } from './fields.ts';
import { kinds, type CheckKind, type CheckOf } from '../kinds/index.ts';
import { linkScheme } from '../text/markdown.ts';
import { impossibleTime } from '../time/parse.ts';
import { componentStatus, impact, incidentStatus, weekdays } from '../status/vocabulary.ts';

/**
 * A link a vendor writes into the page: http(s), mailto, or a path on the site. `javascript:`,
 * `data:` and other schemes would run or carry content in every visitor's browser.
 */
export const linkSchemes = ['http', 'https', 'mailto'] as const;

const safeLink = z
  .string()
  .min(1)
  .refine(
    (url) => {
      const scheme = linkScheme(url);
      return scheme === undefined || (linkSchemes as readonly string[]).includes(scheme);
    },
    {
      error: (iss) =>
        `expected an https://, http:// or mailto: link, or a path such as "/logo.svg", got ${show(iss.input)} (other schemes, such as javascript: and data:, are refused: they run in visitors' browsers)`,
    },
  );

export { supportedLanguages, translations, type Translations } from './fields.ts';

export const site = z.strictObject({
  title: z.string().min(1).describe('Page title, e.g. "Acme CRM Status".'),
  vendor: z.string().min(1).describe("The vendor's name as customers know it."),
  description: z.string().optional().describe('One sentence under the title.'),
  translations: translations({
    title: 'The page title in this language.',
    vendor: "The vendor's name in this language.",
    description: 'The sentence under the title.',
  }),
  url: z
    .url({ protocol: /^https?$/, error: (iss) => `expected the page's https:// address, got ${show(iss.input)}` })
    .optional()
    .meta({ description: 'Public address of the status page, used in feeds and canonical links.', examples: ['https://status.acme-crm.example'] }),
  base_path: z
    .string()
    .regex(/^\/(?:[A-Za-z0-9._-]+\/)*$/, { error: 'expected a path that starts and ends with "/", e.g. "/" or "/status/"' })
    .default('/')
    .meta({ description: 'Path prefix for GitHub project pages.', examples: ['/status/'] }),
  time_zone: timeZone.default('UTC').meta({ description: 'Time zone the page shows times in (stored times are always UTC).', examples: ['Europe/Prague'] }),
  language: z.enum(supportedLanguages).default('en').describe('Default language of the page.'),
  languages: z.array(z.enum(supportedLanguages)).default([]).describe('Other languages to publish, each under its own path (/cs/, /pt-br/ …).'),
  logo: safeLink.optional().describe('A logo image URL (shown beside the title; SVG or PNG).'),
  accent: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour like "#2563eb"' })
    .optional()
    .describe('Accent colour (CSS hex).'),
  links: z
    .array(
      z.strictObject({
        label: z.string().min(1).describe('The link text.'),
        url: safeLink.describe('https://, http://, mailto: or a path.'),
        translations: translations({ label: 'The link text in this language.' }),
      }),
    )
    .default([])
    .describe('Links shown in the header: support, main site.'),
  websub_hub: z
    .url({ protocol: /^https?$/, error: (iss) => `expected a WebSub hub's https:// address, got ${show(iss.input)}` })
    .optional()
    .meta({
      description:
        'A WebSub hub: every feed names it, and the site workflow pings it after each deploy, so feed readers that support WebSub update within seconds.',
      examples: ['https://pubsubhubbub.appspot.com/'],
    }),
});

export const defaults = z.strictObject({
  interval: durationIn('1s', '1d').prefault('5m').describe('How often the scheduler probes; a sample covers at most twice this.'),
  timeout: durationIn('100ms', '10m').prefault('10s').describe('Per-attempt timeout.'),
  retries: z.number().int().min(0).max(5).default(2).describe('Re-probes of a failing check before it is recorded as down.'),
  quorum: z.number().int().min(1).optional().describe('With several regions, how many must see a check down for it to count as down (default: a majority).'),
  retry_backoff: durationIn('0s', '5m').prefault('2s').describe('Wait before the first re-probe; doubled for each further one.'),
});

export const group = z.strictObject({
  id: id.describe('Stable id of the group.'),
  name: z.string().min(1).describe('The heading shown on the page.'),
  description: z.string().optional().describe('A sentence under the heading.'),
  translations: translations({ name: 'The heading in this language.', description: 'The sentence under it.' }),
});

export const component = z.strictObject({
  id: id.describe('Stable id; checks name it in `component:`; renaming it starts a new history.'),
  name: z.string().min(1).describe('What customers call it, e.g. "Email sync".'),
  description: z.string().optional().describe('A sentence shown under the name.'),
  translations: translations({ name: 'What customers call it in this language.', description: 'The sentence under the name.' }),
  group: id.optional().describe('Id of a group in `groups`.'),
  sla: percent.optional().describe("Monthly SLA target in percent; the site's `sla.target` when absent."),
  down_when: z.enum(['any', 'all']).default('any').describe('Down when `any` critical check is down (default), or only when `all` are.'),
});

export const instance = z.strictObject({
  id: id.describe('Stable id, e.g. "na1"; checks run once per instance as `check@na1`.'),
  name: z.string().min(1).max(60).describe('What customers call it, e.g. "NA1".'),
  region: z.string().min(1).max(60).optional().describe('Where it runs, e.g. "North America": shown beside the name and searched.'),
  translations: translations({ name: 'Its name in this language.', region: 'Where it runs, in this language (searched too).' }),
  hosts: z
    .array(z.string().min(1).max(253))
    .default([])
    .describe('Customer-facing host names on this instance (acme.pipewell.example): "find your instance" searches them.'),
  aliases: z.array(z.string().min(1).max(60)).default([]).describe('Other names customers use for it (us1, "Frankfurt"): searched too.'),
  probe_from: z
    .array(id)
    .min(1)
    .optional()
    .describe("The probe regions (site.yml `regions`) that probe this instance's checks, e.g. the ones nearest it; every region when absent."),
  vars: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .describe('Values its checks use as `${{ instance.NAME }}` (e.g. base_url); id, name and region are there too.'),
});

/** A probe region: where runners probe from (`upkeep run --region ID`), and which runners `upkeep matrix` asks GitHub for. */
export const region = z.strictObject({
  id: id.describe('The name runners probe as (`--region`), e.g. "eu-west"; stored with every sample.'),
  runs_on: z
    .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
    .default('ubuntu-latest')
    .describe("The runner labels for this region's jobs, e.g. [self-hosted, eu-west]; GitHub's own runners by default."),
});

export const credit = z.strictObject({
  below: percent.describe('Monthly uptime below this percentage…'),
  credit: percent.describe('…earns this service credit, in percent of the monthly fee.'),
});

export const siteFile = z.strictObject({
  site: site.describe('The page: title, vendor, address, time zone, languages, branding.'),
  vars: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
    .default({})
    .describe("Values checks use as `${{ vars.NAME }}`, e.g. the CRM's base URL. Not secret."),
  defaults: defaults.prefault({}).describe('How every check is probed unless it says otherwise.'),
  groups: z.array(group).default([]).describe('Headings the components are shown under.'),
  regions: z
    .array(region)
    .default([])
    .describe(
      'Probe regions, when runners in several places probe (see `upkeep matrix`); a check is down when a quorum of them agree. None: one runner probes everything.',
    ),
  instances: z
    .array(instance)
    .default([])
    .describe(
      'The CRM instances customers are on (pods, cells, data centres): each gets its own status. A check with `for_each: instances` runs once per instance.',
    ),
  components: z
    .array(component)
    .min(1, { error: 'add at least one component (what customers see, e.g. "API")' })
    .describe('What customers care about (API, Web app, Email sync…); each check belongs to one.'),
  sla: z
    .strictObject({
      target: percent.default(99.9).describe('Monthly SLA target in percent, for components that name none.'),
      credits: z.array(credit).default([]).describe('Service credits, e.g. below 99.9 → 10, below 99 → 25.'),
      time_zone: timeZone.default('UTC').describe('Calendar months for the SLA are counted in this zone.'),
      min_coverage: percent
        .default(90)
        .describe(
          'A complete month observed less than this share of the time is "insufficient data", not judged, unless it breached even counting every unobserved minute as up.',
        ),
    })
    .prefault({})
    .describe('Monthly SLA: target, credits, and the zone its calendar months are counted in.'),
  incidents: z
    .strictObject({
      automatic: z.boolean().default(true).describe("Open incidents from probe results (people's incidents work either way)."),
      quiet_period: durationIn('0s', '30d').prefault('30m').describe('A component failing again this soon after its incident resolved re-opens that incident.'),
      github_issues: z.boolean().default(false).describe('Mirror automatic incidents to GitHub issues (needs GITHUB_TOKEN with issues: write).'),
      open_after: z
        .union([
          z
            .number()
            .int()
            .min(0)
            .max(100)
            .transform((rounds) => ({ rounds })),
          durationIn('0s', '1d').transform((ms) => ({ ms })),
        ])
        .prefault(0)
        .describe(
          'How long a confirmed failure lasts before an incident is public: a number of rounds (intervals), or a duration such as "5m". The team is alerted at once either way; a blip shorter than this never reaches the page.',
        ),
      review: z
        .boolean()
        .default(false)
        .describe(
          'Automatic incidents start as drafts (the team hears, the page does not) until a collaborator publishes one: a `publish` comment on its issue, or `draft: false` in its file.',
        ),
    })
    .prefault({})
    .describe('Automatic incidents from probe results, and GitHub issues for them.'),
  history: z
    .strictObject({
      raw_days: z
        .number()
        .int()
        .min(3)
        .default(90)
        .describe('Raw samples older than this many days are deleted by `upkeep rollup` once rolled up (rollups are kept forever).'),
    })
    .prefault({})
    .describe('How long raw samples are kept.'),
  pull_requests: z
    .strictObject({
      allow_private: z
        .array(
          z.string().refine(isAllowEntry, { error: (iss) => `expected an address, a network such as "10.20.0.0/16", or a host name, got ${show(iss.input)}` }),
        )
        .default([])
        .meta({
          description:
            'Private, loopback and link-local targets a pull request\'s dry run may probe: addresses, networks ("10.20.0.0/16") or host names. Read from the base branch, never from the pull request.',
          examples: [['10.20.0.0/16', 'crm-staging.internal']],
        }),
    })
    .prefault({})
    .describe("What a pull request's dry run may do."),
});

/** A date or time that exists: "2026-02-30" and "25:61" are refused where they are written. */
const real = <T extends z.ZodString>(schema: T) =>
  schema.refine((text) => impossibleTime(text) === undefined, {
    error: (iss) => `${show(iss.input)} is not a real time: ${impossibleTime(String(iss.input))}`,
  });

const dateTime = real(
  z.string().regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$/, {
    error: (iss) => `expected a date and time such as "2026-11-28 22:00" (in the window's time zone) or "2026-11-28T21:00:00Z", got ${show(iss.input)}`,
  }),
);
const date = real(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: (iss) => `expected a date such as "2026-11-28", got ${show(iss.input)}` }));

export const maintenanceWindow = z
  .strictObject({
    id: id.describe('Stable id of the window.'),
    title: z.string().min(1).describe('What is done, as customers read it: "Database upgrade".'),
    description: z.string().optional().describe('Markdown, shown on the page and in feeds.'),
    translations: translations({ title: 'What is done, in this language.', description: 'Markdown, in this language.' }),
    components: z.array(id).min(1).describe('Component ids the window covers: their failures raise no incident and count as maintenance.'),
    instances: z.array(id).min(1).optional().describe('The instances it covers (site.yml `instances`); all of them when absent.'),
    time_zone: timeZone.optional().describe("Zone for times without an offset, and for recurring windows; the site's zone when absent."),
    start: dateTime.optional().describe('A one-off window\'s start: "2026-11-28 22:00" in the window\'s zone, or with an offset.'),
    end: dateTime.optional().describe("A one-off window's end."),
    recurring: z
      .strictObject({
        weekly: z.array(z.enum(weekdays)).min(1).optional().describe('Days of the week it happens on, e.g. [sun] or [mon, thu].'),
        monthly: z.number().int().min(1).max(31).optional().describe('Day of the month (a later day than the month has means its last day).'),
        at: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: (iss) => `expected a local time such as "06:00", got ${show(iss.input)}` })
          .describe('Local time it starts, "HH:MM", in the window\'s time zone.'),
        duration: durationIn('1m', '31d').describe('How long each occurrence lasts, e.g. "2h".'),
        from: date.optional().describe('First date it applies (inclusive).'),
        until: date.optional().describe('Last date it applies (inclusive).'),
      })
      .refine((r) => (r.weekly === undefined) !== (r.monthly === undefined), { error: 'give either `weekly: [mon, …]` or `monthly: <day>`' })
      .optional()
      .describe('A recurring window: weekly on some days, or monthly on a day, at a local time, for a duration.'),
  })
  .refine((w) => (w.recurring !== undefined) !== (w.start !== undefined || w.end !== undefined), {
    error: 'give either `start` and `end` (a one-off window) or `recurring:`',
  })
  .refine((w) => w.recurring !== undefined || (w.start !== undefined && w.end !== undefined), { error: 'a one-off window needs both `start` and `end`' });

export const maintenanceFile = z.strictObject({
  maintenance: z.array(maintenanceWindow).default([]).describe('Planned windows, one-off or recurring: no incidents then, and the time counts as maintenance.'),
});

export type MaintenanceWindow = z.output<typeof maintenanceWindow>;

/** An address, a CIDR network or a host name, for `pull_requests.allow_private`. */
export function isAllowEntry(text: string): boolean {
  const [address, bits, extra] = text.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (bits !== undefined) return version !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
  return version !== 0 || /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(address);
}

export const checkKinds = Object.keys(kinds) as (keyof typeof kinds)[];

/** A check of any kind, told apart by `kind`. */
export const check = z.discriminatedUnion('kind', Object.values(kinds).map((k) => k.schema) as unknown as [z.ZodObject, ...z.ZodObject[]], {
  error: (iss) => `expected kind one of ${checkKinds.map((k) => `"${k}"`).join(', ')}, got ${show(iss.input)}`,
}) as unknown as z.ZodType<CheckOf<CheckKind>>;

export const checksFile = z.strictObject({
  checks: z
    .array(check)
    .min(1, { error: 'add at least one check, or delete the file' })
    .describe('The checks of this file: each probes one thing, for one component.'),
});

export type SiteFile = z.output<typeof siteFile>;
export type Component = z.output<typeof component>;
export type Group = z.output<typeof group>;
export type { CheckKind };
export type Check = CheckOf<CheckKind>;
export type { HttpCheck, HttpExpect } from '../kinds/http/schema.ts';
export type { TcpCheck } from '../kinds/tcp/schema.ts';
export type { DnsCheck } from '../kinds/dns/schema.ts';
export type { TlsCheck } from '../kinds/tls/schema.ts';
export type { BrowserCheck, BrowserStep } from '../kinds/browser/schema.ts';

const instantText = real(
  z
    .string({ error: (iss) => `expected a time such as "2026-11-23T13:05:00Z", got ${show(iss.input)}` })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/, {
      error: (iss) => `expected a time with its offset, such as "2026-11-23T13:05:00Z" or "2026-11-23T14:05:00+01:00", got ${show(iss.input)}`,
    }),
);

export const incidentUpdate = z.strictObject({
  at: instantText.describe('When this update was posted.'),
  status: incidentStatus,
  message: z.string().min(1).describe('Markdown. Rendered safely: raw HTML is shown as text.'),
  translations: translations({ message: 'The message in this language (markdown).' }),
  by: z.string().optional().describe('Who wrote it: "upkeep" for automatic updates, a GitHub login for comments, anything for people.'),
  component_status: componentStatus.optional().describe('Automatic updates note the component status they saw.'),
  reasons: z
    .array(z.string().regex(/^[a-z][a-z0-9_]*$/))
    .optional()
    .describe("Automatic updates: the failing checks' reason codes (status_503, timeout, stale, …); pages word them in their own language."),
});

export const incidentFile = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, { error: (iss) => `expected an id of lowercase letters, digits and dashes, got ${show(iss.input)}` })
    .describe('Must match the file name (`<id>.md`).'),
  title: z.string().min(1),
  translations: translations({ title: 'The title in this language.' }),
  components: z.array(id).min(1),
  instances: z.array(id).min(1).optional().describe('The instances it affects (site.yml `instances`); all of them when absent.'),
  impact,
  automatic: z.boolean().default(false).describe('Opened by Upkeep from probe results (people may still add updates).'),
  draft: z.boolean().default(false).describe('A draft is for the team only: not on the page, not in feeds or the API, no subscriber hears of it.'),
  published: instantText.optional().describe('When a draft was published (subscribers hear of it then, with everything that happened before as one message).'),
  started: instantText.optional().describe('When the problem began (the first failing sample), if known.'),
  last_good: instantText.optional().describe('The last good sample before it (automatic incidents): time to detect is measured from here, an upper bound.'),
  github_issue: z.number().int().positive().optional().describe('The GitHub issue that mirrors it, if any.'),
  updates: z
    .array(incidentUpdate)
    .min(1, { error: 'an incident needs at least one update (at, status, message)' })
    .describe('Newest or oldest first, as you like; pages sort them.'),
});

export type IncidentFile = z.output<typeof incidentFile>;
export type IncidentUpdate = z.output<typeof incidentUpdate>;
