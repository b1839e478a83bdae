/**
 * RSS 2.0 and Atom feeds (with the `feed` library) and an iCalendar of maintenance windows (with
 * `ical-generator`). One item per incident or maintenance window, every update in its content newest
 * first, a stable id, dated by its latest update, titled with its current state; a recurring window
 * is one item for its schedule and one per occurrence that has begun. Nothing is dated after the build.
 */
import { Feed } from 'feed';
import ical, { foldLines, ICalEventRepeatingFreq, ICalWeekday, type ICalRepeatingOptions } from 'ical-generator';
import { feedPaths } from '../config/address.ts';
import { pageUrl } from './statuspage.ts';
import { markdownToHtml, plainLine } from '../text/render.ts';
import type { Schedule } from '../status/maintenance.ts';
import { civil, dayKey, instant, pad, type Civil } from '../time/tz.ts';
import { vtimezone } from '../time/vtimezone.ts';
import { maintenanceWindows, scheduleText, type MaintenanceWindowView } from './maintenance.ts';
import type { IncidentView, MaintenanceView, SiteView } from './view-model.ts';
import { translator, type Translate } from '../i18n/index.ts';
import { prefixOf } from './routes.ts';
import { viewIn } from './localize.ts';

/** The feed's language: its words, and where its links go (the default language at the root, others under /<lang>/). */
type Lang = { lang: string; t: Translate; prefix: string };

const langOf = (view: SiteView, lang = view.site.language): Lang => ({
  lang,
  t: translator(lang),
  prefix: lang === view.site.language ? '' : `${prefixOf(lang)}/`,
});

const stateWord = (l: Lang, status: string) =>
  ['scheduled', 'in_progress', 'completed'].includes(status)
    ? l.t(`maintenance.${status}` as 'maintenance.scheduled')
    : l.t(`incident.${status}` as 'incident.resolved');

