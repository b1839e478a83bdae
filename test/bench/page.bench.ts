/**
 * `npm run bench:page`: what the home page costs a visitor. 30 components with 90 days of history
 * (generated for load in the real format, rolled up by the real code), built by `upkeep build`;
 * reports the bytes transferred (gzip) for HTML + CSS + JS, per component, and the other pages.
 * Then, with `LIGHTHOUSE=1`, runs Lighthouse (npx lighthouse@13, mobile preset, CHROME_PATH or
 * /usr/bin/chromium) on the home, a component, an incident and an SLA statement page (and, with
 * `--instances`, an instance page), LIGHTHOUSE_RUNS times each
 * (default 3), and reports every run and the median; LIGHTHOUSE_PAGES=home,… measures only those
 * pages. Prints one JSON line last.
 *
 * `npm run bench:page -- --instances`: the same for 50 instances × 10 components × 2 checks
 * (`for_each: instances`), 90 days generated as instances.ts says, an incident open on IN-00; adds
 * an instance page and the whole site's file count and bytes.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { preview } from 'astro';
import { formatSampleLine } from '../../src/history/format.ts';
import { dayFile } from '../../src/history/store.ts';
import { siteRoot } from '../../src/cli/build.ts';
import { capForDir, generateHistory, instancesMode, writeInstanceSite, type Generated } from './instances.ts';
import { round, treeSize } from './util.ts';

// LIGHTHOUSE_PAGES=home,component measures (and audits with axe) only those pages (names as printed).
const only = process.env.LIGHTHOUSE_PAGES?.split(',');
const INSTANCES = instancesMode() ? Number(process.env.BENCH_INSTANCES ?? 50) : 0;

/** The pages Lighthouse and axe measure (LIGHTHOUSE_PAGES=home,component keeps those): [name, path]. */
const auditedPages = (incident: string | undefined): [string, string][] =>
  (
    [
      ['home', ''],
      ['component', 'components/component-0/'],
      ['incident', `incidents/${incident}/`],
      ['sla-statement', 'sla/component-0/2026-11/'],
      ...(INSTANCES
        ? [
            ['instance', 'instances/in-00/'],
            ['instance-statement', 'instances/in-00/sla/component-0/2026-11/'],
          ]
        : []),
    ] as [string, string][]
  ).filter(([name]) => !only || only.includes(name));
const COMPONENTS = INSTANCES ? 10 : Number(process.env.BENCH_COMPONENTS ?? 30);
const NOW = Date.parse('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
const STEP = 5 * 60_000;
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;
const root = await mkdtemp(join(tmpdir(), 'upkeep-bench-page-'));
let generated: Generated | undefined;

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, UPKEEP_NOW: new Date(NOW).toISOString() } });
  if (r.status !== 0) throw new Error(`upkeep ${args.join(' ')}: ${r.stderr}`);
};

