import type { APIRoute } from 'astro';
import view from 'virtual:upkeep/view';
import { statusColour } from '../site/colours.ts';

/** A dot in the colour of the current status, so a browser tab tells it at a glance. */
export const GET: APIRoute = () =>
  new Response(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${statusColour[view.status]}"/></svg>`, {
    headers: { 'content-type': 'image/svg+xml' },
  });
