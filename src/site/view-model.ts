/**
 * The view model: everything every page shows, computed once per build from config and history.
 * Astro components only read it. Plain JSON, so it also feeds the JSON API.
 */
import type { Config } from '../config/load.ts';
import type { Check, Translations } from '../config/schema.ts';
import type { Interval } from '../status/component.ts';
import { componentTimelines, countingOf, forSla, groupBy } from '../status/components.ts';
import { lagInSla } from '../kinds/index.ts';
import { intervalsFor, maintenanceStatus, occurrences, type Occurrence } from '../status/maintenance.ts';
import {
  dailyBars,
  outages,
  responseStats,
  slaMonths,
  uptimeWindows,
  type DayBar,
  type Outage,
  type ResponseStats,
  type SlaMonth,
  type UptimeWindow,
  type WindowName,
} from '../status/report.ts';
import { exactPercentiles, histPercentiles, mergeHist, type DayRollup, type Latency } from '../status/rollup.ts';
import type { Sample } from '../status/sample.ts';
import { stateAt, type CheckState, type Segment } from '../status/timeline.ts';
import { DAY_MS, worstStatus, type ComponentStatus, type Impact, type IncidentStatus, type MaintenanceStatus } from '../status/vocabulary.ts';
import type { Incident } from '../history/incidents.ts';
import type { MonthEvidence } from '../history/evidence.ts';
import { BY_UPKEEP, byTime, incidentMetrics, incidentStatus, type IncidentMetrics } from '../status/incidents.ts';
import { dayStatus, incidentsOnDay, type DayIncident } from '../status/declared.ts';
import { addDays, civil, dayKey, monthKey, monthRange, startOfDay } from '../time/tz.ts';
import { markdownToHtml, markdownToText } from '../text/render.ts';
import { autoTitleOf, autoWords, reasonsFromMessage, textHtml, type AutoTitle, type AutoUpdate } from './incident-words.ts';
import { resolve } from '../config/template.ts';
import { componentSeries, type ComponentSeries, type SeriesKind } from './chart.ts';

/** How far back the build reads: the longest window shown. */
export const HISTORY_DAYS = 365;

/**
 * Where a page in another language shows the vendor's text as written (no translation gave it),
 * the language that text is in, by field: the page marks it `lang` so a screen reader says it right.
 */
export type Fallback<K extends string> = { fallback?: Partial<Record<K, string>> };

export type CheckView = Fallback<'name'> & {
  id: string;
  name: string;
  translations?: Translations<'name'>;
  kind: Check['kind'];
  critical: boolean;
  state: CheckState;
  /** No `message`: it can quote what the target answered (a body, a JSON value); pages and the JSON API give the reason code. */
  last?: Pick<Sample, 'time' | 'outcome' | 'latencyMs' | 'reason' | 'attempts' | 'region' | 'status' | 'artifact' | 'steps'>;
  response: { '24h': ResponseStats; '30d': ResponseStats; '90d': ResponseStats };
  /** One point per UTC day for the last 90 days: day percentiles (exact), or none without answers. */
  daily: { day: string; latency?: Latency; samples: number; errors: number }[];
  /** Raw samples of the last 24 hours: time, latency, outcome. */
  recent: { time: string; latencyMs?: number; outcome: Sample['outcome'] }[];
  regions: string[];
  /** With several regions: each region's last result and median latency over 24 hours. */
  byRegion: { region: string; last?: Pick<Sample, 'time' | 'outcome' | 'latencyMs' | 'reason'>; p50?: number }[];
  /** For checks that measure how old their data is (freshness, a journey's wait): the same series as latency. */
  lag?: LagView;
  /** A heartbeat check: the job's latest beat and how late it is now. */
  beat?: BeatView;
  /** An API journey or browser check: each step's name, its time in the last run and its median over 24 hours. */
  steps?: { name: string; last?: number; p50?: number }[];
};

export type LagView = {
  /** The newest sample's lag, ms. */
  last?: { time: string; lagMs: number };
  '24h'?: Latency;
  /** Merged from the day histograms of the last 90 days. */
  '90d'?: Latency;
  daily: { day: string; lag?: Latency }[];
  recent: { time: string; lagMs: number }[];
  /** The check's own limits, ms. */
  degradedOverMs?: number;
  downOverMs?: number;
};