type Item = { id: string; title: string; link: string; date: Date; published: Date; content: string; description: string };

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function incidentItem(view: SiteView, i: IncidentView, l: Lang): Item {
  const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const content = i.updates.map((u) => `<p><small>${when(u.at)}</small><br><strong>${stateWord(l, u.status)}</strong></p>${u.html}`).join('\n');
  return {
    id: pageUrl(view, `${l.prefix}incidents/${i.id}/`),
    title: `[${stateWord(l, i.status)}] ${plainLine(i.title)}`,
    link: pageUrl(view, `${l.prefix}incidents/${i.id}/`),
    date: new Date(i.updatedAt),
    published: new Date(i.createdAt),
    // The write-up (in this language, or as written) after the updates, as the incident page has it.
    content: `<p>${l.t('incidents.affected')}: ${i.components.map((c) => escapeHtml(c.name)).join(', ')}</p>\n${content}${i.bodyHtml ? `\n<h2>${l.t('incidents.writeup')}</h2>\n${i.bodyHtml}` : ''}`,
    description: i.updates[0].text.slice(0, 300),
  };
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function maintenanceBody(view: SiteView, m: MaintenanceView, lines: string[], l: Lang): string {
  const names = m.components.map((c) => escapeHtml(view.components.find((x) => x.id === c)?.name ?? c)).join(', ');
  return [...lines.map((line) => `<p>${line}</p>`), `<p>${l.t('incidents.affected')}: ${names}</p>`, m.description ? markdownToHtml(m.description) : ''].join(
    '\n',
  );
}

/**
 * A one-off window: one item, dated by its latest change (completed at its end, started at its
 * start, and until then the build's clock: a feed holds no date in the future).
 */
function oneOffItem(view: SiteView, m: MaintenanceView, now: Date, l: Lang): Item {
  const range = `${utc(m.start)} – ${utc(m.end)}`;
  const date = m.status === 'completed' ? new Date(m.end) : m.status === 'in_progress' ? new Date(m.start) : now;
  return {
    id: pageUrl(view, `${l.prefix}maintenance/#${m.id}`),
    title: `[${stateWord(l, m.status)}] ${plainLine(m.title)}`,
    link: pageUrl(view, `${l.prefix}maintenance/#${m.id}`),
    date,
    published: m.status === 'scheduled' ? now : new Date(m.start),
    content: maintenanceBody(view, m, [`<strong>${stateWord(l, m.status)}</strong>: ${escapeHtml(range)}`], l),
    description: `${stateWord(l, m.status)}: ${range}`,
  };
}

/** A recurring window, said once: its schedule and the next occurrence, dated by its first occurrence (or the build, if none began yet). */
function scheduleItem(view: SiteView, w: MaintenanceWindowView, now: Date, l: Lang): Item {
  const schedule = scheduleText(w.schedule!, l.lang);
  const range = escapeHtml(`${utc(w.start)} – ${utc(w.end)}`);
  const next =
    w.status === 'completed' ? [] : [w.status === 'in_progress' ? l.t('maintenance.nowUntil', { end: utc(w.end) }) : l.t('maintenance.next', { start: range })];
  const scheduled = l.t('maintenance.scheduled');
  const date = new Date(Math.min(Date.parse(w.first!.start), now.getTime()));
  return {
    id: pageUrl(view, `${l.prefix}maintenance/#${w.windowId}`),
    title: `[${scheduled}] ${plainLine(w.title)}`,
    link: pageUrl(view, `${l.prefix}maintenance/#${w.windowId}`),
    date,
    published: date,
    content: maintenanceBody(view, w, [`<strong>${scheduled}</strong>: ${escapeHtml(schedule)}`, ...next], l),
    description: `${scheduled}: ${schedule}`,
  };
}

/** One occurrence of a recurring window once it has begun, dated by its start, then by its end. */
function occurrenceItem(view: SiteView, m: MaintenanceView, l: Lang): Item {
  const range = `${utc(m.start)} – ${utc(m.end)}`;
  return {
    id: pageUrl(view, `${l.prefix}maintenance/#${m.id}`),
    title: `[${stateWord(l, m.status)}] ${plainLine(m.title)} (${dayKey(Date.parse(m.start), m.schedule!.timeZone)})`,
    link: pageUrl(view, `${l.prefix}maintenance/#${m.windowId}`),
    date: new Date(m.status === 'completed' ? m.end : m.start),
    published: new Date(m.start),
    content: maintenanceBody(view, m, [`<strong>${stateWord(l, m.status)}</strong>: ${escapeHtml(range)}`], l),
    description: `${stateWord(l, m.status)}: ${range}`,
  };
}

/** Items about one component, or all when `component` is undefined; newest first, none dated after the build. `view` is in `lang` (viewIn). */
export function feedItems(view: SiteView, component?: string, lang?: string): Item[] {
  const l = langOf(view, lang);
  const now = new Date(view.generatedAt);
  const mine = (components: readonly string[]) => !component || components.includes(component);
  const incidents = view.incidents.filter((i) => mine(i.components.map((c) => c.id))).map((i) => incidentItem(view, i, l));
  const list = view.maintenance.filter((m) => mine(m.components));
  const maintenance = [
    ...maintenanceWindows(list).map((w) => (w.schedule ? scheduleItem(view, w, now, l) : oneOffItem(view, w, now, l))),
    ...list.filter((m) => m.schedule && m.status !== 'scheduled').map((m) => occurrenceItem(view, m, l)),
  ];
  // A person may date an update ahead by mistake: a feed still says nothing happened after the build.
  const capped = [...incidents, ...maintenance]
    .map((i) => (i.date > now ? { ...i, date: now } : i))
    .map((i) => (i.published > now ? { ...i, published: now } : i));
  return capped.sort((a, b) => b.date.getTime() - a.date.getTime()).slice(0, 100);
}

/** `scope`: a feed of one instance (its own view and page) rather than of a component. */
function buildFeed(view: SiteView, path: string, l: Lang, component?: string, scope?: { name: string; page: string }): Feed {
  const name = scope?.name ?? (component ? view.components.find((c) => c.id === component)?.name : undefined);
  const page = `${l.prefix}${scope?.page ?? (component ? `components/${component}/` : '')}`;
  const items = feedItems(view, component, l.lang);
  const vendor = view.site.vendor;
  const feed = new Feed({
    title: plainLine(name ? l.t('feed.titleOf', { vendor, name }) : l.t('feed.title', { vendor })),
    description: plainLine(l.t('feed.description', { name: name ?? vendor })),
    id: pageUrl(view, page),
    link: pageUrl(view, page),
    language: l.lang,
    updated: items[0]?.date ?? new Date(view.generatedAt),
    generator: 'Upkeep',
    copyright: plainLine(view.site.vendor),
    feedLinks: { rss: pageUrl(view, `${path}.rss`), atom: pageUrl(view, `${path}.atom`) },
    author: { name: plainLine(view.site.vendor) },
    ...(view.site.websubHub ? { hub: view.site.websubHub } : {}),
  });
  for (const item of items) feed.addItem(item);
  return feed;
}

/**
 * One instance's feeds, `instances/<id>/history.rss|atom` (under `<lang>/` in another language),
 * from its scoped view (src/site/instances.ts) in that language.
 */
export function instanceFeeds(scoped: SiteView, instance: { id: string; name: string }, lang?: string): Record<string, string> {
  const l = langOf(scoped, lang);
  const path = `${l.prefix}instances/${instance.id}/history`;
  const feed = buildFeed(scoped, path, l, undefined, { name: instance.name, page: `instances/${instance.id}/` });
  return { [`${path}.rss`]: feed.rss2(), [`${path}.atom`]: feed.atom1() };
}

/**
 * Every feed, path → body: all incidents and maintenance, and one pair per component, in every
 * published language: the default at the root, each other one under `<lang>/` with the vendor's
 * text in that language (falling back to the default's) and its own words and links.
 */
export function feeds(view: SiteView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const lang of view.site.languages) {
    const local = viewIn(view, lang);
    const l = langOf(view, lang);
    for (const { path, component } of feedPaths(view.components.map((c) => c.id))) {
      const feed = buildFeed(local, `${l.prefix}${path}`, l, component);
      out[`${l.prefix}${path}.rss`] = feed.rss2();
      out[`${l.prefix}${path}.atom`] = feed.atom1();
    }
  }
  return out;
}

