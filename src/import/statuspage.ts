/**
 * A Statuspage page → Upkeep's files, planned without touching the disk: components and groups
 * into site.yml, incidents into history/incidents/<id>.md, scheduled maintenance into
 * maintenance.yml.
 *
 * Ids are slugs of names, so files read well, and each imported item remembers its Statuspage id
 * in a comment (`# statuspage: 8l4ygp009s5s`): a second import maps the same component, incident
 * or window to the same entry even after the vendor renamed it, and adds only what is new. Nothing
 * the vendor wrote is changed: an existing item is kept as it is and differences are reported.
 */
import { Document, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { join } from 'node:path';
import { linkSchemes, maintenanceFile, siteFile, type IncidentUpdate } from '../config/schema.ts';
import { MAX_INCIDENT_BYTES, parseIncident } from '../history/incidents.ts';
import { markdownLinks } from '../text/links.ts';
import { timeZone } from '../config/fields.ts';
import { impact as impactEnum, type Impact, type IncidentStatus } from '../status/vocabulary.ts';
import { count, emptyReport, instant, listOf, oneLine, slugify, textBlock, uniqueId, windowTime, type FileChange, type Plan } from './common.ts';
import type { SpBundle, SpComponent, SpIncident, SpUpdate } from './statuspage-source.ts';
import { appendToList, listItems, markerIn, markItem, newYamlFile, type NewItem } from './yaml-edit.ts';

export type Existing = {
  checksDir: string;
  historyDir: string;
  /** checks/site.yml and checks/maintenance.yml as they are, if they exist. */
  site?: string;
  maintenance?: string;
  /** history/incidents/*.md by id. */
  incidents: { id: string; text: string }[];
  /** Where the editor schemas are, relative to the checks folder (when the folder is inside Upkeep's tree). */
  schemaDir?: string;
};

const TAG = 'statuspage';
/** The marker of the component made for incidents that name none. */
const NO_COMPONENT = 'no-component';
const SP_ID = /^[a-z0-9]{1,40}$/;
const FRONT = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

const statusOf: Record<string, IncidentStatus> = {
  investigating: 'investigating',
  identified: 'identified',
  monitoring: 'monitoring',
  resolved: 'resolved',
  // Maintenance words, should an incident carry them: the nearest incident step.
  scheduled: 'investigating',
  in_progress: 'identified',
  verifying: 'monitoring',
  completed: 'resolved',
};

type Known = { id: string; name: string; marker?: string };

type Comp = SpComponent & { onlyInIncidents?: boolean };

type Stats = {
  br: number;
  emptyBodies: number;
  badLinks: number;
  affected: number;
  unknownStatus: Map<string, number>;
  postmortems: number;
  addedResolved: number;
  noneImpact: number;
  unknownImpact: Map<string, number>;
  noComponent: number;
  displayAt: number;
};

export function planStatuspage(src: SpBundle, existing: Existing): Plan {
  const report = emptyReport();
  const stats: Stats = {
    br: 0,
    emptyBodies: 0,
    badLinks: 0,
    affected: 0,
    unknownStatus: new Map(),
    postmortems: 0,
    addedResolved: 0,
    noneImpact: 0,
    unknownImpact: new Map(),
    noComponent: 0,
    displayAt: 0,
  };
  const siteFileName = join(existing.checksDir, 'site.yml');
  const maintenanceFileName = join(existing.checksDir, 'maintenance.yml');

  // What site.yml has now: ids, names, and the Statuspage ids earlier imports left in comments.
  const known = (key: string): Known[] =>
    listItems(existing.site, key).flatMap(({ data, comments }) =>
      typeof data.id === 'string' ? [{ id: data.id, name: String(data.name ?? data.id), marker: markerIn(comments, TAG) }] : [],
    );
  const haveGroups = known('groups');
  const haveComponents = known('components');
  // Groups and components share one set of ids (validate refuses a group and a component of the same id).
  const taken = new Set([...haveGroups, ...haveComponents].map((c) => c.id));

  // Statuspage's components: the page's list first, then any an incident names that the list lacks.
  const all = new Map<string, Comp>();
  for (const c of src.components) all.set(c.id, c);
  for (const i of [...src.incidents, ...src.maintenances]) for (const c of i.components) if (!all.has(c.id)) all.set(c.id, { ...c, onlyInIncidents: true });
  for (const i of src.incidents)
    for (const u of i.incident_updates)
      for (const a of u.affected_components ?? [])
        if (a.code && a.name && !all.has(a.code)) all.set(a.code, { id: a.code, name: a.name, onlyInIncidents: true });

  const spGroups = [...all.values()].filter((c) => c.group);
  const groupOf = (c: SpComponent) => c.group_id ?? spGroups.find((g) => g.components?.includes(c.id))?.id;
  const byPosition = (a: SpComponent, b: SpComponent) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.name.localeCompare(b.name);
  const leaves = [...all.values()].filter((c) => !c.group);
  // The page's order: top-level items by position, a group's children right after it.
  const ordered: Comp[] = [];
  const topLevel = [...spGroups, ...leaves.filter((c) => !groupOf(c) || !all.has(groupOf(c)!))].sort(byPosition);
  for (const t of topLevel) {
    if (t.group) ordered.push(...leaves.filter((c) => groupOf(c) === t.id).sort(byPosition));
    else ordered.push(t);
  }

  // Groups: matched by remembered id, then by slug; new ones get a free slug.
  const newGroups: NewItem[] = [];
  const markGroups: { id: string; marker: string }[] = [];
  const groupMap = new Map<string, string>();
  for (const g of spGroups.sort(byPosition)) {
    if (!ordered.some((c) => groupOf(c) === g.id)) continue;
    const m = matchItem(g, haveGroups, taken, slugify(g.name) ?? `group-${g.id}`);
    groupMap.set(g.id, m.id);
    if (m.adopt) markGroups.push({ id: m.id, marker: `${TAG}: ${g.id}` });
    if (m.isNew)
      newGroups.push({
        value: { id: m.id, name: nameOf(g.name, g.id), ...(g.description && oneLine(g.description) ? { description: oneLine(g.description) } : {}) },
        ...(SP_ID.test(g.id) ? { marker: `${TAG}: ${g.id}` } : {}),
      });
  }

  // Components the same way; a slug taken by another component tries its group's prefix first.
  const newComponents: NewItem[] = [];
  const markComponents: { id: string; marker: string }[] = [];
  const componentMap = new Map<string, string>();
  const renamed: string[] = [];
  let onlyInIncidents = 0;
  for (const c of ordered) {
    const slug = slugify(c.name) ?? `component-${c.id}`;
    const group = groupOf(c) ? groupMap.get(groupOf(c)!) : undefined;
    const base = taken.has(slug) && group && !haveComponents.some((h) => h.id === slug && !h.marker) ? `${group}-${slug}` : slug;
    const m = matchItem(c, haveComponents, taken, base);
    componentMap.set(c.id, m.id);
    if (m.adopt) markComponents.push({ id: m.id, marker: `${TAG}: ${c.id}` });
    if (m.kept && m.kept.name !== nameOf(c.name, c.id)) renamed.push(`${m.id} ("${m.kept.name}", "${nameOf(c.name, c.id)}" on Statuspage)`);
    if (!m.isNew) continue;
    if (c.onlyInIncidents) onlyInIncidents++;
    const description = c.description ? oneLine(c.description) : '';
    newComponents.push({
      value: { id: m.id, name: nameOf(c.name, c.id), ...(group ? { group } : {}), ...(description ? { description } : {}) },
      ...(SP_ID.test(c.id) ? { marker: `${TAG}: ${c.id}` } : {}),
    });
  }

  // The component for incidents and windows that name none, made only when one needs it.
  let general: string | undefined;
  const generalId = () => {
    if (general) return general;
    const had = haveComponents.find((h) => h.marker === NO_COMPONENT);
    general = had?.id ?? uniqueId('general', taken);
    if (!had)
      newComponents.push({
        value: { id: general, name: 'General', description: 'Incidents and maintenance that named no particular component.' },
        marker: `${TAG}: ${NO_COMPONENT}`,
      });
    return general;
  };
  const componentsFor = (i: SpIncident): string[] => {
    // A group named by an incident stands for its components.
    const named = i.components
      .flatMap((c) => (c.group ? ordered.filter((x) => groupOf(x) === c.id).map((x) => x.id) : [c.id]))
      .map((id) => componentMap.get(id))
      .filter((x): x is string => !!x);
    const affected = i.incident_updates.flatMap((u) => (u.affected_components ?? []).map((a) => (a.code ? componentMap.get(a.code) : undefined)));
    const ids = [...new Set(named.length ? named : affected.filter((x): x is string => !!x))];
    if (ids.length) return ids;
    stats.noComponent++;
    return [generalId()];
  };

  const isMaintenance = (i: SpIncident) => i.impact === 'maintenance' || !!i.scheduled_for || i.incident_updates.some((u) => u.status === 'scheduled');
  const maintenances = new Map<string, SpIncident>();
  for (const m of [...src.incidents.filter(isMaintenance), ...src.maintenances]) maintenances.set(m.id, m);
  const incidents = src.incidents.filter((i) => !isMaintenance(i) && !maintenances.has(i.id));

  const files: FileChange[] = [];
  const skipped = [...src.skipped];

  // Incidents: new ones get a file, ones imported before get only the updates they lack.
  const haveIncidents = new Map<string, { id: string; text: string }>();
  for (const f of existing.incidents) {
    const front = FRONT.exec(f.text)?.[1] ?? '';
    const sp = markerIn(
      front
        .split('\n')
        .filter((l) => /^\s*#/.test(l))
        .join('\n'),
      TAG,
    );
    if (sp) haveIncidents.set(sp, f);
  }
  const unmarked = new Map(existing.incidents.filter((f) => ![...haveIncidents.values()].includes(f)).map((f) => [f.id, f]));
  const incidentIds = new Set(existing.incidents.map((f) => f.id));
  const incidentPath = (id: string) => join(existing.historyDir, 'incidents', `${id}.md`);
  type Outcome = { change: FileChange; kind: 'new' | 'merged' | 'same'; updates: number; open?: string };
  const outcomes: Outcome[] = [];
  const incidentDiffs: string[] = [];
  const sortedIncidents = [...incidents].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id.localeCompare(b.id));
  for (const i of sortedIncidents) {
    const converted = convertIncident(i, stats, skipped);
    if (!converted) continue;
    // Imported before: by the Statuspage id its file remembers, else (the comment was removed) by the id it would get.
    const startedAt = converted.started ?? converted.updates[0].at;
    const slugId = `${startedAt.slice(0, 10)}-${slugify(i.name, 53) ?? 'incident'}`;
    const had = haveIncidents.get(i.id) ?? unmarked.get(slugId);
    unmarked.delete(slugId);
    if (had) {
      const path = incidentPath(had.id);
      const merged = mergeIncident(had.text, converted.updates);
      if (!merged) {
        skipped.push(`incident ${i.id}: ${path} has no front matter Upkeep can read; left as it is`);
        continue;
      }
      if (merged.title !== undefined && merged.title !== nameOf(i.name, 'Incident')) incidentDiffs.push(`${had.id}: title`);
      if (merged.impact !== undefined && merged.impact !== converted.impact)
        incidentDiffs.push(`${had.id}: impact ${merged.impact} (${converted.impact} on Statuspage)`);
      outcomes.push({
        change: { root: existing.historyDir, path, before: had.text, after: merged.text, what: `incident ${had.id}` },
        kind: merged.added ? 'merged' : 'same',
        updates: merged.added,
      });
      continue;
    }
    const id = uniqueId(slugId, incidentIds);
    const last = converted.updates[converted.updates.length - 1];
    outcomes.push({
      change: { root: existing.historyDir, path: incidentPath(id), after: renderIncident(i, id, converted, componentsFor(i)), what: `incident ${id}` },
      kind: 'new',
      updates: converted.updates.length,
      ...(last.status !== 'resolved' ? { open: `${id} (${last.status})` } : {}),
    });
  }

  // Maintenance: one window per scheduled maintenance, at its scheduled times.
  const haveWindows = listItems(existing.maintenance, 'maintenance').flatMap(({ data, comments }) =>
    typeof data.id === 'string' ? [{ id: data.id, data, marker: markerIn(comments, TAG) }] : [],
  );
  const windowIds = new Set(haveWindows.map((w) => w.id));
  const newWindows: NewItem[] = [];
  let keptWindows = 0;
  let extraUpdates = 0;
  let offSchedule = 0;
  const windowDiffs: string[] = [];
  const sortedWindows = [...maintenances.values()].sort(
    (a, b) => Date.parse(a.scheduled_for ?? a.created_at) - Date.parse(b.scheduled_for ?? b.created_at) || a.id.localeCompare(b.id),
  );
  for (const m of sortedWindows) {
    const start = Date.parse(m.scheduled_for ?? '');
    const end = Date.parse(m.scheduled_until ?? '');
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
      skipped.push(`maintenance ${m.id} ("${oneLine(m.name)}"): no scheduled_for and scheduled_until to make a window of`);
      continue;
    }
    const slugId = `${slugify(m.name, 53) ?? 'maintenance'}-${windowTime(start).slice(0, 10)}`;
    const had = haveWindows.find((w) => w.marker === m.id) ?? haveWindows.find((w) => !w.marker && w.id === slugId);
    if (had) {
      keptWindows++;
      const theirs = { title: nameOf(m.name, 'Maintenance'), start: windowTime(start), end: windowTime(end) };
      for (const k of ['title', 'start', 'end'] as const) {
        const same = k === 'title' ? had.data[k] === theirs[k] : Date.parse(String(had.data[k] ?? '')) === Date.parse(theirs[k]);
        if (!same) windowDiffs.push(`${had.id}: ${k}`);
      }
      continue;
    }
    const window = windowOf(m, start, end, componentsFor(m));
    const id = uniqueId(slugId, windowIds);
    newWindows.push({ value: { id, ...window }, ...(SP_ID.test(m.id) ? { marker: `${TAG}: ${m.id}` } : {}) });
    if (m.incident_updates.length > 1) extraUpdates += m.incident_updates.length - 1;
    const done = m.incident_updates.find((u) => u.status === 'completed');
    if (done && Math.abs(timeOf(done) - end) > 5 * 60_000) offSchedule++;
  }

  // site.yml: made when missing, else only added to.
  const pageUrl = src.page.url && /^https?:\/\/[^\s]+$/.test(src.page.url) ? src.page.url : undefined;
  const header = (kind: string) => [
    ...(existing.schemaDir ? [`yaml-language-server: $schema=${existing.schemaDir}/${kind}.schema.json`] : []),
    `Imported from Statuspage: ${oneLine(src.page.name)}${pageUrl ? ` (${pageUrl})` : ''}.`,
    'Run `upkeep import statuspage` again to add what is new there; your edits here are kept.',
  ];
  let siteText: string;
  if (existing.site === undefined) {
    const zone = zoneOf(src.page.time_zone);
    siteText = newYamlFile(
      [...header('site'), ...(pageUrl ? [`When this page takes over ${pageUrl}, set site.url to it (feeds and links use it).`] : [])],
      { site: { title: `${oneLine(src.page.name)} Status`, vendor: oneLine(src.page.name), time_zone: zone } },
      { groups: newGroups, components: newComponents },
    );
    if (src.page.time_zone && zone !== src.page.time_zone && !(zone === 'UTC' && /^(Etc\/)?(UTC|GMT|Zulu)$/i.test(src.page.time_zone)))
      report.decisions.push(`the page's time zone "${oneLine(src.page.time_zone)}" is not an IANA zone Upkeep knows: site.time_zone is UTC`);
  } else {
    siteText = appendToList(appendToList(existing.site, 'groups', newGroups), 'components', newComponents);
    for (const g of markGroups) siteText = markItem(siteText, 'groups', g.id, g.marker);
    for (const c of markComponents) siteText = markItem(siteText, 'components', c.id, c.marker);
  }
  files.unshift({
    root: existing.checksDir,
    path: siteFileName,
    ...(existing.site !== undefined ? { before: existing.site } : {}),
    after: siteText,
    what: 'site.yml',
  });

  if (newWindows.length) {
    const text =
      existing.maintenance === undefined
        ? newYamlFile(header('maintenance'), {}, { maintenance: newWindows })
        : appendToList(existing.maintenance, 'maintenance', newWindows);
    files.splice(1, 0, {
      root: existing.checksDir,
      path: maintenanceFileName,
      ...(existing.maintenance !== undefined ? { before: existing.maintenance } : {}),
      after: text,
      what: 'maintenance.yml',
    });
  }

  // Every file read back by Upkeep's own readers before anything is written.
  const siteIds = checkConfigFiles(files, existing);
  const kept: Outcome[] = [];
  for (const o of outcomes) {
    if (o.change.after === o.change.before) {
      kept.push(o);
      continue;
    }
    const size = Buffer.byteLength(o.change.after);
    const r = parseIncident(o.change.after, o.change.path, siteIds, markdownLinks);
    if (size > MAX_INCIDENT_BYTES) skipped.push(`${o.change.what}: ${(size / 1024 / 1024).toFixed(1)} MB, more than an incident file may be`);
    else if (r.errors.length) skipped.push(`${o.change.what}: ${r.errors[0].path} ${r.errors[0].message} (Upkeep would refuse the file)`);
    else kept.push(o);
  }
  files.push(...kept.map((o) => o.change));

  // The report.
  const siteShown = existing.site === undefined ? `${siteFileName} (new)` : siteFileName;
  report.done.push(`read ${oneLine(src.page.name)}${pageUrl ? ` (${pageUrl})` : ''}: ${src.read.join('; ')}`);
  const keptComponents = componentMap.size - newComponents.filter((c) => c.marker !== `${TAG}: ${NO_COMPONENT}`).length;
  report.done.push(
    `components: ${newComponents.length ? `${newComponents.length} added to ${siteShown}${onlyInIncidents ? ` (${onlyInIncidents} named only by incidents)` : ''}` : 'none new'}${
      keptComponents ? `, ${keptComponents} already there` : ''
    }`,
  );
  if (groupMap.size)
    report.done.push(
      `groups: ${newGroups.length ? `${newGroups.length} added` : 'none new'}${groupMap.size - newGroups.length ? `, ${groupMap.size - newGroups.length} already there` : ''}`,
    );
  const added = kept.filter((o) => o.kind === 'new');
  const merged = kept.filter((o) => o.kind === 'merged');
  const same = kept.filter((o) => o.kind === 'same');
  const open = added.flatMap((o) => (o.open ? [o.open] : []));
  const sum = (list: Outcome[]) => list.reduce((n, o) => n + o.updates, 0);
  const incidentsDir = join(existing.historyDir, 'incidents');
  report.done.push(
    `incidents: ${added.length ? `${added.length} added to ${incidentsDir}/ with ${count(sum(added), 'update')}` : 'none new'}${
      merged.length ? `, ${count(sum(merged), 'new update')} added to ${count(merged.length, 'incident')} imported before` : ''
    }${same.length ? `, ${same.length} already there` : ''}`,
  );
  if (open.length) report.done.push(`still open on Statuspage: ${listOf(open)}; each shows as active until it gets a resolved update`);
  report.done.push(
    `maintenance: ${newWindows.length ? `${count(newWindows.length, 'window')} added to ${maintenanceFileName}` : 'none new'}${keptWindows ? `, ${keptWindows} already there` : ''}`,
  );

  report.decisions.push(
    `impact "none": ${stats.noneImpact ? `${count(stats.noneImpact, 'incident')} keep it` : 'none here; it would be kept'}: Upkeep has the same level, shown as "None" (and it does not raise the page's indicator)`,
  );
  for (const [value, n] of stats.unknownImpact) report.decisions.push(`impact "${value}" (${count(n, 'incident')}) is not Statuspage's: written as "minor"`);
  report.decisions.push(
    `postmortem: ${stats.postmortems ? `${count(stats.postmortems, 'postmortem')} became the write-up below their incident's front matter (Upkeep's incidents end at resolved)` : 'none here; a postmortem would become the incident file\'s write-up and its incident "resolved"'}`,
  );
  if (stats.noComponent)
    report.decisions.push(
      `${count(stats.noComponent, 'incident or window', 'incidents and windows')} named no component, and Upkeep's name at least one: they name "${general}" (General), made for them; edit their components: to say what they affected`,
    );
  if (stats.addedResolved)
    report.decisions.push(`${count(stats.addedResolved, 'incident')} resolved on Statuspage without a resolved update got one, at resolved_at`);
  for (const [value, n] of stats.unknownStatus)
    report.decisions.push(`update status "${value}" (${count(n, 'update')}) written as "${statusOf[value] ?? 'investigating'}"`);
  if (outcomes.length)
    report.decisions.push(
      `update times are Statuspage's display_at, the time its page showed${stats.displayAt ? ` (${count(stats.displayAt, 'update')} had one other than created_at)` : ''}`,
    );
  if (stats.br) report.decisions.push(`<br /> in ${count(stats.br, 'update')} became paragraph breaks (Upkeep shows raw HTML as text)`);
  if (stats.emptyBodies) report.decisions.push(`${count(stats.emptyBodies, 'update')} without text say "Status: <status>." (Upkeep's updates need a message)`);
  if (stats.badLinks)
    report.decisions.push(
      `${count(stats.badLinks, 'update')} had links with schemes Upkeep refuses: their brackets were escaped, so the text shows as written`,
    );
  if (renamed.length) report.decisions.push(`kept your names: ${listOf(renamed)}`);
  if (incidentDiffs.length) report.decisions.push(`kept your edits to incidents that differ from Statuspage now: ${listOf(incidentDiffs)}`);
  if (windowDiffs.length) report.decisions.push(`kept your maintenance windows that differ from Statuspage now: ${listOf(windowDiffs)}`);

  report.notCarried.push('component statuses right now: Upkeep measures them with checks (and shows "no data" until a check runs)');
  if (stats.affected) report.notCarried.push(`which components each update changed, and to what (affected_components on ${count(stats.affected, 'update')})`);
  if (extraUpdates)
    report.notCarried.push(
      `maintenance updates after the announcement (${extraUpdates}): an Upkeep window has one description, and its status (scheduled, in progress, completed) comes from its times`,
    );
  if (offSchedule) report.notCarried.push(`${count(offSchedule, 'window')} completed more than 5 minutes off schedule: Upkeep's window is the scheduled time`);
  report.notCarried.push("showcase, only_show_if_degraded and start_date of components; subscribers, tweets, shortlinks and reminders; the page's branding");
  for (const s of skipped) report.notCarried.push(`left out: ${s}`);

  if (componentMap.size || general)
    report.next.push('add checks for the components (README, "Checks"): until one runs, a component shows "no data", never "up"');
  report.next.push(`upkeep validate --checks ${existing.checksDir} --history ${existing.historyDir}, then upkeep build`);

  return { files, report };
}

