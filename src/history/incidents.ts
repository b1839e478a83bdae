/**
 * Incidents on disk: `history/incidents/<id>.md`, YAML front matter (id, title, components, impact,
 * updates) and an optional markdown body (a write-up). People write them by pull request; Upkeep
 * appends its automatic updates to the same file, keeping people's formatting and comments.
 * The write-up in another language is a sibling file, `<id>.<lang>.md`, holding only Markdown: a
 * translator copies the body into a file their editor highlights, and no YAML indentation to keep.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { describeIssue, didYouMean, formatPath, locate, type ConfigError } from '../config/errors.ts';
import { incidentFile, linkSchemes, type IncidentFile, type IncidentUpdate } from '../config/schema.ts';
import { parseYaml } from '../config/yaml.ts';
import type { Action } from '../status/incidents.ts';
import type { Link } from '../text/links.ts';
import { isPlainDirUnder, safeWriteFile } from './safe-fs.ts';
import { pushAll } from '../util/arrays.ts';
import { translationProblems } from '../config/translations.ts';
import { supportedLanguages } from '../config/fields.ts';

export type Incident = IncidentFile & {
  body: string;
  file: string;
  /** The write-up in other languages (`<id>.<lang>.md`), by language. */
  bodies?: Partial<Record<string, string>>;
};

