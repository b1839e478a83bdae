import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { feeds, instanceFeeds, maintenanceCalendar } from '../site/feeds.ts';
import { instanceScope } from '../site/instances.ts';
import { viewIn } from '../site/localize.ts';
import { prefixOf } from '../site/routes.ts';

/** history.rss / history.atom, components/<id>/ and instances/<id>/history.rss / .atom, and maintenance.ics (each also under <lang>/). */
const all: Record<string, string> = {
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
  ...Object.fromEntries(calendars().map(([path, body]) => [path, { body, type: 'text/calendar' }])),
};

/** maintenance.ics and each instance's, in every language: the default's at the root (instances': src/pages/instances), others under <lang>/. */
function calendars(): [string, string][] {
  return view.site.languages.flatMap((lang) => {
    if (lang === view.site.language) return [['maintenance.ics', maintenanceCalendar(view)] as [string, string]];
    const local = viewIn(view, lang);
    const prefix = `${prefixOf(lang)}/`;
    return [
      [`${prefix}maintenance.ics`, maintenanceCalendar(local, undefined, lang)] as [string, string],
      ...local.instances.map((i): [string, string] => [`${prefix}instances/${i.id}/maintenance.ics`, maintenanceCalendar(instanceScope(local, i), i, lang)]),
    ];
  });
}

export const getStaticPaths = (() => Object.keys(files).map((feed) => ({ params: { feed } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => new Response(files[params.feed!].body, { headers: { 'content-type': files[params.feed!].type } });
