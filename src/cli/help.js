// What the commands and their options are, and how `--help` shows them. Plain JavaScript on
// purpose: `upkeep --help` and `--version` are answered from here by src/cli/upkeep.js without
// loading TypeScript at all (stripping types costs Node ~90 ms before the first line runs).
import { readFileSync } from 'node:fs';

/** Every option any command takes: the name of its value ('' for a switch) and what it does. */
export const optionHelp = {
  checks: ['DIR', 'the checks folder (site.yml, maintenance.yml, check files); default checks'],
  history: ['DIR', 'the history folder; default history'],
  out: ['DIR', 'where the built site goes; default dist'],
  only: ['ID,...', 'probe only these checks'],
  'changed-since': ['GIT_REF', 'probe only checks added or changed since this ref (after vars are filled in)'],
  region: ['NAME', 'the region this runner probes from; default default'],
  shard: ['I/N', 'probe the I-th of N shards (a stable hash of instance ids, or of check ids for checks of no instance)'],
  'dry-run': ['', 'write nothing; print what would be written'],
  json: ['', 'print the results as JSON'],
  concurrency: ['N', 'checks probed at once; default 32'],
  all: ['', 'roll up every day again, not only new and recent ones'],
  'allow-missing-secrets': ['', 'skip (and list) checks whose ${{ env.NAME }} is not set, instead of failing'],
  untrusted: ['', 'the checks come from a pull request: refuse internal addresses, print no response data'],
  output: ['FILE', 'also write the results as JSON to FILE (the pull-request comment reads it)'],
  file: ['FILE', 'the results file from `upkeep probe --output`'],
  for: ['DURATION', 'keep probing every interval for this long, e.g. 14m (default: one round)'],
  'no-probe': ['', 'do not probe (the job after a region matrix): incidents, rollups, commit'],
  'no-incidents': ['', 'do not plan incidents'],
  'no-rollup': ['', 'do not roll up'],
  commit: ['', 'commit what the run wrote to git'],
  push: ['', 'push the commits (rebase and retry when someone else pushed first)'],
  channel: ['NAME', 'only this channel of notify.yml'],
  to: ['ADDRESS', '`notify test`: the one subscriber address a subscriber channel sends its test to (never printed)'],
  'no-notify': ['', 'do not deliver notifications'],
  status: ['WORD', '`heartbeat`: ok or fail (success, failure and cancelled also do); default ok'],
  duration: ['TIME', '`heartbeat`: how long the run took, in seconds or as 42s / 3m'],
  message: ['TEXT', '`heartbeat`: a line about the run (shown with a failure)'],
  port: ['N', 'the port to serve on; default 4321'],
  dir: ['DIR', '`init`: the repository folder to scaffold; default the current folder'],
  vendor: ['NAME', '`init`: your company or product name, e.g. "Pipewell CRM"'],
  'check-url': ['URL', '`init`: the address of the first check, e.g. https://api.example.com/health'],
  'time-zone': ['ZONE', "`init`: the page's IANA time zone, e.g. Europe/Prague; default UTC"],
  language: ['CODE', "`init`: the page's language (en, pt-BR, cs, ru, fa, zh-CN); default en"],
  force: ['', '`init`: overwrite files that exist'],
  from: ['DIR|URL', '`import`: where the data to import is (a folder, or a Statuspage address)'],
  days: ['N', 'days of history to make; default 90'],
  component: ['ID', '`sla`: the component'],
  month: ['YYYY-MM', '`sla`: the month, in sla.time_zone'],
  instance: ['ID', '`sla`: that instance alone (its checks and those every instance shares)'],
};

