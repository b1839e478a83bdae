/**
 * Reads `checks/`: every YAML file, every error at once, each with file:line:col.
 * Returns results, never throws for bad input (the CLI picks the exit code).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import { describeIssue, didYouMean, formatPath, locate, type ConfigError } from './errors.ts';
import {
  check,
  checksFile,
  component,
  group,
  instance,
  region,
  maintenanceFile,
  maintenanceWindow,
  siteFile,
  type Check,
  type MaintenanceWindow,
  type SiteFile,
} from './schema.ts';
import { parseWhen } from '../time/parse.ts';
import { references } from './template.ts';
import { kinds } from '../kinds/index.ts';
import type { ValidateContext } from '../kinds/kind.ts';
import { channel, eventKinds, notifyFile, publicKinds, type NotifyFile } from '../notify/schema.ts';
import { parseYaml } from './yaml.ts';
import { pushAll } from '../util/arrays.ts';
import { expandInstances } from './instances.ts';
import { translationProblems } from './translations.ts';

export type Source = { file: string; line: number; col: number };

export type Config = SiteFile & {
  checks: Check[];
  /** Planned windows from maintenance.yml (none when the file is absent). */
  maintenance: MaintenanceWindow[];
  /** Channels and delivery from notify.yml (none when the file is absent). */
  notify: NotifyFile;
  /** Where each check is defined, by id (for messages and `--changed-since`). */
  sources: Record<string, Source>;
  /** The checks directory this was read from. */
  dir: string;
};

export type LoadResult = { config?: Config; errors: ConfigError[]; warnings: string[] };

export type LoadOptions = {
  /** Environment for `${{ env.NAME }}` references; missing names are errors. */
  env?: Record<string, string | undefined>;
  /** Overrides for `vars` in site.yml (the demo points the checks at its own server this way). */
  vars?: Record<string, string>;
  /** Whether a missing `${{ env.NAME }}` is an error (building the site needs no secrets). Default true. */
  requireEnv?: boolean;
};

const SITE = 'site.yml';
const MAINTENANCE = 'maintenance.yml';
const NOTIFY = 'notify.yml';

type Parsed = { file: string; doc: Document; lines: LineCounter; data: unknown };

