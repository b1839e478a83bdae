/**
 * Automatic incidents, planned: confirmed status changes of components become actions (open,
 * update, resolve, reopen). Pure; `applyIncidentActions` in src/history does the writing.
 */
import type { IncidentFile, IncidentUpdate } from '../config/schema.ts';
import { formatDuration } from '../config/duration.ts';
import { codeSpan } from '../text/markdown.ts';
import { BAD_STATUSES, impactOf, impactRank, statusRank, type ComponentStatus, type Impact, type IncidentStatus } from './vocabulary.ts';
import { maxOf } from '../util/arrays.ts';

export const BY_UPKEEP = 'upkeep';

export type ComponentNow = {
  id: string;
  name: string;
  /** Status from the probes (not the maintenance overlay). */
  status: ComponentStatus;
  inMaintenance: boolean;
  /** Since when it has been in a bad state (the start of the current run of failures). */
  failingSince?: number;
  /** What the failing checks say, e.g. "status_503: HTTP 503, expected 200". */
  reason?: string;
  /** The failing checks' reason codes (status_503, timeout, stale): what pages word for customers. */
  reasonCodes?: string[];
  /** With instances: the ones where it is failing, when not all of them are, and its worst status there. */
  instances?: string[];
  instanceStatus?: ComponentStatus;
  /** The last good sample of its checks before `failingSince`, when the recent samples hold one. */
  lastGood?: number;
};

type IncidentLike = Pick<IncidentFile, 'id' | 'components' | 'impact' | 'automatic' | 'started' | 'instances'> & {
  title?: string;
  updates: Pick<IncidentUpdate, 'at' | 'status' | 'by' | 'component_status'>[];
};

export type Action =
  | {
      type: 'open';
      id: string;
      component: string;
      /** The last good sample before the problem (detection is measured from it). */
      lastGood?: string;
      /** The instances it affects, when not all. */
      instances?: string[];
      title: string;
      impact: Impact;
      started: string;
      draft: boolean;
      update: IncidentUpdate;
    }
  | {
      type: 'update';
      id: string;
      update: IncidentUpdate;
      impact?: Impact;
      /** The instances it now affects (those named before and those failing now); null: all of them. */
      instances?: string[] | null;
      title?: string;
    }
  | { type: 'resolve'; id: string; update: IncidentUpdate }
  | { type: 'reopen'; id: string; update: IncidentUpdate; impact?: Impact };

const words: Record<string, string> = {
  degraded_performance: 'degraded performance',
  partial_outage: 'a partial outage',
  major_outage: 'a major outage',
  operational: 'operational',
};

export const byTime = <T extends { at: string }>(updates: readonly T[]) => [...updates].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

