/**
 * Incidents on disk: `history/incidents/<id>.md`, YAML front matter (id, title, components, impact,
 * updates) and an optional markdown body (a write-up). People write them by pull request; Upkeep
 * appends its automatic updates to the same file, keeping people's formatting and comments.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, isSeq, LineCounter, parseDocument, YAMLSeq } from 'yaml';
import { describeIssue, didYouMean, formatPath, locate, type ConfigError } from '../config/errors.ts';
import { incidentFile, type IncidentFile, type IncidentUpdate } from '../config/schema.ts';
import type { Action } from '../status/incidents.ts';

export type Incident = IncidentFile & { body: string; file: string };

export const incidentsDir = (historyDir: string) => join(historyDir, 'incidents');

const FRONT = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Reads every incident file; bad ones are reported file:line:col and left out, never fatal. */
export async function loadIncidents(historyDir: string, componentIds: readonly string[]): Promise<{ incidents: Incident[]; errors: ConfigError[] }> {
  const dir = incidentsDir(historyDir);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md') && n !== 'README.md').sort();
  } catch {
    return { incidents: [], errors: [] };
  }
  const incidents: Incident[] = [];
  const errors: ConfigError[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const r = parseIncident(await readFile(file, 'utf8'), file, componentIds);
    errors.push(...r.errors);
    if (r.incident) {
      if (`${r.incident.id}.md` !== name) {
        errors.push({ file, line: 2, col: 1, path: 'id', message: `the id "${r.incident.id}" must match the file name (${name})` });
      } else incidents.push(r.incident);
    }
  }
  return { incidents, errors };
}

export function parseIncident(text: string, file: string, componentIds: readonly string[]): { incident?: Incident; errors: ConfigError[] } {
  const m = FRONT.exec(text);
  if (!m) return { errors: [{ file, line: 1, col: 1, path: '', message: 'an incident file starts with a front matter block between "---" lines' }] };
  const lines = new LineCounter();
  const doc = parseDocument(m[1], { lineCounter: lines, prettyErrors: false });
  const shift = (p: { line: number; col: number }) => ({ line: p.line + 1, col: p.col });
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ file, ...shift(lines.linePos(e.pos[0])), path: '', message: `YAML: ${e.message.split('\n')[0]}` })) };
  }
  const data = doc.toJS();
  const result = incidentFile.safeParse(data);
  if (!result.success) {
    return {
      errors: result.error.issues.flatMap((issue) =>
        describeIssue(issue, incidentFile, data).map(({ path, message, atKey }) => ({ file, ...shift(locate(doc, lines, path, atKey)), path: formatPath(path), message })),
      ),
    };
  }
  const errors: ConfigError[] = [];
  result.data.components.forEach((c, i) => {
    if (!componentIds.includes(c)) errors.push({ file, ...shift(locate(doc, lines, ['components', i])), path: `components[${i}]`, message: `unknown component "${c}"${didYouMean(c, componentIds)}` });
  });
  if (errors.length > 0) return { errors };
  return { incident: { ...result.data, body: m[2].trim(), file }, errors: [] };
}

function render(doc: Document, body: string): string {
  return `---\n${doc.toString({ lineWidth: 0 }).trimEnd()}\n---\n${body ? `\n${body.trim()}\n` : ''}`;
}

async function writeAtomic(file: string, text: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Creates a new incident file; the caller picked an unused id. */
export async function createIncident(historyDir: string, incident: Omit<IncidentFile, 'updates'> & { updates: IncidentUpdate[] }): Promise<string> {
  const dir = incidentsDir(historyDir);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${incident.id}.md`);
  const doc = new Document(incident);
  await writeAtomic(file, render(doc, ''));
  return file;
}

/** Appends an update (and optionally changes top-level fields) keeping the rest of the file as written. */
export async function appendUpdate(file: string, update: IncidentUpdate, fields: Partial<Pick<IncidentFile, 'impact' | 'github_issue'>> = {}): Promise<void> {
  const text = await readFile(file, 'utf8');
  const m = FRONT.exec(text);
  if (!m) throw new Error(`${file}: no front matter`);
  const doc = parseDocument(m[1]);
  const updates = doc.get('updates');
  if (isSeq(updates)) (updates as YAMLSeq).add(doc.createNode(update));
  else doc.set('updates', [update]);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc.set(k, v);
  await writeAtomic(file, render(doc, m[2]));
}

/** Sets top-level fields only (e.g. the GitHub issue number), without a new update. */
export async function setFields(file: string, fields: Partial<Pick<IncidentFile, 'impact' | 'github_issue'>>): Promise<void> {
  const text = await readFile(file, 'utf8');
  const m = FRONT.exec(text);
  if (!m) throw new Error(`${file}: no front matter`);
  const doc = parseDocument(m[1]);
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc.set(k, v);
  await writeAtomic(file, render(doc, m[2]));
}

/** Writes what `planIncidents` decided. Returns the files touched. */
export async function applyIncidentActions(historyDir: string, actions: readonly Action[]): Promise<string[]> {
  const touched: string[] = [];
  for (const a of actions) {
    const file = join(incidentsDir(historyDir), `${a.id}.md`);
    if (a.type === 'open') {
      await createIncident(historyDir, { id: a.id, title: a.title, components: [a.component], impact: a.impact, automatic: true, started: a.started, updates: [a.update] });
    } else {
      await appendUpdate(file, a.update, 'impact' in a && a.impact ? { impact: a.impact } : {});
    }
    touched.push(file);
  }
  return touched;
}
