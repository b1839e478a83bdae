import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { statuspageApi } from '../../../site/statuspage.ts';

const api = statuspageApi(view);

export const getStaticPaths = (() => Object.keys(api).map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(JSON.stringify(api[params.path!], null, 2), { headers: { 'content-type': 'application/json' } });