/** The incident's status is its latest update's. */
export function incidentStatus(i: { updates: readonly Pick<IncidentUpdate, 'at' | 'status'>[] }): IncidentStatus {
  const sorted = byTime(i.updates);
  return sorted[sorted.length - 1].status;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
const hhmm = (t: number) => `${iso(t).slice(11, 16)} UTC`;

/**
 * `openAfterMs`: how long a confirmed failure must last before an incident opens (the team is
 * alerted before that, by events); `review`: new incidents start as drafts.
 */
export function planIncidents(input: {
  components: readonly ComponentNow[];
  incidents: readonly IncidentLike[];
  now: number;
  quietMs: number;
  openAfterMs?: number;
  review?: boolean;
}): Action[] {
  const actions: Action[] = [];
  const taken = new Set(input.incidents.map((i) => i.id));
  const at = iso(Math.floor(input.now / 1000) * 1000);
  for (const c of input.components) {
    if (c.status === 'nodata' || c.inMaintenance || c.status === 'under_maintenance') continue;
    const mine = input.incidents.filter((i) => i.automatic && i.components.includes(c.id));
    const open = mine.find((i) => incidentStatus(i) !== 'resolved');
    const bad = BAD_STATUSES.includes(c.status);
    // What the checks quote from the target is shown literally, never as markdown (no live links or images).
    const reason = c.reason ? ` (${codeSpan(c.reason)})` : '';
    const reasons = c.reasonCodes?.length ? { reasons: c.reasonCodes } : {};
    /** Upkeep's update on this component as it is now: its status and reason codes, with the words. */
    const update = (status: IncidentStatus, message: string): IncidentUpdate => ({
      at,
      status,
      by: BY_UPKEEP,
      component_status: c.status as IncidentUpdate['component_status'],
      ...reasons,
      message,
    });
    if (bad && !open) {
      const lastResolved = mine
        .map((i) => ({ i, last: byTime(i.updates)[i.updates.length - 1] }))
        .filter(({ last }) => last.status === 'resolved' && last.by === BY_UPKEEP && input.now - Date.parse(last.at) <= input.quietMs)
        .sort((a, b) => Date.parse(b.last.at) - Date.parse(a.last.at))[0];
      if (lastResolved) {
        const impact = raise(lastResolved.i.impact, impactOf[c.status]);
        actions.push({
          type: 'reopen',
          id: lastResolved.i.id,
          update: update(
            'investigating',
            `${c.name} is failing again: ${words[c.status]}${reason}. Re-opened, as it recovered only ${formatDuration(input.now - Date.parse(lastResolved.last.at))} ago.`,
          ),
          ...(impact !== lastResolved.i.impact ? { impact } : {}),
        });
        continue;
      }
      const since = c.failingSince ?? input.now;
      // Not yet: a blip shorter than the vendor's policy never reaches the page.
      if (input.now - since < (input.openAfterMs ?? 0)) continue;
      const id = freeId(`${at.slice(0, 10)}-${c.id}`, taken);
      taken.add(id);
      actions.push({
        type: 'open',
        id,
        component: c.id,
        ...(c.instances ? { instances: c.instances } : {}),
        ...(c.lastGood !== undefined ? { lastGood: iso(c.lastGood) } : {}),
        // On some instances: named, with how bad it is there (one pod down is its customers' major outage).
        title: `${c.name}${c.instances ? ` (${c.instances.join(', ')})` : ''}: ${words[c.instanceStatus ?? c.status].replace(/^an? /, '')}`,
        impact: impactOf[c.instanceStatus ?? c.status]!,
        started: iso(since),
        draft: input.review ?? false,
        update: update(
          'investigating',
          `Our checks show ${words[c.instanceStatus ?? c.status]} of ${c.name}${c.instances ? ` on ${c.instances.join(', ')}` : ''} since ${hhmm(since)}${reason}. We are investigating.`,
        ),
      });
    } else if (bad && open) {
      const seen = byTime(open.updates)
        .filter((u) => u.component_status)
        .pop()?.component_status;
      // More instances failing than it names: the incident grows to them (it never shrinks while
      // open: those customers were affected); failing everywhere, it names none (all).
      const named = open.instances;
      const grown = !named ? undefined : !c.instances ? null : union(named, c.instances);
      const grows = grown !== undefined && (grown === null || grown.length > named!.length);
      if (seen === c.status && !grows) continue;
      if (seen === c.status && grows) {
        const added = grown === null ? undefined : grown.filter((x) => !named!.includes(x));
        actions.push({
          type: 'update',
          id: open.id,
          update: update(
            incidentStatus(open),
            added ? `Also affected now: ${c.name} on ${added.join(', ')}${reason}.` : `${c.name} is now failing on every instance${reason}.`,
          ),
          instances: grown,
          ...retitle(open, c, grown),
        });
        continue;
      }
      const worse = statusRank[c.status] > statusRank[seen ?? 'operational'];
      const impact = raise(open.impact, impactOf[c.status]);
      actions.push({
        type: 'update',
        id: open.id,
        // Keep the status people gave it (identified, monitoring); only the words change.
        update: update(
          incidentStatus(open),
          `${worse ? 'Worse' : 'Better'}: ${c.name} now shows ${words[c.status]}${seen ? `, after ${words[seen]}` : ''}${reason}.`,
        ),
        ...(impact !== open.impact ? { impact } : {}),
        ...(grows ? { instances: grown, ...retitle(open, c, grown) } : {}),
      });
    } else if (c.status === 'operational' && open) {
      const start = open.started ? Date.parse(open.started) : Date.parse(byTime(open.updates)[0].at);
      actions.push({
        type: 'resolve',
        id: open.id,
        update: {
          at,
          status: 'resolved',
          by: BY_UPKEEP,
          component_status: 'operational',
          message: `${c.name} is operating normally again. The problem lasted ${formatDuration(input.now - start)} (${hhmm(start)} to ${hhmm(input.now)}).`,
        },
      });
    }
  }
  return actions;
}

const union = (a: readonly string[], b: readonly string[]) => [...a, ...b.filter((x) => !a.includes(x))];

/** A new title naming the grown list, only while the title is still the one Upkeep wrote (people's words stay). */
function retitle(open: IncidentLike, c: { name: string }, grown: string[] | null): { title?: string } {
  const written = open.title?.match(/^(.*) \(([^()]*)\): (.*)$/);
  if (!written || written[1] !== c.name || written[2] !== (open.instances ?? []).join(', ')) return {};
  return { title: grown ? `${c.name} (${grown.join(', ')}): ${written[3]}` : `${c.name}: ${written[3]}` };
}

function raise(current: Impact, seen: Impact | undefined): Impact {
  return seen && impactRank[seen] > impactRank[current] ? seen : current;
}

function freeId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export type IncidentMetrics = {
  count: number;
  /** Mean of (first update − start of the problem), for incidents that know their start. */
  mttdMs?: number;
  /** Mean of (resolution − start). */
  mttrMs?: number;
  longestMs?: number;
};

/** Metrics over the incidents touching a component that started in [from, to). */
export function incidentMetrics(
  incidents: readonly Pick<IncidentFile, 'components' | 'started' | 'updates' | 'last_good'>[],
  component: string,
  from: number,
  to: number,
): IncidentMetrics {
  const mine = incidents
    .filter((i) => i.components.includes(component))
    .map((i) => {
      const sorted = byTime(i.updates);
      const opened = Date.parse(sorted[0].at);
      const started = i.started ? Date.parse(i.started) : opened;
      const last = sorted[sorted.length - 1];
      // Detection runs from the last good sample (the problem began after it): an upper bound, never the ~0 s from the first failing sample.
      const lastGood = i.last_good ? Date.parse(i.last_good) : started;
      return { started, lastGood, opened, resolved: last.status === 'resolved' ? Date.parse(last.at) : undefined };
    });
  const inRange = mine.filter((i) => i.started >= from && i.started < to);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  const detect = inRange.map((i) => i.opened - i.lastGood);
  const resolve = inRange.filter((i) => i.resolved !== undefined).map((i) => i.resolved! - i.started);
  const m: IncidentMetrics = { count: inRange.length };
  const mttd = mean(detect);
  const mttr = mean(resolve);
  if (mttd !== undefined) m.mttdMs = mttd;
  if (mttr !== undefined) m.mttrMs = mttr;
  if (resolve.length) m.longestMs = maxOf(resolve);
  return m;
}
