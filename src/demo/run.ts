/**
 * `upkeep demo`: the sample CRM, real probes against it, a real history, the built page, served.
 *
 * To give the page past days to show, it backfills: it runs the real probes with a shifted clock,
 * step by step, against CRM instances whose outage schedule follows that clock. Nothing is made up;
 * every sample is the answer of a real HTTP request.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { preview } from 'astro';
import { parseDocument } from 'yaml';
import { loadConfig } from '../config/load.ts';
import { formatError } from '../config/errors.ts';
import { appendSamples, readDay } from '../history/store.ts';
import { applyIncidentActions, loadIncidents } from '../history/incidents.ts';
import { readHistory } from '../history/read.ts';
import { componentsNow, countingOf, coverageCap } from '../status/components.ts';
import { occurrences } from '../status/maintenance.ts';
import { planIncidents } from '../status/incidents.ts';
import type { Sample } from '../status/sample.ts';
import { mapLimit, probeChecks } from '../probes/run.ts';
import { build, siteRoot } from '../cli/build.ts';
import { InputError } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { emailSyncStalled, startCrm, type Crm } from './crm.ts';
import { startDemoNotify } from './notify.ts';
import { recordBeat } from '../history/heartbeats.ts';
import { notify } from '../cli/notify.ts';
import { DAY_MS as DAY } from '../status/vocabulary.ts';

const crmVars = (crm: Crm) => ({ base_url: crm.url, mail_host: '127.0.0.1', imap_port: String(crm.imapPort) });

const MINUTE = 60_000;

export type DemoOptions = { port: number; days: number; dir?: string; live?: boolean; browserPath?: string };

export async function demo(opts: DemoOptions, io: Io): Promise<{ url: string; stop: () => Promise<void> }> {
  const started = performance.now();
  const dir = resolve(opts.dir ?? '.demo');
  const checks = join(dir, 'checks');
  const history = join(dir, 'history');
  const out = join(dir, 'dist');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const stepMs = 30 * MINUTE;
  await copyExampleChecks(checks, stepMs);
  io.out(`demo: working in ${dir} (the repository's history/ is not touched)`);
  const notifications = await startDemoNotify(checks, io);

  const now = Date.now();
  const first = Math.floor((now - opts.days * DAY) / stepMs) * stepMs;
  const steps: number[] = [];
  for (let t = first; t < now - stepMs / 2; t += stepMs) steps.push(t);
  io.out(`demo: backfilling ${opts.days} days — ${steps.length} real probe runs against the sample CRM, with a shifted clock…`);

  // Each worker owns a CRM whose clock it sets to the step it is probing; steps run in parallel.
  const workers = 32;
  const crms = await Promise.all(Array.from({ length: workers }, () => startCrm()));
  try {
    const queue = [...steps];
    let done = 0;
    await mapLimit(crms, workers, async (crm) => {
      const config = await configFor(checks, crm);
      // Browser journeys take a second each, API journeys really wait for search (which never catches up
      // on a stopped clock), and heartbeats are the live worker's: the backfill leaves them out (their
      // past shows as no data).
      const quick = config.checks.filter((c) => c.kind !== 'browser' && c.kind !== 'api' && c.kind !== 'heartbeat');
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const at = t;
        crm.setClock(() => at);
        const { samples } = await probeChecks(config, quick, {
          now: () => new Date(at),
          wait: async () => {},
          env: {},
          region: 'default',
          concurrency: 16,
        });
        await appendSamples(history, samples);
        if (++done % 500 === 0) io.out(`demo: ${done}/${steps.length} runs`);
      }
    });
  } finally {
    await Promise.all(crms.map((c) => c.close()));
  }

  await replayIncidents(checks, history, steps, io);

  const live = await startCrm();
  const config = await configFor(checks, live);
  const probeNow = async () => {
    const now = Date.now();
    // The sample CRM's email sync worker reports in each run, except for ten minutes of every hour,
    // when it stalls (and its /sync/status stops moving), so the page shows a missed beat and its recovery.
    if (!emailSyncStalled(now))
      await recordBeat(history, 'email-sync-worker', {
        at: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
        status: 'ok',
        durationMs: 20_000 + (now % 20_000),
      });
    const { samples } = await probeChecks(config, config.checks, {
      historyDir: history,
      now: () => new Date(),
      wait: (ms) => new Promise((r) => setTimeout(r, ms)),
      env: {},
      region: 'default',
      concurrency: 16,
      browserPath: opts.browserPath,
    });
    await appendSamples(history, samples);
    const h = await readHistory(history, { from: now - 2 * DAY, now: now + 1, capFor: coverageCap(countingOf(config)) });
    const existing = (
      await loadIncidents(
        history,
        config.components.map((c) => c.id),
      )
    ).incidents;
    await applyIncidentActions(
      history,
      planIncidents({
        components: componentsNow(
          countingOf(config),
          h.days,
          h.recent,
          now + 1,
          occurrences(config.maintenance, config.site.time_zone, now - 2 * DAY, now + 2),
        ),
        incidents: existing,
        now: now + 1,
        quietMs: config.incidents.quiet_period,
      }),
    );
    await build({ checks, history, out, env: {}, now: () => new Date(), vars: crmVars(live), siteUrl: `http://127.0.0.1:${opts.port}/` }, quiet(io));
    // As the slot does after each round: what happened goes to the team and the subscribers.
    await notify(
      { checks, history, dryRun: false, json: false, env: notifications.env, now: () => new Date(), region: 'demo', commit: false, push: false },
      quiet(io),
    );
  };
  await probeNow();
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: opts.port } });
  const url = `http://127.0.0.1:${server.port}/`;
  io.out(`demo: ready in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${url}`);

  let timer: NodeJS.Timeout | undefined;
  if (opts.live !== false) {
    io.out('demo: probing every minute and rebuilding; press Ctrl-C to stop');
    timer = setInterval(() => {
      probeNow().catch((e: unknown) => io.err(`demo: ${String(e)}`));
    }, MINUTE);
  }
  return {
    url,
    stop: async () => {
      clearInterval(timer);
      await server.stop();
      await live.close();
      await notifications.close();
    },
  };
}

/**
 * Walks the backfilled runs in time order and plans incidents as a live deployment would have
 * after each run (`upkeep incidents`), so the page shows the incidents that history implies.
 */