/** An item matched to one already in site.yml: by the Statuspage id it remembers, else by the same slug (which it then remembers). */
function matchItem(item: { id: string }, have: Known[], taken: Set<string>, slug: string): { id: string; isNew: boolean; adopt?: boolean; kept?: Known } {
  const remembered = have.find((h) => h.marker === item.id);
  if (remembered) return { id: remembered.id, isNew: false, kept: remembered };
  const same = have.find((h) => h.id === slug && !h.marker);
  if (same) return { id: same.id, isNew: false, adopt: SP_ID.test(item.id), kept: same };
  return { id: uniqueId(slug, taken), isNew: true };
}

function zoneOf(zone: string | null | undefined): string {
  if (!zone || /^(Etc\/)?(UTC|GMT|Zulu|UCT)$/i.test(zone)) return 'UTC';
  return timeZone.safeParse(zone).success ? zone : 'UTC';
}

/** Statuspage's update text as an Upkeep message: the same words, made safe for a file Upkeep and its pages read. */
export function messageOf(body: string | null | undefined, status: string, stats: Pick<Stats, 'br' | 'emptyBodies' | 'badLinks'>): string {
  let text = body ?? '';
  if (/<br\s*\/?>/i.test(text)) {
    stats.br++;
    text = text.replace(/[ \t]*(?:<br\s*\/?>[ \t]*\n?[ \t]*)+/gi, '\n\n');
  }
  text = textBlock(text);
  if (!text) {
    stats.emptyBodies++;
    return `Status: ${status.replace(/_/g, ' ')}.`;
  }
  const refused = (t: string) => markdownLinks(t).some((l) => l.scheme && !(linkSchemes as readonly string[]).includes(l.scheme));
  if (refused(text)) {
    stats.badLinks++;
    text = text.replace(/[[\]<>]/g, '\\$&');
    if (refused(text)) text = text.replace(/:/g, '\\:');
  }
  return text;
}

