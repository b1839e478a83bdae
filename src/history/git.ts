/**
 * Committing history and pushing it with rebase-and-retry. Runners never write the same sample
 * file, so a rebase after a rejected push never conflicts: a race costs a retry, never a sample.
 */
import { execFile } from 'node:child_process';
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

export async function commitAndPush(
  cwd: string,
  opts: { paths: string[]; message: string; push: boolean; retries?: number; wait?: (ms: number) => Promise<void> },
): Promise<GitResult> {
  const wait = opts.wait ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  await git(cwd, ['add', '-A', '--', ...opts.paths]);
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

export async function repoRoot(cwd: string): Promise<string | undefined> {
  return (await git(cwd, ['rev-parse', '--show-toplevel']).catch(() => '')).trim() || undefined;
}