async function replayIncidents(checks: string, history: string, steps: number[], io: Io) {
  const { config } = await loadConfig(checks, { env: {}, requireEnv: false });
  if (!config) return;
  const end = steps[steps.length - 1] + 1;
  const h = await readHistory(history, { from: steps[0], now: end, capFor: coverageCap(countingOf(config)) });
  const all = (await Promise.all([...new Set(h.days.map((d) => d.day))].map((d) => readDay(history, d)))).flatMap((r) => r.samples);
  const byTime = new Map<string, Sample[]>();
  for (const s of all) byTime.set(s.time, [...(byTime.get(s.time) ?? []), s]);
  let incidents = (
    await loadIncidents(
      history,
      config.components.map((c) => c.id),
    )
  ).incidents;
  let opened = 0;
  for (const t of steps) {
    const days = h.days.filter((d) => d.day >= new Date(t - 2 * DAY).toISOString().slice(0, 10) && d.day <= new Date(t).toISOString().slice(0, 10));
    const recent = byTime.get(new Date(t).toISOString().replace('.000Z', 'Z')) ?? [];
    const actions = planIncidents({
      components: componentsNow(countingOf(config), days, recent, t + 1, occurrences(config.maintenance, config.site.time_zone, t - 2 * DAY, t + 2)),
      incidents,
      now: t + 1,
      quietMs: config.incidents.quiet_period,
    });
    if (actions.length === 0) continue;
    await applyIncidentActions(history, actions);
    opened += actions.filter((a) => a.type === 'open').length;
    incidents = (
      await loadIncidents(
        history,
        config.components.map((c) => c.id),
      )
    ).incidents;
  }
  io.out(`demo: ${opened} incidents opened and resolved from those runs, as \`upkeep incidents\` would have`);
}

/** The repository's example checks, copied, probing every `stepMs` so backfilled samples cover their time. */
async function copyExampleChecks(to: string, stepMs: number) {
  await cp(join(siteRoot, 'checks'), to, { recursive: true });
  const file = join(to, 'site.yml');
  const doc = parseDocument(await readFile(file, 'utf8'));
  doc.setIn(['defaults', 'interval'], `${stepMs / MINUTE}m`);
  doc.setIn(['site', 'title'], `${String(doc.getIn(['site', 'title']))} (demo)`);
  await writeFile(file, doc.toString());
  // A job no probe can see from outside: the demo's sync worker beats (see probeNow).
  await writeFile(
    join(to, 'jobs.yml'),
    `checks:\n  - id: email-sync-worker\n    name: Email sync worker\n    component: email-sync\n    kind: heartbeat\n    expect:\n      every: 1m\n      grace: 2m\n      degraded_over: 35s\n`,
  );
}

/** The example checks, pointed at one sample CRM. */
async function configFor(checks: string, crm: Crm) {
  const { config, errors } = await loadConfig(checks, { vars: crmVars(crm), env: {} });
  if (!config) throw new InputError(`the example checks do not load:\n${errors.map(formatError).join('\n')}`);
  return config;
}

const quiet = (io: Io): Io => ({ out: () => {}, err: io.err });
