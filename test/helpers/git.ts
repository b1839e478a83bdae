/** Real git for tests: a command with a test identity, and a bare "GitHub" remote that runners clone. */
import { execFileSync } from 'node:child_process';
import { tempDir } from './temp.ts';

export const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], { cwd }).toString();

/** A bare remote whose main is what `fill` wrote in a first clone; `clone()` is a fresh runner's checkout of it. */
export async function seededRemote(fill: (seed: string) => Promise<void>) {
  const remote = await tempDir();
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  const seed = await tempDir();
  git(seed, 'clone', '-q', remote, '.');
  await fill(seed);
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');
  const clone = async () => {
    const dir = await tempDir();
    git(dir, 'clone', '-q', remote, '.');
    return dir;
  };
  return { remote, seed, clone };
}