function convertIncident(i: SpIncident, stats: Stats, skipped: string[]): Converted | undefined {
  const updates: IncidentUpdate[] = [];
  const writeup: string[] = [];
  for (const u of [...i.incident_updates].sort((a, b) => timeOf(a) - timeOf(b))) {
    const at = timeOf(u);
    if (!Number.isFinite(at)) {
      skipped.push(`incident ${i.id}: an update with no readable time (${JSON.stringify(u.display_at ?? u.created_at)})`);
      continue;
    }
    if (u.display_at && u.display_at !== u.created_at) stats.displayAt++;
    if (u.affected_components?.length) stats.affected++;
    if (u.status === 'postmortem') {
      stats.postmortems++;
      const text = textBlock((u.body ?? '').replace(/(?:<br\s*\/?>\s*)+/gi, '\n\n'));
      if (text) writeup.push(text);
      continue;
    }
    if (!statusOf[u.status] || !['investigating', 'identified', 'monitoring', 'resolved'].includes(u.status))
      stats.unknownStatus.set(u.status, (stats.unknownStatus.get(u.status) ?? 0) + 1);
    updates.push({ at: instant(at), status: statusOf[u.status] ?? 'investigating', message: messageOf(u.body, u.status, stats) });
  }
  if (i.postmortem_body && textBlock(i.postmortem_body) && !writeup.length) {
    stats.postmortems++;
    writeup.push(textBlock(i.postmortem_body));
  }
  if (updates.length === 0) {
    skipped.push(`incident ${i.id} ("${oneLine(i.name)}"): no updates to make an incident of`);
    return undefined;
  }
  const last = updates[updates.length - 1];
  if ((i.status === 'resolved' || i.status === 'postmortem') && last.status !== 'resolved') {
    const at = Math.max(Date.parse(i.resolved_at ?? '') || 0, Date.parse(last.at));
    stats.addedResolved++;
    updates.push({ at: instant(at), status: 'resolved', message: writeup.length ? 'Resolved. The postmortem is below.' : 'Resolved.' });
  }
  let impact: Impact = 'minor';
  const parsed = impactEnum.safeParse(i.impact ?? 'none');
  if (parsed.success) impact = parsed.data;
  else stats.unknownImpact.set(String(i.impact), (stats.unknownImpact.get(String(i.impact)) ?? 0) + 1);
  if (impact === 'none') stats.noneImpact++;
  const started = Date.parse(i.started_at ?? '');
  return { updates, body: writeup.join('\n\n'), impact, ...(Number.isFinite(started) ? { started: instant(started) } : {}) };
}

