import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/** Starts a TypeScript script in its own Node process and waits for the first line it prints. */
export async function startProcess(script: string, args: string[] = []): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const firstLine = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { child, firstLine };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Preloaded with `--import`: writes the process's own peak RSS (getrusage's ru_maxrss) and CPU time
 * to $BENCH_RSS_FILE as it exits, so a benchmark reads the high-water mark of exactly that process.
 */
export const rssHook = `data:text/javascript,${encodeURIComponent(
  "import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,(({maxRSS,userCPUTime,systemCPUTime})=>JSON.stringify({maxRSS,cpuUs:userCPUTime+systemCPUTime}))(process.resourceUsage())))",
)}`;

export type Measured = { code: number | null; wallMs: number; peakRssMb: number; cpuMs: number; stdout: string; stderr: string };

/** Runs `node --import rssHook <args>` as its own process: wall time from spawn to exit, its peak RSS and CPU time. */
export async function measureProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<Measured> {
  const rssFile = join(tmpdir(), `upkeep-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', rssHook, ...args], {
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const usage = await readFile(rssFile, 'utf8')
    .then((t) => JSON.parse(t) as { maxRSS: number; cpuUs: number })
    .catch(() => ({ maxRSS: NaN, cpuUs: NaN }));
  await rm(rssFile, { force: true });
  return { code, wallMs, peakRssMb: usage.maxRSS / 1024, cpuMs: usage.cpuUs / 1000, stdout, stderr };
}

/** Files and bytes under a folder. */
export async function treeSize(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += (await stat(join(e.parentPath, e.name))).size;
  }
  return { files, bytes };
}
