/**
 * An Upptime repository → Upkeep's checks: each site of `.upptimerc.yml` becomes a check (and a
 * component of the same id), with its method, expected status codes, headers, request body and
 * body assertions; `$SECRET` references become `${{ env.SECRET }}`, the same repository secret.
 *
 * History is carried over only as far as it is honest. Upptime commits a summary per site (the
 * latest result in `history/<slug>.yml`, uptime and response-time percentages in
 * `history/summary.json` and the shields files under `api/<slug>/`), not the samples behind it:
 * those live in commit messages and its incidents in GitHub issues. Upkeep counts uptime from
 * samples and calls unobserved time "no data", so the figures are kept as comments beside each
 * check for reference, and its own count starts with its first probe.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../cli/errors.ts';
import { formatError } from '../config/errors.ts';
import { check as checkSchema, linkSchemes, siteFile } from '../config/schema.ts';
import { parseYaml } from '../config/yaml.ts';
import { linkScheme } from '../text/markdown.ts';
import { count, emptyReport, listOf, oneLine, slugify, uniqueId, type FileChange, type Plan } from './common.ts';
import { appendToList, listItems, markerIn, newYamlFile, type NewItem } from './yaml-edit.ts';

const str = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.optional().catch(undefined);

export const upptimeSite = z.object({
  name: z.coerce.string().min(1),
  url: z.coerce.string().min(1),
  slug: maybe(z.coerce.string()),
  type: maybe(str),
  check: maybe(str),
  method: maybe(str),
  port: maybe(z.coerce.number()),
  expectedStatusCodes: maybe(z.array(z.coerce.number())),
  headers: maybe(z.array(z.coerce.string())),
  body: maybe(str),
  maxResponseTime: maybe(z.coerce.number()),
  maxRedirects: maybe(z.coerce.number()),
  requestTimeout: maybe(z.coerce.number()),
  __dangerous__body_down: maybe(z.coerce.string()),
  __dangerous__body_down_if_text_missing: maybe(z.coerce.string()),
  __dangerous__body_degraded: maybe(z.coerce.string()),
  __dangerous__body_degraded_if_text_missing: maybe(z.coerce.string()),
});

export type UpptimeSite = z.output<typeof upptimeSite> & { raw: Record<string, unknown> };

/** `history/<slug>.yml`: the latest result Upptime committed for a site. */
export type SiteHistory = { url?: string; status?: string; code?: number; responseTime?: number; lastUpdated?: string; startTime?: string };

/** One site's entry in `history/summary.json`, or the same figures read from its shields files. */
export type SiteSummary = {
  uptime?: string;
  uptimeDay?: string;
  uptimeWeek?: string;
  uptimeMonth?: string;
  uptimeYear?: string;
  time?: number;
  timeDay?: number;
  timeWeek?: number;
  timeMonth?: number;
  timeYear?: number;
  dailyMinutesDown?: Record<string, number>;
};

export type UpptimeSource = {
  dir: string;
  config: Record<string, unknown>;
  sites: UpptimeSite[];
  /** Sites left out while reading, and why. */
  skipped: string[];
  /** history/<file>.yml by slug (the file name). */
  history: Map<string, SiteHistory>;
  summary: Map<string, SiteSummary & { from: string }>;
};

const MAX_FILE = 4 * 1024 * 1024;

async function readSmall(file: string): Promise<string | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_FILE) return undefined;
  return readFile(file, 'utf8');
}