/** A name as one line, or `fallback` when nothing printable is left. */
const nameOf = (name: string, fallback: string) => oneLine(name) || fallback;

const timeOf = (u: SpUpdate) => Date.parse(u.display_at ?? u.created_at);

type Converted = { updates: IncidentUpdate[]; body: string; impact: Impact; started?: string };

function renderIncident(sp: SpIncident, id: string, c: Converted, components: string[]): string {
  const doc = new Document({
    id,
    title: nameOf(sp.name, 'Incident'),
    components,
    impact: c.impact,
    ...(c.started ? { started: c.started } : {}),
    updates: c.updates,
  });
  if (SP_ID.test(sp.id)) doc.commentBefore = ` ${TAG}: ${sp.id}`;
  return render(doc, c.body);
}

function render(doc: Document, body: string): string {
  return `---\n${doc.toString({ lineWidth: 0 }).trimEnd()}\n---\n${body ? `\n${body.trim()}\n` : ''}`;
}

/** Adds the updates later than the file's latest; everything else in the file stays as the vendor has it. */
function mergeIncident(text: string, updates: IncidentUpdate[]): { text: string; added: number; title?: string; impact?: string } | undefined {
  const m = FRONT.exec(text);
  if (!m) return undefined;
  const doc = parseDocument(m[1]);
  if (doc.errors.length) return undefined;
  const list = doc.get('updates');
  const times = isSeq(list) ? (list.toJSON() as { at?: unknown }[]).map((u) => Date.parse(String(u?.at ?? ''))).filter(Number.isFinite) : [];
  const latest = Math.max(-Infinity, ...times);
  const newer = updates.filter((u) => Date.parse(u.at) > latest);
  const title = doc.get('title');
  const impact = doc.get('impact');
  const facts = { ...(typeof title === 'string' ? { title } : {}), ...(typeof impact === 'string' ? { impact } : {}) };
  if (newer.length === 0 || !isSeq(list)) return { text, added: 0, ...facts };
  for (const u of newer) (list as YAMLSeq).add(doc.createNode(u));
  return { text: render(doc, m[2]), added: newer.length, ...facts };
}