export async function loadConfig(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  let names: string[];
  try {
    names = await yamlFiles(dir);
  } catch {
    return { errors: [{ file: dir, line: 1, col: 1, path: '', message: `no such directory; pass --checks DIR or create ${dir}/${SITE}` }], warnings };
  }
  if (!names.includes(SITE)) {
    errors.push({
      file: join(dir, SITE),
      line: 1,
      col: 1,
      path: '',
      message: 'missing: every status page needs checks/site.yml with `site:` (title, vendor) and `components:`',
    });
  }

  const parsed: Parsed[] = [];
  for (const { file, text, error } of await readTexts(dir, names)) {
    if (error) {
      errors.push(error);
      continue;
    }
    const r = parseYaml(text!, file);
    pushAll(errors, r.errors);
    pushAll(warnings, r.warnings);
    if (r.parsed) parsed.push({ file, ...r.parsed });
  }

  let site: SiteFile | undefined;
  let siteParsed: Parsed | undefined;
  let maintenance: { windows: MaintenanceWindow[]; at: Parsed } | undefined;
  let notify: { file: NotifyFile; at: Parsed } | undefined;
  const checks: { check: Check; at: Parsed; index: number }[] = [];
  for (const p of parsed) {
    const isSite = relative(dir, p.file) === SITE;
    if (relative(dir, p.file) === NOTIFY) {
      const result = notifyFile.safeParse(p.data ?? {});
      if (result.success) notify = { file: result.data, at: p };
      else {
        pushAll(errors, schemaErrors(p, notifyFile, result.error.issues));
        const items = (p.data as { channels?: unknown } | null)?.channels;
        notify = { file: { channels: salvage(items, channel), delivery: notifyFile.parse({}).delivery }, at: p };
      }
      continue;
    }
    if (relative(dir, p.file) === MAINTENANCE) {
      const result = maintenanceFile.safeParse(p.data ?? {});
      if (result.success) maintenance = { windows: result.data.maintenance, at: p };
      else {
        pushAll(errors, schemaErrors(p, maintenanceFile, result.error.issues));
        // The windows that are fine on their own still get their cross-checks (components that exist).
        const items = (p.data as { maintenance?: unknown } | null)?.maintenance;
        maintenance = { windows: salvage(items, maintenanceWindow), at: p };
      }
      continue;
    }
    if (p.data === null || p.data === undefined) {
      errors.push({
        file: p.file,
        line: 1,
        col: 1,
        path: '',
        message: isSite ? 'the file is empty; it needs `site:` and `components:`' : 'the file is empty; start it with `checks:` or delete it',
      });
      continue;
    }
    const schema = isSite ? siteFile : checksFile;
    const result = schema.safeParse(p.data);
    if (!result.success) {
      pushAll(errors, schemaErrors(p, schema, result.error.issues));
      // What is fine in a broken site.yml still checks the rest, so one run reports every error.
      if (isSite) {
        site = salvageSite(p.data);
        siteParsed = p;
      }
      // Checks that are fine on their own still get the cross-file checks, so one run reports everything.
      const items = (p.data as { checks?: unknown }).checks;
      if (!isSite && Array.isArray(items)) {
        items.forEach((item, index) => {
          const one = check.safeParse(item);
          if (one.success) checks.push({ check: one.data, at: p, index });
        });
      }
      continue;
    }
    if (isSite) {
      site = result.data as SiteFile;
      siteParsed = p;
    } else {
      for (const [index, check] of (result.data as z.output<typeof checksFile>).checks.entries()) checks.push({ check, at: p, index });
    }
  }

  if (site && siteParsed) pushAll(errors, siteErrors(site, siteParsed));
  if (site) {
    // One check per instance from here on: every later rule (ids, components, references) sees plain checks.
    const expanded = expandInstances(checks, site.instances ?? [], (c, path, message) => {
      const full = ['checks', c.index, ...path];
      errors.push({ file: c.at.file, ...locate(c.at.doc, c.at.lines, full), path: formatPath(full), message });
    });
    checks.length = 0;
    pushAll(checks, expanded);
  }
  const siteIsValid = site !== undefined && !errors.some((e) => e.file === siteParsed?.file);
  if (site) {
    const vars = { ...site.vars, ...options.vars };
    pushAll(errors, crossErrors(dir, site, checks, vars, options.env ?? {}, options.requireEnv ?? true));
    if (maintenance) pushAll(errors, maintenanceErrors(site, maintenance.windows, maintenance.at));
    // Texts in a language the page does not publish would never be shown: name them where they are (as written), in every file.
    for (const p of parsed)
      for (const { path, message } of translationProblems(p.data, [], site.site))
        errors.push({ file: p.file, ...locate(p.doc, p.lines, path, true), path: formatPath(path), message });
    if (notify) pushAll(errors, notifyErrors(site, notify.file, notify.at, vars, options.env ?? {}, options.requireEnv ?? true, warnings));
    for (const c of errors.length > 0 ? [] : site.components) {
      if (!checks.some((x) => x.check.component === c.id)) warnings.push(`component "${c.id}" has no checks: the page will show it as "no data"`);
    }
  }
  if (errors.length > 0 || !site || !siteIsValid) return { errors: sortErrors(dedupe(errors)), warnings };

  const sources: Record<string, Source> = {};
  for (const { check, at, index } of checks) sources[check.id] = { file: at.file, ...locate(at.doc, at.lines, ['checks', index]) };
  return {
    config: {
      ...site,
      vars: { ...site.vars, ...options.vars },
      checks: checks.map((c) => c.check),
      maintenance: maintenance?.windows ?? [],
      notify: notify?.file ?? notifyFile.parse({}),
      sources,
      dir,
    },
    errors: [],
    warnings,
  };
}

/** Every YAML file under the checks folder, symbolic links included (they are refused when read). */
async function yamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/.test(e.name))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Larger check files are refused before parsing: a 50 MB file took 2.7 GB to read. */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

type Text = { file: string; text?: string; error?: ConfigError };

/**
 * The files' texts. A symbolic link is refused (it can point outside the repository, and what it
 * points at would be quoted in errors and pull-request logs), and so is a file over the size limit.
 */
async function readTexts(dir: string, names: readonly string[]): Promise<Text[]> {
  const out: Text[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const fail = (message: string) => out.push({ file, error: { file, line: 1, col: 1, path: '', message } });
    const info = await lstat(file).catch(() => undefined);
    if (!info) continue;
    if (info.isSymbolicLink())
      fail(
        'is a symbolic link; Upkeep reads only regular files in the checks folder (a link can point outside the repository): replace it with the file itself',
      );
    else if (info.size > MAX_YAML_BYTES)
      fail(`is ${(info.size / 1024 / 1024).toFixed(1)} MB; check files may be at most ${MAX_YAML_BYTES / 1024 / 1024} MB each: split it into several files`);
    else out.push({ file, text: await readFile(file, 'utf8') });
  }
  return out;
}