/** Reads an Upptime repository: `.upptimerc.yml` (needed), `history/*.yml`, `history/summary.json`, `api/<slug>/*.json`. */
export async function readUpptime(dir: string): Promise<UpptimeSource> {
  const rcFile = join(dir, '.upptimerc.yml');
  const text = await readSmall(rcFile);
  if (text === undefined) throw new InputError(`--from ${dir}: no .upptimerc.yml there (give the folder of an Upptime repository)`);
  const parsed = parseYaml(text, rcFile);
  if (!parsed.parsed) throw new InputError(`${rcFile} cannot be read:\n${parsed.errors.map(formatError).join('\n')}`);
  const config = (parsed.parsed.data ?? {}) as Record<string, unknown>;
  if (!Array.isArray(config.sites) || config.sites.length === 0) throw new InputError(`${rcFile}: no sites: to import`);
  const sites: UpptimeSite[] = [];
  const skipped: string[] = [];
  config.sites.forEach((raw, k) => {
    const r = upptimeSite.safeParse(raw);
    if (r.success) sites.push({ ...r.data, raw: raw as Record<string, unknown> });
    else skipped.push(`sites[${k}]: ${r.error.issues[0].path.join('.')} ${r.error.issues[0].message.toLowerCase()}`);
  });

  const history = new Map<string, SiteHistory>();
  for (const name of (await readdir(join(dir, 'history')).catch(() => [] as string[])).filter((n) => n.endsWith('.yml')).sort()) {
    const t = await readSmall(join(dir, 'history', name));
    if (t === undefined) continue;
    // Upptime's own reader drops a leading "- " from each line: old versions wrote the file as a list.
    const y = parseYaml(
      t
        .split('\n')
        .map((l) => (l.startsWith('- ') ? l.slice(2) : l))
        .join('\n'),
      join(dir, 'history', name),
    );
    const d = y.parsed?.data;
    if (d && typeof d === 'object' && !Array.isArray(d)) history.set(name.slice(0, -4), siteHistory(d as Record<string, unknown>));
  }

  const summary = new Map<string, SiteSummary & { from: string }>();
  const summaryText = await readSmall(join(dir, 'history', 'summary.json'));
  if (summaryText !== undefined) {
    try {
      const list = JSON.parse(summaryText);
      if (Array.isArray(list))
        for (const s of list) if (s && typeof s.slug === 'string') summary.set(s.slug, { ...pickSummary(s), from: 'history/summary.json' });
    } catch {
      skipped.push('history/summary.json: not JSON');
    }
  }
  for (const slug of await readdir(join(dir, 'api')).catch(() => [] as string[])) {
    if (summary.has(slug)) continue;
    const shields: SiteSummary = {};
    for (const [file, key, kind] of shieldFiles) {
      const t = await readSmall(join(dir, 'api', slug, file));
      if (t === undefined) continue;
      try {
        const message = JSON.parse(t)?.message;
        if (typeof message !== 'string') continue;
        if (kind === 'uptime' && /^\d+(\.\d+)?%$/.test(message)) (shields as Record<string, unknown>)[key] = message;
        const ms = /^(\d+(?:\.\d+)?) ms$/.exec(message);
        if (kind === 'time' && ms) (shields as Record<string, unknown>)[key] = Number(ms[1]);
      } catch {}
    }
    if (Object.keys(shields).length) summary.set(slug, { ...shields, from: `api/${slug}/` });
  }
  return { dir, config, sites, skipped, history, summary };
}

const shieldFiles: [string, keyof SiteSummary, 'uptime' | 'time'][] = [
  ['uptime.json', 'uptime', 'uptime'],
  ['uptime-day.json', 'uptimeDay', 'uptime'],
  ['uptime-week.json', 'uptimeWeek', 'uptime'],
  ['uptime-month.json', 'uptimeMonth', 'uptime'],
  ['uptime-year.json', 'uptimeYear', 'uptime'],
  ['response-time.json', 'time', 'time'],
  ['response-time-day.json', 'timeDay', 'time'],
  ['response-time-week.json', 'timeWeek', 'time'],
  ['response-time-month.json', 'timeMonth', 'time'],
  ['response-time-year.json', 'timeYear', 'time'],
];

