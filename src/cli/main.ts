/**
 * The `upkeep` command: the only place that reads argv and the environment. src/cli/help.js lists
 * the commands and their options; the table below says what each runs, loaded only when it runs,
 * so `upkeep validate` never loads the probes or Astro.
 */
import { parseArgs } from 'node:util';
import { InputError, UsageError } from './errors.ts';
import { redactingIo, type Io } from './io.ts';
import { MIN_SECRET, Redactor } from '../secrets/redact.ts';
import { commandHelp, commandUsage, optionHelp, usage, version } from './help.js';

type Env = Record<string, string | undefined>;

type OptionName = keyof typeof optionHelp;

const options = {
  ...(Object.fromEntries(Object.entries(optionHelp).map(([name, [value]]) => [name, { type: value ? 'string' : 'boolean' }])) as Record<
    OptionName,
    { type: 'string' | 'boolean' }
  >),
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Values = { [K in OptionName]?: string | boolean };

type Context = { values: Values; env: Env; io: Io; redactor: Redactor; subcommand?: string; argument?: string };

type Run = (ctx: Context) => Promise<void>;

const str = (v: Values, name: OptionName, fallback: string) => (typeof v[name] === 'string' ? (v[name] as string) : fallback);
const flag = (v: Values, name: OptionName) => v[name] === true;
const clock = async (env: Env) => (await import('./clock.ts')).clockFrom(env);

/** What each command of src/cli/help.js runs. */
const commands: Record<keyof typeof commandHelp, Run> = {
  validate: async ({ values: v, env, io }) => {
    const { validate } = await import('./validate.ts');
    await validate(
      { checks: str(v, 'checks', 'checks'), history: str(v, 'history', 'history'), env, allowMissingSecrets: flag(v, 'allow-missing-secrets') },
      io,
    );
  },
  probe: async ({ values: v, env, io, redactor }) => {
    const { probe } = await import('./probe.ts');
    const only = str(v, 'only', '');
    await probe(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        only: only
          ? only
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined,
        changedSince: v['changed-since'] as string | undefined,
        region: regionName(str(v, 'region', 'default')),
        shard: v.shard ? parseShard(v.shard as string) : undefined,
        dryRun: flag(v, 'dry-run'),
        json: flag(v, 'json'),
        concurrency: positiveInt('--concurrency', str(v, 'concurrency', '32')),
        env,
        now: await clock(env),
        allowMissingSecrets: flag(v, 'allow-missing-secrets'),
        untrusted: flag(v, 'untrusted'),
        redactor,
        ...(v.output ? { output: v.output as string } : {}),
      },
      io,
    );
  },
  run: async ({ values: v, env, io, redactor }) => {
    const [{ runSlot }, { parseDuration }] = await Promise.all([import('./run.ts'), import('../config/duration.ts')]);
    const forMs = v.for ? parseDuration(v.for as string) : 0;
    if (forMs === undefined) throw new UsageError(`--for must be a duration such as 14m, got ${JSON.stringify(v.for)}`);
    // A job of `upkeep matrix`'s matrix passes its entry whole; the flags still win.
    const entry = env.UPKEEP_MATRIX ? matrixEntry(env.UPKEEP_MATRIX) : undefined;
    const follower = entry?.lead === false;
    await runSlot(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        forMs,
        region: regionName(str(v, 'region', entry?.region ?? 'default')),
        shard: v.shard ? parseShard(v.shard as string) : entry?.shard ? parseShard(entry.shard) : undefined,
        probe: !flag(v, 'no-probe'),
        incidents: !flag(v, 'no-incidents') && !follower,
        notify: !flag(v, 'no-notify') && !follower,
        rollup: !flag(v, 'no-rollup') && !follower,
        commit: flag(v, 'commit'),
        push: flag(v, 'push'),
        concurrency: positiveInt('--concurrency', str(v, 'concurrency', '32')),
        env,
        now: await clock(env),
        redactor,
      },
      io,
    );
  },
  matrix: async ({ values: v, env, io }) => {
    const { matrix } = await import('./matrix.ts');
    await matrix(
      { checks: str(v, 'checks', 'checks'), env, concurrency: positiveInt('--concurrency', str(v, 'concurrency', '32')), json: flag(v, 'json') },
      io,
    );
  },
  incidents: async ({ values: v, env, io, redactor }) => {
    const { incidents } = await import('./incidents.ts');
    await incidents(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        dryRun: flag(v, 'dry-run'),
        json: flag(v, 'json'),
        env,
        now: await clock(env),
        redactor,
      },
      io,
    );
  },
  notify: async ({ values: v, env, io, redactor, subcommand }) => {
    const { notify } = await import('./notify.ts');
    if (v.to && subcommand !== 'test') throw new UsageError('--to is for `upkeep notify test`');
    await notify(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        dryRun: flag(v, 'dry-run'),
        json: flag(v, 'json'),
        env,
        now: await clock(env),
        region: regionName(str(v, 'region', 'default')),
        commit: flag(v, 'commit'),
        push: flag(v, 'push'),
        redactor,
        ...(v.channel ? { channel: v.channel as string } : {}),
        ...(subcommand === 'test' ? { test: { ...(v.channel ? { channel: v.channel as string } : {}), ...(v.to ? { to: v.to as string } : {}) } } : {}),
      },
      io,
    );
  },
  rollup: async ({ values: v, env, io }) => {
    const { rollup } = await import('./rollup.ts');
    await rollup({ checks: str(v, 'checks', 'checks'), history: str(v, 'history', 'history'), all: flag(v, 'all'), env, now: await clock(env) }, io);
  },
  sla: async ({ values: v, env, io }) => {
    const { sla } = await import('./sla.ts');
    await sla(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        json: flag(v, 'json'),
        env,
        now: await clock(env),
        ...(typeof v.component === 'string' ? { component: v.component } : {}),
        ...(typeof v.month === 'string' ? { month: v.month } : {}),
        ...(typeof v.instance === 'string' ? { instance: v.instance } : {}),
      },
      io,
    );
  },
  build: async ({ values: v, env, io, redactor }) => {
    // Astro and Vite are heavy; only the commands that build load them.
    const { build } = await import('./build.ts');
    await build(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        out: str(v, 'out', 'dist'),
        env,
        now: await clock(env),
        redactor,
        ...(env.UPKEEP_SITE_URL ? { siteUrl: env.UPKEEP_SITE_URL } : {}),
      },
      io,
    );
  },
  heartbeat: async ({ values: v, env, io, redactor, subcommand, argument }) => {
    const { sendBeat, recordHeartbeat } = await import('./heartbeat.ts');
    if (subcommand === 'record') {
      if (argument) throw new UsageError('`heartbeat record` takes no check id: the beat names it');
      await recordHeartbeat(
        {
          checks: str(v, 'checks', 'checks'),
          history: str(v, 'history', 'history'),
          payload: env.UPKEEP_BEAT,
          commit: flag(v, 'commit'),
          push: flag(v, 'push'),
          env,
          now: await clock(env),
          redactor,
        },
        io,
      );
      return;
    }
    if (!argument) throw new UsageError('heartbeat needs the check id: upkeep heartbeat ID [--status ok|fail] [--duration 42s]');
    await sendBeat(
      {
        check: argument,
        status: str(v, 'status', 'ok'),
        ...(typeof v.duration === 'string' ? { duration: v.duration } : {}),
        ...(typeof v.message === 'string' ? { message: v.message } : {}),
        env,
        now: await clock(env),
      },
      io,
    );
  },
  websub: async ({ values: v, env, io }) => {
    const { websub } = await import('./websub.ts');
    await websub({ checks: str(v, 'checks', 'checks'), env, dryRun: flag(v, 'dry-run'), ...(env.UPKEEP_SITE_URL ? { siteUrl: env.UPKEEP_SITE_URL } : {}) }, io);
  },
  'pr-comment': async ({ values: v, env, io, redactor }) => {
    if (!v.file) throw new UsageError('pr-comment needs --file RESULTS.json (from upkeep probe --output)');
    const { prComment } = await import('./pr-comment.ts');
    await prComment({ file: v.file as string, env, redactor }, io);
  },
  init: async ({ values: v, env, io }) => {
    const { init } = await import('./init.ts');
    await init(
      {
        dir: str(v, 'dir', '.'),
        force: flag(v, 'force'),
        interactive: !env.CI && process.stdin.isTTY === true && process.stdout.isTTY === true,
        ...(typeof v.vendor === 'string' ? { vendor: v.vendor } : {}),
        ...(typeof v['check-url'] === 'string' ? { checkUrl: v['check-url'] } : {}),
        ...(typeof v['time-zone'] === 'string' ? { timeZone: v['time-zone'] } : {}),
        ...(typeof v.language === 'string' ? { language: v.language } : {}),
      },
      io,
    );
  },
  dev: async ({ values: v, env, io }) => {
    const [{ dev }, { browserPath }] = await Promise.all([import('./dev.ts'), import('./probe.ts')]);
    await dev(
      {
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        port: positiveInt('--port', str(v, 'port', '4321')),
        env,
        browserPath: browserPath(env),
      },
      io,
    );
  },
  import: async ({ values: v, env, io, subcommand }) => {
    if (!subcommand) throw new UsageError('import needs what to import: upkeep import statuspage --from DIR|URL, or upkeep import upptime --from DIR');
    if (typeof v.from !== 'string') throw new UsageError(`import ${subcommand} needs --from ${subcommand === 'statuspage' ? 'DIR|URL' : 'DIR'}`);
    const { importFrom } = await import('./import.ts');
    await importFrom(
      {
        kind: subcommand as 'statuspage' | 'upptime',
        from: v.from,
        checks: str(v, 'checks', 'checks'),
        history: str(v, 'history', 'history'),
        dryRun: flag(v, 'dry-run'),
        env,
      },
      io,
    );
  },
  demo: async ({ values: v, env, io }) => {
    const [{ demo }, { browserPath }] = await Promise.all([import('../demo/run.ts'), import('./probe.ts')]);
    await demo({ port: positiveInt('--port', str(v, 'port', '4321')), days: positiveInt('--days', str(v, 'days', '90')), browserPath: browserPath(env) }, io);
  },
};

