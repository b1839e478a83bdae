/**
 * Evidence for an SLA statement: the raw sample files a month's figures came from, and the commit
 * at which they are final, so anyone can fetch those bytes and recompute. One `git log` over the
 * samples folder gives every file and the last commit that wrote it (a deleted file keeps the commit
 * before it was removed, so retention never breaks a permalink).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DAY_MS } from '../status/vocabulary.ts';
import { utcDay } from '../status/rollup.ts';
import { sampleFileDay } from './store.ts';

const run = promisify(execFile);

export type SampleLog = {
  /** The build's HEAD commit. */
  head: string;
  /** `https://host/owner/repo`, when known (CI's GITHUB_SERVER_URL/GITHUB_REPOSITORY, or origin). */
  repoUrl?: string;
  /** Repository path of each sample file → the newest commit that wrote it; `order` 0 is the newest commit. */
  files: { path: string; day: string; commit: string; order: number }[];
};

export type MonthEvidence = {
  /** The commit the files are linked at: the last one that wrote any of them (the month's close), or HEAD while it runs. */
  commit?: string;
  atHead: boolean;
  repoUrl?: string;
  /** `instances`: the only instances whose checks the file can hold (its runner's); absent when it can hold any. */
  files: { path: string; day: string; carry: boolean; url?: string; instances?: string[] }[];
};

/** Whole UTC days before a month whose last samples can still cover its first minutes (from each check's coverage cap). */
export const carryDays = (caps: readonly number[]) => Math.max(1, Math.ceil(Math.max(0, ...caps) / DAY_MS));

/** A repository's web address without credentials, from CI's variables or an origin URL; undefined for anything else. */
export function repositoryUrl(env: Record<string, string | undefined>, origin?: string): string | undefined {
  if (env.GITHUB_REPOSITORY && /^[\w.-]+\/[\w.-]+$/.test(env.GITHUB_REPOSITORY)) {
    const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
    if (/^https:\/\/[\w.-]+(:\d+)?$/.test(server)) return `${server}/${env.GITHUB_REPOSITORY}`;
  }
  const m = origin?.trim().match(/^(?:https:\/\/(?:[^@/]*@)?([\w.-]+)\/|(?:ssh:\/\/)?git@([\w.-]+)[:/])([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/);
  return m ? `https://${m[1] ?? m[2]}/${m[3]}/${m[4]}` : undefined;
}

/** The sample files git knows under `historyDir`, or undefined outside a repository. */
export async function readSampleLog(historyDir: string, env: Record<string, string | undefined>, since?: number): Promise<SampleLog | undefined> {
  const git = async (args: string[]) => (await run('git', args, { cwd: historyDir, maxBuffer: 256 * 1024 * 1024 })).stdout;
  let head: string;
  try {
    head = (await git(['rev-parse', 'HEAD'])).trim();
  } catch {
    return undefined;
  }
  const sinceArg = since === undefined ? [] : [`--since=${new Date(since).toISOString()}`];
  const log = await git(['log', '--format=%x01%H', '--name-status', '--no-renames', ...sinceArg, '--', 'samples/']);
  const origin = env.GITHUB_REPOSITORY ? undefined : await git(['remote', 'get-url', 'origin']).catch(() => undefined);
  const seen = new Map<string, SampleLog['files'][number]>();
  let commit = '';
  let order = -1;
  for (const line of log.split('\n')) {
    if (line.startsWith('\u0001')) {
      commit = line.slice(1).trim();
      order++;
      continue;
    }
    const [status, path] = line.split('\t');
    if (!path || !status || status.startsWith('D') || seen.has(path)) continue;
    const day = sampleFileDay(path.slice(path.lastIndexOf('/') + 1));
    if (day) seen.set(path, { path, day, commit, order });
  }
  const repoUrl = repositoryUrl(env, origin);
  return { head, ...(repoUrl ? { repoUrl } : {}), files: [...seen.values()].sort((a, b) => a.path.localeCompare(b.path)) };
}

/**
 * The files of one month ([start, end) in any zone): every UTC day it touches, plus `carryDays` before
 * it (their last samples cover the month's first minutes), linked at the month's closing commit.
 */
export function monthEvidence(log: SampleLog, month: { start: number; end: number; running: boolean }, carryDays = 1): MonthEvidence {
  const first = utcDay(month.start);
  const from = utcDay(month.start - carryDays * DAY_MS);
  const to = utcDay(month.end - 1);
  const files = log.files.filter((f) => f.day >= from && f.day <= to);
  const closing = files.reduce<SampleLog['files'][number] | undefined>((a, f) => (!a || f.order < a.order ? f : a), undefined);
  const commit = month.running ? log.head : closing?.commit;
  return {
    ...(commit ? { commit } : {}),
    atHead: month.running,
    ...(log.repoUrl ? { repoUrl: log.repoUrl } : {}),
    files: files.map((f) => ({
      path: f.path,
      day: f.day,
      carry: f.day < first,
      ...(log.repoUrl && commit ? { url: `${log.repoUrl}/blob/${commit}/${f.path}` } : {}),
    })),
  };
}