export type BeatView = {
  /** When the latest beat arrived, and what it said; absent before the first. */
  at?: string;
  status?: 'ok' | 'fail';
  durationMs?: number;
  /** How long past its expected time and grace the next beat is (0 while on time). */
  lateMs: number;
  everyMs: number;
  graceMs: number;
};

export type ComponentView = Fallback<'name' | 'description'> & {
  id: string;
  name: string;
  description?: string;
  /** Name and description in the page's other languages (src/site/localize.ts picks them). */
  translations?: Translations<'name' | 'description'>;
  group?: string;
  status: ComponentStatus;
  /** Status from the probes alone, even during maintenance. */
  probedStatus: ComponentStatus;
  slaTarget: number;
  windows: Record<WindowName, UptimeWindow>;
  bars: DayView[];
  sla: SlaMonth[];
  outages: Outage[];
  checks: CheckView[];
  /** The component's one response-time chart (its non-heartbeat checks merged) and one lag chart (its checks that measure lag), if any. */
  charts: { response: ComponentSeries; lag?: ComponentSeries };
  /** How far behind the component's data is now: the largest latest lag of its checks that measure one. */
  behind?: { check: string; lagMs: number; time: string };
  /** Ids of incidents that name this component, newest first. */
  incidents: string[];
  /** Incident metrics per SLA month, newest first. */
  incidentMonths: ({ month: string } & IncidentMetrics)[];
};

/** A day on the bars: `worst` as measured, `status` the worse of that and its incidents' declared impact (the colour). */
export type DayView = DayBar & { incidents: number; incidentList: DayIncidentView[]; status: ComponentStatus; declared: boolean };
export type DayIncidentView = DayIncident & { autoTitle?: AutoTitle };

/** One CRM instance ("am I affected?"): its components counted from its own checks and those of every instance. */
export type InstanceView = Fallback<'name' | 'region'> & {
  id: string;
  name: string;
  region?: string;
  translations?: Translations<'name' | 'region'>;
  hosts: string[];
  aliases: string[];
  status: ComponentStatus;
  components: ComponentView[];
  groups: GroupView[];
  /** Incidents that name it, or name no instance (all), newest first. */
  incidents: string[];
};

/** `auto`: an update Upkeep wrote, as data, for pages to word in their language; its `html` and `text` are those words in the default language. */
export type UpdateView = Fallback<'text'> & {
  at: string;
  status: IncidentStatus;
  by?: string;
  html: string;
  text: string;
  auto?: AutoUpdate;
  /** A person's message in the page's other languages, rendered as `html` and `text` are. */
  translations?: Partial<Record<string, { html: string; text: string }>>;
};

export type IncidentView = Fallback<'title' | 'body'> & {
  id: string;
  title: string;
  translations?: Translations<'title'>;
  components: ({ id: string; name: string } & Fallback<'name'>)[];
  /** The instances it affects; all when absent. */
  instances?: string[];
  impact: Impact;
  status: IncidentStatus;
  automatic: boolean;
  /** Upkeep's own title as data, for pages to word in their language (absent once a person retitles it). */
  autoTitle?: AutoTitle;
  /** When the problem began (or the first update). */
  started: string;
  createdAt: string;
  updatedAt: string;
  resolvedAt?: string;
  durationMs?: number;
  /** Newest first. */
  updates: UpdateView[];
  bodyHtml?: string;
  /** The write-up in the page's other languages (`<id>.<lang>.md`), rendered as `bodyHtml` is. */
  bodyHtmlIn?: Partial<Record<string, string>>;
};

export type GroupView = Fallback<'name' | 'description'> & {
  id?: string;
  name?: string;
  description?: string;
  translations?: Translations<'name' | 'description'>;
  status: ComponentStatus;
  components: ComponentView[];
};

export type MaintenanceView = Omit<Occurrence, 'start' | 'end'> &
  Fallback<'title' | 'description'> & {
    start: string;
    end: string;
    status: MaintenanceStatus;
    /** The components' names, in the window's order. */
    componentNames: string[];
    /** The language of each of `componentNames` that fell back to the default's (see `Fallback`). */
    componentNamesFallback?: (string | undefined)[];
    /** The description rendered safely (people's markdown). */
    descriptionHtml?: string;
    /** Title and description (with its HTML) in the page's other languages. */
    translations?: Partial<Record<string, { title?: string; description?: string; descriptionHtml?: string }>>;
  };