export async function main(argv: string[], env: Env, rawIo: Io): Promise<number> {
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

async function run(argv: string[], env: Env, io: Io, redactor: Redactor): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.version) {
    io.out(version());
    return 0;
  }
  if (!name) {
    io.out(usage());
    return values.help ? 0 : 2;
  }
  if (!Object.hasOwn(commandHelp, name)) throw new UsageError(`unknown command "${name}"`);
  const help = commandHelp[name as keyof typeof commandHelp];
  if (values.help) {
    io.out(commandUsage(name));
    return 0;
  }
  const subcommands: readonly string[] = 'subcommands' in help ? help.subcommands : [];
  const subcommand = rest[0] !== undefined && subcommands.includes(rest[0]) ? rest.shift() : undefined;
  const argument = 'argument' in help && rest.length > 0 ? rest.shift() : undefined;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  for (const option of Object.keys(values) as OptionName[]) {
    if (!(help.options as readonly string[]).includes(option))
      throw new UsageError(`${name} does not take --${option} (upkeep ${name} --help lists what it takes)`);
  }
  const { secretsOf } = await import('./secrets.ts');
  const { tooShort } = await secretsOf(str(values, 'checks', 'checks'), env, redactor);
  for (const secret of tooShort)
    io.err(
      `warning: the secret ${secret} is shorter than ${MIN_SECRET} characters; Upkeep cannot hide so short a value in what it writes without hiding ordinary words: use a longer one`,
    );
  await commands[name as keyof typeof commandHelp]({ values, env, io, redactor, subcommand, ...(argument !== undefined ? { argument } : {}) });
  return 0;
}

