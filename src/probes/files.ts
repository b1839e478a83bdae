/**
 * Files a check names (a private CA): read only if they are regular files of a sane size, so
 * `ca_file: /dev/zero` or a folder is a clear failure, not a runner out of memory. A pull
 * request's dry run reads them only from inside the checks folder.
 */
import { open } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';

export const MAX_CA_BYTES = 1024 * 1024;

export class CheckFileError extends Error {
  readonly code = 'UPKEEP_CHECK_FILE';
}

export async function readCheckFile(checksDir: string, path: string, opts: { untrusted?: boolean } = {}): Promise<string> {
  const full = resolve(checksDir, path);
  const rel = relative(resolve(checksDir), full);
  if (opts.untrusted && (rel.startsWith('..') || isAbsolute(rel)))
    throw new CheckFileError(`ca_file ${JSON.stringify(path)} is outside the checks folder, which a pull request's dry run does not read`);
  const fh = await open(full, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new CheckFileError(`cannot read ca_file ${JSON.stringify(path)} (${e.code ?? e.message})`);
  });
  try {
    const info = await fh.stat();
    if (!info.isFile()) throw new CheckFileError(`ca_file ${JSON.stringify(path)} is not a regular file`);
    if (info.size > MAX_CA_BYTES)
      throw new CheckFileError(`ca_file ${JSON.stringify(path)} is ${info.size} bytes; a CA file may be at most ${MAX_CA_BYTES} bytes`);
    return await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
}