function siteHistory(d: Record<string, unknown>): SiteHistory {
  const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const n = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
  const out: SiteHistory = {};
  if (s(d.url)) out.url = s(d.url);
  if (s(d.status)) out.status = s(d.status);
  if (n(d.code) !== undefined) out.code = n(d.code);
  if (n(d.responseTime) !== undefined) out.responseTime = n(d.responseTime);
  if (s(d.lastUpdated)) out.lastUpdated = s(d.lastUpdated);
  if (s(d.startTime)) out.startTime = s(d.startTime);
  return out;
}

function pickSummary(s: Record<string, unknown>): SiteSummary {
  const out: Record<string, unknown> = {};
  for (const k of ['uptime', 'uptimeDay', 'uptimeWeek', 'uptimeMonth', 'uptimeYear'])
    if (typeof s[k] === 'string' && /^\d+(\.\d+)?%$/.test(s[k] as string)) out[k] = s[k];
  for (const k of ['time', 'timeDay', 'timeWeek', 'timeMonth', 'timeYear']) if (typeof s[k] === 'number' && Number.isFinite(s[k])) out[k] = s[k];
  if (s.dailyMinutesDown && typeof s.dailyMinutesDown === 'object')
    out.dailyMinutesDown = Object.fromEntries(
      Object.entries(s.dailyMinutesDown as Record<string, unknown>).filter(([day, m]) => /^\d{4}-\d{2}-\d{2}$/.test(day) && typeof m === 'number' && m >= 0),
    );
  return out as SiteSummary;
}

/** @sindresorhus/slugify as Upptime calls it, for plain names: "GitHub API" → "git-hub-api", "Café & Bar" → "cafe-and-bar". */
export function upptimeSlug(name: string): string | undefined {
  const decamel = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/([A-Z]{2,})(\d+)/g, '$1 $2')
    .replace(/([a-z\d]+)([A-Z]{2,})/g, '$1 $2')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-rt-z\d]+)/g, '$1 $2');
  return slugify(decamel, 200);
}

export type UpptimeExisting = {
  checksDir: string;
  site?: string;
  /** checks/upptime.yml as it is, if it exists. */
  checks?: string;
  /** Check ids in the other check files, which the new ones must not repeat. */
  otherCheckIds: Set<string>;
  schemaDir?: string;
};

const SECRET = /\$([A-Z_][A-Z0-9_]*)/g;
const DYNAMIC = new Set(['DYNAMIC_RANDOM_NUMBER', 'DYNAMIC_ALPHANUMERIC_STRING']);
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The keys of a site this importer reads; any other is named in "not carried over". */
const READ = new Set([
  'name',
  'url',
  'slug',
  'check',
  'method',
  'port',
  'expectedStatusCodes',
  'headers',
  'body',
  'maxResponseTime',
  'maxRedirects',
  'requestTimeout',
  '__dangerous__body_down',
  '__dangerous__body_down_if_text_missing',
  '__dangerous__body_degraded',
  '__dangerous__body_degraded_if_text_missing',
]);

const why: Record<string, string> = {
  icon: 'Upkeep shows no site icons',
  assignees: 'Upkeep opens no issues per site; incidents are files (and, with incidents.github_issues, issues without assignees)',
  tags: 'Upkeep labels incident issues with the component',
  __dangerous__insecure: 'Upkeep always verifies certificates (give ca_file for a private CA)',
  __dangerous__disable_verify_peer: 'Upkeep always verifies certificates (give ca_file for a private CA)',
  __dangerous__disable_verify_host: 'Upkeep always checks the host name',
  type: 'Upkeep probes from your own runners (regions), not from Globalping',
  location: 'Upkeep probes from your own runners (regions), not from Globalping',
  maxRetries: "Upkeep re-probes a failure itself (retries, 2 by default); Upptime's curl retries are not the same thing",
  connectTimeout: 'Upkeep has one timeout per attempt (timeout)',
  ipv6: 'Upkeep connects to what the name resolves to',
  verbose: 'Upkeep keeps no curl log',
};

