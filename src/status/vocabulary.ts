/**
 * The words of DESIGN.md, written once: what a sample can say, what a component can be, how an
 * incident goes, and their order of badness. Types come from these enums; every other module
 * (config, counting, pages, feeds, API) uses them rather than its own list.
 */
import { z } from 'zod';

export const DAY_MS = 86_400_000;

/** What one sample says. */
export const outcome = z.enum(['up', 'degraded', 'down']);
export type Outcome = z.infer<typeof outcome>;

/** Statuspage's component statuses (what a person may write in an incident). */
export const componentStatus = z.enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance']);

/** A component's status on the page: Statuspage's, plus `nodata` when nothing measured it recently. */
export type ComponentStatus = z.infer<typeof componentStatus> | 'nodata';

/** From least to most alarming: the worst of several is the one further along. */
export const statusRank: Record<ComponentStatus, number> = {
  nodata: 0,
  operational: 1,
  under_maintenance: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

/** Statuses that count as an outage (downtime). */
export const DOWN_STATUSES: readonly ComponentStatus[] = ['partial_outage', 'major_outage'];

/** Statuses an automatic incident is opened for. */
export const BAD_STATUSES: readonly ComponentStatus[] = ['degraded_performance', 'partial_outage', 'major_outage'];

/** The worst of several statuses (groups, the page headline). */
export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((a, b) => (statusRank[b] > statusRank[a] ? b : a), 'nodata');
}

export const incidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type IncidentStatus = z.infer<typeof incidentStatus>;

export const impact = z.enum(['none', 'minor', 'major', 'critical']);
export type Impact = z.infer<typeof impact>;

export const impactRank: Record<Impact, number> = { none: 0, minor: 1, major: 2, critical: 3 };

/** The impact a component status gives an automatic incident. */
export const impactOf: Partial<Record<ComponentStatus, Impact>> = { degraded_performance: 'minor', partial_outage: 'major', major_outage: 'critical' };

export const maintenanceStatus = z.enum(['scheduled', 'in_progress', 'completed']);
export type MaintenanceStatus = z.infer<typeof maintenanceStatus>;

export const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Ids end up in file names and URLs: lowercase letters, digits and dashes, 1–64 characters. */
export const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A check's id as history stores it: a vendor's id, or one expanded per instance (`api-health@na1`). */
export const CHECK_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)?$/;

/** The id of a check run for one instance. */
export const instanceCheckId = (check: string, instance: string) => `${check}@${instance}`;

/** What people can be told about (DESIGN.md's events), and which of them subscribers may hear. */
export const eventKinds = [
  'incident.drafted',
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'maintenance.started',
  'maintenance.completed',
  'component.status',
  'check.down',
  'check.recovered',
  'monitoring.stale',
  'monitoring.resumed',
  'budget.burn',
] as const;

export type EventKind = (typeof eventKinds)[number];

/** What subscribers may ever hear: what the page itself shows. */
export const publicKinds: readonly EventKind[] = [
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'maintenance.scheduled',
  'maintenance.started',
  'maintenance.completed',
  'component.status',
];

export const severities = ['info', 'minor', 'major', 'critical'] as const;
export type Severity = (typeof severities)[number];
