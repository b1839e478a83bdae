/**
 * The demo's backfill: the real probes, run with a shifted clock against sample CRMs whose outage
 * schedule follows that clock, one run per past step. The runs are spread over worker threads (one
 * per core; the CRMs and the probes are JavaScript and fill a thread each), and each thread owns whole
 * UTC days, so no two threads ever append to the same sample file.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadConfig } from '../config/load.ts';
import { formatError } from '../config/errors.ts';
import { appendSamples } from '../history/store.ts';
import { mapLimit, probeChecks } from '../probes/run.ts';
import { utcDay } from '../status/rollup.ts';
import { startCrm, type Crm } from './crm.ts';

export type BackfillJob = { checks: string; history: string; steps: number[]; badDayAt: number; crms: number };

export const crmVars = (crm: Crm) => ({ base_url: crm.url, mail_host: '127.0.0.1', imap_port: String(crm.imapPort) });

/** Runs every step, `onProgress` after each; resolves when all samples are on disk. */
export async function backfill(
  job: Omit<BackfillJob, 'crms'> & { threads?: number },
  onProgress: (done: number) => void = () => {},
): Promise<{ threads: number }> {
  const threads = Math.max(1, Math.min(job.threads ?? availableParallelism(), 8));
  const byThread: number[][] = Array.from({ length: threads }, () => []);
  const days = [...new Set(job.steps.map(utcDay))];
  const owner = new Map(days.map((d, i) => [d, i % threads]));
  for (const t of job.steps) byThread[owner.get(utcDay(t))!].push(t);
  let done = 0;
  await Promise.all(
    byThread
      .filter((steps) => steps.length > 0)
      .map(
        (steps) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), {
              workerData: { checks: job.checks, history: job.history, steps, badDayAt: job.badDayAt, crms: Math.ceil(32 / threads) } satisfies BackfillJob,
            });
            worker.on('message', (m: { done: number }) => {
              done += m.done;
              onProgress(done);
            });
            worker.once('error', reject);
            worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a backfill thread stopped with exit code ${code}`))));
          }),
      ),
  );
  return { threads };
}

/** One thread's share: each of its CRMs takes the next step, sets its clock to it and probes it. */
export async function backfillSteps(job: BackfillJob, onProgress: (done: number) => void): Promise<void> {
  const crms = await Promise.all(Array.from({ length: job.crms }, () => startCrm({ badDayAt: job.badDayAt })));
  try {
    const queue = [...job.steps];
    await mapLimit(crms, crms.length, async (crm) => {
      const { config, errors } = await loadConfig(job.checks, { vars: crmVars(crm), env: {} });
      if (!config) throw new Error(`the example checks do not load:\n${errors.map(formatError).join('\n')}`);
      // Browser journeys take a second each, API journeys really wait for search (which never catches up
      // on a stopped clock), and heartbeats are the live worker's: the backfill leaves them out (their
      // past shows as no data).
      const quick = config.checks.filter((c) => c.kind !== 'browser' && c.kind !== 'api' && c.kind !== 'heartbeat');
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const at = t;
        crm.setClock(() => at);
        const { samples } = await probeChecks(config, quick, { now: () => new Date(at), wait: async () => {}, env: {}, region: 'default', concurrency: 16 });
        await appendSamples(job.history, samples);
        onProgress(1);
      }
    });
  } finally {
    await Promise.all(crms.map((c) => c.close()));
  }
}

if (!isMainThread && parentPort && (workerData as BackfillJob | undefined)?.steps) {
  const port = parentPort;
  let pending = 0;
  await backfillSteps(workerData as BackfillJob, (n) => {
    pending += n;
    if (pending >= 50) {
      port.postMessage({ done: pending });
      pending = 0;
    }
  });
  if (pending > 0) port.postMessage({ done: pending });
}
