import type { APIRoute } from 'astro';
import view from 'virtual:upkeep/view';

const fill: Record<string, string> = {
  operational: '#15803d',
  degraded_performance: '#b45309',
  partial_outage: '#c2410c',
  major_outage: '#b91c1c',
  under_maintenance: '#1d4ed8',
  nodata: '#6b7280',
};

/** A dot in the colour of the current status, so a browser tab tells it at a glance. */
export const GET: APIRoute = () =>
  new Response(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${fill[view.status]}"/></svg>`, {
    headers: { 'content-type': 'image/svg+xml' },
  });
