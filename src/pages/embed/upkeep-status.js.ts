import type { APIRoute } from 'astro';
import script from '../../embed/upkeep-status.js?raw';

/** The embed as written, beside the JSON API it reads (it finds `api/v2/` from its own address, so any base path works). */
export const GET: APIRoute = () => new Response(script, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