export type SiteView = {
  site: Fallback<'title' | 'vendor' | 'description'> & {
    title: string;
    vendor: string;
    description?: string;
    /** Absolute origin (and path) the page is published at; feeds and canonical links need it. */
    url: string;
    basePath: string;
    timeZone: string;
    /** The default language. */
    language: string;
    /** Every published language, the default first. */
    languages: string[];
    logo?: string;
    accent?: string;
    links: ({ label: string; url: string; translations?: Translations<'label'> } & Fallback<'label'>)[];
    /** Title, vendor and description in the other languages. */
    translations?: Translations<'title' | 'vendor' | 'description'>;
    /** The WebSub hub the feeds name, if any. */
    websubHub?: string;
  };
  /** The build's clock (UPKEEP_NOW or real time), ISO. */
  generatedAt: string;
  /** Time of the newest sample, ISO. */
  lastChecked?: string;
  status: ComponentStatus;
  intervalMs: number;
  sla: { target: number; timeZone: string; credits: { below: number; credit: number }[]; minCoverage: number };
  groups: GroupView[];
  components: ComponentView[];
  /** site.yml's instances, each with its own status; empty for a page without instances. */
  instances: InstanceView[];
  maintenance: MaintenanceView[];
  /** Newest first. */
  incidents: IncidentView[];
  /** Incident ids by the month (in the page's zone) they started in, newest month first. */
  incidentsByMonth: { month: string; incidents: string[] }[];
  /** The home page's "past incidents": the last seven days in the page's zone, today first, each with the incidents begun on it (newest first). */
  pastDays: { date: string; incidents: string[] }[];
  /** What the home page shows: maintenance in progress, then the next occurrence of each window (three at most). */
  homeMaintenance: MaintenanceView[];
  /** SLA months' raw sample files and closing commits (by YYYY-MM), when the history is in git; added by the build. */
  evidence?: Record<string, MonthEvidence>;
};

export type ViewInput = {
  config: Config;
  /** Day rollups (or raw-derived rows for recent days) covering the last HISTORY_DAYS. */
  days: readonly DayRollup[];
  /** Raw samples of the recent days. */
  recent: readonly Sample[];
  incidents?: readonly Incident[];
  now: Date;
  /** Where the page is published, when site.yml does not say (the Pages deploy knows it). */
  siteUrl?: string;
  /** The path prefix, when it does not come from site.yml. */
  basePath?: string;
  /** Heartbeat checks' latest beats (history/heartbeats/), by check id. */
  beats?: ReadonlyMap<string, { at: string; status: 'ok' | 'fail'; durationMs?: number }>;
};

