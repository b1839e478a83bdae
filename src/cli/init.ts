/**
 * `upkeep init`: a vendor's repository, scaffolded in place: site.yml with their name, zone and
 * language, one component and one check against the address they give, an empty maintenance
 * file, and Upkeep's workflows. Refuses to overwrite what exists without `--force`; the result
 * validates and builds. Asks on a terminal, takes flags anywhere else.
 */
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { stringify } from 'yaml';
import { supportedLanguages } from '../config/schema.ts';
import { siteRoot } from './build.ts';
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type InitOptions = {
  dir: string;
  force: boolean;
  interactive: boolean;
  vendor?: string;
  checkUrl?: string;
  timeZone?: string;
  language?: string;
  /** Where questions are read and asked (the terminal; tests pass streams). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
};

type Answers = { vendor: string; checkUrl: URL; timeZone: string; language: string };

export async function init(opts: InitOptions, io: Io): Promise<void> {
  const answers = opts.interactive ? await ask(opts, io) : fromFlags(opts);
  const files = scaffold(answers);
  const checksDir = join(opts.dir, 'checks');
  // Every .yml in checks/ is read as checks: the demo's files left beside new ones would name components that are gone.
  const existing = (await readdir(checksDir).catch(() => [] as string[])).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
  const workflows = await workflowFiles(opts.dir);
  const clashes = [...existing.map((f) => join('checks', f)), ...workflows.filter((w) => w.differs).map((w) => w.path)];
  if (clashes.length > 0 && !opts.force) {
    const demo = existing.length > 0 && (await readFile(join(checksDir, 'site.yml'), 'utf8').catch(() => '')).includes('Pipewell CRM');
    throw new InputError(
      [
        `${opts.dir === '.' ? 'this folder' : opts.dir} already has ${clashes.join(', ')}; nothing was written.`,
        demo
          ? 'Those are the Pipewell CRM demo’s examples: `npx upkeep init --force …` replaces them (they stay in git history, and `npx upkeep demo` runs from any fresh copy of Upkeep).'
          : 'Run it again with --force to replace them (git keeps the old ones), or in an empty folder with --dir.',
      ].join('\n'),
    );
  }
  await mkdir(checksDir, { recursive: true });
  for (const f of existing) await rm(join(checksDir, f));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(opts.dir, path, '..'), { recursive: true });
    await writeFile(join(opts.dir, path), text);
  }
  await mkdir(join(opts.dir, 'history'), { recursive: true });
  for (const w of workflows) {
    if (!w.exists || (w.differs && opts.force)) {
      await mkdir(join(opts.dir, '.github/workflows'), { recursive: true });
      await copyFile(w.source, join(opts.dir, w.path));
    }
  }
  const written = [...Object.keys(files), ...workflows.filter((w) => !w.exists || (w.differs && opts.force)).map((w) => w.path)];
  io.out(`init: wrote ${written.join(', ')}${existing.length ? ` (replaced ${existing.map((f) => `checks/${f}`).join(', ')})` : ''}`);
  io.out('Next:');
  io.out('  npx upkeep validate         # checks every file, as the pull-request check will');
  io.out('  npx upkeep dev              # your page at http://localhost:4321/, probed and rebuilt as you edit');
  io.out(`  git add checks .github && git commit -m "Our status page"   # then enable GitHub Pages (README: Make it yours)`);
}

function fromFlags(opts: InitOptions): Answers {
  const missing = [opts.vendor === undefined && '--vendor NAME', opts.checkUrl === undefined && '--check-url URL'].filter(Boolean);
  if (missing.length > 0) {
    throw new InputError(
      `init needs ${missing.join(' and ')} (or run it in a terminal to be asked), e.g.\n  npx upkeep init --vendor "Acme CRM" --check-url https://api.acme.example/health --time-zone Europe/Prague`,
    );
  }
  return checked({ vendor: opts.vendor!, checkUrl: opts.checkUrl!, timeZone: opts.timeZone ?? 'UTC', language: opts.language ?? 'en' });
}

/** Asks for what the flags did not say, with defaults from this machine; a wrong answer is asked again. */
async function ask(opts: InitOptions, io: Io): Promise<Answers> {
  const rl = createInterface({ input: opts.input ?? process.stdin, output: opts.output ?? process.stdout });
  try {
    const question = async (text: string, fallback: string | undefined, check: (v: string) => string | undefined): Promise<string> => {
      for (;;) {
        const got = (await rl.question(`${text}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback || '';
        const problem = check(got);
        if (!problem) return got;
        io.err(`  ${problem}`);
      }
    };
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const vendor = opts.vendor ?? (await question('Your company or product name', undefined, vendorProblem));
    const checkUrl = opts.checkUrl ?? (await question('An address to check (a health endpoint, your app)', undefined, urlProblem));
    const timeZone = opts.timeZone ?? (await question('The page’s time zone', zone, zoneProblem));
    const language = opts.language ?? (await question(`The page’s language (${supportedLanguages.join(', ')})`, 'en', languageProblem));
    return checked({ vendor, checkUrl, timeZone, language });
  } finally {
    rl.close();
  }
}

function checked(a: { vendor: string; checkUrl: string; timeZone: string; language: string }): Answers {
  const problems = [vendorProblem(a.vendor), urlProblem(a.checkUrl), zoneProblem(a.timeZone), languageProblem(a.language)].filter(Boolean);
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return { ...a, vendor: a.vendor.trim(), checkUrl: new URL(a.checkUrl) };
}

const vendorProblem = (v: string) =>
  !v.trim()
    ? '--vendor: give your company or product name, e.g. "Acme CRM"'
    : v.length > 80 || /[\p{Cc}]/u.test(v)
      ? '--vendor: a name of at most 80 characters on one line'
      : undefined;

function urlProblem(v: string): string | undefined {
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `--check-url: ${JSON.stringify(v)} is not an address; give one such as https://api.acme.example/health`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `--check-url: ${JSON.stringify(v)} is not an http:// or https:// address`;
  if (url.username || url.password) return '--check-url: put no user or password in the address; a secret goes in a header (`${{ env.NAME }}`, README: Checks)';
  return undefined;
}

function zoneProblem(v: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return undefined;
  } catch {
    return `--time-zone: ${JSON.stringify(v)} is not an IANA time zone; give one such as Europe/Prague, America/New_York or UTC`;
  }
}

const languageProblem = (v: string) =>
  (supportedLanguages as readonly string[]).includes(v)
    ? undefined
    : `--language: ${JSON.stringify(v)} is not one Upkeep ships; choose ${supportedLanguages.join(', ')}`;

/** The component a first check belongs to, named after the address: api.… is the API, app.… the web app. */
function componentOf(url: URL): { id: string; name: string } {
  const label = url.hostname.split('.')[0].toLowerCase();
  const known: Record<string, { id: string; name: string }> = {
    api: { id: 'api', name: 'API' },
    app: { id: 'web-app', name: 'Web app' },
    www: { id: 'website', name: 'Website' },
  };
  if (known[label]) return known[label];
  if (/^\d+$/.test(label) || url.hostname.includes(':') || label === 'localhost') return { id: 'service', name: 'Service' };
  const id = label.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'service';
  return { id, name: id.charAt(0).toUpperCase() + id.slice(1).replace(/-/g, ' ') };
}

/** The files, as text: YAML written by the yaml library, so any name is quoted right. */
function scaffold(a: Answers): Record<string, string> {
  const component = componentOf(a.checkUrl);
  const path = `${a.checkUrl.pathname === '/' ? '/' : a.checkUrl.pathname}${a.checkUrl.search}`;
  const site = {
    site: { title: `${a.vendor} Status`, vendor: a.vendor, time_zone: a.timeZone, language: a.language },
    vars: { base_url: a.checkUrl.origin },
    defaults: { interval: '5m' },
    components: [{ id: component.id, name: component.name }],
  };
  const checks = {
    checks: [
      {
        id: `${component.id}-${path === '/' ? 'home' : 'health'}`,
        name: `${component.name} ${path === '/' ? 'home page' : 'health'}`,
        component: component.id,
        kind: 'http',
        url: `\${{ vars.base_url }}${path}`,
        expect: { status: '2xx' },
      },
    ],
  };
  return {
    'checks/site.yml': `# yaml-language-server: $schema=../src/config/site.schema.json
# Your status page. Add components here and checks in the other files of this folder;
# \`npx upkeep validate\` checks them all. README.md (Checks, Make it yours) has every field.
# Set site.url once you know where the page is published (feeds and links use it).
${stringify(site, { lineWidth: 0 })}`,
    [`checks/${component.id}.yml`]: `# yaml-language-server: $schema=../src/config/checks.schema.json
# Checks of ${component.name}. Secrets go in headers as \${{ env.NAME }} (a repository secret).
${stringify(checks, { lineWidth: 0 })}`,
    'checks/maintenance.yml': `# yaml-language-server: $schema=../src/config/maintenance.schema.json
# Planned windows: during one, its components raise no incident and the time is left out of uptime.
# maintenance:
#   - id: database-upgrade
#     title: Database upgrade
#     components: [${component.id}]
#     start: 2026-12-12 22:00
#     end: 2026-12-13 01:00
maintenance: []
`,
  };
}

/** Upkeep's workflows and where they would go; `differs` when the target has a different file there. */
async function workflowFiles(dir: string): Promise<{ path: string; source: string; exists: boolean; differs: boolean }[]> {
  const from = join(siteRoot, '.github/workflows');
  const names = (await readdir(from).catch(() => [] as string[])).filter((n) => n.endsWith('.yml') && n !== 'test.yml');
  return Promise.all(
    names.map(async (n) => {
      const source = join(from, n);
      const path = relative(dir, join(dir, '.github/workflows', n)) || n;
      const target = join(dir, '.github/workflows', n);
      const [mine, theirs] = await Promise.all([readFile(source, 'utf8'), readFile(target, 'utf8').catch(() => undefined)]);
      return { path, source, exists: theirs !== undefined, differs: theirs !== undefined && theirs !== mine };
    }),
  );
}
