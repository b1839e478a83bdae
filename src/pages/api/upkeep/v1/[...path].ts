import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { jsonResponse } from '../../../../site/json.ts';
import { upkeepApi } from '../../../../site/upkeep-api.ts';

const api = upkeepApi(view);

export const getStaticPaths = (() => Object.keys(api).map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => jsonResponse(api[params.path!]);