/** The texts of the checks folder's YAML files (for the redactor: secrets they reference, and what is public). */
export async function checkTexts(dir: string): Promise<string[]> {
  const names = await yamlFiles(dir).catch(() => []);
  return (await readTexts(dir, names)).flatMap((t) => (t.text === undefined ? [] : [t.text]));
}

function schemaErrors(p: Parsed, schema: z.ZodType, issues: z.core.$ZodIssue[]): ConfigError[] {
  return issues.flatMap((issue) =>
    describeIssue(issue, schema, p.data).map(({ path, message, atKey }) => ({
      file: p.file,
      ...locate(p.doc, p.lines, path, atKey),
      path: formatPath(path),
      message,
    })),
  );
}

function siteErrors(site: SiteFile, p: Parsed): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (path: PropertyKey[], message: string) => errors.push({ file: p.file, ...locate(p.doc, p.lines, path), path: formatPath(path), message });
  const seen = new Map<string, number>();
  site.components.forEach((c, i) => {
    if (seen.has(c.id)) at(['components', i, 'id'], `duplicate component id "${c.id}" (also components[${seen.get(c.id)}])`);
    seen.set(c.id, i);
    const groupIds = site.groups.map((g) => g.id);
    if (c.group && !groupIds.includes(c.group)) {
      at(['components', i, 'group'], `unknown group "${c.group}"${didYouMean(c.group, groupIds)}; declare it under \`groups:\``);
    }
  });
  const regions = new Map<string, number>();
  (site.regions ?? []).forEach((r, i) => {
    if (regions.has(r.id)) at(['regions', i, 'id'], `duplicate region id "${r.id}" (also regions[${regions.get(r.id)}])`);
    regions.set(r.id, i);
  });
  const instances = new Map<string, number>();
  (site.instances ?? []).forEach((inst, i) => {
    if (instances.has(inst.id)) at(['instances', i, 'id'], `duplicate instance id "${inst.id}" (also instances[${instances.get(inst.id)}])`);
    instances.set(inst.id, i);
    (inst.probe_from ?? []).forEach((r, j) => {
      if (!regions.has(r))
        at(
          ['instances', i, 'probe_from', j],
          `unknown region "${r}"${didYouMean(r, [...regions.keys()])}; ${regions.size ? 'regions are' : 'declare probe regions'} under \`regions:\` in site.yml`,
        );
    });
  });
  const groups = new Set<string>();
  site.groups.forEach((g, i) => {
    if (groups.has(g.id)) at(['groups', i, 'id'], `duplicate group id "${g.id}"`);
    if (seen.has(g.id)) at(['groups', i, 'id'], `group id "${g.id}" is also a component id; ids must be unique`);
    groups.add(g.id);
  });
  site.sla.credits.forEach((c, i) => {
    const prev = site.sla.credits[i - 1];
    if (prev && c.below >= prev.below) at(['sla', 'credits', i, 'below'], `list credits from the highest threshold down (${c.below} follows ${prev.below})`);
  });
  return errors;
}

