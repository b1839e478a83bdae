/**
 * How fast the CLI starts, as whole processes (what a vendor and CI feel): `--help`, `--version`,
 * and `validate` of the example checks, cold (an empty compile cache, as on a fresh CI runner) and
 * warm (the cache a second run finds). Each figure is the median of RUNS runs, beside `node -e 0`
 * measured in the same run, so the ratios hold on any machine. Targets (2 cores here):
 * --help ≤ 150 ms, validate ≤ 400 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, round } from './util.ts';

const RUNS = Number(process.env.CLI_RUNS ?? 15);
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;
const root = new URL('../..', import.meta.url).pathname;

function time(args: string[], env: Record<string, string> = {}): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return performance.now() - t;
}

function median(args: string[], env: () => Record<string, string> = () => ({})): number {
  return percentile(
    Array.from({ length: RUNS }, () => time(args, env())),
    50,
  );
}

const warmCache = mkdtempSync(join(tmpdir(), 'upkeep-cc-'));
const fresh: string[] = [];
const cold = () => {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-cc-cold-'));
  fresh.push(dir);
  return { NODE_COMPILE_CACHE: dir };
};
try {
  const node = median(['-e', '0']);
  const help = median([cli, '--help']);
  const version = median([cli, '--version']);
  const commandHelp = median([cli, 'probe', '--help']);
  const validateCold = median([cli, 'validate'], cold);
  time([cli, 'validate'], { NODE_COMPILE_CACHE: warmCache });
  const validateWarm = median([cli, 'validate'], () => ({ NODE_COMPILE_CACHE: warmCache }));
  const figures = {
    runs: RUNS,
    node_ms: round(node, 0),
    help_ms: round(help, 0),
    version_ms: round(version, 0),
    command_help_ms: round(commandHelp, 0),
    validate_cold_ms: round(validateCold, 0),
    validate_warm_ms: round(validateWarm, 0),
    help_over_node: round(help / node),
    validate_warm_over_node: round(validateWarm / node),
    validate_cold_over_node: round(validateCold / node),
  };
  console.log(`node -e 0            ${figures.node_ms} ms`);
  console.log(`upkeep --help        ${figures.help_ms} ms (${figures.help_over_node}× node; target ≤ 150 ms)`);
  console.log(`upkeep --version     ${figures.version_ms} ms`);
  console.log(`upkeep probe --help  ${figures.command_help_ms} ms`);
  console.log(`upkeep validate      ${figures.validate_warm_ms} ms warm, ${figures.validate_cold_ms} ms with an empty compile cache (target ≤ 400 ms)`);
  console.log(JSON.stringify(figures));
} finally {
  for (const dir of [warmCache, ...fresh]) rmSync(dir, { recursive: true, force: true });
}
