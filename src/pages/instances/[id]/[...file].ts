import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { instanceBadges } from '../../../site/badges.ts';
import { maintenanceCalendar } from '../../../site/feeds.ts';
import { instanceScope } from '../../../site/instances.ts';

/** instances/<id>/maintenance.ics, badge.svg|json and badges/<component>…: one instance's calendar and badges. */
const files = new Map<string, Map<string, string>>(
  view.instances.map((i) => {
    const scoped = instanceScope(view, i);
    return [i.id, new Map(Object.entries({ 'maintenance.ics': maintenanceCalendar(scoped, i), ...instanceBadges(scoped, i) }))];
  }),
);

const types: Record<string, string> = { ics: 'text/calendar', svg: 'image/svg+xml', json: 'application/json' };

export const getStaticPaths = (() =>
  [...files].flatMap(([id, byFile]) => [...byFile.keys()].map((file) => ({ params: { id, file } })))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(files.get(params.id!)!.get(params.file!), { headers: { 'content-type': types[params.file!.split('.').pop()!] } });