const rcWhy: Record<string, string> = {
  assignees: 'Upkeep assigns no one; with incidents.github_issues each incident gets an issue',
  notifications: 'channels are set in checks/notify.yml (README, "Notifications")',
  i18n: 'the page comes in six languages of its own (site.language, site.languages)',
  commitMessages: 'Upkeep writes its own commit messages',
  PAT: 'Upkeep uses the workflow token (and, for heartbeats, a token of their own)',
  delay: 'checks run concurrently, each with its own timeout',
  'user-agent': 'set a user-agent header per check',
};

export function planUpptime(src: UpptimeSource, existing: UpptimeExisting): Plan {
  const report = emptyReport();
  const siteFileName = join(existing.checksDir, 'site.yml');
  const checksFileName = join(existing.checksDir, 'upptime.yml');
  const haveComponents = new Set(listItems(existing.site, 'components').map((i) => String(i.data.id)));
  // Checks imported before, by the Upptime slug they remember (`# upptime: <slug>`), else by id.
  const haveChecks = new Map<string, string>();
  for (const i of listItems(existing.checks, 'checks')) {
    const id = String(i.data.id);
    haveChecks.set(id, id);
    const slug = markerIn(i.comments, 'upptime');
    if (slug) haveChecks.set(`upptime:${slug}`, id);
  }
  const checkIds = new Set([...existing.otherCheckIds, ...haveChecks.values()]);
  const componentIds = new Set(haveComponents);
  const newComponents: NewItem[] = [];
  const newChecks: NewItem[] = [];
  const secrets = new Set<string>();
  const dynamic = new Set<string>();
  const skipped = [...src.skipped];
  const notCarried = new Map<string, string[]>();
  const kinds = new Map<string, number>();
  let keptChecks = 0;
  let keptComponents = 0;
  let companions = 0;
  let summaries = 0;
  let noScheme = 0;
  let defaultStatus = 0;
  const usedSlugs = new Set<string>();

  const env = (text: string) =>
    text.replace(SECRET, (whole, name: string) => {
      if (DYNAMIC.has(name)) {
        dynamic.add(name);
        return whole;
      }
      secrets.add(name);
      return `\${{ env.${name} }}`;
    });

  for (const site of src.sites) {
    const name = oneLine(site.name) || site.url;
    const slug = slugOf(site, src, usedSlugs);
    for (const key of Object.keys(site.raw)) {
      if (READ.has(key)) continue;
      notCarried.set(key, [...(notCarried.get(key) ?? []), name]);
    }
    const kind = site.check ?? 'http';
    if (!['http', 'tcp-ping', 'ssl'].includes(kind)) {
      skipped.push(`"${name}" (check: ${kind}): ${kind === 'ws' ? 'Upkeep has no WebSocket check' : 'Upkeep has no such check'}`);
      continue;
    }
    const base = slugify(slug) ?? slugify(name) ?? 'site';
    // The site's component has its slug (a page that has one of that id already gets its checks);
    // the check too, unless another check file has taken it.
    const component = base;
    if (haveComponents.has(component)) keptComponents++;
    else if (!componentIds.has(component)) {
      componentIds.add(component);
      newComponents.push({ value: { id: component, name } });
    }
    if (haveChecks.has(`upptime:${slug}`) || haveChecks.has(base)) {
      keptChecks++;
      continue;
    }
    const id = uniqueId(base, checkIds);
    const made = checkOf(site, id, component, name, env, () => noScheme++);
    if (typeof made === 'string') {
      skipped.push(`"${name}": ${made}`);
      continue;
    }
    if (made.defaultStatus) defaultStatus++;
    const figures = historyComment(src, slug, name);
    if (figures.length) summaries++;
    kinds.set(String(made.check.kind), (kinds.get(String(made.check.kind)) ?? 0) + 1);
    newChecks.push({
      value: made.check,
      above: figures.length ? figures : [`Upptime "${name}".`],
      ...(/^[a-z0-9][a-z0-9-]*$/.test(slug) ? { marker: `upptime: ${slug}` } : {}),
    });
    if (made.companion) {
      const companion = { ...made.companion, id: uniqueId(`${id}-degraded`, checkIds) };
      companions++;
      newChecks.push({
        value: companion,
        above: [
          `Upptime's __dangerous__body_degraded* for "${name}": Upkeep's body assertions make a check down, so this`,
          `check is not critical: when it fails, its component is degraded, not down, as in Upptime.`,
        ],
      });
    }
  }

  // site.yml.
  const rc = src.config;
  const website = (rc['status-website'] && typeof rc['status-website'] === 'object' ? rc['status-website'] : {}) as Record<string, unknown>;
  const owner = typeof rc.owner === 'string' ? oneLine(rc.owner) : '';
  const repo = typeof rc.repo === 'string' ? oneLine(rc.repo) : '';
  const header = (kind: string, extra: string[] = []) => [
    ...(existing.schemaDir ? [`yaml-language-server: $schema=${existing.schemaDir}/${kind}.schema.json`] : []),
    `Imported from Upptime${owner && repo ? ` (${owner}/${repo})` : ''}. Run \`upkeep import upptime\` again to add new sites; your edits here are kept.`,
    ...extra,
  ];
  let siteText: string;
  if (existing.site === undefined) {
    const title = typeof website.name === 'string' && oneLine(website.name) ? oneLine(website.name) : `${owner || 'Our'} Status`;
    const vendor = title.replace(/\s+status(\s+page)?$/i, '') || owner || title;
    const site: Record<string, unknown> = { title, vendor };
    if (typeof website.introMessage === 'string' && oneLine(website.introMessage)) site.description = oneLine(website.introMessage);
    const logo = typeof website.logoUrl === 'string' ? website.logoUrl : undefined;
    if (logo && /^https?:\/\//.test(logo)) site.logo = logo;
    else if (logo) report.notCarried.push(`status-website.logoUrl ${JSON.stringify(logo)}: a logo must be an https:// address`);
    const links = Array.isArray(website.navbar)
      ? website.navbar.flatMap((l: Record<string, unknown>) => {
          const url = typeof l?.href === 'string' ? l.href : typeof l?.url === 'string' ? l.url : undefined;
          const label = typeof l?.title === 'string' ? oneLine(l.title) : '';
          if (!url || !label || url === '/') return [];
          const scheme = linkScheme(url);
          return scheme === undefined || (linkSchemes as readonly string[]).includes(scheme) ? [{ label, url }] : [];
        })
      : [];
    if (links.length) site.links = links;
    const data: Record<string, unknown> = { site };
    const every = intervalOf(rc.workflowSchedule);
    if (every) data.defaults = { interval: every };
    const cname = typeof website.cname === 'string' ? oneLine(website.cname) : '';
    siteText = newYamlFile(header('site', cname ? [`When this page takes over https://${cname}, set site.url to it (feeds and links use it).`] : []), data, {
      components: newComponents,
    });
    if (!siteFile.safeParse(parseYamlData(siteText)).success) throw new Error(`the new site.yml does not pass Upkeep's schema: ${siteText}`);
  } else {
    siteText = appendToList(existing.site, 'components', newComponents);
  }
  const checksText =
    existing.checks === undefined
      ? newChecks.length
        ? newYamlFile(header('checks'), {}, { checks: newChecks })
        : undefined
      : appendToList(existing.checks, 'checks', newChecks);
  for (const c of newChecks) {
    const r = checkSchema.safeParse(c.value);
    if (!r.success)
      throw new Error(`Upkeep made a check its schema refuses (${String(c.value.id)}): ${r.error.issues[0].path.join('.')} ${r.error.issues[0].message}`);
  }

  const files: FileChange[] = [
    { root: existing.checksDir, path: siteFileName, ...(existing.site !== undefined ? { before: existing.site } : {}), after: siteText, what: 'site.yml' },
  ];
  if (checksText !== undefined)
    files.push({
      root: existing.checksDir,
      path: checksFileName,
      ...(existing.checks !== undefined ? { before: existing.checks } : {}),
      after: checksText,
      what: 'upptime.yml',
    });

  // The report.
  report.done.push(`read ${join(src.dir, '.upptimerc.yml')}${owner && repo ? ` (${owner}/${repo})` : ''}: ${count(src.sites.length, 'site')}`);
  const kindList = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
  report.done.push(
    `checks: ${newChecks.length ? `${newChecks.length} added to ${checksFileName} (${kindList}${companions ? `, ${count(companions, 'companion')} for degraded text` : ''})` : 'none new'}${keptChecks ? `, ${keptChecks} already there` : ''}`,
  );
  report.done.push(
    `components: ${newComponents.length ? `${newComponents.length} added to ${siteFileName}${existing.site === undefined ? ' (new)' : ''}, one per site` : 'none new'}${keptComponents ? `, ${keptComponents} already there` : ''}`,
  );
  if (summaries)
    report.done.push(`history: Upptime's summaries of ${count(summaries, 'site')} kept as comments above their checks (for reference; not counted)`);
  if (secrets.size)
    report.next.push(
      `add these repository secrets (Upptime used the same names; validate and probe need them in the environment): ${[...secrets].sort().join(', ')}`,
    );

  report.decisions.push('each site is a component of its own (Upptime has no components): group them in site.yml as customers see them');
  report.decisions.push('$NAME in urls, headers and bodies became ${{ env.NAME }}: the secret of the same name');
  if (defaultStatus)
    report.decisions.push(
      `${count(defaultStatus, 'site')} without expectedStatusCodes: Upkeep's default is any 2xx after following redirects (Upptime also took a final 3xx)`,
    );
  if (noScheme) report.decisions.push(`${count(noScheme, 'url')} without http:// or https:// got http://, as curl read them`);
  report.decisions.push("timeouts: Upptime waited up to 60 s by default; Upkeep's checks time out after defaults.timeout (10 s) unless requestTimeout was set");

  report.notCarried.push(
    'per-sample times and response times: Upptime commits only the latest result per site and running summaries (the samples are in its commit messages, its incidents in GitHub issues); Upkeep starts counting with its first probe, and time before it is "no data"',
  );
  report.notCarried.push("uptime percentages and daily minutes down: kept as comments only; Upkeep's uptime and SLA count its own samples");
  for (const [key, names] of notCarried)
    report.notCarried.push(
      `${key} (${listOf(
        names.map((n) => `"${n}"`),
        3,
      )}): ${why[key] ?? 'not an Upkeep check setting'}`,
    );
  if (dynamic.size)
    report.notCarried.push(
      `${[...dynamic].map((d) => `$${d}`).join(', ')}: sent as written (Upkeep makes random values only in kind: api journeys, as \${{ journey.id }})`,
    );
  for (const k of Object.keys(rc).filter((k) => !['owner', 'repo', 'sites', 'status-website', 'workflowSchedule'].includes(k)))
    report.notCarried.push(`${k} in .upptimerc.yml: ${rcWhy[k] ?? 'no Upkeep counterpart'}`);
  const websiteKeys = Object.keys(website).filter((k) => !['name', 'cname', 'logoUrl', 'introMessage', 'navbar'].includes(k));
  if (websiteKeys.length)
    report.notCarried.push(`status-website ${websiteKeys.join(', ')}: Upkeep's page has its own layout (site.yml: title, description, logo, accent, links)`);
  for (const s of skipped) report.notCarried.push(`left out: ${s}`);
  report.next.push('group the components in site.yml, then upkeep validate, upkeep probe --dry-run, upkeep build');
  return { files, report };
}

function parseYamlData(text: string): unknown {
  return parseYaml(text, 'site.yml').parsed?.data;
}

/** The slug Upptime files a site's history under: its own, the history file with the same url, or Upptime's slug of its name. */
function slugOf(site: UpptimeSite, src: UpptimeSource, used: Set<string>): string {
  if (site.slug?.trim()) return site.slug.trim();
  const byUrl = [...src.history].filter(([slug, h]) => h.url === site.url && !used.has(slug)).map(([slug]) => slug);
  const named = upptimeSlug(site.name) ?? 'site';
  const slug = byUrl.includes(named) ? named : (byUrl[0] ?? named);
  used.add(slug);
  return slug;
}

type Made = { check: Record<string, unknown>; companion?: Record<string, unknown>; defaultStatus?: boolean };

function checkOf(site: UpptimeSite, id: string, component: string, name: string, env: (t: string) => string, noScheme: () => void): Made | string {
  const kind = site.check ?? 'http';
  if (kind === 'tcp-ping' || kind === 'ssl') {
    const host = hostOf(env(site.url));
    if (!host) return `"${site.url}" is not a host name`;
    if (kind === 'tcp-ping') {
      if (!site.port) return 'check: tcp-ping without a port';
      const latency = latencyOf(site);
      return { check: { id, name, component, kind: 'tcp', host, port: site.port, ...(Object.keys(latency).length ? { expect: latency } : {}) } };
    }
    // Upptime's ssl check is down when the certificate expires within 7 days.
    return {
      check: {
        id,
        name,
        component,
        kind: 'tls',
        host,
        ...(site.port && site.port !== 443 ? { port: site.port } : {}),
        expect: { degraded_under_days: 7, down_under_days: 7 },
      },
    };
  }
  const method = (site.method ?? 'GET').toUpperCase();
  if (!METHODS.includes(method)) return `method ${method} (Upkeep sends ${METHODS.join(', ')})`;
  let url = env(site.url.trim());
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('${{')) {
    url = `http://${url}`;
    noScheme();
  }
  const headers: Record<string, string> = {};
  for (const h of site.headers ?? []) {
    const at = h.indexOf(':');
    if (at <= 0) continue;
    headers[h.slice(0, at).trim()] = env(h.slice(at + 1).trim());
  }
  const request: Record<string, unknown> = {
    url,
    ...(method !== 'GET' ? { method } : {}),
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(site.body !== undefined ? { body: env(site.body) } : {}),
    ...(site.maxRedirects !== undefined && Number.isInteger(site.maxRedirects) ? { follow_redirects: Math.min(20, Math.max(0, site.maxRedirects)) } : {}),
  };
  const codes = (site.expectedStatusCodes ?? []).filter((c) => Number.isInteger(c) && c >= 100 && c <= 599);
  const status = codes.length === 0 ? undefined : codes.length === 1 ? codes[0] : [...new Set(codes)];
  const timeout = site.requestTimeout && site.requestTimeout > 0 ? `${Math.min(600, Math.max(1, Math.round(site.requestTimeout)))}s` : undefined;
  const down = [site.__dangerous__body_down, site.__dangerous__body_down_if_text_missing];
  const expect: Record<string, unknown> = {
    ...(status !== undefined ? { status } : {}),
    ...(down[1] ? { body_contains: env(down[1]) } : {}),
    ...(down[0] ? { body_not_contains: env(down[0]) } : {}),
    ...latencyOf(site),
  };
  const check: Record<string, unknown> = {
    id,
    name,
    component,
    kind: 'http',
    ...(timeout ? { timeout } : {}),
    ...request,
    ...(Object.keys(expect).length ? { expect } : {}),
  };
  const degraded = [site.__dangerous__body_degraded, site.__dangerous__body_degraded_if_text_missing];
  const companion =
    degraded[0] || degraded[1]
      ? {
          id: `${id}-degraded`,
          name: `${name} (degraded text)`,
          component,
          kind: 'http',
          critical: false,
          ...(timeout ? { timeout } : {}),
          ...request,
          expect: {
            ...(status !== undefined ? { status } : {}),
            ...(degraded[1] ? { body_contains: env(degraded[1]) } : {}),
            ...(degraded[0] ? { body_not_contains: env(degraded[0]) } : {}),
          },
        }
      : undefined;
  return { check, ...(companion ? { companion } : {}), ...(status === undefined ? { defaultStatus: true } : {}) };
}