export function buildViewModel({ config, days, recent, now, incidents: allIncidents = [], siteUrl, basePath, beats }: ViewInput): SiteView {
  // A draft is the team's until a collaborator publishes it: not on the page, in feeds, the API or the SLA counts.
  const incidentFiles = allIncidents.filter((i) => !i.draft);
  // Counted up to the build's clock: time after it is not observed yet (incidents, which must act on a
  // sample of this very second, read up to the end of the second: observedUntil).
  const to = now.getTime();
  const from = to - HISTORY_DAYS * DAY_MS;
  const byCheck = groupBy(days, (d) => d.check);
  const recentByCheck = groupBy(recent, (s) => s.check);
  const maint = occurrences(config.maintenance, config.site.time_zone, from, to + 180 * DAY_MS);
  const incidents = incidentFiles.map((i) => incidentView(i, config, to)).sort((a, b) => b.started.localeCompare(a.started) || b.id.localeCompare(a.id));
  const firstSeen = firstData(days) ?? to;
  // The SLA counts stale time only for checks that say so; without any stale day it is the same timelines.
  const slaDays = forSla(days, (id) => lagInSla(config.checks.find((c) => c.id === id)));
  // A check reads the same on the site's page and its instance's: one view, shared (the build writes it once).
  const sharedCheckViews = new Map<string, CheckView>();

  /** The components as `checks` make them, with the incidents and maintenance that `affects` keeps: the whole page, or one instance. */
  const componentsFor = (checks: readonly Check[], incidentList: readonly IncidentView[], maintList: readonly Occurrence[]): ComponentView[] => {
    const counting = { ...countingOf(config), checks };
    const timelinesOf = componentTimelines(counting, days, from, to);
    const slaTimelinesOf = slaDays === days ? timelinesOf : componentTimelines(counting, slaDays, from, to);
    return config.components.map((component) => {
      const { timeline, checks: timelines } = timelinesOf.get(component.id)!;
      const windows: Interval[] = intervalsFor(component.id, maintList);
      const probedStatus = stateAt(timeline, to - 1, 'nodata');
      const inMaintenance = windows.some((w) => w.start <= to && to < w.end);
      const checkViews = timelines.map(({ check, timeline: tl }) => {
        let v = sharedCheckViews.get(check.id);
        if (!v) {
          v = checkView(check, tl, byCheck.get(check.id) ?? [], recentByCheck.get(check.id) ?? [], to, config.vars, beats?.get(check.id));
          sharedCheckViews.set(check.id, v);
        }
        return v;
      });
      const mine = incidentList.filter((i) => i.components.some((c) => c.id === component.id));
      const series = (kind: SeriesKind, list: readonly Check[]) =>
        componentSeries(
          kind,
          list.map((k) => ({ days: byCheck.get(k.id) ?? [], samples: recentByCheck.get(k.id) ?? [] })),
          to,
          config.site.time_zone,
        );
      const lagChecks = timelines.filter((_, i) => checkViews[i].lag).map((x) => x.check);
      return {
        id: component.id,
        name: component.name,
        ...(component.description ? { description: component.description } : {}),
        ...(component.translations ? { translations: component.translations } : {}),
        ...(component.group ? { group: component.group } : {}),
        status: inMaintenance ? 'under_maintenance' : probedStatus,
        probedStatus,
        slaTarget: component.sla ?? config.sla.target,
        windows: uptimeWindows(timeline, windows, to, { since: firstSeen, minCoverage: config.sla.min_coverage }),
        // Maintenance marks no day before this component's own first sample: nothing of it was watched then.
        bars: dailyBars(timeline, windows, config.site.time_zone, to, 90, Math.max(firstSeen, timeline.find((s) => s.state !== 'nodata')?.start ?? to)).map(
          (b) => ({
            ...b,
            ...dayView(
              b,
              incidentsOnDay(b, mine, to).map(({ id, title, impact, autoTitle }) => ({ id, title, impact, ...(autoTitle ? { autoTitle } : {}) })),
            ),
          }),
        ),
        sla: slaMonths(slaTimelinesOf.get(component.id)!.timeline, windows, {
          timeZone: config.sla.time_zone,
          target: component.sla ?? config.sla.target,
          credits: config.sla.credits,
          minCoverage: config.sla.min_coverage,
          now: to,
          from: firstSeen,
        }),
        outages: outages(timeline, windows, to).slice(-50),
        checks: checkViews,
        charts: {
          response: series(
            'latency',
            timelines.map((x) => x.check).filter((k) => k.kind !== 'heartbeat'),
          ),
          ...(lagChecks.length ? { lag: series('lag', lagChecks) } : {}),
        },
        ...behindOf(checkViews),
        incidents: mine.map((i) => i.id),
        incidentMonths: monthsBack(config.sla.time_zone, to, 12).map(({ month, start, end }) => ({
          month,
          ...incidentMetrics(
            incidentFiles.filter((f) => incidentList.some((i) => i.id === f.id)),
            component.id,
            start,
            end,
          ),
        })),
      };
    });
  };
  const components = componentsFor(config.checks, incidents, maint);
  const groups = groupsOf(components, config);

  // Each instance: its own checks and those of every instance, the incidents and maintenance naming it (or all).
  const instances: InstanceView[] = config.instances.map((inst) => {
    const affects = (names?: readonly string[]) => !names || names.includes(inst.id);
    const list = componentsFor(
      config.checks.filter((c) => !c.instance || c.instance === inst.id),
      incidents.filter((i) => affects(i.instances)),
      maint.filter((o) => affects(o.instances)),
    );
    return {
      id: inst.id,
      name: inst.name,
      ...(inst.region ? { region: inst.region } : {}),
      ...(inst.translations ? { translations: inst.translations } : {}),
      hosts: inst.hosts,
      aliases: inst.aliases,
      status: worstStatus(list.map((c) => c.status)),
      components: list,
      groups: groupsOf(list, config),
      incidents: incidents.filter((i) => affects(i.instances)).map((i) => i.id),
    };
  });

  const names = new Map(config.components.map((c) => [c.id, c.name]));
  const maintenance: MaintenanceView[] = maint
    .filter((o) => o.end > to - 90 * DAY_MS)
    .map((o) => ({
      ...o,
      start: new Date(o.start).toISOString(),
      end: new Date(o.end).toISOString(),
      status: maintenanceStatus(o, to),
      componentNames: o.components.map((c) => names.get(c) ?? c),
      ...(o.description ? { descriptionHtml: markdownToHtml(o.description) } : {}),
      ...maintenanceTranslations(config.maintenance.find((w) => w.id === o.windowId)?.translations),
    }));

  const last = recent.reduce<string | undefined>((max, s) => (max === undefined || s.time > max ? s.time : max), undefined);
  return {
    site: {
      title: config.site.title,
      vendor: config.site.vendor,
      ...(config.site.description ? { description: config.site.description } : {}),
      ...(config.site.translations ? { translations: config.site.translations } : {}),
      url: siteUrl ?? config.site.url ?? 'http://localhost:4321/',
      basePath: basePath ?? config.site.base_path,
      timeZone: config.site.time_zone,
      language: config.site.language,
      languages: [config.site.language, ...config.site.languages.filter((l) => l !== config.site.language)],
      ...(config.site.logo ? { logo: config.site.logo } : {}),
      ...(config.site.accent ? { accent: config.site.accent } : {}),
      links: config.site.links,
      ...(config.site.websub_hub ? { websubHub: config.site.websub_hub } : {}),
    },
    generatedAt: now.toISOString(),
    ...(last ? { lastChecked: last } : {}),
    status: worstStatus(components.map((c) => c.status)),
    intervalMs: config.defaults.interval,
    sla: { target: config.sla.target, timeZone: config.sla.time_zone, credits: config.sla.credits, minCoverage: config.sla.min_coverage },
    groups,
    components,
    instances,
    maintenance,
    incidents,
    incidentsByMonth: byMonth(incidents, config.site.time_zone),
    homeMaintenance: homeMaintenance(maintenance),
    pastDays: pastDays(incidents, config.site.time_zone, to, 7),
  };
}

