/** The `upkeep` command: the only place that reads argv and the environment. */
import { parseArgs } from 'node:util';
import { clockFrom } from './clock.ts';
import { InputError, UsageError } from './errors.ts';
import { redactingIo, type Io } from './io.ts';
import { probe } from './probe.ts';
import { secretsOf } from './secrets.ts';
import { validate } from './validate.ts';
import { parseDuration } from '../config/duration.ts';
import { MIN_SECRET, Redactor } from '../secrets/redact.ts';

const USAGE = `Usage: upkeep <command> [options]

Commands:
  validate  [--checks DIR] [--history DIR] [--allow-missing-secrets]
                                                  check checks, maintenance and incidents; exit 1 with file:line:col errors
  probe     [--checks DIR] [--history DIR] [--only ID,...] [--changed-since GIT_REF]
            [--region NAME] [--shard I/N] [--dry-run] [--json] [--concurrency N]
            [--allow-missing-secrets] [--output FILE] [--untrusted]
                                                  --untrusted: the checks come from a pull request (no internal targets, no response data)
  run       [--for DURATION] [--region NAME] [--shard I/N] [--no-probe] [--no-incidents] [--no-rollup] [--commit] [--push]
                                                  the scheduled slot: probe every interval, incidents, rollup, commit, push
  pr-comment --file RESULTS.json                  the dry-run results as one comment on the pull request
  incidents [--checks DIR] [--history DIR] [--dry-run] [--json]
                                                  open, update and resolve automatic incidents from the latest samples
  rollup    [--checks DIR] [--history DIR] [--all]       daily rollups of complete days (idempotent)
  build     [--checks DIR] [--history DIR] [--out DIR]
  demo      [--port N] [--days N]                 a sample CRM, real probes, the built page, served

Defaults: --checks checks, --history history, --out dist, --region default.
UPKEEP_NOW (ISO 8601) replaces the clock for probe, incidents, rollup and build.
Exit codes: 0 ok (a check being down is not an error), 1 invalid input, 2 usage, >2 internal error.`;

