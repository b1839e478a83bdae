/**
 * The view model in one language: every text the vendor wrote (site title, links, groups,
 * components, instances, maintenance, incidents and their updates) in `lang` where a translation
 * gives it, else as written in the default language, field by field. Names repeated elsewhere (an
 * incident's components, a window's component names, Upkeep's own titles and words that quote a
 * component) follow the component's name in that language. Pages, feeds and the embed's data take
 * their text from here; the default language is the view itself.
 */
import { textIn, translationIn } from '../config/translations.ts';
import { autoWords, textHtml } from './incident-words.ts';
import type { ComponentView, DayView, GroupView, IncidentView, InstanceView, MaintenanceView, SiteView, UpdateView } from './view-model.ts';

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

function localize(view: SiteView, lang: string): SiteView {
  const componentNames = new Map(view.components.map((c) => [c.id, textIn(c, lang, 'name') ?? c.name]));
  const nameOf = (id: string, fallback: string) => componentNames.get(id) ?? fallback;
  const incidents = view.incidents.map((i) => incident(i, lang, view.site.timeZone, nameOf));
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const component = (c: ComponentView): ComponentView => {
    const checkName = (name: string) => c.checks.find((k) => k.name === name);
    return defined({
      ...c,
      name: nameOf(c.id, c.name),
      description: textIn(c, lang, 'description'),
      bars: c.bars.map((b) => bar(b, byId)),
      checks: c.checks.map((k) => (k.translations ? { ...k, name: textIn(k, lang, 'name') ?? k.name } : k)),
      // "Data 2 min behind" names the check that is furthest behind: in this language too.
      behind: c.behind && { ...c.behind, check: textIn(checkName(c.behind.check) ?? { name: c.behind.check }, lang, 'name') ?? c.behind.check },
    });
  };
  const group = (g: GroupView): GroupView =>
    defined({
      ...g,
      name: g.name === undefined ? undefined : textIn(g, lang, 'name'),
      description: textIn(g, lang, 'description'),
      components: g.components.map(component),
    });
  const maintenance = (m: MaintenanceView): MaintenanceView => {
    const t = m.translations?.[lang];
    return defined({
      ...m,
      title: t?.title ?? m.title,
      description: t?.description ?? m.description,
      descriptionHtml: t?.descriptionHtml ?? m.descriptionHtml,
      componentNames: m.components.map((id, k) => nameOf(id, m.componentNames[k] ?? id)),
    });
  };
  const instance = (i: InstanceView): InstanceView =>
    defined({
      ...i,
      name: textIn(i, lang, 'name') ?? i.name,
      region: textIn(i, lang, 'region'),
      components: i.components.map(component),
      groups: i.groups.map(group),
    });
  return {
    ...view,
    site: defined({
      ...view.site,
      title: textIn(view.site, lang, 'title') ?? view.site.title,
      vendor: textIn(view.site, lang, 'vendor') ?? view.site.vendor,
      description: textIn(view.site, lang, 'description'),
      links: view.site.links.map((l) => ({ ...l, label: textIn(l, lang, 'label') ?? l.label })),
    }),
    groups: view.groups.map(group),
    components: view.components.map(component),
    instances: view.instances.map(instance),
    maintenance: view.maintenance.map(maintenance),
    homeMaintenance: view.homeMaintenance.map(maintenance),
    incidents,
  };
}

function incident(i: IncidentView, lang: string, timeZone: string, nameOf: (id: string, fallback: string) => string): IncidentView {
  const title = translationIn(i.translations, lang)?.title;
  const first = i.components[0];
  return defined({
    ...i,
    title: title ?? i.title,
    // A person's title in this language replaces Upkeep's own; Upkeep's names the component in this language.
    autoTitle: title || !i.autoTitle ? undefined : { ...i.autoTitle, component: nameOf(first.id, i.autoTitle.component) },
    components: i.components.map((c) => ({ ...c, name: nameOf(c.id, c.name) })),
    updates: i.updates.map((u) => update(u, lang, timeZone, first ? nameOf(first.id, first.name) : undefined)),
  });
}

function update(u: UpdateView, lang: string, timeZone: string, component: string | undefined): UpdateView {
  if (u.auto) {
    // Upkeep's words, in this language and zone, quoting the component's name in this language (feeds read `html` and `text`).
    const auto = { ...u.auto, component: component ?? u.auto.component };
    const words = autoWords(auto, lang, timeZone);
    return { ...u, auto, html: textHtml(words), text: words };
  }
  const t = u.translations?.[lang];
  return t ? { ...u, html: t.html, text: t.text } : u;
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
