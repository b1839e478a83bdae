/**
 * The view model in one language: every text the vendor wrote (site title, links, groups,
 * components, instances, maintenance, incidents and their updates) in `lang` where a translation
 * gives it, else as written in the default language, field by field. Names repeated elsewhere (an
 * incident's components, a window's component names, Upkeep's own titles and words that quote a
 * component) follow the component's name in that language. Pages, feeds and the embed's data take
 * their text from here; the default language is the view itself. Each text shown as written rather
 * than translated is named in its object's `fallback` (field → the default language), so the page
 * marks it `lang` (and `dir`) for screen readers; a translated one carries no mark.
 */
import { textIn, translationIn } from '../config/translations.ts';
import { autoWords, textHtml } from './incident-words.ts';
import type { ComponentView, DayView, Fallback, GroupView, IncidentView, InstanceView, MaintenanceView, SiteView, UpdateView } from './view-model.ts';

// Each page of a language asks for the same view: made once per view and language (a build has one view).
const made = new WeakMap<SiteView, Map<string, SiteView>>();

export function viewIn(view: SiteView, lang: string): SiteView {
  if (lang === view.site.language) return view;
  const byLang = made.get(view) ?? new Map<string, SiteView>();
  made.set(view, byLang);
  const out = byLang.get(lang) ?? localize(view, lang);
  byLang.set(lang, out);
  return out;
}

/** Only what has text is copied; `undefined` fields are left out as the view model leaves them out. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The fields of `o` that have text but none in `lang`: `{ fallback: { field: original } }`, or nothing. */
function fallbackOf<K extends string>(
  o: { translations?: object } & Partial<Record<K, unknown>>,
  lang: string,
  original: string,
  keys: readonly K[],
): Fallback<K> {
  const given = (o.translations as Partial<Record<string, Partial<Record<K, unknown>>>> | undefined)?.[lang];
  const marks = keys.filter((k) => o[k] !== undefined && given?.[k] === undefined).map((k) => [k, original]);
  return marks.length ? { fallback: Object.fromEntries(marks) } : {};
}

function localize(view: SiteView, lang: string): SiteView {
  const original = view.site.language;
  const componentNames = new Map(view.components.map((c) => [c.id, textIn(c, lang, 'name') ?? c.name]));
  const nameOf = (id: string, fallback: string) => componentNames.get(id) ?? fallback;
  // The language a component's name is shown in on this page, when it is not this page's.
  const nameLang = new Map(view.components.map((c) => [c.id, fallbackOf(c, lang, original, ['name']).fallback?.name]));
  const names = { of: nameOf, langOf: (id: string) => nameLang.get(id) };
  const incidents = view.incidents.map((i) => incident(i, lang, view.site.timeZone, names, original));
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const component = (c: ComponentView): ComponentView => {
    const checkName = (name: string) => c.checks.find((k) => k.name === name);
    return defined({
      ...c,
      ...fallbackOf(c, lang, original, ['name', 'description']),
      name: nameOf(c.id, c.name),
      description: textIn(c, lang, 'description'),
      bars: c.bars.map((b) => bar(b, byId)),
      checks: c.checks.map((k) => ({ ...k, ...fallbackOf(k, lang, original, ['name']), name: textIn(k, lang, 'name') ?? k.name })),
      // "Data 2 min behind" names the check that is furthest behind: in this language too.
      behind: c.behind && { ...c.behind, check: textIn(checkName(c.behind.check) ?? { name: c.behind.check }, lang, 'name') ?? c.behind.check },
    });
  };
  const group = (g: GroupView): GroupView =>
    defined({
      ...g,
      ...fallbackOf(g, lang, original, ['name', 'description']),
      name: g.name === undefined ? undefined : textIn(g, lang, 'name'),
      description: textIn(g, lang, 'description'),
      components: g.components.map(component),
    });
  const maintenance = (m: MaintenanceView): MaintenanceView => {
    const t = m.translations?.[lang];
    const namesFallback = m.components.map((id) => nameLang.get(id));
    return defined({
      ...m,
      ...fallbackOf(m, lang, original, ['title', 'description']),
      title: t?.title ?? m.title,
      description: t?.description ?? m.description,
      descriptionHtml: t?.descriptionHtml ?? m.descriptionHtml,
      componentNames: m.components.map((id, k) => nameOf(id, m.componentNames[k] ?? id)),
      componentNamesFallback: namesFallback.some(Boolean) ? namesFallback : undefined,
    });
  };
  const instance = (i: InstanceView): InstanceView =>
    defined({
      ...i,
      ...fallbackOf(i, lang, original, ['name', 'region']),
      name: textIn(i, lang, 'name') ?? i.name,
      region: textIn(i, lang, 'region'),
      components: i.components.map(component),
      groups: i.groups.map(group),
    });
  return {
    ...view,
    site: defined({
      ...view.site,
      ...fallbackOf(view.site, lang, original, ['title', 'vendor', 'description']),
      title: textIn(view.site, lang, 'title') ?? view.site.title,
      vendor: textIn(view.site, lang, 'vendor') ?? view.site.vendor,
      description: textIn(view.site, lang, 'description'),
      links: view.site.links.map((l) => ({ ...l, ...fallbackOf(l, lang, original, ['label']), label: textIn(l, lang, 'label') ?? l.label })),
    }),
    groups: view.groups.map(group),
    components: view.components.map(component),
    instances: view.instances.map(instance),
    maintenance: view.maintenance.map(maintenance),
    homeMaintenance: view.homeMaintenance.map(maintenance),
    incidents,
  };
}