function dayView(bar: DayBar, list: DayIncidentView[]): Omit<DayView, keyof DayBar> {
  return { incidents: list.length, incidentList: list, ...dayStatus(bar.worst, list) };
}

/** Components under their groups, in order; a group's status is its worst component's. */
function groupsOf(components: readonly ComponentView[], config: Config): GroupView[] {
  const groups: GroupView[] = [];
  for (const c of components) {
    const g = config.groups.find((x) => x.id === c.group);
    let view = groups.find((x) => x.id === g?.id);
    if (!view) {
      view = {
        ...(g
          ? { id: g.id, name: g.name, ...(g.description ? { description: g.description } : {}), ...(g.translations ? { translations: g.translations } : {}) }
          : {}),
        status: 'nodata',
        components: [],
      };
      groups.push(view);
    }
    view.components.push(c);
  }
  for (const g of groups) g.status = worstStatus(g.components.map((c) => c.status));
  return groups;
}

/** Incident ids by the month they started in, in the page's zone, newest first (incidents come newest first). */
function byMonth(incidents: readonly IncidentView[], timeZone: string): SiteView['incidentsByMonth'] {
  const out: SiteView['incidentsByMonth'] = [];
  for (const i of incidents) {
    const month = monthKey(Date.parse(i.started), timeZone);
    const last = out[out.length - 1];
    if (last?.month === month) last.incidents.push(i.id);
    else out.push({ month, incidents: [i.id] });
  }
  return out;
}

/** The last `count` days in `timeZone`, today first, with the ids of the incidents begun on each (incidents come newest first). */
function pastDays(incidents: readonly IncidentView[], timeZone: string, now: number, count: number): SiteView['pastDays'] {
  const today = startOfDay(now, timeZone);
  return Array.from({ length: count }, (_, k) => {
    const start = addDays(today, -k, timeZone);
    const end = addDays(start, 1, timeZone);
    return {
      date: dayKey(start, timeZone),
      incidents: incidents.filter((i) => Date.parse(i.started) >= start && Date.parse(i.started) < end).map((i) => i.id),
    };
  });
}

/** In progress first, then the next occurrence of each window (a weekly release is one card, not three), three at most. */
function homeMaintenance(maintenance: readonly MaintenanceView[]): MaintenanceView[] {
  const ongoing = maintenance.filter((m) => m.status === 'in_progress');
  const shown = new Set(ongoing.map((m) => m.windowId));
  const upcoming = maintenance.filter((m) => m.status === 'scheduled' && !shown.has(m.windowId) && shown.add(m.windowId)).slice(0, 3);
  return [...ongoing, ...upcoming];
}

