/**
 * Committing history and pushing it with rebase-and-retry. Runners never write the same sample
 * file, so a rebase after a rejected push never conflicts: a race costs a retry, never a sample.
 * Files Upkeep derives from history (incidents, rollups) can meet a person's edit, so they are
 * never rebased: they are written on the freshest tree, and when a push is refused the commit is
 * dropped and written again on the new tree (`commitDerived`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type GitResult = { committed: boolean; pushed: boolean; attempts: number; error?: string };

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** An identity for commits when the repository has none (GitHub's runners have none). */
async function identity(cwd: string): Promise<string[]> {
  const name = await git(cwd, ['config', 'user.name']).catch(() => '');
  return name.trim() ? [] : ['-c', 'user.name=upkeep[bot]', '-c', 'user.email=upkeep-bot@users.noreply.github.com'];
}

/** `git add -A` of the paths that exist or are tracked (a path that is neither would fail the command). */
async function stage(cwd: string, paths: string[]): Promise<void> {
  const present: string[] = [];
  for (const p of paths) if (existsSync(resolve(cwd, p)) || (await git(cwd, ['ls-files', '--', p])).trim()) present.push(p);
  if (present.length > 0) await git(cwd, ['add', '-A', '--', ...present]);
}

export async function commitAndPush(
  cwd: string,
  opts: { paths: string[]; message: string; push: boolean; retries?: number; wait?: (ms: number) => Promise<void> },
): Promise<GitResult> {
  const wait = opts.wait ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  await stage(cwd, opts.paths);
  const staged = (await git(cwd, ['diff', '--cached', '--name-only'])).trim();
  let committed = false;
  if (staged) {
    await git(cwd, [...(await identity(cwd)), 'commit', '-q', '-m', opts.message]);
    committed = true;
  }
  if (!opts.push) return { committed, pushed: false, attempts: 0 };
  const retries = opts.retries ?? 5;
  let lastError = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    try {
      await git(cwd, ['push', '-q']);
      return { committed, pushed: true, attempts: attempt };
    } catch (error) {
      lastError = String((error as { stderr?: string }).stderr ?? error).trim();
      // Someone else pushed first: take their commits and put ours on top.
      try {
        await git(cwd, [...(await identity(cwd)), 'pull', '-q', '--rebase', '--autostash']);
      } catch (pullError) {
        await git(cwd, ['rebase', '--abort']).catch(() => {});
        lastError = String((pullError as { stderr?: string }).stderr ?? pullError).trim();
      }
      await wait(Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random()));
    }
  }
  return { committed, pushed: false, attempts: retries + 1, error: lastError };
}

/** Takes what others pushed (other regions' samples) before reading history. */
export async function pullRebase(cwd: string): Promise<void> {
  await git(cwd, [...(await identity(cwd)), 'pull', '-q', '--rebase', '--autostash']).catch(() => {});
}

/** The repository `path` is (or will be) in: a history folder a first run has not made yet counts too. */
export async function repoRoot(path: string): Promise<string | undefined> {
  let cwd = resolve(path);
  while (!existsSync(cwd) && dirname(cwd) !== cwd) cwd = dirname(cwd);
  return (await git(cwd, ['rev-parse', '--show-toplevel']).catch(() => '')).trim() || undefined;
}

export type DerivedOptions = {
  paths: string[];
  message: string;
  push: boolean;
  /** Writes the files on the tree as it is now; called again after every refused push. */
  write: () => Promise<void>;
  attempts?: number;
  wait?: (ms: number) => Promise<void>;
  /**
   * When the push is refused to the end, drop the commit and what it wrote (`paths` back as they
   * are committed): for claims, which hold only once everyone can see them.
   */
  discard?: boolean;
};

/**
 * Pull, write, commit, push; when the push is refused (someone pushed meanwhile, perhaps an edit to
 * the same incident), drop that commit, pull, and write again from what is there now, so the
 * other edit is kept and ours comes after it. Commits made before (the samples) are untouched.
 */
export async function commitDerived(cwd: string, opts: DerivedOptions): Promise<GitResult> {
  const wait = opts.wait ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const attempts = opts.attempts ?? 5;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (opts.push) await pullRebase(cwd);
    await opts.write();
    await stage(cwd, opts.paths);
    if (!(await git(cwd, ['diff', '--cached', '--name-only'])).trim()) return { committed: false, pushed: false, attempts: attempt };
    await git(cwd, [...(await identity(cwd)), 'commit', '-q', '-m', opts.message]);
    if (!opts.push) return { committed: true, pushed: false, attempts: attempt };
    try {
      await git(cwd, ['push', '-q']);
      return { committed: true, pushed: true, attempts: attempt };
    } catch (error) {
      lastError = String((error as { stderr?: string }).stderr ?? error).trim();
      if (attempt === attempts && !opts.discard) break;
      // Only our own commit goes; the working tree keeps anything else that was not committed.
      await git(cwd, ['reset', '-q', '--keep', 'HEAD~1']);
      // What it wrote goes too when it is to be written afresh (appended lines would otherwise be appended twice).
      if (opts.discard) await restore(cwd, opts.paths);
      if (attempt === attempts) return { committed: false, pushed: false, attempts, error: lastError };
      await wait(Math.min(30_000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random()));
    }
  }
  return { committed: true, pushed: false, attempts, error: lastError };
}

/** `paths` as they are committed at HEAD: changes undone, new files removed. */
async function restore(cwd: string, paths: string[]): Promise<void> {
  for (const p of paths) {
    if ((await git(cwd, ['ls-tree', '--name-only', 'HEAD', '--', p])).trim()) await git(cwd, ['checkout', '-q', 'HEAD', '--', p]);
    await git(cwd, ['clean', '-fdq', '--', p]);
  }
}