function crossErrors(
  dir: string,
  site: SiteFile,
  checks: { check: Check; at: Parsed; index: number }[],
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
  requireEnv: boolean,
): ConfigError[] {
  const errors: ConfigError[] = [];
  const componentIds = site.components.map((c) => c.id);
  // Where each id was first defined, worked out only for a duplicate (1,000 checks, 1,000 look-ups otherwise).
  const firstSeen = new Map<string, () => string>();
  for (const { check, at: p, index } of checks) {
    const at = (path: PropertyKey[], message: string) => {
      const full = ['checks', index, ...path];
      errors.push({ file: p.file, ...locate(p.doc, p.lines, full), path: formatPath(full), message });
    };
    const first = firstSeen.get(check.id);
    if (first) at(['id'], `duplicate check id "${check.id}" (first defined at ${first()})`);
    else
      firstSeen.set(check.id, () => {
        const here = locate(p.doc, p.lines, ['checks', index, 'id']);
        return `${p.file}:${here.line}:${here.col}`;
      });
    if (!componentIds.includes(check.component)) {
      at(['component'], `unknown component "${check.component}"${didYouMean(check.component, componentIds)}; components are declared in site.yml`);
    }
    // What only the whole configuration can tell (a file exists, a var is a port): each kind's own rules.
    const { validate, scopes = [] } = kinds[check.kind] as { validate?: (c: Check, ctx: ValidateContext) => void; scopes?: readonly string[] };
    validate?.(check, { dir, vars, at });
    // Most checks (an instance's, once filled) hold no reference left: no walk through their strings.
    if (!JSON.stringify(check).includes('${{')) continue;
    for (const { path, text } of strings(check, [])) {
      for (const ref of references(text)) {
        // References the kind fills in as it runs (a journey's captured values) are its validate's to check.
        if (scopes.includes(ref.scope) || ref.scope === 'instance') continue;
        if (ref.scope === 'vars' && vars[ref.name] === undefined) {
          at(path, `${ref.text} is not defined${didYouMean(ref.name, Object.keys(vars))}; add it under \`vars:\` in site.yml`);
        } else if (ref.scope === 'env' && requireEnv && env[ref.name] === undefined) {
          at(path, missingSecret(ref.text, ref.name));
        } else if (ref.scope !== 'vars' && ref.scope !== 'env') {
          at(path, `${ref.text} is not a reference Upkeep knows; use \${{ env.NAME }} for secrets or \${{ vars.NAME }} for site.yml values`);
        }
      }
    }
  }
  return errors;
}

/**
 * How to set a secret a check needs, in both places it runs (the README's Checks and the probe
 * workflow say the same): the workflows pass every repository secret through UPKEEP_SECRETS.
 */
export const missingSecret = (text: string, name: string) =>
  `${text} is not set. Locally: \`export ${name}=…\` before the command, or \`--allow-missing-secrets\` to skip the checks that need it. ` +
  `On GitHub: add a repository secret ${name} (Settings → Secrets and variables → Actions); the workflows pass every secret to Upkeep, no workflow edit needed`;

/** Channels: unique ids, components that exist, references that resolve, and signing keys and addresses that are secrets. */
function notifyErrors(
  site: SiteFile,
  file: NotifyFile,
  p: Parsed,
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
  requireEnv: boolean,
  warnings: string[],
): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (path: PropertyKey[], message: string) => errors.push({ file: p.file, ...locate(p.doc, p.lines, path), path: formatPath(path), message });
  const componentIds = site.components.map((c) => c.id);
  const unset = new Map<string, string[]>();
  const seen = new Set<string>();
  file.channels.forEach((c, i) => {
    if (seen.has(c.id)) at(['channels', i, 'id'], `duplicate channel id "${c.id}"`);
    seen.add(c.id);
    (c.components ?? []).forEach((id, j) => {
      if (!componentIds.includes(id)) at(['channels', i, 'components', j], `unknown component "${id}"${didYouMean(id, componentIds)}`);
    });
    const instanceIds = (site.instances ?? []).map((x) => x.id);
    (c.instances ?? []).forEach((id, j) => {
      if (!instanceIds.includes(id))
        at(['channels', i, 'instances', j], `unknown instance "${id}"${didYouMean(id, instanceIds)}; instances are declared in site.yml`);
    });
    const fromSecret = (value: string) => references(value).some((r) => r.scope === 'env');
    const must = (key: string, what: string) => {
      const value = (c as Record<string, unknown>)[key];
      if (typeof value === 'string' && !fromSecret(value))
        at(['channels', i, key], `${what} written in notify.yml is public: put it in a repository secret and write \`${key}: \${{ env.NAME }}\``);
    };
    if (c.kind === 'webhook') must('secret', 'a signing key');
    if (c.kind === 'pagerduty') must('routing_key', 'an integration key');
    if (c.kind === 'slack' || c.kind === 'teams' || c.kind === 'discord' || c.kind === 'webhook')
      must('url', 'a webhook address (it is the key to post there)');
    if (c.kind === 'email' || c.kind === 'subscriber-email') must('smtp', 'a mail server address with its password');
    if (c.kind === 'subscriber-email' || c.kind === 'statuspage-webhook') {
      (c.events ?? []).forEach((pattern, j) => {
        const kinds = eventKinds.filter((k) => (pattern.endsWith('.*') ? k.startsWith(pattern.slice(0, -1)) : k === pattern));
        if (!kinds.some((k) => publicKinds.includes(k)))
          at(['channels', i, 'events', j], `subscribers hear only what the page shows (${publicKinds.join(', ')}); "${pattern}" is for team channels`);
      });
      if ((c.subscribers === undefined) === (c.subscribers_url === undefined))
        at(['channels', i], 'a subscriber channel needs exactly one of `subscribers` (the list, from a secret) or `subscribers_url` (where to fetch it)');
      must('subscribers', "subscribers' addresses");
      must('subscribers_url', "the subscriber list's address");
    }
    for (const { path, text } of strings(c, [])) {
      for (const ref of references(text)) {
        const full = ['channels', i, ...path];
        if (ref.scope === 'vars' && vars[ref.name] === undefined)
          at(full, `${ref.text} is not defined${didYouMean(ref.name, Object.keys(vars))}; add it under \`vars:\` in site.yml`);
        else if (ref.scope === 'env' && requireEnv && env[ref.name] === undefined) unset.set(c.id, [...(unset.get(c.id) ?? []), ref.name]);
        else if (ref.scope !== 'vars' && ref.scope !== 'env')
          at(full, `${ref.text} is not a reference Upkeep knows; use \${{ env.NAME }} for secrets or \${{ vars.NAME }} for site.yml values`);
      }
    }
  });
  // A channel without its secret is left out of delivery, loudly; it never stops the probes.
  for (const [id, names] of unset)
    warnings.push(
      `notify channel "${id}" will be left out: ${[...new Set(names)].join(', ')} not set (locally: export ${names[0]}=…; on GitHub: a repository secret of that name, no workflow edit)`,
    );
  return errors;
}

