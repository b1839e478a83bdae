/**
 * The import's edges: what the checks and history folders hold now, and writing a plan. Files are
 * read and written as the loader and the history store do: never through a symbolic link.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { InputError } from '../cli/errors.ts';
import { safeWriteFile } from '../history/safe-fs.ts';
import { changed, type Plan } from './common.ts';
import { listItems } from './yaml-edit.ts';

/** A file's text, or undefined when there is none; a link or a file that is not YAML Upkeep can read stops the import. */
export async function readExisting(file: string, yaml = true): Promise<string | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  if (info.isSymbolicLink()) throw new InputError(`${file} is a symbolic link; Upkeep reads and writes only regular files there`);
  if (!info.isFile()) throw new InputError(`${file} is not a file`);
  const text = await readFile(file, 'utf8');
  if (yaml) {
    const doc = parseDocument(text);
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw new InputError(`${file}: ${e.message.split('\n')[0]}; fix it first (upkeep validate shows every problem), then import again`);
    }
  }
  return text;
}

/** Every incident file in history/incidents/, by id (the file name). */
export async function readIncidentFiles(historyDir: string): Promise<{ id: string; text: string }[]> {
  const dir = join(historyDir, 'incidents');
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: { id: string; text: string }[] = [];
  for (const name of names.filter((n) => n.endsWith('.md') && n !== 'README.md').sort()) {
    const text = await readExisting(join(dir, name), false);
    if (text !== undefined) out.push({ id: name.slice(0, -3), text });
  }
  return out;
}

/** Check ids of every check file in `dir` but `except` (the loader reads the folder recursively). */
export async function checkIdsIn(dir: string, except: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
    const rel = relative(dir, join(e.parentPath, e.name));
    if (except.includes(rel)) continue;
    const text = await readFile(join(e.parentPath, e.name), 'utf8').catch(() => '');
    for (const item of listItems(text, 'checks')) if (typeof item.data.id === 'string') ids.add(item.data.id);
  }
  return ids;
}

const upkeepRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The editor schemas' folder relative to `checksDir`, when the checks live in Upkeep's own tree (a vendor's repository). */
export function schemaDirFor(checksDir: string): string | undefined {
  const abs = resolve(checksDir);
  const root = resolve(upkeepRoot);
  if (abs !== root && !abs.startsWith(`${root}${sep}`)) return undefined;
  return (
    relative(abs, join(root, 'src', 'config'))
      .split(sep)
      .join('/') || '.'
  );
}

/** Writes every file of the plan whose text changes. Returns them. */
export async function applyPlan(plan: Plan): Promise<string[]> {
  const written: string[] = [];
  for (const f of changed(plan)) {
    await safeWriteFile(f.root, f.path, f.after);
    written.push(f.path);
  }
  return written;
}
