/**
 * `upkeep dev`: the vendor's own page, locally. Probes their checks on their interval, rebuilds
 * when `checks/` or `history/` change, and serves the last good build: each build goes to a new
 * folder and the server switches to it only when it is complete, so a page is never missing or
 * half-written mid-build. A broken file prints its errors (file:line:col) and the page stays.
 * The repository's history/ is read, never written: local samples go to a working copy.
 */
import { watch, type FSWatcher } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatError } from '../config/errors.ts';
import { loadConfig } from '../config/load.ts';
import { appendSamples, readDay } from '../history/store.ts';
import type { Sample } from '../status/sample.ts';
import { build } from './build.ts';
import type { Io } from './io.ts';
import { probe } from './probe.ts';
import { startSiteServer } from './site-server.ts';

export type DevOptions = { checks: string; history: string; port: number; env: Record<string, string | undefined>; browserPath?: string };

export type DevServer = {
  url: string;
  stop: () => Promise<void> /** Resolves after the next build that finished (or failed). */;
  settled: () => Promise<void>;
};

export async function dev(opts: DevOptions, io: Io): Promise<void> {
  const server = await startDev(opts, io);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function startDev(opts: DevOptions, io: Io): Promise<DevServer> {
  const work = await mkdtemp(join(tmpdir(), 'upkeep-dev-'));
  const history = join(work, 'history');
  // Samples probed here, kept so a copy of the repository's history taken again (it changed) still has them.
  const local: Sample[] = [];
  const copyHistory = async () => {
    await rm(history, { recursive: true, force: true });
    await cp(opts.history, history, { recursive: true }).catch(() => mkdir(history, { recursive: true }));
    if (local.length > 0) await appendSamples(history, local);
  };
  await copyHistory();

  let lastErrors = '';
  const site = await startSiteServer({
    port: opts.port,
    waiting: (res) => {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '2', 'cache-control': 'no-store' });
      res.end(
        `<!doctype html><html lang="en"><meta charset="utf-8"><meta http-equiv="refresh" content="2"><title>Building…</title><main><h1>Building your page…</h1>${
          lastErrors
            ? `<p>The checks folder has errors; fix them and the page builds:</p><pre>${escapeHtml(lastErrors)}</pre>`
            : '<p>The first build takes a few seconds.</p>'
        }</main></html>`,
      );
    },
  });
  const { url } = site;

  let builds = 0;
  let running: Promise<void> | undefined;
  let again = false;
  let waiters: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let intervalMs = 0;
  let stopped = false;

  /** Validate, probe (when asked), build into a new folder, then switch to it. One at a time; a change meanwhile runs once more after. */
  const cycle = async (withProbe: boolean) => {
    const { config, errors } = await loadConfig(opts.checks, { env: opts.env, requireEnv: false });
    if (!config) {
      lastErrors = errors.map(formatError).join('\n');
      io.err(
        `dev: ${errors.length} problem${errors.length === 1 ? '' : 's'} in ${opts.checks}; ${site.shown() ? 'still serving the last good page' : 'no page yet'}:\n${lastErrors}`,
      );
      return;
    }
    lastErrors = '';
    if (config.defaults.interval !== intervalMs) {
      intervalMs = config.defaults.interval;
      clearInterval(timer);
      timer = setInterval(() => trigger(true), intervalMs);
    }
    if (withProbe) {
      const before = new Set((await readDay(history, today())).samples.map((s) => `${s.time} ${s.check} ${s.region}`));
      await probe(
        {
          checks: opts.checks,
          history,
          region: 'local',
          dryRun: false,
          json: false,
          concurrency: 16,
          env: opts.env,
          now: () => new Date(),
          allowMissingSecrets: true,
        },
        quietOut(io),
      ).catch((e: unknown) => io.err(`dev: probing failed: ${e instanceof Error ? e.message : String(e)}`));
      for (const s of (await readDay(history, today())).samples) if (!before.has(`${s.time} ${s.check} ${s.region}`)) local.push(s);
    }
    const out = join(work, `site-${++builds}`);
    const started = performance.now();
    try {
      await build({ checks: opts.checks, history, out, env: opts.env, now: () => new Date(), siteUrl: url }, quietOut(io));
    } catch (e) {
      await rm(out, { recursive: true, force: true });
      io.err(`dev: the build failed, still serving the last good page: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    await site.show(out);
    io.out(`dev: built in ${((performance.now() - started) / 1000).toFixed(1)} s — ${url}`);
  };

  const trigger = (withProbe: boolean) => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = cycle(withProbe)
      .catch((e: unknown) => io.err(`dev: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = undefined;
        const done = waiters;
        waiters = [];
        for (const w of done) w();
        if (again) {
          again = false;
          trigger(true);
        }
      });
  };

  // Editors write a file in several steps: a change settles for 300 ms before it counts.
  let debounce: NodeJS.Timeout | undefined;
  const changed = (historyChanged: boolean) => {
    clearTimeout(debounce);
    debounce = setTimeout(async () => {
      if (historyChanged) await copyHistory().catch(() => {});
      trigger(true);
    }, 300);
  };
  const watchers: FSWatcher[] = [];
  const watchDir = (dir: string, historyChanged: boolean) => {
    try {
      watchers.push(watch(dir, { recursive: true }, () => changed(historyChanged)));
    } catch {
      io.err(`dev: cannot watch ${dir}; changes there need a restart`);
    }
  };
  watchDir(opts.checks, false);
  watchDir(opts.history, true);

  io.out(`dev: serving ${url} (probing ${opts.checks}, reading ${opts.history} without writing to it); Ctrl-C stops`);
  trigger(true);
  return {
    url,
    settled: () => new Promise<void>((resolve) => (running || debounce ? waiters.push(resolve) : resolve())),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(debounce);
      for (const w of watchers) w.close();
      await running?.catch(() => {});
      await site.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}

const today = () => new Date().toISOString().slice(0, 10);

/** Progress lines of probe and build would bury the page's address: errors and notices only. */
const quietOut = (io: Io): Io => ({ out: () => {}, err: io.err });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
