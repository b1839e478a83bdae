/** Maintenance windows as intervals in time, and their status by the clock. Pure. */
import type { MaintenanceWindow } from '../config/schema.ts';
import { weekdays, type MaintenanceStatus } from './vocabulary.ts';
import { parseWhen } from '../time/parse.ts';
import { addDays, civil, instant, pad, startOfDay, weekday, type Civil } from '../time/tz.ts';

/** One occurrence of a window (a one-off window has exactly one). */
export type Occurrence = {
  /** Stable: the window id, plus the local date for recurring windows. */
  id: string;
  windowId: string;
  title: string;
  description?: string;
  components: string[];
  /** The instances it covers; all when absent. */
  instances?: string[];
  start: number;
  end: number;
  recurring: boolean;
  /** A recurring window's rule, so a page, a feed or a calendar can say it once instead of per occurrence. */
  schedule?: Schedule;
};

/** When a recurring window happens: wall-clock times in `timeZone`. */
export type Schedule = {
  weekly?: (typeof weekdays)[number][];
  monthly?: number;
  /** "HH:MM" */
  at: string;
  durationMs: number;
  timeZone: string;
  /** First and last dates it applies (inclusive), "YYYY-MM-DD". */
  from?: string;
  until?: string;
};

/** Every occurrence that overlaps [from, to). */
export function occurrences(windows: readonly MaintenanceWindow[], siteZone: string, from: number, to: number): Occurrence[] {
  const out: Occurrence[] = [];
  for (const w of windows) {
    const zone = w.time_zone ?? siteZone;
    const base = {
      windowId: w.id,
      title: w.title,
      components: w.components,
      ...(w.instances ? { instances: w.instances } : {}),
      ...(w.description ? { description: w.description } : {}),
    };
    if (!w.recurring) {
      const start = parseWhen(w.start!, zone);
      const end = parseWhen(w.end!, zone);
      if (end > from && start < to) out.push({ ...base, id: w.id, start, end, recurring: false });
      continue;
    }
    const r = w.recurring;
    const [hour, minute] = r.at.split(':').map(Number);
    const schedule: Schedule = {
      ...(r.weekly ? { weekly: r.weekly } : { monthly: r.monthly! }),
      at: r.at,
      durationMs: r.duration,
      timeZone: zone,
      ...(r.from ? { from: r.from } : {}),
      ...(r.until ? { until: r.until } : {}),
    };
    // Start a day early: an occurrence that began yesterday may still be running.
    for (let day = addDays(startOfDay(from, zone), -1, zone); day < to; day = addDays(day, 1, zone)) {
      const c = civil(day, zone);
      const date = `${c.year}-${pad(c.month)}-${pad(c.day)}`;
      if ((r.from && date < r.from) || (r.until && date > r.until)) continue;
      if (!matches(r, c)) continue;
      const start = instant({ year: c.year, month: c.month, day: c.day, hour, minute }, zone);
      const end = start + r.duration;
      if (end > from && start < to) out.push({ ...base, id: `${w.id}-${date}`, start, end, recurring: true, schedule });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function matches(r: NonNullable<MaintenanceWindow['recurring']>, c: Civil): boolean {
  if (r.weekly) return r.weekly.includes(weekdays[weekday(c)]);
  const lastDay = new Date(Date.UTC(c.year, c.month, 0)).getUTCDate();
  return c.day === Math.min(r.monthly!, lastDay);
}

export function maintenanceStatus(o: Pick<Occurrence, 'start' | 'end'>, now: number): MaintenanceStatus {
  return now < o.start ? 'scheduled' : now < o.end ? 'in_progress' : 'completed';
}

/** The intervals that apply to one component. */
export function intervalsFor(component: string, list: readonly Occurrence[]): { start: number; end: number }[] {
  return list.filter((o) => o.components.includes(component)).map((o) => ({ start: o.start, end: o.end }));
}