try {
  const checks = join(root, 'checks');
  const history = join(root, 'history');
  await mkdir(checks, { recursive: true });
  if (INSTANCES) {
    const ids = await writeInstanceSite(checks, INSTANCES, { extraSite: '  time_zone: Europe/Prague\n' });
    generated = await generateHistory(history, ids, { now: NOW, rawDays: 3, rolledDays: 87, capFor: await capForDir(checks) });
  } else await flatFixture(checks, history);
  run(['rollup', '--checks', checks, '--history', history]);
  await mkdir(join(history, 'incidents'), { recursive: true });
  await writeFile(
    join(history, 'incidents', '2026-11-20-component-0.md'),
    `---\nid: 2026-11-20-component-0\ntitle: Component number 0 is slow\ncomponents: [component-0]\n${INSTANCES ? 'instances: [in-00, in-01]\n' : ''}impact: minor\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Requests take longer than usual.\n  - at: 2026-11-20T10:40:00Z\n    status: resolved\n    message: A cache node was replaced.\n---\n`,
  );
  if (INSTANCES)
    await writeFile(
      join(history, 'incidents', '2026-11-23-component-1.md'),
      '---\nid: 2026-11-23-component-1\ntitle: Component number 1 answers slowly on IN-00\ncomponents: [component-1]\ninstances: [in-00]\nimpact: minor\nupdates:\n  - at: 2026-11-23T11:00:00Z\n    status: investigating\n    message: Some requests on IN-00 take several seconds.\n---\n',
    );
  const out = join(root, 'dist');
  run(['build', '--checks', checks, '--history', history, '--out', out]);

  const transfer = async (page: string) => {
    const html = await readFile(join(out, page), 'utf8');
    const assets = [...html.matchAll(/(?:href|src)="(\/_astro\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
    let gz = gzipSync(html).length;
    let raw = Buffer.byteLength(html);
    for (const a of new Set(assets)) {
      const body = await readFile(join(out, a));
      gz += gzipSync(body).length;
      raw += body.length;
    }
    return { gzipKb: round(gz / 1024, 1), rawKb: round(raw / 1024, 1), requests: 1 + new Set(assets).size };
  };
  const home = await transfer('index.html');
  const component = await transfer('components/component-0/index.html');
  const incidentsPage = await transfer('incidents/index.html');
  console.log(
    `home page, ${INSTANCES ? `${INSTANCES} instances, ` : ''}${COMPONENTS} components with 90-day bars: ${home.gzipKb} KB gzip (${home.rawKb} KB raw) in ${home.requests} requests — ${round(home.gzipKb / COMPONENTS, 2)} KB per component (target ≤ 40 KB)`,
  );
  console.log(`component page: ${component.gzipKb} KB gzip; incident history: ${incidentsPage.gzipKb} KB gzip`);
  const instance = INSTANCES ? await transfer('instances/in-00/index.html') : undefined;
  const site = await treeSize(out);
  if (instance && generated)
    console.log(
      `${INSTANCES} instances × ${COMPONENTS} components × 2 checks: instance page (IN-00, an incident open) ${instance.gzipKb} KB gzip (${instance.rawKb} KB raw) in ${instance.requests} requests (target ≤ 40 KB); history generated: ${generated.rawDays} days raw (${(generated.rawSamples / 1e6).toFixed(2)} M samples), ${generated.rolledDays} older days as ${generated.rolledRows} rollup rows`,
    );
  console.log(`the built site: ${site.files} files, ${round(site.bytes / 2 ** 20, 1)} MiB`);

  const result: Record<string, unknown> = {
    bench: 'page',
    generated: true,
    components: COMPONENTS,
    homeGzipKb: home.gzipKb,
    homeRawKb: home.rawKb,
    homeRequests: home.requests,
    componentGzipKb: component.gzipKb,
    ...(instance
      ? {
          instances: INSTANCES,
          checks: INSTANCES * COMPONENTS * 2,
          instanceGzipKb: instance.gzipKb,
          instanceRawKb: instance.rawKb,
          instanceRequests: instance.requests,
        }
      : {}),
    siteFiles: site.files,
    siteBytes: site.bytes,
  };
  if (process.env.LIGHTHOUSE) {
    const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
    const incident = execFileSync('ls', [join(out, 'incidents')])
      .toString()
      .split('\n')
      .find((n) => /^\d{4}-\d{2}-\d{2}-/.test(n));
    const scores: Record<string, Record<string, number>> = {};
    // Lighthouse's scores move from run to run on a busy machine (its own advice: take the median of
    // several runs). Each page is measured LIGHTHOUSE_RUNS times (default 3); every run is printed.
    const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
    for (const [name, path] of auditedPages(incident)) {
      const all: { scores: Record<string, number>; metrics: string; tbt: number }[] = [];
      for (let i = 0; i < runs; i++) {
        const report = join(root, `${name}-${i}.json`);
        // Asynchronously: the preview server lives in this process and must keep answering.
        await new Promise<void>((resolve, reject) => {
          const child = spawn(
            'npx',
            [
              '--yes',
              'lighthouse@13',
              `http://127.0.0.1:${server.port}/${path}`,
              '--quiet',
              '--output=json',
              `--output-path=${report}`,
              '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync',
            ],
            {
              env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' },
              stdio: ['ignore', 'ignore', 'inherit'],
            },
          );
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lighthouse exited ${code}`))));
        });
        const lh = JSON.parse(await readFile(report, 'utf8'));
        const scores = Object.fromEntries(Object.entries(lh.categories as Record<string, { score: number }>).map(([k, v]) => [k, Math.round(v.score * 100)]));
        const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
          .map((id) => `${id} ${lh.audits[id]?.displayValue ?? '?'}`)
          .join(', ');
        console.log(`lighthouse ${name} run ${i + 1}/${runs}: ${JSON.stringify(scores)} — ${metrics}`);
        all.push({ scores, metrics, tbt: lh.audits['total-blocking-time']?.numericValue ?? 0 });
      }
      // The median run by performance score (then blocking time), reported whole.
      const median = [...all].sort((a, b) => a.scores.performance - b.scores.performance || b.tbt - a.tbt)[Math.floor(all.length / 2)];
      scores[name] = {
        ...median.scores,
        performanceMin: Math.min(...all.map((r) => r.scores.performance)),
        performanceMax: Math.max(...all.map((r) => r.scores.performance)),
      };
      console.log(`lighthouse ${name}, median of ${runs}: ${JSON.stringify(median.scores)} — ${median.metrics}`);
    }
    await server.stop();
    result.lighthouse = scores;
  }
  if (process.env.LIGHTHOUSE || process.env.AUDIT) result.audit = await audit(out);
  console.log(JSON.stringify(result));
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}

/** 30 components with a check each; 90 days of raw samples, now and then an outage or a slow hour, so bars differ. */
/**
 * html-validate over every page of the build, and axe (WCAG 2.x A/AA rules and best practices) on
 * the home, a component, an incident and an SLA statement page, light and dark, in Chromium.
 */
async function audit(out: string) {
  const { HtmlValidate, FileSystemConfigLoader } = await import('html-validate');
  const htmlvalidate = new HtmlValidate(
    new FileSystemConfigLoader({ extends: ['html-validate:recommended'], rules: { 'no-inline-style': 'off', 'long-title': 'off' } }),
  );
  const pages = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.html'));
  const problems: string[] = [];
  for (const f of pages) {
    const report = await htmlvalidate.validateFile(join(out, f));
    for (const r of report.results) for (const m of r.messages) if (m.severity === 2) problems.push(`${f}:${m.line}:${m.column} ${m.ruleId}`);
  }
  console.log(`html-validate: ${pages.length} pages, ${problems.length} problems${problems.length ? `: ${problems.slice(0, 5).join(', ')}` : ''}`);
  const [{ default: AxeBuilder }, { launch }] = await Promise.all([import('@axe-core/playwright'), import('../helpers/browser.ts')]);
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const browser = await launch();
  const incident = (await readdir(join(out, 'incidents'))).find((n) => /^\d{4}-\d{2}-\d{2}-/.test(n));
  const axe: Record<string, number> = {};
  try {
    for (const [name, path] of auditedPages(incident)) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ colorScheme });
        const page = await context.newPage();
        await page.goto(`http://127.0.0.1:${server.port}/${path}`);
        const { violations } = await new AxeBuilder({ page }).analyze();
        axe[`${name}-${colorScheme}`] = violations.length;
        if (violations.length) console.log(`axe ${name} (${colorScheme}): ${violations.map((v) => v.id).join(', ')}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`axe violations per page: ${JSON.stringify(axe)}`);
  return { htmlValidatePages: pages.length, htmlValidateProblems: problems.length, axeViolations: axe };
}

async function flatFixture(checks: string, history: string) {
  const groups = ['core', 'sync', 'apps'];
  await writeFile(
    join(checks, 'site.yml'),
    `site:\n  title: Bench CRM Status\n  vendor: Bench CRM\n  url: https://status.bench.example.com\n  time_zone: Europe/Prague\ngroups:\n${groups.map((g) => `  - id: ${g}\n    name: Group ${g}\n`).join('')}components:\n${Array.from({ length: COMPONENTS }, (_, i) => `  - id: component-${i}\n    name: Component number ${i}\n    group: ${groups[i % 3]}\n`).join('')}`,
  );
  await writeFile(
    join(checks, 'checks.yml'),
    `checks:\n${Array.from({ length: COMPONENTS }, (_, i) => `  - id: check-${i}\n    name: Check ${i}\n    component: component-${i}\n    kind: http\n    url: http://127.0.0.1:9/${i}\n`).join('')}`,
  );
  for (let day = NOW - 90 * DAY; day < NOW; day += DAY) {
    const lines: string[] = [];
    for (let t = day; t < Math.min(day + DAY, NOW); t += STEP) {
      for (let c = 0; c < COMPONENTS; c++) {
        const k = Math.floor(t / STEP) + c * 131;
        const outcome = k % 2011 < 6 ? 'down' : k % 1499 < 12 ? 'degraded' : 'up';
        lines.push(
          formatSampleLine({
            time: new Date(t).toISOString().replace('.000Z', 'Z'),
            check: `check-${c}`,
            region: 'default',
            outcome,
            attempts: outcome === 'down' ? 3 : 1,
            ...(outcome === 'down' ? { reason: 'timeout' } : { latencyMs: 40 + (k % 90) }),
          }),
        );
      }
    }
    const file = dayFile(history, new Date(day).toISOString().slice(0, 10), 'default');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${lines.join('\n')}\n`);
  }
}