function incidentView(i: Incident, config: Config, now: number): IncidentView {
  const sorted = byTime(i.updates);
  const status = incidentStatus(i);
  const first = sorted[0].at;
  const last = sorted[sorted.length - 1].at;
  const started = i.started ?? first;
  const resolvedAt = status === 'resolved' ? last : undefined;
  const toIso = (t: string) => new Date(t).toISOString();
  return {
    id: i.id,
    title: i.title,
    ...(i.translations ? { translations: i.translations } : {}),
    components: i.components.map((id) => ({ id, name: config.components.find((c) => c.id === id)?.name ?? id })),
    ...(i.instances ? { instances: i.instances } : {}),
    impact: i.impact,
    status,
    automatic: i.automatic,
    ...autoTitleField(i, config),
    started: toIso(started),
    createdAt: toIso(first),
    updatedAt: toIso(last),
    ...(resolvedAt ? { resolvedAt: toIso(resolvedAt), durationMs: Date.parse(resolvedAt) - Date.parse(started) } : { durationMs: now - Date.parse(started) }),
    updates: sorted
      .map((u, k) => {
        const auto = autoUpdate(i, u, sorted[k - 1], config, toIso(started));
        if (!auto)
          return {
            at: toIso(u.at),
            status: u.status,
            ...(u.by ? { by: u.by } : {}),
            html: markdownToHtml(u.message),
            text: markdownToText(u.message),
            ...messageTranslations(u.translations),
          };
        const words = autoWords(auto, config.site.language, config.site.time_zone);
        return { at: toIso(u.at), status: u.status, by: u.by, html: textHtml(words), text: words, auto };
      })
      .reverse(),
    ...(i.body ? { bodyHtml: markdownToHtml(i.body) } : {}),
    ...(i.bodies && Object.keys(i.bodies).length
      ? { bodyHtmlIn: Object.fromEntries(Object.entries(i.bodies).map(([lang, body]) => [lang, markdownToHtml(body ?? '')])) }
      : {}),
  };
}

/** A person's message in other languages, rendered like the message itself. */
function messageTranslations(translations: Translations<'message'> | undefined): Pick<UpdateView, 'translations'> {
  const entries = Object.entries(translations ?? {}).flatMap(([lang, t]) =>
    t?.message ? [[lang, { html: markdownToHtml(t.message), text: markdownToText(t.message) }]] : [],
  );
  return entries.length ? { translations: Object.fromEntries(entries) } : {};
}

/** A window's title and description in other languages, the description rendered like its own. */
function maintenanceTranslations(translations: Translations<'title' | 'description'> | undefined): Pick<MaintenanceView, 'translations'> {
  const entries = Object.entries(translations ?? {}).flatMap(([lang, t]) =>
    t ? [[lang, { ...t, ...(t.description ? { descriptionHtml: markdownToHtml(t.description) } : {}) }]] : [],
  );
  return entries.length ? { translations: Object.fromEntries(entries) } : {};
}

function autoTitleField(i: Incident, config: Config): Pick<IncidentView, 'autoTitle'> {
  const name = config.components.find((c) => c.id === i.components[0])?.name ?? i.components[0];
  const autoTitle = i.automatic ? autoTitleOf(i.title, name) : undefined;
  return autoTitle ? { autoTitle } : {};
}

/** An update Upkeep wrote from its checks, as data: what happened, the status it saw, the reason codes (old files: from the message). */
function autoUpdate(
  i: Incident,
  u: Incident['updates'][number],
  previous: Incident['updates'][number] | undefined,
  config: Config,
  since: string,
): AutoUpdate | undefined {
  if (!i.automatic || u.by !== BY_UPKEEP || !u.component_status) return undefined;
  const kind = u.status === 'resolved' ? 'resolved' : !previous ? 'open' : previous.status === 'resolved' ? 'reopen' : 'changed';
  const component = config.components.find((c) => c.id === i.components[0])?.name ?? i.components[0];
  return { kind, component, status: u.component_status, reasons: u.reasons ?? reasonsFromMessage(u.message), since, at: new Date(u.at).toISOString() };
}

/** The last `count` calendar months in `timeZone`, newest first. */
function monthsBack(timeZone: string, now: number, count: number) {
  const c = civil(now, timeZone);
  const out: { month: string; start: number; end: number }[] = [];
  for (let k = 0; k < count; k++) {
    const m = (((c.month - 1 - k) % 12) + 12) % 12;
    const y = c.year + Math.floor((c.month - 1 - k) / 12);
    out.push({ month: `${y}-${String(m + 1).padStart(2, '0')}`, ...monthRange(y, m + 1, timeZone) });
  }
  return out;
}