/** `<id>.<lang>.md`: an incident id has no dot, so the part before `.md` names the language. */
const TRANSLATED = /^([a-z0-9-]+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.md$/;

export const incidentsDir = (historyDir: string) => join(historyDir, 'incidents');

const FRONT = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Larger incident files are refused before parsing. */
export const MAX_INCIDENT_BYTES = 1024 * 1024;

export type LoadedIncidents = {
  incidents: Incident[];
  errors: ConfigError[];
  /** Components a file that could not be read may be about (its text names them): Upkeep opens no incident for them until it is fixed. */
  unreadable: string[];
};

/** Reads every incident file; bad ones are reported file:line:col and left out, never fatal. */
/**
 * `instanceIds`: site.yml's instances; when given, the instances a file names are checked against them.
 * `site`: its languages; when given (validate), translations must name a published language. The build
 * does not ask: a translation nobody can read must not take an incident off the page.
 */
export async function loadIncidents(
  historyDir: string,
  componentIds: readonly string[],
  instanceIds?: readonly string[],
  site?: { language: string; languages: readonly string[] },
): Promise<LoadedIncidents> {
  const dir = incidentsDir(historyDir);
  let entries: { name: string; link: boolean }[];
  if (!(await isPlainDirUnder(historyDir, dir))) {
    const exists = await lstat(dir).then(
      () => true,
      () => false,
    );
    return {
      incidents: [],
      errors: exists
        ? [
            {
              file: dir,
              line: 1,
              col: 1,
              path: '',
              message: 'is not a real folder (a symbolic link, or one on the way to it): incidents are read only from history/incidents itself',
            },
          ]
        : [],
      unreadable: [],
    };
  }
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.name.endsWith('.md') && e.name !== 'README.md' && (e.isFile() || e.isSymbolicLink()))
      .map((e) => ({ name: e.name, link: e.isSymbolicLink() }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return { incidents: [], errors: [], unreadable: [] };
  }
  const incidents: Incident[] = [];
  const errors: ConfigError[] = [];
  const unreadable = new Set<string>();
  // micromark's parser is loaded only when there are incident files to look for links in.
  const { markdownLinks } = entries.length > 0 ? await import('../text/links.ts') : { markdownLinks: () => [] };
  const bodies: { id: string; lang: string; file: string; text: string }[] = [];
  for (const { name, link } of entries) {
    const file = join(dir, name);
    const refuse = (message: string) => errors.push({ file, line: 1, col: 1, path: '', message });
    if (link) {
      refuse('is a symbolic link; incident files must be regular files (a link can point outside the repository)');
      continue;
    }
    const size = (await lstat(file)).size;
    if (size > MAX_INCIDENT_BYTES) {
      refuse(`is ${(size / 1024 / 1024).toFixed(1)} MB; an incident file may be at most ${MAX_INCIDENT_BYTES / 1024 / 1024} MB`);
      continue;
    }
    const text = await readFile(file, 'utf8');
    const translated = TRANSLATED.exec(name);
    if (translated) {
      const r = parseTranslatedBody(text, file, translated[2], markdownLinks, site);
      pushAll(errors, r.errors);
      if (r.errors.length === 0) bodies.push({ id: translated[1], lang: translated[2], file, text: r.body });
      continue;
    }
    const r = parseIncident(text, file, componentIds, markdownLinks, instanceIds, site);
    pushAll(errors, r.errors);
    if (r.incident && `${r.incident.id}.md` !== name) {
      errors.push({ file, line: 2, col: 1, path: 'id', message: `the id "${r.incident.id}" must match the file name (${name})` });
    } else if (r.incident) {
      incidents.push(r.incident);
      continue;
    }
    for (const c of componentIds) if (new RegExp(`(^|[^a-z0-9-])${c}($|[^a-z0-9-])`).test(text)) unreadable.add(c);
  }
  attachBodies(incidents, bodies, errors, entries);
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  return { incidents, errors, unreadable: [...unreadable] };
}

/** Each `<id>.<lang>.md` onto its incident; one whose `<id>.md` is missing is named (a misspelt id would show nowhere). */
function attachBodies(
  incidents: Incident[],
  bodies: readonly { id: string; lang: string; file: string; text: string }[],
  errors: ConfigError[],
  entries: readonly { name: string }[],
): void {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  for (const b of bodies) {
    const incident = byId.get(b.id);
    if (incident) {
      if (b.text) incident.bodies = { ...incident.bodies, [b.lang]: b.text };
      continue;
    }
    // An `<id>.md` that exists but could not be read has its own error already.
    if (entries.some((e) => e.name === `${b.id}.md`)) continue;
    const ids = entries.map((e) => e.name.replace(/\.md$/, '')).filter((n) => !n.includes('.'));
    errors.push({
      file: b.file,
      line: 1,
      col: 1,
      path: '',
      message: `is the write-up in "${b.lang}" of incident "${b.id}", but there is no ${b.id}.md${didYouMean(b.id, ids)}`,
    });
  }
}

/**
 * A write-up in another language: Markdown only, its language published (when `site` is given, as
 * for front matter translations) and one Upkeep knows; links as in the incident's own body.
 */
export function parseTranslatedBody(
  text: string,
  file: string,
  lang: string,
  markdownLinks: (markdown: string) => Link[],
  site?: { language: string; languages: readonly string[] },
): { body: string; errors: ConfigError[] } {
  const at = (line: number, col: number, message: string): ConfigError => ({ file, line, col, path: '', message });
  if (!(supportedLanguages as readonly string[]).includes(lang))
    return {
      body: '',
      errors: [at(1, 1, `names the language "${lang}", which Upkeep does not know${didYouMean(lang, supportedLanguages)}; the file is <id>.<lang>.md`)],
    };
  if (FRONT.test(text))
    return {
      body: '',
      errors: [
        at(
          1,
          1,
          `a write-up in another language holds only its Markdown; the title in "${lang}" goes in the incident's own file, under \`translations: { ${lang}: { title: … } }\``,
        ),
      ],
    };
  const problem = site && translationProblems({ translations: { [lang]: {} } }, [], site)[0];
  if (problem) return { body: '', errors: [at(1, 1, problem.message)] };
  const errors = markdownLinks(text)
    .filter((link) => link.scheme && !(linkSchemes as readonly string[]).includes(link.scheme))
    .map((link) =>
      at(link.line, link.col, `the link ${JSON.stringify(link.url)} is not allowed: links must be https://, http://, mailto: or a path on the site`),
    );
  return { body: text.replace(/^\uFEFF/, '').trim(), errors };
}

export function parseIncident(
  text: string,
  file: string,
  componentIds: readonly string[],
  markdownLinks: (markdown: string) => Link[],
  instanceIds?: readonly string[],
  site?: { language: string; languages: readonly string[] },
): { incident?: Incident; errors: ConfigError[] } {
  const m = FRONT.exec(text);
  if (!m) return { errors: [{ file, line: 1, col: 1, path: '', message: 'an incident file starts with a front matter block between "---" lines' }] };
  const y = parseYaml(m[1], file, 1);
  if (!y.parsed) return { errors: y.errors };
  const { doc, lines, data } = y.parsed;
  const shift = (p: { line: number; col: number }) => ({ line: p.line + 1, col: p.col });
  const result = incidentFile.safeParse(data);
  const errors: ConfigError[] = result.success
    ? []
    : result.error.issues.flatMap((issue) =>
        describeIssue(issue, incidentFile, data).map(({ path, message, atKey }) => ({
          file,
          ...shift(locate(doc, lines, path, atKey)),
          path: formatPath(path),
          message,
        })),
      );
  // Every error at once: components and links are checked even when another field is wrong.
  const d = (data && typeof data === 'object' ? data : {}) as { components?: unknown; updates?: unknown; instances?: unknown };
  // An instance that does not exist would hide the incident from every instance page: name it.
  if (instanceIds && Array.isArray(d.instances))
    d.instances.forEach((x, i) => {
      if (typeof x === 'string' && !instanceIds.includes(x))
        errors.push({
          file,
          ...shift(locate(doc, lines, ['instances', i])),
          path: `instances[${i}]`,
          message: instanceIds.length
            ? `unknown instance "${x}"${didYouMean(x, instanceIds)}; instances are declared in site.yml`
            : `site.yml declares no instances; remove \`instances:\` (the incident then affects everyone) or declare them in site.yml`,
        });
    });
  if (site)
    for (const { path, message } of translationProblems(data, [], site))
      errors.push({ file, ...shift(locate(doc, lines, path, true)), path: formatPath(path), message });
  const components = Array.isArray(d.components) ? d.components : [];
  components.forEach((c, i) => {
    if (typeof c === 'string' && !componentIds.includes(c))
      errors.push({
        file,
        ...shift(locate(doc, lines, ['components', i])),
        path: `components[${i}]`,
        message: `unknown component "${c}"${didYouMean(c, componentIds)}`,
      });
  });
  // Links people write must be http(s), mailto or relative: the page drops others, validate names them.
  const updates = Array.isArray(d.updates) ? d.updates : [];
  const texts = updates.flatMap((u, i) => {
    if (!u || typeof u !== 'object') return [];
    const { message, translations } = u as { message?: unknown; translations?: unknown };
    const own = typeof message === 'string' ? [{ path: ['updates', i, 'message'] as PropertyKey[], text: message }] : [];
    // The same rule for a message in another language.
    const other = Object.entries(translations && typeof translations === 'object' ? translations : {}).flatMap(([lang, t]) =>
      t && typeof t === 'object' && typeof (t as { message?: unknown }).message === 'string'
        ? [{ path: ['updates', i, 'translations', lang, 'message'] as PropertyKey[], text: (t as { message: string }).message }]
        : [],
    );
    return [...own, ...other];
  });
  for (const { path, text: markdown } of texts) {
    for (const link of markdownLinks(markdown)) {
      if (link.scheme && !(linkSchemes as readonly string[]).includes(link.scheme))
        errors.push({
          file,
          ...shift(locate(doc, lines, path)),
          path: formatPath(path),
          message: `the link ${JSON.stringify(link.url)} is not allowed: links must be https://, http://, mailto: or a path on the site`,
        });
    }
  }
  const bodyLine = text.slice(0, text.length - m[2].length).split('\n').length;
  for (const link of markdownLinks(m[2])) {
    if (link.scheme && !(linkSchemes as readonly string[]).includes(link.scheme))
      errors.push({
        file,
        line: bodyLine + link.line - 1,
        col: link.col,
        path: '',
        message: `the link ${JSON.stringify(link.url)} is not allowed: links must be https://, http://, mailto: or a path on the site`,
      });
  }
  if (!result.success) return { errors };
  if (errors.length > 0) return { errors };
  return { incident: { ...result.data, body: m[2].trim(), file }, errors: [] };
}

function render(doc: Document, body: string): string {
  return `---\n${doc.toString({ lineWidth: 0 }).trimEnd()}\n---\n${body ? `\n${body.trim()}\n` : ''}`;
}

/** Top-level fields to set; `instances: null` removes the list (the incident affects all instances). */
type Fields = Partial<Pick<IncidentFile, 'impact' | 'github_issue' | 'draft' | 'published' | 'title'>> & { instances?: string[] | null };

/** Text Upkeep writes into an incident file passes through this (the writer's own fence). */
export type Redact = (text: string) => string;

const fenced = (update: IncidentUpdate, redact: Redact): IncidentUpdate => ({ ...update, message: redact(update.message) });

/** Creates a new incident file; the caller picked an unused id. */
export async function createIncident(
  historyDir: string,
  incident: Omit<IncidentFile, 'updates' | 'draft'> & { draft?: boolean; updates: IncidentUpdate[] },
  redact: Redact = (t) => t,
): Promise<string> {
  const file = join(incidentsDir(historyDir), `${incident.id}.md`);
  const doc = new Document({ ...incident, title: redact(incident.title), updates: incident.updates.map((u) => fenced(u, redact)) });
  await safeWriteFile(historyDir, file, render(doc, ''));
  return file;
}

/** Rewrites an incident's front matter with `change`, keeping the rest of the file (comments, formatting, body) as written. */
async function edit(historyDir: string, id: string, change: (doc: Document) => void): Promise<void> {
  const file = join(incidentsDir(historyDir), `${id}.md`);
  const text = await readFile(file, 'utf8');
  const m = FRONT.exec(text);
  if (!m) throw new Error(`${file}: no front matter`);
  const doc = parseDocument(m[1]);
  change(doc);
  await safeWriteFile(historyDir, file, render(doc, m[2]));
}

/** Appends an update (and optionally changes top-level fields). */
export async function appendUpdate(historyDir: string, id: string, update: IncidentUpdate, fields: Fields = {}, redact: Redact = (t) => t): Promise<void> {
  await edit(historyDir, id, (doc) => {
    const updates = doc.get('updates');
    if (isSeq(updates)) (updates as YAMLSeq).add(doc.createNode(fenced(update, redact)));
    else doc.set('updates', [fenced(update, redact)]);
    for (const [k, v] of Object.entries(fields))
      if (v === null) doc.delete(k);
      else if (v !== undefined) doc.set(k, v);
  });
}

/** Sets top-level fields only (e.g. the GitHub issue number), without a new update. */
export async function setFields(historyDir: string, id: string, fields: Fields): Promise<void> {
  await edit(historyDir, id, (doc) => {
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc.set(k, v);
  });
}

/** Writes what `planIncidents` decided. Returns the files touched. */
export async function applyIncidentActions(historyDir: string, actions: readonly Action[], redact: Redact = (t) => t): Promise<string[]> {
  const touched: string[] = [];
  for (const a of actions) {
    if (a.type === 'open') {
      await createIncident(
        historyDir,
        {
          id: a.id,
          title: a.title,
          components: [a.component],
          ...(a.instances ? { instances: a.instances } : {}),
          impact: a.impact,
          automatic: true,
          ...(a.draft ? { draft: true } : {}),
          started: a.started,
          ...(a.lastGood ? { last_good: a.lastGood } : {}),
          updates: [a.update],
        },
        redact,
      );
    } else {
      const fields: Fields = {
        ...('impact' in a && a.impact ? { impact: a.impact } : {}),
        ...(a.type === 'update' && a.instances !== undefined ? { instances: a.instances } : {}),
        ...(a.type === 'update' && a.title ? { title: a.title } : {}),
      };
      await appendUpdate(historyDir, a.id, a.update, fields, redact);
    }
    touched.push(join(incidentsDir(historyDir), `${a.id}.md`));
  }
  return touched;
}
