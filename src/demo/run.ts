/**
 * `upkeep demo`: the sample CRM, real probes against it, a real history, the built page, served.
 *
 * To give the page past days to show, it backfills: it runs the real probes with a shifted clock,
 * step by step, against CRM instances whose outage schedule follows that clock. Nothing is made up;
 * every sample is the answer of a real HTTP request.
 *
 * Only what the first page needs comes before it: the backfill (in worker threads), the first live
 * round (beside the backfill: its journeys mostly wait), the incidents history implies, one build.
 * Notifications and rollups follow once the page is up. Every build goes to a new folder and the
 * server switches to it when it is complete: a reader never meets a missing or half-written page.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { loadConfig } from '../config/load.ts';
import { formatError } from '../config/errors.ts';
import { appendSamples, readDay } from '../history/store.ts';
import { applyIncidentActions, loadIncidents, parseIncident, type Incident } from '../history/incidents.ts';
import { readHistory, rollupHistory } from '../history/read.ts';
import { componentsNow, countingOf, coverageCap } from '../status/components.ts';
import { occurrences } from '../status/maintenance.ts';
import { planIncidents } from '../status/incidents.ts';
import type { DayRollup } from '../status/rollup.ts';
import { utcDay } from '../status/rollup.ts';
import type { Sample } from '../status/sample.ts';
import { probeChecks } from '../probes/run.ts';
import { InputError } from '../cli/errors.ts';
import type { Io } from '../cli/io.ts';
import { startSiteServer } from '../cli/site-server.ts';
import { emailSyncStalled, startCrm, type Crm } from './crm.ts';
import { backfill, crmVars } from './backfill.ts';
import { startDemoNotify } from './notify.ts';
import { recordBeat } from '../history/heartbeats.ts';
import { DAY_MS as DAY } from '../status/vocabulary.ts';

const MINUTE = 60_000;

/** Upkeep's own folder, where the example checks are (as `siteRoot` in cli/build.ts, without loading Astro). */
const upkeepRoot = fileURLToPath(new URL('../..', import.meta.url));

export type DemoOptions = { port: number; days: number; dir?: string; live?: boolean; browserPath?: string; threads?: number };

