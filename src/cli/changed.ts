/** `--changed-since REF`: the checks a pull request adds or changes, found by comparing configs, not diff lines. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, type Config } from '../config/load.ts';
import { resolveDeep } from '../config/template.ts';
import { UsageError } from './errors.ts';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    throw new UsageError(`--changed-since: git ${args.join(' ')} failed: ${String((error as { stderr?: string }).stderr ?? error).trim()}`);
  }
}

/**
 * Ids of checks that are new or differ (after `${{ vars }}` are filled in) from the same checks
 * folder at `ref`, and the config at `ref` (the base branch's, which a pull request cannot change).
 */
export async function changedChecks(config: Config, ref: string): Promise<{ ids: string[]; base?: Config }> {
  const dir = resolve(config.dir);
  const top = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
  await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const prefix = relative(top, dir);
  const files = (await git(top, ['ls-tree', '-r', '--name-only', ref, '--', prefix || '.'])).split('\n').filter((f) => /\.ya?ml$/.test(f));
  const old = await mkdtemp(join(tmpdir(), 'upkeep-changed-'));
  try {
    for (const file of files) {
      const target = join(old, relative(prefix, file));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, await git(top, ['show', `${ref}:${file}`]));
    }
    const before = (await loadConfig(old, { requireEnv: false })).config;
    const shape = (c: Config, id: string) => {
      const check = c.checks.find((x) => x.id === id);
      return check && JSON.stringify(resolveDeep(check, { vars: c.vars, env: {} }));
    };
    // If the old config did not load, everything counts as changed.
    return { ids: config.checks.filter((c) => !before || shape(before, c.id) !== shape(config, c.id)).map((c) => c.id), base: before };
  } finally {
    await rm(old, { recursive: true, force: true });
  }
}