function latencyOf(site: UpptimeSite): Record<string, unknown> {
  if (!site.maxResponseTime || site.maxResponseTime <= 0) return {};
  return { degraded_over_ms: Math.round(site.maxResponseTime) };
}

function hostOf(url: string): string | undefined {
  const bare = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const host = bare.split(/[/?#]/)[0].replace(/:\d+$/, '');
  return host && !/\s/.test(host) ? host : undefined;
}

/** Upptime's `workflowSchedule.uptime` cron as an interval, when it is a plain "every N minutes". */
function intervalOf(schedule: unknown): string | undefined {
  const cron = schedule && typeof schedule === 'object' ? (schedule as Record<string, unknown>).uptime : undefined;
  if (typeof cron !== 'string') return undefined;
  const m = /^\*\/(\d{1,2}) \* \* \* \*$/.exec(cron.trim());
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 59) return `${Number(m[1])}m`;
  if (/^0 \* \* \* \*$/.test(cron.trim())) return '1h';
  return undefined;
}

/** Upptime's committed figures for one site, as comment lines. */
function historyComment(src: UpptimeSource, slug: string, name: string): string[] {
  const h = src.history.get(slug);
  const s = src.summary.get(slug);
  const when = (t: string | undefined) => {
    const ms = Date.parse(t ?? '');
    return Number.isFinite(ms) ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
  };
  const facts: string[] = [];
  const files: string[] = [];
  if (h) {
    files.push(`history/${slug}.yml`);
    const since = when(h.startTime);
    if (since) facts.push(`monitored since ${since.slice(0, 10)}`);
    if (h.status) {
      const answer = h.code === 0 ? 'no answer' : [h.code, h.responseTime ? `in ${h.responseTime} ms` : ''].filter(Boolean).join(' ');
      const last = when(h.lastUpdated);
      facts.push(`last result ${h.status}${answer ? ` (${answer})` : ''}${last ? ` at ${last}` : ''}`);
    }
  }
  const lines = [`Upptime "${name}"${facts.length ? `: ${facts.join('; ')}` : ''}.`];
  if (s) {
    files.push(s.from);
    const windows = (values: [string, string | number | undefined][], unit = '') =>
      values
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${v}${unit} ${k}`)
        .join(', ');
    const pct = windows([
      ['all time', s.uptime],
      ['24 h', s.uptimeDay],
      ['7 d', s.uptimeWeek],
      ['30 d', s.uptimeMonth],
      ['1 y', s.uptimeYear],
    ]);
    const times: [string, number | undefined][] = [
      ['all time', s.time],
      ['24 h', s.timeDay],
      ['7 d', s.timeWeek],
      ['30 d', s.timeMonth],
      ['1 y', s.timeYear],
    ];
    const ms = times.some(([, v]) => v) ? windows(times, ' ms') : '';
    if (pct) lines.push(`Uptime ${pct}.`);
    if (ms) lines.push(`Response time ${ms}.`);
    const down = Object.entries(s.dailyMinutesDown ?? {}).filter(([, m]) => m > 0);
    if (down.length) {
      const [day, worst] = down.reduce((a, b) => (b[1] > a[1] ? b : a));
      lines.push(`Down on ${count(down.length, 'day')} in its record, ${down.reduce((n, [, m]) => n + m, 0)} min in all; longest ${worst} min on ${day}.`);
    }
  }
  if (!h && !s) return [];
  lines.push(`Upptime's figures (${files.join(', ')}), kept for reference: Upkeep's uptime and SLA count its own samples.`);
  return lines.map((l) => oneLine(l));
}