export type Demo = {
  url: string /** The folder being served. */;
  shown: () => string | undefined /** Probes and rebuilds once now, as the minute timer does. */;
  round: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function demo(opts: DemoOptions, io: Io): Promise<Demo> {
  const started = performance.now();
  const startedAt = Date.now();
  const dir = resolve(opts.dir ?? '.demo');
  const checks = join(dir, 'checks');
  const history = join(dir, 'history');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const stepMs = 30 * MINUTE;
  await copyExampleChecks(checks, stepMs);
  const site = await startSiteServer({ port: opts.port, waiting: preparing });
  const { url } = site;
  io.out(`demo: working in ${dir} (the repository's history/ is not touched); the page will be at ${url}`);
  const notifications = await startDemoNotify(checks, io);

  const first = Math.floor((startedAt - opts.days * DAY) / stepMs) * stepMs;
  const steps: number[] = [];
  for (let t = first; t < startedAt - stepMs / 2; t += stepMs) steps.push(t);
  io.out(`demo: backfilling ${opts.days} days — ${steps.length} real probe runs against the sample CRM, with a shifted clock…`);

  const live = await startCrm({ badDayAt: startedAt });
  const config = await configFor(checks, live);
  const capFor = coverageCap(countingOf(config));

  /** One live round of every check, journeys included; the heartbeat is the sample CRM's sync worker reporting in. */
  const probeLive = async (): Promise<Sample[]> => {
    const now = Date.now();
    // The email sync worker reports in each run, except for ten minutes of every hour, when it stalls
    // (and its /sync/status stops moving), so the page shows a missed beat and its recovery.
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
    return samples;
  };
  /** What `upkeep incidents` does after a round: plan from the last two days, write the incident files. */
  const planLive = async () => {
    const now = Date.now();
    const h = await readHistory(history, { from: now - 2 * DAY, now, capFor });
    const existing = (
      await loadIncidents(
        history,
        config.components.map((c) => c.id),
      )
    ).incidents;
    const windows = occurrences(config.maintenance, config.site.time_zone, now - 2 * DAY, now + 2);
    await applyIncidentActions(
      history,
      planIncidents({
        components: componentsNow(countingOf(config), h.days, h.recent, now, windows),
        incidents: existing,
        now,
        quietMs: config.incidents.quiet_period,
      }),
    );
  };
  // Astro and the channels take seconds to load: they load while the threads backfill.
  const modules = Promise.all([import('../cli/build.ts'), import('../cli/notify.ts')]);
  let builds = 0;
  /** Builds into a folder of its own and switches the server to it once it is complete. */
  const publish = async () => {
    const out = join(dir, `dist-${++builds}`);
    const [{ build }] = await modules;
    try {
      await build({ checks, history, out, env: {}, now: () => new Date(), vars: crmVars(live), siteUrl: url }, quiet(io));
    } catch (error) {
      await rm(out, { recursive: true, force: true });
      throw error;
    }
    await site.show(out);
  };
  // As the slot does after each round: what happened goes to the team and the subscribers.
  const notifyAll = async () =>
    (await modules)[1].notify(
      { checks, history, dryRun: false, json: false, env: notifications.env, now: () => new Date(), region: 'demo', commit: false, push: false },
      quiet(io),
    );
  // Rollups make each later build read a day's summary, not its samples (`upkeep rollup`).
  const rollUp = () => rollupHistory(history, { now: Date.now(), capFor, timeZone: config.site.time_zone });

  // The first live round waits on Chromium and on search: it runs while the threads backfill.
  const firstRound = probeLive().catch((e: unknown) => {
    io.err(`demo: the first live round failed: ${e instanceof Error ? e.message : String(e)}`);
    return [] as Sample[];
  });
  const backfillStarted = performance.now();
  let shownDone = 0;
  const { threads } = await backfill({ checks, history, steps, badDayAt: startedAt, ...(opts.threads ? { threads: opts.threads } : {}) }, (done) => {
    if (done - shownDone < 1000) return;
    shownDone = done - (done % 1000);
    io.out(`demo: ${shownDone}/${steps.length} runs`);
  });
  io.out(`demo: backfilled in ${((performance.now() - backfillStarted) / 1000).toFixed(1)} s on ${threads} thread${threads === 1 ? '' : 's'}`);
  await replayIncidents(checks, history, steps, io);
  await appendSamples(history, await firstRound);
  await planLive();
  await publish();
  io.out(`demo: ready in ${((performance.now() - started) / 1000).toFixed(1)} s — open ${url}`);

  let round: Promise<void> | undefined;
  const after = async () => {
    await notifyAll();
    await rollUp();
  };
  const nextRound = async () => {
    await appendSamples(history, await probeLive());
    await planLive();
    await rollUp();
    await publish();
    await notifyAll();
  };
  const run = (work: () => Promise<void>) => {
    // A round still running (a slow journey, a slow build) when the minute strikes: this one is skipped.
    round ??= work()
      .catch((e: unknown) => io.err(`demo: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        round = undefined;
      });
    return round;
  };
  void run(after);
  let timer: NodeJS.Timeout | undefined;
  if (opts.live !== false) {
    io.out('demo: probing every minute and rebuilding; press Ctrl-C to stop');
    timer = setInterval(() => void run(nextRound), MINUTE);
  }
  return {
    url,
    shown: site.shown,
    round: async () => {
      await round;
      await run(nextRound);
    },
    stop: async () => {
      clearInterval(timer);
      await round;
      await site.close();
      await live.close();
      await notifications.close();
    },
  };
}

/** What the address answers before the first page is built. */
const preparing = (res: import('node:http').ServerResponse) => {
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '3', 'cache-control': 'no-store' });
  res.end(
    '<!doctype html><html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Preparing the demo…</title><main><h1>Preparing the demo…</h1><p>The probes are running against the sample CRM to fill its past days; this page shows the status page as soon as it is built.</p></main></html>',
  );
};

/**
 * Walks the backfilled runs in time order and plans incidents as a live deployment would have
 * after each run (`upkeep incidents`: the last two days of rollups and samples), so the page shows
 * the incidents that history implies.
 */
export async function replayIncidents(checks: string, history: string, steps: number[], io: Io) {
  const { config } = await loadConfig(checks, { env: {}, requireEnv: false });
  if (!config || steps.length === 0) return;
  const counting = countingOf(config);
  const componentIds = config.components.map((c) => c.id);
  const end = steps[steps.length - 1] + 1;
  const h = await readHistory(history, { from: steps[0], now: end, capFor: coverageCap(counting) });
  const byDay = new Map<string, DayRollup[]>();
  for (const d of h.days) byDay.set(d.day, [...(byDay.get(d.day) ?? []), d]);
  // Every sample in time order (days in order, each sorted), and a window over it: the two days before each run.
  const all = (await Promise.all([...byDay.keys()].sort().map((d) => readDay(history, d)))).flatMap((r) => r.samples);
  const times = all.map((s) => Date.parse(s.time));
  const windows = occurrences(config.maintenance, config.site.time_zone, steps[0] - 2 * DAY, end + 2);
  let incidents = (await loadIncidents(history, componentIds)).incidents;
  let opened = 0;
  let from = 0;
  let to = 0;
  for (const t of steps) {
    while (to < all.length && times[to] <= t) to++;
    while (from < to && times[from] < t - 2 * DAY) from++;
    const days = [t - 2 * DAY, t - DAY, t].flatMap((x) => byDay.get(utcDay(x)) ?? []);
    const actions = planIncidents({
      components: componentsNow(counting, days, all.slice(from, to), t + 1, windows),
      incidents,
      now: t + 1,
      quietMs: config.incidents.quiet_period,
    });
    if (actions.length === 0) continue;
    opened += actions.filter((a) => a.type === 'open').length;
    incidents = await reread(incidents, await applyIncidentActions(history, actions), componentIds);
  }
  io.out(`demo: ${opened} incidents opened and resolved from those runs, as \`upkeep incidents\` would have`);
}

/** The incidents with the files just written read again (the others did not change). */
async function reread(incidents: Incident[], files: string[], componentIds: string[]): Promise<Incident[]> {
  const { markdownLinks } = await import('../text/links.ts');
  const byId = new Map(incidents.map((i) => [i.id, i]));
  for (const file of new Set(files)) {
    const { incident, errors } = parseIncident(await readFile(file, 'utf8'), file, componentIds, markdownLinks);
    if (!incident) throw new Error(`the demo wrote an incident it cannot read: ${errors.map(formatError).join('; ')}`);
    byId.set(incident.id, incident);
  }
  return [...byId.values()];
}

/** The repository's example checks, copied, probing every `stepMs` so backfilled samples cover their time. */
async function copyExampleChecks(to: string, stepMs: number) {
  await cp(join(upkeepRoot, 'checks'), to, { recursive: true });
  const file = join(to, 'site.yml');
  const doc = parseDocument(await readFile(file, 'utf8'));
  doc.setIn(['defaults', 'interval'], `${stepMs / MINUTE}m`);
  doc.setIn(['site', 'title'], `${String(doc.getIn(['site', 'title']))} (demo)`);
  await writeFile(file, doc.toString());
  // A job no probe can see from outside: the demo's sync worker beats (see probeLive).
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