/** When the first sample anywhere was taken (days come in time order). */
function firstData(days: readonly DayRollup[]): number | undefined {
  let first: number | undefined;
  let firstDay: string | undefined;
  for (const d of days) {
    if (firstDay !== undefined && d.day > firstDay) break;
    if (d.ms.up + d.ms.degraded + d.ms.down === 0) continue;
    firstDay = d.day;
    const seen = d.segments.find((s) => s.state !== 'nodata');
    if (seen && (first === undefined || seen.start < first)) first = seen.start;
  }
  return first;
}

/** The component's largest current lag, from checks whose newest sample measured one. */
function behindOf(checks: readonly CheckView[]): Pick<ComponentView, 'behind'> {
  let worst: ComponentView['behind'];
  for (const k of checks) {
    const last = k.lag?.last;
    if (last && (!worst || last.lagMs > worst.lagMs)) worst = { check: k.name, lagMs: last.lagMs, time: last.time };
  }
  return worst ? { behind: worst } : {};
}

function checkView(
  check: Check,
  timeline: Segment<CheckState>[],
  days: readonly DayRollup[],
  samples: readonly Sample[],
  to: number,
  vars: Record<string, string>,
  beat?: { at: string; status: 'ok' | 'fail'; durationMs?: number },
): CheckView {
  const last = samples[samples.length - 1];
  const since = (n: number) => {
    const cutoff = new Date(to - n * DAY_MS).toISOString().slice(0, 10);
    return days.filter((d) => d.day >= cutoff);
  };
  const dayBuckets = groupBy(since(90), (d) => d.day);
  const cutoff24 = new Date(to - DAY_MS).toISOString();
  const last24 = samples.filter((s) => s.time >= cutoff24);
  return {
    id: check.id,
    name: check.name,
    ...(check.translations ? { translations: check.translations } : {}),
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
            ...(last.status !== undefined ? { status: last.status } : {}),
            ...(last.artifact ? { artifact: last.artifact } : {}),
            ...(last.steps ? { steps: last.steps } : {}),
          },
        }
      : {}),
    response: { '24h': exactStats(last24), '30d': responseStats(since(30)), '90d': responseStats(since(90)) },
    daily: [...dayBuckets].map(([day, list]) => {
      const stats = responseStats(list);
      // One region: the day's exact percentiles; several: merged histograms.
      const latency = list.length === 1 ? list[0].latency : stats.latency;
      return { day, ...(latency ? { latency } : {}), samples: stats.samples, errors: stats.errors };
    }),
    recent: last24.map((s) => ({ time: s.time, outcome: s.outcome, ...(s.latencyMs !== undefined ? { latencyMs: s.latencyMs } : {}) })),
    regions: [...new Set(days.map((d) => d.region))].sort(),
    byRegion: [...groupBy(last24, (s) => s.region)]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([region, list]) => {
        const l = list[list.length - 1];
        const answered = list.filter((s) => s.outcome !== 'down' && s.latencyMs !== undefined).map((s) => s.latencyMs!);
        return {
          region,
          last: {
            time: l.time,
            outcome: l.outcome,
            ...(l.latencyMs !== undefined ? { latencyMs: l.latencyMs } : {}),
            ...(l.reason ? { reason: l.reason } : {}),
          },
          ...(answered.length ? { p50: exactPercentiles(answered).p50 } : {}),
        };
      }),
    ...lagView(check, dayBuckets, samples, last24),
    ...beatView(check, beat, to),
    ...stepsView(check, last, last24, vars),
  };
}