type Names = { of: (id: string, fallback: string) => string; langOf: (id: string) => string | undefined };

function incident(i: IncidentView, lang: string, timeZone: string, names: Names, original: string): IncidentView {
  const title = translationIn(i.translations, lang)?.title;
  const first = i.components[0];
  const autoTitle = title || !i.autoTitle ? undefined : { ...i.autoTitle, component: names.of(first.id, i.autoTitle.component) };
  const body = i.bodyHtmlIn?.[lang];
  // Upkeep's own title is in this language but for the component's name: that name's language marks it.
  const titleLang = title ? undefined : autoTitle ? names.langOf(first.id) : original;
  const fallback = defined({ title: titleLang, body: i.bodyHtml && !body ? original : undefined });
  return defined({
    ...i,
    ...(Object.keys(fallback).length ? { fallback } : {}),
    title: title ?? i.title,
    autoTitle,
    bodyHtml: body ?? i.bodyHtml,
    components: i.components.map((c) =>
      defined({ ...c, name: names.of(c.id, c.name), fallback: names.langOf(c.id) ? { name: names.langOf(c.id) } : undefined }),
    ),
    updates: i.updates.map((u) => update(u, lang, timeZone, first ? names.of(first.id, first.name) : undefined, original)),
  });
}

function update(u: UpdateView, lang: string, timeZone: string, component: string | undefined, original: string): UpdateView {
  if (u.auto) {
    // Upkeep's words, in this language and zone, quoting the component's name in this language (feeds read `html` and `text`).
    const auto = { ...u.auto, component: component ?? u.auto.component };
    const words = autoWords(auto, lang, timeZone);
    return { ...u, auto, html: textHtml(words), text: words };
  }
  const t = u.translations?.[lang];
  return t ? { ...u, html: t.html, text: t.text } : { ...u, fallback: { text: original } };
}

/** A day's incidents with their titles in this language. */
function bar(b: DayView, incidents: ReadonlyMap<string, IncidentView>): DayView {
  if (b.incidentList.length === 0) return b;
  return {
    ...b,
    incidentList: b.incidentList.map((d) => {
      const i = incidents.get(d.id);
      return i ? defined({ ...d, title: i.title, autoTitle: i.autoTitle }) : d;
    }),
  };
}
