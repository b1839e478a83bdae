/**
 * The Atlassian Statuspage v2 API shapes (field names, enums, nesting), built from the view model,
 * so existing Statuspage clients and widgets read an Upkeep page unchanged.
 * Ids are Upkeep's own (component and incident ids), stable across builds.
 */
import { pageStatus, spStatus, type Indicator } from '../status/page-status.ts';
import { plainLine } from '../text/render.ts';
import type { ComponentView, IncidentView, MaintenanceView, SiteView } from './view-model.ts';
import { viewIn } from './localize.ts';
import { titleIn } from './incident-words.ts';
import { prefixOf } from './routes.ts';

/** The page's other languages, each with the view in it and its path prefix. */
type Others = { lang: string; view: SiteView; prefix: string }[];

/**
 * Not Statuspage's: an incident's or a window's name and page in the page's other languages
 * (`translations: { cs: { name, shortlink } }`, only on a page with other languages), which the
 * embed shows; Statuspage clients ignore fields they do not know. The rest is the default language.
 */
function translated(others: Others, name: (v: SiteView, lang: string) => string | undefined, path: string) {
  if (others.length === 0) return {};
  return {
    translations: Object.fromEntries(
      others.flatMap(({ lang, view, prefix }) => {
        const text = name(view, lang);
        return text === undefined ? [] : [[lang, { name: plainLine(text), shortlink: pageUrl(view, `${prefix}${path}`) }]];
      }),
    ),
  };
}

/** An absolute URL on the published page. */
export function pageUrl(view: SiteView, path = ''): string {
  return new URL(`${view.site.basePath}${path.replace(/^\//, '')}`, view.site.url).href;
}

export function page(view: SiteView) {
  return {
    id: 'upkeep',
    name: plainLine(view.site.vendor),
    url: pageUrl(view),
    time_zone: view.site.timeZone,
    updated_at: view.generatedAt,
  };
}

export function components(view: SiteView) {
  const out: object[] = [];
  let position = 1;
  for (const group of view.groups) {
    if (group.id) {
      out.push({
        id: group.id,
        name: plainLine(group.name ?? group.id),
        status: spStatus(group.status),
        created_at: view.generatedAt,
        updated_at: view.generatedAt,
        position: position++,
        description: group.description ? plainLine(group.description) : null,
        showcase: false,
        start_date: null,
        group_id: null,
        page_id: 'upkeep',
        group: true,
        only_show_if_degraded: false,
        components: group.components.map((c) => c.id),
      });
    }
    for (const c of group.components) out.push(component(view, c, position++));
  }
  return out;
}

function component(view: SiteView, c: ComponentView, position: number) {
  return {
    id: c.id,
    name: plainLine(c.name),
    status: spStatus(c.status),
    created_at: view.generatedAt,
    updated_at: view.generatedAt,
    position,
    description: c.description ? plainLine(c.description) : null,
    showcase: true,
    start_date: null,
    group_id: c.group ?? null,
    page_id: 'upkeep',
    group: false,
    only_show_if_degraded: false,
  };
}

export function status(view: SiteView) {
  return pageStatus(
    view.components.map((c) => c.status),
    view.incidents.filter((i) => i.status !== 'resolved').map((i) => i.impact as Indicator),
  );
}

/** The page's indicator: the worst of its components' statuses and its open incidents' impacts. */

