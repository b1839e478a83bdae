/**
 * `upkeep sla --component ID [--instance ID] --month YYYY-MM`: one SLA statement recomputed from the
 * raw sample files alone (no rollups), by the same counting the site uses, so anyone with a checkout
 * at the statement's commit can check its figures; with `--instance`, the statement of that instance.
 */
import { carryDays, monthEvidence, readSampleLog } from '../history/evidence.ts';
import { loadIncidents } from '../history/incidents.ts';
import { rawDays } from '../history/read.ts';
import { statementJson } from '../site/statement.ts';
import { buildViewModel } from '../site/view-model.ts';
import { didYouMean } from '../config/errors.ts';
import { countingOf, coverageCap } from '../status/components.ts';
import { utcDay } from '../status/rollup.ts';
import { DAY_MS } from '../status/vocabulary.ts';
import { monthRange } from '../time/tz.ts';
import { loadOrFail } from './config.ts';
import { withInstances } from './evidence-scope.ts';
import { InputError, UsageError } from './errors.ts';
import type { Io } from './io.ts';

export type SlaOptions = {
  checks: string;
  history: string;
  component?: string;
  month?: string;
  instance?: string;
  json: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
};

export async function sla(opts: SlaOptions, io: Io): Promise<void> {
  if (!opts.component || !opts.month) throw new UsageError('sla needs --component ID and --month YYYY-MM');
  const mm = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(opts.month);
  if (!mm) throw new UsageError(`--month must be YYYY-MM, got ${JSON.stringify(opts.month)}`);
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io);
  if (!config.components.some((c) => c.id === opts.component))
    throw new InputError(`no component ${JSON.stringify(opts.component)} in site.yml (${config.components.map((c) => c.id).join(', ')})`);
  if (opts.instance !== undefined && !config.instances.some((i) => i.id === opts.instance)) {
    const ids = config.instances.map((i) => i.id);
    throw new InputError(
      ids.length === 0
        ? `--instance ${opts.instance}: site.yml declares no instances`
        : `no instance ${JSON.stringify(opts.instance)} in site.yml${didYouMean(opts.instance, ids)} (${ids.join(', ')})`,
    );
  }
  const { start, end } = monthRange(Number(mm[1]), Number(mm[2]), config.sla.time_zone);
  const clock = opts.now().getTime();
  if (clock <= start) throw new InputError(`${opts.month} has not begun`);
  // A complete month is counted to its end, whatever the clock says; the running one to now.
  const now = Math.min(clock, end);
  const capFor = coverageCap(countingOf(config));
  const carry = carryDays(config.checks.map((c) => capFor(c.id)));
  const raw = await rawDays(opts.history, { fromDay: utcDay(start - carry * DAY_MS), toDay: utcDay(end - 1), now, capFor });
  for (const w of raw.warnings) io.err(`warning: ${w}`);
  const { incidents } = await loadIncidents(
    opts.history,
    config.components.map((c) => c.id),
  );
  const view = buildViewModel({ config, days: raw.days, recent: [], incidents, now: new Date(now) });
  const components = opts.instance === undefined ? view.components : view.instances.find((i) => i.id === opts.instance)!.components;
  if (!components.find((c) => c.id === opts.component)?.sla.some((m) => m.month === opts.month))
    throw new InputError(`no samples for ${opts.month}: nothing to count`);
  const log = await readSampleLog(opts.history, opts.env, start - 31 * DAY_MS);
  const m = { start, end, running: clock < end };
  const s = statementJson(view, opts.component, opts.month, log ? withInstances(config, monthEvidence(log, m, carry)) : undefined, opts.instance);
  if (opts.json) {
    io.out(JSON.stringify(s, null, 2));
    return;
  }
  const h = (seconds: number) => `${seconds} s (${(seconds / 3600).toFixed(2)} h)`;
  io.out(
    `${s.component.name} (${s.component.id})${s.instance ? ` on ${s.instance.name} (${s.instance.id})` : ''}, ${s.month} ${s.time_zone}${s.running ? ', so far' : ''}: ${s.outcome}`,
  );
  io.out(`  target      ${s.target_percent} %`);
  io.out(`  achieved    ${s.achieved_percent ?? '—'} % = available ${s.available_seconds} s / observed ${s.observed_seconds} s (maintenance excluded)`);
  io.out(`  coverage    ${s.coverage_percent} % (needs ${s.min_coverage_percent} %)`);
  io.out(`  allowed     ${h(s.allowed_downtime_seconds)}; used ${h(s.used_downtime_seconds)}; remaining ${h(s.remaining_seconds)}`);
  io.out(`  credit      ${s.credit_percent === null ? '— (no final figure)' : `${s.credit_percent} %`}`);
  for (const o of s.outages)
    io.out(`  outage      ${o.start} – ${o.end}, ${o.down_seconds} s ${o.worst}${o.incidents.length ? ` (${o.incidents.map((i) => i.id).join(', ')})` : ''}`);
  for (const w of s.maintenance) io.out(`  maintenance ${w.start} – ${w.end}${w.title ? ` ${w.title}` : ''}`);
  io.out(`  from ${s.evidence.files.length} sample files${s.evidence.commit ? ` at ${s.evidence.commit}` : ''}`);
}
