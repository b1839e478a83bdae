import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { upkeepApi } from '../../../../site/upkeep-api.ts';

const api = upkeepApi(view);

export const getStaticPaths = (() => Object.keys(api).map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => new Response(JSON.stringify(api[params.path!]), { headers: { 'content-type': 'application/json' } });