function windowOf(m: SpIncident, start: number, end: number, components: string[]) {
  const first = [...m.incident_updates].sort((a, b) => timeOf(a) - timeOf(b)).find((u) => u.status === 'scheduled') ?? m.incident_updates[0];
  const description = first ? textBlock((first.body ?? '').replace(/(?:<br\s*\/?>\s*)+/gi, '\n\n')) : '';
  return {
    title: nameOf(m.name, 'Maintenance'),
    ...(description ? { description: messageOf(description, 'scheduled', { br: 0, emptyBodies: 0, badLinks: 0 }) } : {}),
    components,
    start: windowTime(start),
    end: windowTime(end),
  };
}

/** site.yml and maintenance.yml as planned, read back by Upkeep's schema: a refusal is Upkeep's bug, so it stops the import. Returns the component ids. */
function checkConfigFiles(files: FileChange[], existing: Existing): string[] {
  const site = files.find((f) => f.what === 'site.yml')!;
  const siteData = parseDocument(site.after).toJS() as { components?: { id?: unknown }[] } | null;
  if (existing.site === undefined) {
    const r = siteFile.safeParse(siteData);
    if (!r.success) throw new Error(`the new site.yml does not pass Upkeep's schema: ${r.error.issues[0].path.join('.')} ${r.error.issues[0].message}`);
  }
  const maintenance = files.find((f) => f.what === 'maintenance.yml');
  if (maintenance) {
    const mine = new Set(listItems(maintenance.before, 'maintenance').map((h) => h.data.id));
    const data = parseDocument(maintenance.after).toJS() as { maintenance?: { id?: string }[] };
    const r = maintenanceFile.safeParse({ maintenance: (data.maintenance ?? []).filter((w) => !mine.has(w.id)) });
    if (!r.success)
      throw new Error(`the new maintenance windows do not pass Upkeep's schema: ${r.error.issues[0].path.join('.')} ${r.error.issues[0].message}`);
  }
  return Array.isArray(siteData?.components) ? siteData.components.map((c) => String(c?.id)) : [];
}
