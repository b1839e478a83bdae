/**
 * Writing under history/ without ever following a symbolic link. The folder is committed by
 * anyone who can push (or open a pull request), so a link there could send a probe run's writes
 * anywhere the runner can write: every folder from the history root down is checked to be a real
 * folder, files are opened with O_NOFOLLOW, and replacing a file renames over it (which replaces a
 * link rather than writing through it).
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

export class UnsafePathError extends Error {
  readonly code = 'UPKEEP_UNSAFE_PATH';
}

/** The parts of `path` below `root`; refuses a path that leaves the root. */
function partsBelow(root: string, path: string): string[] {
  const rel = relative(resolve(root), resolve(path));
  if (rel === '') return [];
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UnsafePathError(`${path} is outside ${root}`);
  return rel.split(sep);
}

/** Makes `dir` (inside `root`) and every folder on the way, refusing any that is a symbolic link or not a folder. */
export async function safeMkdir(root: string, dir: string): Promise<void> {
  const top = await lstat(root).catch(() => undefined);
  if (top?.isSymbolicLink()) throw new UnsafePathError(`${root} is a symbolic link; Upkeep writes history only into a real folder`);
  if (!top) await mkdir(root, { recursive: true });
  let at = resolve(root);
  for (const part of partsBelow(root, dir)) {
    at = resolve(at, part);
    const info = await lstat(at).catch(() => undefined);
    if (!info) {
      await mkdir(at).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      const made = await lstat(at);
      if (!made.isDirectory()) throw new UnsafePathError(`${at} is not a folder`);
    } else if (info.isSymbolicLink()) {
      throw new UnsafePathError(`${at} is a symbolic link; Upkeep never writes through one (it could point outside the repository): replace it with a folder`);
    } else if (!info.isDirectory()) {
      throw new UnsafePathError(`${at} is not a folder`);
    }
  }
}

/** Opens `file` for reading and appending, creating it; refuses a symbolic link. */
export async function safeOpenAppend(root: string, file: string): Promise<FileHandle> {
  await safeMkdir(root, dirname(file));
  try {
    return await open(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP')
      throw new UnsafePathError(`${file} is a symbolic link; Upkeep never writes through one: replace it with a regular file`);
    throw e;
  }
}

/** Writes `file` whole: a fresh temporary file (never an existing one), then renamed over the old. */
export async function safeWriteFile(root: string, file: string, data: string | Uint8Array): Promise<void> {
  await safeMkdir(root, dirname(file));
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Removes `path` under `root`: a link is removed itself, never what it points at. */
export async function safeRemove(root: string, path: string): Promise<void> {
  partsBelow(root, path);
  const info = await lstat(path).catch(() => undefined);
  if (!info) return;
  // fs.rm does not follow a link, but a link among the parent folders would lead it elsewhere.
  await safeMkdir(root, dirname(path)).catch((e) => {
    if (e instanceof UnsafePathError) throw e;
  });
  await rm(path, { recursive: info.isDirectory(), force: true });
}

/**
 * Whether `dir` is a real folder reached without any symbolic link from `root` down (the root's own
 * name included). History is read only from such folders: a linked folder could hold anything.
 */
export async function isPlainDirUnder(root: string, dir: string): Promise<boolean> {
  try {
    if ((await lstat(root)).isSymbolicLink()) return false;
    let at = resolve(root);
    for (const part of partsBelow(root, dir)) {
      at = resolve(at, part);
      if ((await lstat(at)).isSymbolicLink()) return false;
    }
    return (await lstat(at)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is a regular file reached without any symbolic link below `root`. */
export async function isPlainFileUnder(root: string, path: string): Promise<boolean> {
  let at = resolve(root);
  try {
    for (const part of partsBelow(root, path)) {
      at = resolve(at, part);
      if ((await lstat(at)).isSymbolicLink()) return false;
    }
    return (await lstat(at)).isFile();
  } catch {
    return false;
  }
}