/** Lag as latency is shown: daily p50/p95 (one region exact, several merged), each sample of 24 hours, the newest. */
function lagView(check: Check, dayBuckets: Map<string, DayRollup[]>, samples: readonly Sample[], last24: readonly Sample[]): Pick<CheckView, 'lag'> {
  const limits = lagLimits(check);
  const anyDay = [...dayBuckets.values()].some((list) => list.some((d) => d.lag));
  if (!limits && !anyDay && !samples.some((s) => s.lagMs !== undefined)) return {};
  // Only the newest sample's own lag is "now": an answer without one (an error) says nothing about how far behind.
  const newest = samples[samples.length - 1];
  const lags24 = last24.filter((s) => s.lagMs !== undefined).map((s) => s.lagMs!);
  const lag90 = histPercentiles([...dayBuckets.values()].flat().reduce<Record<number, number>>((h, d) => mergeHist(h, d.lagHist ?? {}), {}));
  return {
    lag: {
      ...(newest?.lagMs !== undefined ? { last: { time: newest.time, lagMs: newest.lagMs } } : {}),
      ...(lags24.length ? { '24h': exactPercentiles(lags24) } : {}),
      ...(lag90 ? { '90d': lag90 } : {}),
      daily: [...dayBuckets].map(([day, list]) => {
        const withLag = list.filter((d) => d.lag);
        if (withLag.length === 0) return { day };
        if (withLag.length === 1) return { day, lag: withLag[0].lag };
        const merged = histPercentiles(withLag.reduce<Record<number, number>>((h, d) => mergeHist(h, d.lagHist ?? {}), {}));
        return { day, ...(merged ? { lag: merged } : {}) };
      }),
      recent: last24.filter((s) => s.lagMs !== undefined).map((s) => ({ time: s.time, lagMs: s.lagMs! })),
      ...(limits?.degraded_over !== undefined ? { degradedOverMs: limits.degraded_over } : {}),
      ...(limits?.down_over !== undefined ? { downOverMs: limits.down_over } : {}),
    },
  };
}

/** The lag limits a check sets: freshness on an http check, a journey's lag. */
function lagLimits(check: Check): { degraded_over?: number; down_over?: number } | undefined {
  if (check.kind === 'http') return check.expect.fresh;
  if (check.kind === 'api') return check.expect.lag ?? (check.steps.some((s) => s.until) ? {} : undefined);
  return undefined;
}

function beatView(check: Check, beat: { at: string; status: 'ok' | 'fail'; durationMs?: number } | undefined, to: number): Pick<CheckView, 'beat'> {
  if (check.kind !== 'heartbeat') return {};
  const { every, grace } = check.expect;
  // Late once past its grace too: what the check judges as missed (and the page calls overdue).
  const lateMs = beat ? Math.max(0, to - Date.parse(beat.at) - every - grace) : 0;
  return {
    beat: {
      ...(beat ? { at: beat.at, status: beat.status, ...(beat.durationMs !== undefined ? { durationMs: beat.durationMs } : {}) } : {}),
      lateMs,
      everyMs: every,
      graceMs: grace,
    },
  };
}

/** Step names from the check, times from the samples (the last run's, and each step's 24-hour median). */
function stepsView(check: Check, last: Sample | undefined, last24: readonly Sample[], vars: Record<string, string>): Pick<CheckView, 'steps'> {
  const names =
    check.kind === 'api'
      ? check.steps.map((s) => s.name)
      : check.kind === 'browser'
        ? check.steps.map((s) => resolve(browserStepName(s), { vars, env: {} }))
        : undefined;
  if (!names) return {};
  return {
    steps: names.map((name, i) => {
      const times = last24.flatMap((s) => (s.steps && s.steps[i] !== undefined ? [s.steps[i]] : []));
      const lastMs = last?.steps?.[i];
      return { name, ...(lastMs !== undefined ? { last: lastMs } : {}), ...(times.length ? { p50: exactPercentiles(times).p50 } : {}) };
    }),
  };
}

/** A browser step in a few words: its action and what it acts on. */
function browserStepName(step: Extract<Check, { kind: 'browser' }>['steps'][number]): string {
  const [action, arg] = Object.entries(step).find(([k]) => k !== 'timeout')!;
  const what =
    typeof arg === 'string' ? arg : arg && typeof arg === 'object' ? (Object.values(arg).find((v) => typeof v === 'string') as string | undefined) : undefined;
  // A value filled from a secret is a reference here, never the secret: the view is built from the check as written.
  return what ? `${action} ${what}`.slice(0, 80) : action;
}

function exactStats(samples: readonly Sample[]): ResponseStats {
  const answered = samples.filter((s) => s.outcome !== 'down' && s.latencyMs !== undefined).map((s) => s.latencyMs!);
  const errors = samples.filter((s) => s.outcome === 'down').length;
  return {
    ...(answered.length > 0 ? { latency: exactPercentiles(answered) } : {}),
    samples: samples.length,
    errors,
    ...(samples.length > 0 ? { errorRate: errors / samples.length } : {}),
  };
}
