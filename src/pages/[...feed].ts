import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { feeds, maintenanceCalendar } from '../site/feeds.ts';

/** history.rss / history.atom, components/<id>/history.rss / .atom, and maintenance.ics. */
const files: Record<string, { body: string; type: string }> = {
  ...Object.fromEntries(
    Object.entries(feeds(view)).map(([path, body]) => [path, { body, type: path.endsWith('.rss') ? 'application/rss+xml' : 'application/atom+xml' }]),
  ),
  'maintenance.ics': { body: maintenanceCalendar(view), type: 'text/calendar' },
};

export const getStaticPaths = (() => Object.keys(files).map((feed) => ({ params: { feed } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => new Response(files[params.feed!].body, { headers: { 'content-type': files[params.feed!].type } });
