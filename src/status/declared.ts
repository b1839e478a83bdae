/**
 * Declared impact on the daily bars, as Statuspage does it: an incident that names a component
 * colours each of that component's days it was open on at least as its impact says (minor →
 * degraded performance, major → partial outage, critical → major outage). The uptime figures stay
 * measured; only the day's status takes the worse of measured and declared, and the day names the
 * incidents, so a colour an incident set says so in words.
 */
import { statusRank, type ComponentStatus, type Impact } from './vocabulary.ts';

export const declaredStatus: Record<Impact, ComponentStatus | undefined> = {
  none: undefined,
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

export type DayIncident = { id: string; title: string; impact: Impact };

type Open = Pick<DayIncident, 'impact'> & { started: string; resolvedAt?: string };

/** The incidents open at some time in [start, end): begun before the day ends, not resolved before it began. */
export function incidentsOnDay<T extends Open>(day: { start: number; end: number }, incidents: readonly T[], now: number): T[] {
  return incidents.filter((i) => Date.parse(i.started) < day.end && (i.resolvedAt ? Date.parse(i.resolvedAt) : now) >= day.start);
}

/** The day's status: the worse of what was measured and what its incidents declare; `declared` when an incident made it worse. */
export function dayStatus(measured: ComponentStatus, incidents: readonly Pick<DayIncident, 'impact'>[]): { status: ComponentStatus; declared: boolean } {
  let status = measured;
  for (const i of incidents) {
    const d = declaredStatus[i.impact];
    if (d && statusRank[d] > statusRank[status]) status = d;
  }
  return { status, declared: status !== measured };
}

/** The headline's status: the components' (measured, with maintenance), raised to what the open incidents declare. */
export function headlineStatus(components: ComponentStatus, openImpacts: readonly Impact[]): ComponentStatus {
  return dayStatus(
    components,
    openImpacts.map((impact) => ({ impact })),
  ).status;
}
