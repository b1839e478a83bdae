import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { jsonResponse } from '../../../site/json.ts';
import { statuspageApi } from '../../../site/statuspage.ts';

const api = statuspageApi(view);

export const getStaticPaths = (() => Object.keys(api).map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) => jsonResponse(api[params.path!], 2);
