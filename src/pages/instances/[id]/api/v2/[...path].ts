import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { instanceScope } from '../../../../../site/instances.ts';
import { jsonResponse } from '../../../../../site/json.ts';
import { statuspageApi } from '../../../../../site/statuspage.ts';

/** instances/<id>/api/v2/…: the Statuspage v2 API of one instance (summary, status, components, incidents, maintenance). */
const apis = new Map(view.instances.map((i) => [i.id, statuspageApi(instanceScope(view, i))]));

export const getStaticPaths = (() => [...apis].flatMap(([id, api]) => Object.keys(api).map((path) => ({ params: { id, path } })))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => jsonResponse(apis.get(params.id!)![params.path!], 2);