/** Each command: one line on what it does, and the options it takes. */
export const commandHelp = {
  validate: {
    summary: 'Check checks, site.yml, maintenance and incident files; every problem as file:line:col, exit 1 if any.',
    options: ['checks', 'history', 'allow-missing-secrets'],
  },
  probe: {
    summary: 'Probe the checks once and append the samples to history (or print them, with --dry-run).',
    options: [
      'checks',
      'history',
      'only',
      'changed-since',
      'region',
      'shard',
      'dry-run',
      'json',
      'concurrency',
      'allow-missing-secrets',
      'output',
      'untrusted',
    ],
  },
  run: {
    summary: 'The scheduled slot: probe every interval, commit and push the samples, plan incidents, notify, roll up.',
    options: ['checks', 'history', 'for', 'region', 'shard', 'no-probe', 'no-incidents', 'no-notify', 'no-rollup', 'commit', 'push', 'concurrency'],
  },
  matrix: {
    summary:
      'The runners a probe slot needs as a GitHub Actions matrix: per region, shards that keep the worst round inside the interval (also to $GITHUB_OUTPUT as `matrix`).',
    options: ['checks', 'concurrency', 'json'],
  },
  incidents: {
    summary: 'Open, update and resolve automatic incidents from the latest samples (and their GitHub issues).',
    options: ['checks', 'history', 'dry-run', 'json'],
  },
  notify: {
    summary: 'Deliver the events the ledger has not seen delivered (`notify test`: a marked test message to each channel).',
    options: ['checks', 'history', 'dry-run', 'json', 'channel', 'to', 'region', 'commit', 'push'],
    subcommands: ['test'],
  },
  rollup: { summary: 'Daily rollups of complete days (idempotent); removes raw samples past the retention.', options: ['checks', 'history', 'all'] },
  sla: {
    summary: "One component's (or instance's) SLA statement for a month, recomputed from the raw sample files alone (what the statement page says to run).",
    options: ['checks', 'history', 'component', 'instance', 'month', 'json'],
  },
  build: { summary: 'Build the static site: pages, feeds, JSON API, badges.', options: ['checks', 'history', 'out'] },
  heartbeat: {
    summary:
      'A job reports in: `heartbeat ID` sends a beat to the status repository; `heartbeat record` (the heartbeat workflow) records one from UPKEEP_BEAT.',
    subcommands: ['record'],
    argument: 'ID',
    options: ['checks', 'history', 'status', 'duration', 'message', 'commit', 'push'],
  },
  websub: { summary: 'After a deploy: tell the WebSub hub of site.yml (site.websub_hub) that every feed changed.', options: ['checks', 'dry-run'] },
  'pr-comment': { summary: 'Post the dry-run results as one comment on the pull request (updated in place).', options: ['file'] },
  demo: { summary: 'A sample CRM, real probes against it, the built page, served and kept fresh.', options: ['port', 'days'] },
  init: {
    summary: 'Scaffold a vendor repository in place: site.yml, one component and check, maintenance, workflows (asks on a terminal).',
    options: ['dir', 'vendor', 'check-url', 'time-zone', 'language', 'force'],
  },
  dev: {
    summary: 'Your own page, locally: probe your checks on their interval, rebuild on changes, serve it (never a broken page).',
    options: ['checks', 'history', 'port'],
  },
  import: {
    summary: 'Bring a page over: `import statuspage` (components, incidents, maintenance) or `import upptime` (sites, history summaries).',
    subcommands: ['statuspage', 'upptime'],
    options: ['from', 'checks', 'history', 'dry-run'],
  },
};

export function usage() {
  const width = Math.max(...Object.keys(commandHelp).map((c) => c.length));
  return [
    'Usage: upkeep <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commandHelp).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    "`upkeep <command> --help` lists a command's options. `upkeep --version` prints the version.",
    'UPKEEP_NOW (ISO 8601) replaces the clock for probe, run, incidents, rollup and build.',
    "UPKEEP_SITE_URL is the page's address for build and websub when site.yml sets no site.url.",
    'Exit codes: 0 ok (a check being down is not an error), 1 invalid input, 2 usage, >2 internal error.',
  ].join('\n');
}

/** @param {string} name */
export function commandUsage(name) {
  const c = commandHelp[/** @type {keyof typeof commandHelp} */ (name)];
  const flags = c.options.map((o) => [`--${o}${optionHelp[o][0] ? ` ${optionHelp[o][0]}` : ''}`, optionHelp[o][1]]);
  const width = Math.max(...flags.map(([f]) => f.length));
  const sub = `${'subcommands' in c ? ` [${c.subcommands.join('|')}]` : ''}${'argument' in c ? ` [${c.argument}]` : ''}`;
  return [`Usage: upkeep ${name}${sub} [options]`, '', c.summary, '', 'Options:', ...flags.map(([f, help]) => `  ${f.padEnd(width)}  ${help}`)].join('\n');
}

export function version() {
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}

/**
 * What `--help` or `--version` alone asks for, without parsing anything else: the text, or
 * undefined when the arguments are a real command line.
 * @param {string[]} argv
 */
export function quickAnswer(argv) {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) return version();
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return usage();
  if (argv.length === 2 && (argv[1] === '--help' || argv[1] === '-h') && Object.hasOwn(commandHelp, argv[0])) return commandUsage(argv[0]);
  return undefined;
}
