import { rollupHistory } from '../history/read.ts';
import { countingOf, coverageCap } from '../status/components.ts';
import { loadOrFail } from './config.ts';
import type { Io } from './io.ts';

export type RollupOptions = { checks: string; history: string; all: boolean; env: Record<string, string | undefined>; now: () => Date };

/** `upkeep rollup`: daily rollups of complete days, then raw samples past the retention are removed. */
export async function rollup(opts: RollupOptions, io: Io): Promise<void> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  const r = await rollupHistory(opts.history, {
    now: opts.now().getTime(),
    capFor: coverageCap(countingOf(config)),
    all: opts.all,
    rawDays: config.history.raw_days,
    // Days are cut at the site zone's midnights too, so the chart's days are the bars' days.
    timeZone: config.site.time_zone,
  });
  for (const w of r.warnings) io.err(`warning: ${w}`);
  io.out(
    `rolled up ${r.days.length} day${r.days.length === 1 ? '' : 's'}; ${r.monthsWritten.length ? `wrote ${r.monthsWritten.map((m) => `rollups/${m}.tsv`).join(', ')}` : 'no rollup file changed'}` +
      (r.deletedRawDays.length ? `; removed raw samples of ${r.deletedRawDays.length} days older than ${config.history.raw_days} days` : ''),
  );
}
