import type { APIRoute, GetStaticPaths } from 'astro';
import view from 'virtual:upkeep/view';
import { badges } from '../../site/badges.ts';

const all = badges(view);

export const getStaticPaths = (() => Object.keys(all).map((file) => ({ params: { file } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(all[params.file!], { headers: { 'content-type': params.file!.endsWith('.svg') ? 'image/svg+xml' : 'application/json' } });