export function incidentOf(view: SiteView, i: IncidentView, others: Others = []) {
  const byId = new Map(view.components.map((c, k) => [c.id, component(view, c, k + 1)]));
  const monitoring = [...i.updates].reverse().find((u) => u.status === 'monitoring');
  return {
    id: i.id,
    name: plainLine(i.title),
    status: i.status,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    monitoring_at: monitoring?.at ?? null,
    resolved_at: i.resolvedAt ?? null,
    impact: i.impact,
    shortlink: pageUrl(view, `incidents/${i.id}/`),
    started_at: i.started,
    page_id: 'upkeep',
    incident_updates: i.updates.map((u, k) => ({
      id: `${i.id}-${i.updates.length - k}`,
      status: u.status,
      body: u.text,
      incident_id: i.id,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      affected_components: null,
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: i.components.map((c) => byId.get(c.id)).filter(Boolean),
    ...translated(
      others,
      (v, lang) => {
        const local = v.incidents.find((x) => x.id === i.id);
        return local && titleIn(local, lang);
      },
      `incidents/${i.id}/`,
    ),
  };
}

export function maintenanceOf(view: SiteView, m: MaintenanceView, others: Others = []) {
  const byId = new Map(view.components.map((c, k) => [c.id, component(view, c, k + 1)]));
  const spStatusOf = { scheduled: 'scheduled', in_progress: 'in_progress', completed: 'completed' } as const;
  const updates = [{ status: 'scheduled', at: view.generatedAt, body: m.description ?? `${m.title} is scheduled.` }];
  if (m.status !== 'scheduled') updates.unshift({ status: 'in_progress', at: m.start, body: 'Scheduled maintenance is in progress.' });
  if (m.status === 'completed') updates.unshift({ status: 'completed', at: m.end, body: 'The scheduled maintenance has been completed.' });
  return {
    id: m.id,
    name: plainLine(m.title),
    status: spStatusOf[m.status],
    created_at: m.start,
    updated_at: m.status === 'completed' ? m.end : m.start,
    monitoring_at: null,
    resolved_at: m.status === 'completed' ? m.end : null,
    impact: 'maintenance',
    shortlink: pageUrl(view, 'maintenance/'),
    started_at: m.start,
    page_id: 'upkeep',
    incident_updates: updates.map((u, k) => ({
      id: `${m.id}-${updates.length - k}`,
      status: u.status,
      body: plainLine(u.body),
      incident_id: m.id,
      created_at: u.at,
      updated_at: u.at,
      display_at: u.at,
      affected_components: null,
      deliver_notifications: false,
      custom_tweet: null,
      tweet_id: null,
    })),
    components: m.components.map((c) => byId.get(c)).filter(Boolean),
    scheduled_for: m.start,
    scheduled_until: m.end,
    ...translated(others, (v) => v.maintenance.find((x) => x.id === m.id)?.title, 'maintenance/'),
  };
}

const unresolved = (view: SiteView) => view.incidents.filter((i) => i.status !== 'resolved');
// Statuspage has no recurrence: a weekly window is one entry per occurrence here, so only the next 30 days are listed.
const upcoming = (view: SiteView) =>
  view.maintenance.filter((m) => m.status === 'scheduled' && Date.parse(m.start) - Date.parse(view.generatedAt) <= 30 * 86_400_000);
const active = (view: SiteView) => view.maintenance.filter((m) => m.status === 'in_progress');

/** Every v2 endpoint, path → body. */
export function statuspageApi(view: SiteView): Record<string, unknown> {
  const p = page(view);
  const others: Others = view.site.languages
    .filter((lang) => lang !== view.site.language)
    .map((lang) => ({ lang, view: viewIn(view, lang), prefix: `${prefixOf(lang)}/` }));
  const incident = (v: SiteView, i: IncidentView) => incidentOf(v, i, others);
  const maintenance = (v: SiteView, m: MaintenanceView) => maintenanceOf(v, m, others);
  const incidentsAll = view.incidents.slice(0, 50).map((i) => incident(view, i));
  return {
    'summary.json': {
      page: p,
      components: components(view),
      incidents: unresolved(view).map((i) => incident(view, i)),
      scheduled_maintenances: [...active(view), ...upcoming(view)].map((m) => maintenance(view, m)),
      status: status(view),
    },
    'status.json': { page: p, status: status(view) },
    'components.json': { page: p, components: components(view) },
    'incidents.json': { page: p, incidents: incidentsAll },
    'incidents/unresolved.json': { page: p, incidents: unresolved(view).map((i) => incident(view, i)) },
    'scheduled-maintenances.json': {
      page: p,
      scheduled_maintenances: [...view.maintenance.filter((m) => m.status === 'completed'), ...active(view), ...upcoming(view)]
        .reverse()
        .map((m) => maintenance(view, m)),
    },
    'scheduled-maintenances/upcoming.json': { page: p, scheduled_maintenances: upcoming(view).map((m) => maintenance(view, m)) },
    'scheduled-maintenances/active.json': { page: p, scheduled_maintenances: active(view).map((m) => maintenance(view, m)) },
  };
}