const options = {
  checks: { type: 'string', default: 'checks' },
  history: { type: 'string', default: 'history' },
  out: { type: 'string', default: 'dist' },
  only: { type: 'string' },
  'changed-since': { type: 'string' },
  region: { type: 'string', default: 'default' },
  shard: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  concurrency: { type: 'string', default: '32' },
  all: { type: 'boolean', default: false },
  'allow-missing-secrets': { type: 'boolean', default: false },
  untrusted: { type: 'boolean', default: false },
  output: { type: 'string' },
  file: { type: 'string' },
  for: { type: 'string' },
  'no-incidents': { type: 'boolean', default: false },
  'no-probe': { type: 'boolean', default: false },
  'no-rollup': { type: 'boolean', default: false },
  commit: { type: 'boolean', default: false },
  push: { type: 'boolean', default: false },
  port: { type: 'string' },
  days: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const allowed: Record<string, (keyof typeof options)[]> = {
  validate: ['checks', 'history', 'allow-missing-secrets'],
  run: ['checks', 'history', 'for', 'region', 'shard', 'no-probe', 'no-incidents', 'no-rollup', 'commit', 'push', 'concurrency'],
  'pr-comment': ['file'],
  incidents: ['checks', 'history', 'dry-run', 'json'],
  probe: ['checks', 'history', 'only', 'changed-since', 'region', 'shard', 'dry-run', 'json', 'concurrency', 'allow-missing-secrets', 'output', 'untrusted'],
  build: ['checks', 'history', 'out'],
  rollup: ['checks', 'history', 'all'],
  demo: ['port', 'days'],
};

export async function main(argv: string[], env: Record<string, string | undefined>, rawIo: Io): Promise<number> {
  // Filled once the arguments say where the checks are; everything printed is cleaned of it.
  const redactor = new Redactor();
  const io = redactingIo(rawIo, redactor);
  try {
    return await run(argv, withActionsSecrets(env), io, redactor);
  } catch (error) {
    // A symbolic link where history is written is the repository's problem, not Upkeep's: input.
    if ((error as { code?: string }).code === 'UPKEEP_UNSAFE_PATH') {
      io.err(`upkeep: ${(error as Error).message}`);
      return 1;
    }
    if (error instanceof InputError || error instanceof UsageError) {
      io.err(`upkeep: ${error.message}`);
      if (error instanceof UsageError) io.err('Run "upkeep --help" for usage.');
      return error.exitCode;
    }
    io.err(`upkeep: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 3;
  }
}

async function run(argv: string[], env: Record<string, string | undefined>, io: Io, redactor: Redactor): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (!allowed[command]) throw new UsageError(`unknown command "${command}"`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  for (const name of Object.keys(values) as (keyof typeof options)[]) {
    const given = argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (given && name !== 'help' && !allowed[command].includes(name)) throw new UsageError(`${command} does not take --${name}`);
  }
  const { tooShort } = await secretsOf(values.checks, env, redactor);
  for (const name of tooShort) io.err(`warning: the secret ${name} is shorter than ${MIN_SECRET} characters; Upkeep cannot hide so short a value in what it writes without hiding ordinary words: use a longer one`);

  switch (command) {
    case 'validate':
      await validate({ checks: values.checks, history: values.history, env, allowMissingSecrets: values['allow-missing-secrets'] }, io);
      return 0;
    case 'probe':
      await probe(
        {
          checks: values.checks,
          history: values.history,
          only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
          changedSince: values['changed-since'],
          region: regionName(values.region),
          shard: values.shard ? parseShard(values.shard) : undefined,
          dryRun: values['dry-run'],
          json: values.json,
          concurrency: positiveInt('--concurrency', values.concurrency),
          env,
          now: clockFrom(env),
          allowMissingSecrets: values['allow-missing-secrets'],
          untrusted: values.untrusted,
          redactor,
          ...(values.output ? { output: values.output } : {}),
        },
        io,
      );
      return 0;
    case 'run': {
      const { runSlot } = await import('./run.ts');
      const forMs = values.for ? parseDuration(values.for) : 0;
      if (forMs === undefined) throw new UsageError(`--for must be a duration such as 14m, got ${JSON.stringify(values.for)}`);
      await runSlot(
        {
          checks: values.checks,
          history: values.history,
          forMs,
          region: regionName(values.region),
          shard: values.shard ? parseShard(values.shard) : undefined,
          probe: !values['no-probe'],
          incidents: !values['no-incidents'],
          rollup: !values['no-rollup'],
          commit: values.commit,
          push: values.push,
          concurrency: positiveInt('--concurrency', values.concurrency),
          env,
          now: clockFrom(env),
          redactor,
        },
        io,
      );
      return 0;
    }
    case 'pr-comment': {
      if (!values.file) throw new UsageError('pr-comment needs --file RESULTS.json (from upkeep probe --output)');
      const { prComment } = await import('./pr-comment.ts');
      await prComment({ file: values.file, env, redactor }, io);
      return 0;
    }
    case 'incidents': {
      const { incidents } = await import('./incidents.ts');
      await incidents({ checks: values.checks, history: values.history, dryRun: values['dry-run'], json: values.json, env, now: clockFrom(env), redactor }, io);
      return 0;
    }
    case 'rollup': {
      const { rollup } = await import('./rollup.ts');
      await rollup({ checks: values.checks, history: values.history, all: values.all, env, now: clockFrom(env) }, io);
      return 0;
    }
    case 'build': {
      // Astro and Vite are heavy; only the commands that build load them.
      const { build } = await import('./build.ts');
      await build({ checks: values.checks, history: values.history, out: values.out, env, now: clockFrom(env), redactor, ...(env.UPKEEP_SITE_URL ? { siteUrl: env.UPKEEP_SITE_URL } : {}) }, io);
      return 0;
    }
    case 'demo': {
      const { demo } = await import('../demo/run.ts');
      const { browserPath } = await import('./probe.ts');
      await demo({ port: values.port ? positiveInt('--port', values.port) : 4321, days: values.days ? positiveInt('--days', values.days) : 90, browserPath: browserPath(env) }, io);
      return 0;
    }
  }
  return 2;
}

/**
 * The probe workflow passes every repository secret as JSON (`UPKEEP_SECRETS: ${{ toJSON(secrets) }}`),
 * so a vendor adds a secret without editing the workflow. They join the environment checks read.
 */
export function withActionsSecrets(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (!env.UPKEEP_SECRETS) return env;
  let secrets: unknown;
  try {
    secrets = JSON.parse(env.UPKEEP_SECRETS);
  } catch {
    throw new UsageError('UPKEEP_SECRETS is not JSON (the workflow passes ${{ toJSON(secrets) }})');
  }
  if (!secrets || typeof secrets !== 'object') throw new UsageError('UPKEEP_SECRETS is not a JSON object (the workflow passes ${{ toJSON(secrets) }})');
  const extra = Object.fromEntries(Object.entries(secrets).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  // UPKEEP_SECRETS stays: every entry is a secret to hide, referenced by a check or not.
  return { ...extra, ...env };
}

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${name} must be a positive whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

function regionName(text: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(text)) throw new UsageError(`--region must be a lowercase name like "eu-west", got ${JSON.stringify(text)}`);
  return text;
}

function parseShard(text: string) {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, e.g. 2/4, got ${JSON.stringify(text)}`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