/**
 * maintenance.ics: every window that has not ended; a recurring one is one event with its rule (RRULE),
 * in its own zone. `view` is in `lang` (viewIn): `<lang>/maintenance.ics` has that language's words
 * and the vendor's text in it, each SUMMARY and DESCRIPTION saying its LANGUAGE (RFC 5545 3.2.10) —
 * the default's where no translation gave the title or description.
 */
export function maintenanceCalendar(view: SiteView, instance?: { name: string }, lang = view.site.language): string {
  const year = Number(view.generatedAt.slice(0, 4));
  const l = langOf(view, lang);
  const name = `${view.site.vendor}${instance ? ` ${instance.name}` : ''}`;
  const cal = ical({
    name: plainLine(l.t('ical.name', { name })),
    prodId: { company: 'Upkeep', product: 'status page', language: lang.toUpperCase() },
    timezone: { name: null, generator: (zone) => vtimezone(zone, year) },
  });
  const languages: { summary: string; description: string }[] = [];
  for (const m of maintenanceWindows(view.maintenance).filter((x) => x.status !== 'completed')) {
    const common = {
      id: `${m.id}@upkeep`,
      stamp: new Date(view.generatedAt),
      summary: plainLine(l.t('ical.summary', { vendor: view.site.vendor, title: m.title })),
      description: `${m.description ?? ''}\n\n${l.t('incidents.affected')}: ${m.componentNames.join(', ')}`.trim(),
      url: pageUrl(view, `${l.prefix}maintenance/#${m.id}`),
    };
    languages.push({ summary: m.fallback?.title ?? lang, description: (m.description && m.fallback?.description) || lang });
    if (!m.schedule) cal.createEvent({ ...common, start: new Date(m.start), end: new Date(m.end) });
    else cal.createEvent({ ...common, ...recurringTimes(m.schedule, Date.parse(m.first!.start)), repeating: rruleOf(m.schedule) });
  }
  return withLanguages(cal.toString(), languages);
}

/** ical-generator writes no LANGUAGE parameter: each event's SUMMARY and DESCRIPTION get theirs (events in the order made), lines folded again. */
function withLanguages(text: string, languages: readonly { summary: string; description: string }[]): string {
  let event = -1;
  const lines = text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .map((line) => {
      if (line === 'BEGIN:VEVENT') event += 1;
      const l = languages[event];
      if (!l) return line;
      if (line.startsWith('SUMMARY:')) return `SUMMARY;LANGUAGE=${l.summary}:${line.slice('SUMMARY:'.length)}`;
      if (line.startsWith('DESCRIPTION:')) return `DESCRIPTION;LANGUAGE=${l.description}:${line.slice('DESCRIPTION:'.length)}`;
      return line;
    });
  return foldLines(lines.join('\r\n'));
}

/** DTSTART and DTEND of the first occurrence as wall-clock times in the window's zone (TZID). */
function recurringTimes(s: Schedule, first: number): { start: string; end: string; timezone: string } {
  const wall = (c: Civil) => `${c.year}-${pad(c.month)}-${pad(c.day)}T${pad(c.hour)}:${pad(c.minute)}:00`;
  // The rule's time, even when the first occurrence fell in a DST gap and began an hour later.
  const start = `${dayKey(first, s.timeZone)}T${s.at}:00`;
  return { start, end: wall(civil(first + s.durationMs, s.timeZone)), timezone: s.timeZone };
}

function rruleOf(s: Schedule): ICalRepeatingOptions | string {
  const byDay = {
    sun: ICalWeekday.SU,
    mon: ICalWeekday.MO,
    tue: ICalWeekday.TU,
    wed: ICalWeekday.WE,
    thu: ICalWeekday.TH,
    fri: ICalWeekday.FR,
    sat: ICalWeekday.SA,
  };
  // The last occurrence may start at any time on `until`: the rule ends with that local day.
  const [y, mo, d] = (s.until ?? '').split('-').map(Number);
  const until = s.until ? new Date(instant({ year: y, month: mo, day: d + 1 }, s.timeZone) - 1000) : undefined;
  if (s.weekly) return { freq: ICalEventRepeatingFreq.WEEKLY, byDay: s.weekly.map((w) => byDay[w]), ...(until ? { until } : {}) };
  const day = s.monthly!;
  if (day <= 28) return { freq: ICalEventRepeatingFreq.MONTHLY, byMonthDay: day, ...(until ? { until } : {}) };
  // Day 29–31 means the month's last day in shorter months: the last of the days 28 up to it (BYSETPOS=-1),
  // which ical-generator's options do not allow without BYDAY, so the rule is written out.
  const days = Array.from({ length: day - 27 }, (_, k) => 28 + k).join(',');
  const end = until ? `;UNTIL=${until.toISOString().replace(/[-:]|\.\d{3}/g, '')}` : '';
  return `FREQ=MONTHLY${end};BYMONTHDAY=${days};BYSETPOS=-1`;
}