/**
 * The probe workflow passes every repository secret as JSON (`UPKEEP_SECRETS: ${{ toJSON(secrets) }}`),
 * so a vendor adds a secret without editing the workflow. They join the environment checks read.
 */
export function withActionsSecrets(env: Env): Env {
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
  if (!/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(text))
    throw new UsageError(`--region must be a lowercase name like "eu-west", got ${JSON.stringify(text)}`);
  return text;
}

/** UPKEEP_MATRIX: one entry of `upkeep matrix`'s output, as the workflow's `toJSON(matrix)` gives it. */
function matrixEntry(text: string): { region?: string; shard?: string; lead?: boolean } {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    throw new UsageError(
      `UPKEEP_MATRIX must be one entry of \`upkeep matrix\` as JSON, e.g. {"region":"eu","shard":"1/2","lead":true}, got ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new UsageError('UPKEEP_MATRIX must be a JSON object (one entry of `upkeep matrix`)');
  const { region, shard, lead } = entry as Record<string, unknown>;
  if (
    (region !== undefined && typeof region !== 'string') ||
    (shard !== undefined && typeof shard !== 'string') ||
    (lead !== undefined && typeof lead !== 'boolean')
  )
    throw new UsageError('UPKEEP_MATRIX: region and shard are strings, lead is true or false');
  return { region, shard, lead } as { region?: string; shard?: string; lead?: boolean };
}

function parseShard(text: string) {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, e.g. 2/4, got ${JSON.stringify(text)}`);
  return { index: Number(m[1]), count: Number(m[2]) };
}