function maintenanceErrors(site: SiteFile, windows: MaintenanceWindow[], p: Parsed): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (path: PropertyKey[], message: string) => errors.push({ file: p.file, ...locate(p.doc, p.lines, path), path: formatPath(path), message });
  const componentIds = site.components.map((c) => c.id);
  const seen = new Set<string>();
  windows.forEach((w, i) => {
    if (seen.has(w.id)) at(['maintenance', i, 'id'], `duplicate maintenance id "${w.id}"`);
    seen.add(w.id);
    w.components.forEach((c, j) => {
      if (!componentIds.includes(c)) at(['maintenance', i, 'components', j], `unknown component "${c}"${didYouMean(c, componentIds)}`);
    });
    const instanceIds = (site.instances ?? []).map((x) => x.id);
    (w.instances ?? []).forEach((x, j) => {
      if (!instanceIds.includes(x))
        at(['maintenance', i, 'instances', j], `unknown instance "${x}"${didYouMean(x, instanceIds)}; instances are declared in site.yml`);
    });
    if (w.start && w.end) {
      const zone = w.time_zone ?? site.site.time_zone;
      if (parseWhen(w.end, zone) <= parseWhen(w.start, zone)) at(['maintenance', i, 'end'], `ends (${w.end}) before it starts (${w.start})`);
    }
  });
  return errors;
}

function* strings(value: unknown, path: PropertyKey[]): Generator<{ path: PropertyKey[]; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

/** The items of a list that pass `schema` on their own (a broken list still cross-checks its good items). */
function salvage<T>(items: unknown, schema: z.ZodType<T>): T[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const one = schema.safeParse(item);
    return one.success ? [one.data] : [];
  });
}

/** A site.yml that did not pass, as far as its parts do: each section on its own, components and groups item by item. */
function salvageSite(data: unknown): SiteFile {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const part = <K extends keyof SiteFile>(key: K): SiteFile[K] => {
    const shape = siteFile.shape[key] as unknown as z.ZodType<SiteFile[K]>;
    const one = shape.safeParse(d[key]);
    return one.success ? one.data : (shape.safeParse(undefined).data as SiteFile[K]);
  };
  const sitePart = (siteFile.shape.site as unknown as z.ZodType<SiteFile['site']>).safeParse(d.site);
  return {
    site: sitePart.success
      ? sitePart.data
      : ({ title: '', vendor: '', base_path: '/', time_zone: 'UTC', language: 'en', languages: [], links: [] } as SiteFile['site']),
    vars: part('vars') ?? {},
    defaults: part('defaults'),
    groups: salvage(d.groups, group),
    regions: salvage(d.regions, region),
    instances: salvage(d.instances, instance),
    components: salvage(d.components, component),
    sla: part('sla'),
    incidents: part('incidents'),
    history: part('history'),
    pull_requests: part('pull_requests'),
  };
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}:${e.line}:${e.col}:${e.path}:${e.message}`;
    return !seen.has(key) && seen.add(key);
  });
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
