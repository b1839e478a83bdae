import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { feeds, instanceFeeds, maintenanceCalendar } from '../site/feeds.ts';
import { instanceScope } from '../site/instances.ts';
import { viewIn } from '../site/localize.ts';

/** history.rss / history.atom, components/<id>/ and instances/<id>/history.rss / .atom (each also under <lang>/), and maintenance.ics. */
const all = {
  ...feeds(view),
  ...Object.assign(
    {},
    ...view.site.languages.flatMap((lang) => {
      const local = viewIn(view, lang);
      return local.instances.map((i) => instanceFeeds(instanceScope(local, i), i, lang));
    }),
  ),
};
const files: Record<string, { body: string; type: string }> = {
  ...Object.fromEntries(
    Object.entries(all).map(([path, body]) => [path, { body, type: path.endsWith('.rss') ? 'application/rss+xml' : 'application/atom+xml' }]),
  ),
  'maintenance.ics': { body: maintenanceCalendar(view), type: 'text/calendar' },
};

export const getStaticPaths = (() => Object.keys(files).map((feed) => ({ params: { feed } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => new Response(files[params.feed!].body, { headers: { 'content-type': files[params.feed!].type } });
