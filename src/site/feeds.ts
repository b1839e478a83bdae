/**
 * RSS 2.0 and Atom feeds (with the `feed` library) and an iCalendar of maintenance windows (with
 * `ical-generator`). One item per incident or maintenance, every update in its content newest
 * first, a stable id, dated by its latest update, titled with its current state.
 */
import { Feed } from 'feed';
import ical from 'ical-generator';
import { feedPaths } from '../config/address.ts';
import { pageUrl } from './statuspage.ts';
import { markdownToHtml, plainLine } from '../text/render.ts';
import type { IncidentView, MaintenanceView, SiteView } from './view-model.ts';

const stateWords: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

type Item = { id: string; title: string; link: string; date: Date; published: Date; content: string; description: string };

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function incidentItem(view: SiteView, i: IncidentView): Item {
  const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  const content = i.updates.map((u) => `<p><small>${when(u.at)}</small><br><strong>${stateWords[u.status]}</strong></p>${u.html}`).join('\n');
  return {
    id: pageUrl(view, `incidents/${i.id}/`),
    title: `[${stateWords[i.status]}] ${plainLine(i.title)}`,
    link: pageUrl(view, `incidents/${i.id}/`),
    date: new Date(i.updatedAt),
    published: new Date(i.createdAt),
    content: `<p>Affected: ${i.components.map((c) => escapeHtml(c.name)).join(', ')}</p>\n${content}`,
    description: i.updates[0].text.slice(0, 300),
  };
}

function maintenanceItem(view: SiteView, m: MaintenanceView): Item {
  const range = `${m.start.slice(0, 16).replace('T', ' ')} – ${m.end.slice(0, 16).replace('T', ' ')} UTC`;
  const updated = m.status === 'completed' ? m.end : m.status === 'in_progress' ? m.start : view.generatedAt;
  return {
    id: pageUrl(view, `maintenance/#${m.id}`),
    title: `[${stateWords[m.status]}] ${plainLine(m.title)}`,
    link: pageUrl(view, `maintenance/#${m.id}`),
    date: new Date(m.status === 'scheduled' ? m.start : updated),
    published: new Date(m.start),
    content: `<p><strong>${stateWords[m.status]}</strong>: ${escapeHtml(range)}</p>\n<p>Affected: ${m.components.map((c) => escapeHtml(view.components.find((x) => x.id === c)?.name ?? c)).join(', ')}</p>\n${m.description ? markdownToHtml(m.description) : ''}`,
    description: `${stateWords[m.status]}: ${range}`,
  };
}

/** Items about one component, or all when `component` is undefined; newest first. */
export function feedItems(view: SiteView, component?: string): Item[] {
  const incidents = view.incidents.filter((i) => !component || i.components.some((c) => c.id === component)).map((i) => incidentItem(view, i));
  const maintenance = view.maintenance.filter((m) => !component || m.components.includes(component)).map((m) => maintenanceItem(view, m));
  return [...incidents, ...maintenance].sort((a, b) => b.date.getTime() - a.date.getTime()).slice(0, 100);
}

function buildFeed(view: SiteView, path: string, component?: string): Feed {
  const name = component ? view.components.find((c) => c.id === component)?.name : undefined;
  const items = feedItems(view, component);
  const feed = new Feed({
    title: plainLine(`${view.site.vendor} status${name ? ` — ${name}` : ''}: incidents and maintenance`),
    description: plainLine(`Incidents and maintenance of ${name ?? view.site.vendor}, newest first.`),
    id: pageUrl(view, component ? `components/${component}/` : ''),
    link: pageUrl(view, component ? `components/${component}/` : ''),
    language: view.site.language,
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

/** Every feed, path → body: all incidents and maintenance, and one pair per component. */
export function feeds(view: SiteView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { path, component } of feedPaths(view.components.map((c) => c.id))) {
    const feed = buildFeed(view, path, component);
    out[`${path}.rss`] = feed.rss2();
    out[`${path}.atom`] = feed.atom1();
  }
  return out;
}

/** maintenance.ics: every window that has not ended, so subscribers can put them in their calendar. */
export function maintenanceCalendar(view: SiteView): string {
  const cal = ical({ name: plainLine(`${view.site.vendor} maintenance`), prodId: { company: 'Upkeep', product: 'status page', language: 'EN' } });
  for (const m of view.maintenance.filter((x) => x.status !== 'completed')) {
    cal.createEvent({
      id: `${m.id}@upkeep`,
      start: new Date(m.start),
      end: new Date(m.end),
      stamp: new Date(view.generatedAt),
      summary: plainLine(`${view.site.vendor} maintenance: ${m.title}`),
      description: `${m.description ?? ''}\n\nAffected: ${m.components.map((c) => view.components.find((x) => x.id === c)?.name ?? c).join(', ')}`.trim(),
      url: pageUrl(view, `maintenance/#${m.id}`),
    });
  }
  return cal.toString();
}
