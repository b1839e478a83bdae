/**
 * The view model: everything every page shows, computed once per build from config and history.
 * Astro components only read it. Plain JSON, so it also feeds the JSON API.
 */
import type { Config } from '../config/load.ts';
import type { Check } from '../config/schema.ts';
import { componentTimeline, windowStats, worstStatus, type ComponentStatus, type WindowStats } from '../status/component.ts';
import type { Sample } from '../status/sample.ts';
import { checkTimeline, combine, quorumRule, stateAt, type CheckState, type Segment } from '../status/timeline.ts';

export const DAY = 86_400_000;

export type CheckView = {
  id: string;
  name: string;
  kind: Check['kind'];
  critical: boolean;
  state: CheckState;
  last?: Pick<Sample, 'time' | 'outcome' | 'latencyMs' | 'reason' | 'message' | 'attempts' | 'region'>;
};

export type ComponentView = {
  id: string;
  name: string;
  description?: string;
  group?: string;
  status: ComponentStatus;
  uptime: WindowStats;
  checks: CheckView[];
};

export type GroupView = { id?: string; name?: string; description?: string; status: ComponentStatus; components: ComponentView[] };

export type SiteView = {
  site: {
    title: string;
    vendor: string;
    description?: string;
    url?: string;
    basePath: string;
    timeZone: string;
    language: string;
    accent?: string;
    links: { label: string; url: string }[];
  };
  /** The build's clock (UPKEEP_NOW or real time), ISO. */
  generatedAt: string;
  /** Time of the newest sample, ISO. */
  lastChecked?: string;
  status: ComponentStatus;
  intervalMs: number;
  groups: GroupView[];
  components: ComponentView[];
};

export type ViewInput = { config: Config; samples: readonly Sample[]; now: Date; windowDays?: number };

export function buildViewModel({ config, samples, now, windowDays = 90 }: ViewInput): SiteView {
  const to = now.getTime();
  const bySample = groupBy(
    samples.filter((s) => Date.parse(s.time) <= to),
    (s) => s.check,
  );
  const first = samples.reduce((min, s) => Math.min(min, Date.parse(s.time)), Infinity);
  const from = Math.max(to - windowDays * DAY, Number.isFinite(first) ? first : to);

  const components: ComponentView[] = config.components.map((component) => {
    const checks = config.checks.filter((c) => c.component === component.id);
    const timelines = checks.map((check) => ({
      check,
      role: { critical: check.critical },
      timeline: checkRegionsTimeline(bySample.get(check.id) ?? [], capFor(config, check), from, to),
    }));
    const timeline = componentTimeline(timelines, component.down_when, from, to);
    return {
      id: component.id,
      name: component.name,
      ...(component.description ? { description: component.description } : {}),
      ...(component.group ? { group: component.group } : {}),
      status: stateAt(timeline, to - 1, 'nodata'),
      uptime: windowStats(timeline, [], from, to),
      checks: timelines.map(({ check, timeline: tl }) => checkView(check, tl, bySample.get(check.id), to)),
    };
  });

  const groups: GroupView[] = [];
  for (const c of components) {
    const g = config.groups.find((x) => x.id === c.group);
    let view = groups.find((x) => x.id === g?.id);
    if (!view) {
      view = { ...(g ? { id: g.id, name: g.name, ...(g.description ? { description: g.description } : {}) } : {}), status: 'nodata', components: [] };
      groups.push(view);
    }
    view.components.push(c);
  }
  for (const g of groups) g.status = worstStatus(g.components.map((c) => c.status));

  const last = samples.reduce<string | undefined>((max, s) => (max === undefined || s.time > max ? s.time : max), undefined);
  return {
    site: {
      title: config.site.title,
      vendor: config.site.vendor,
      ...(config.site.description ? { description: config.site.description } : {}),
      ...(config.site.url ? { url: config.site.url } : {}),
      basePath: config.site.base_path,
      timeZone: config.site.time_zone,
      language: config.site.language,
      ...(config.site.accent ? { accent: config.site.accent } : {}),
      links: config.site.links,
    },
    generatedAt: now.toISOString(),
    ...(last ? { lastChecked: last } : {}),
    status: worstStatus(components.map((c) => c.status)),
    intervalMs: config.defaults.interval,
    groups,
    components,
  };
}

export const capFor = (config: Config, check: Check) => 2 * config.defaults.interval * check.every;

/** One timeline per region, then the regions' quorum. */
export function checkRegionsTimeline(samples: readonly Sample[], capMs: number, from: number, to: number): Segment<CheckState>[] {
  const regions = groupBy(samples, (s) => s.region);
  const timelines = [...regions.values()].map((list) =>
    checkTimeline(
      list.map((s) => ({ at: Date.parse(s.time), outcome: s.outcome })),
      capMs,
      from,
      to,
    ),
  );
  if (timelines.length === 0) return [{ start: from, end: to, state: 'nodata' }];
  if (timelines.length === 1) return timelines[0];
  return combine(timelines, from, to, quorumRule());
}

function checkView(check: Check, timeline: Segment<CheckState>[], samples: readonly Sample[] | undefined, to: number): CheckView {
  const last = samples?.[samples.length - 1];
  return {
    id: check.id,
    name: check.name,
    kind: check.kind,
    critical: check.critical,
    state: stateAt(timeline, to - 1, 'nodata'),
    ...(last
      ? {
          last: {
            time: last.time,
            outcome: last.outcome,
            attempts: last.attempts,
            region: last.region,
            ...(last.latencyMs !== undefined ? { latencyMs: last.latencyMs } : {}),
            ...(last.reason ? { reason: last.reason } : {}),
            ...(last.message ? { message: last.message } : {}),
          },
        }
      : {}),
  };
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
