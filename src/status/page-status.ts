/**
 * The page's overall state in Atlassian Statuspage's words: each component's status as Statuspage
 * names it, and the page indicator (the worst of the components and the open incidents' impacts).
 * The JSON API and the subscriber webhooks both say it, so it is decided once, here.
 */
import type { ComponentStatus } from './vocabulary.ts';

export type SpStatus = Exclude<ComponentStatus, 'nodata'>;
export type Indicator = 'none' | 'minor' | 'major' | 'critical';

/** Statuspage has no "no data": a component nobody has measured yet is shown as operational there, as Statuspage does for new components. */
export const spStatus = (s: ComponentStatus): SpStatus => (s === 'nodata' ? 'operational' : s);

const indicatorOf: Record<SpStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};
const rank: Record<Indicator, number> = { none: 0, minor: 1, major: 2, critical: 3 };

const descriptions: Record<Indicator, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

export function pageStatus(statuses: readonly ComponentStatus[], openImpacts: readonly Indicator[]) {
  const indicator = [...statuses.map((s) => indicatorOf[spStatus(s)]), ...openImpacts].reduce<Indicator>((a, b) => (rank[b] > rank[a] ? b : a), 'none');
  const maintenance = indicator === 'none' && statuses.includes('under_maintenance');
  return { indicator, description: maintenance ? 'Service Under Maintenance' : descriptions[indicator] };
}
