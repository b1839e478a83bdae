/** README badges: status and 30-day uptime per component, as SVG (shields' own renderer) and shields.io endpoint JSON. */
import { publicJson } from './json.ts';
import { makeBadge } from 'badge-maker';
import { statusColour } from './colours.ts';
import { formatUptime } from '../text/format.ts';
import type { ComponentStatus } from '../status/vocabulary.ts';
import type { InstanceView, SiteView } from './view-model.ts';

const words: Record<ComponentStatus, string> = {
  operational: 'operational',
  degraded_performance: 'degraded',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
  under_maintenance: 'maintenance',
  nodata: 'no data',
};
// The page's status colours: each has enough contrast for the badge's white text (WCAG AA).
const colours = statusColour;

/** path → body for every badge: `<id>.svg`, `<id>.json`, `<id>-uptime-30d.svg`, `<id>-uptime-30d.json`. */
export function badges(view: SiteView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of view.components) {
    const label = c.name.replace(/[<>&"]/g, '');
    const status = { label, message: words[c.status], color: colours[c.status] };
    const w = c.windows['30d'];
    const uptime = formatUptime(w, 'en');
    const uptimeColour =
      w.uptime === undefined
        ? colours.nodata
        : w.uptime >= c.slaTarget
          ? colours.operational
          : w.uptime >= c.slaTarget - 1
            ? colours.degraded_performance
            : colours.major_outage;
    const up = { label: `${label} uptime 30d`, message: uptime ?? 'no data', color: uptimeColour };
    out[`${c.id}.svg`] = makeBadge(status);
    out[`${c.id}.json`] = publicJson({ schemaVersion: 1, label: status.label, message: status.message, color: status.color.slice(1) });
    out[`${c.id}-uptime-30d.svg`] = makeBadge(up);
    out[`${c.id}-uptime-30d.json`] = publicJson({ schemaVersion: 1, label: up.label, message: up.message, color: up.color.slice(1) });
  }
  return out;
}

/**
 * One instance's badges, for its own README or intranet page: `badge.svg|json` (the instance's
 * worst status, labelled with its name) and `badges/<component>…` as {@link badges} makes them,
 * from the instance's own view (its checks and the shared ones).
 */
export function instanceBadges(scoped: SiteView, instance: InstanceView): Record<string, string> {
  const label = instance.name.replace(/[<>&"]/g, '');
  const status = { label, message: words[instance.status], color: colours[instance.status] };
  const out: Record<string, string> = {
    'badge.svg': makeBadge(status),
    'badge.json': publicJson({ schemaVersion: 1, label, message: status.message, color: status.color.slice(1) }),
  };
  for (const [file, body] of Object.entries(badges(scoped))) out[`badges/${file}`] = body;
  return out;
}
