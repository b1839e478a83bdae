/**
 * Maintenance by window, for the maintenance page, the feeds and the calendar: a one-off window is
 * its occurrence; a recurring one is one entry with its schedule, showing the occurrence running
 * now, else the next one, else the last (its past occurrences are never listed one by one).
 */
import { translator } from '../i18n/index.ts';
import type { Schedule } from '../status/maintenance.ts';
import { formatSpan } from '../text/format.ts';
import type { MaintenanceView } from './view-model.ts';

type Span = { id: string; start: string; end: string };

export type MaintenanceWindowView = MaintenanceView & {
  /** A recurring window's first occurrence the page knows (dates its feed item, starts its calendar rule). */
  first?: Span;
  /** A recurring window's latest completed occurrence. */
  last?: Span;
};

/** One entry per window, in the order of the occurrence each shows. */
export function maintenanceWindows(list: readonly MaintenanceView[]): MaintenanceWindowView[] {
  const byWindow = new Map<string, MaintenanceView[]>();
  for (const m of list) byWindow.set(m.windowId, [...(byWindow.get(m.windowId) ?? []), m]);
  const out: MaintenanceWindowView[] = [];
  for (const [windowId, all] of byWindow) {
    if (!all[0].schedule) {
      out.push(...all);
      continue;
    }
    const sorted = [...all].sort((a, b) => a.start.localeCompare(b.start));
    const last = sorted.filter((m) => m.status === 'completed').at(-1);
    const shown = sorted.find((m) => m.status === 'in_progress') ?? sorted.find((m) => m.status === 'scheduled') ?? last!;
    const span = (m: MaintenanceView): Span => ({ id: m.id, start: m.start, end: m.end });
    out.push({ ...shown, id: windowId, first: span(sorted[0]), ...(last ? { last: span(last) } : {}) });
  }
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

const WEEKDAY_INDEX = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } as const;

/**
 * The schedule in words in the page language, names and times through Intl:
 * "Every Tuesday, 6:00 – 6:30 AM (Europe/Prague)", "هر سه‌شنبه، ۶:۰۰ تا ۶:۳۰ (Europe/Prague)".
 */
export function scheduleText(s: Schedule, lang: string): string {
  const t = translator(lang);
  const [hour, minute] = s.at.split(':').map(Number);
  // Wall-clock times on a made-up UTC day (5 January 2026 is a Monday), so no zone shifts them.
  const wall = (day: number, h = hour, m = minute) => new Date(Date.UTC(2026, 0, 4 + day, h, m));
  const clock = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: 'UTC' });
  const start = wall(1);
  const end = new Date(start.getTime() + s.durationMs);
  const time =
    s.durationMs >= 86_400_000
      ? t('maintenance.lasting', { start: clock.format(start), duration: formatSpan(s.durationMs, lang) })
      : end.getUTCDate() === start.getUTCDate()
        ? clock.formatRange(start, end)
        : t('maintenance.when', { start: clock.format(start), end: clock.format(end) });
  const zone = s.timeZone;
  let text: string;
  if (s.weekly) {
    const names = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
    const days = [...s.weekly].sort((a, b) => WEEKDAY_INDEX[a] - WEEKDAY_INDEX[b]).map((d) => names.format(wall(WEEKDAY_INDEX[d])));
    text = t('maintenance.weekly', { days: new Intl.ListFormat(lang, { type: 'conjunction' }).format(days), time, zone });
  } else {
    const day = s.monthly ?? 1;
    const n = new Intl.NumberFormat(lang).format(day);
    text = t(day === 31 ? 'maintenance.monthlyLast' : day > 28 ? 'maintenance.monthlyOrLast' : 'maintenance.monthly', { day: n, time, zone });
  }
  const date = (d: string) => new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`));
  const limits = [s.from ? t('maintenance.fromDate', { date: date(s.from) }) : '', s.until ? t('maintenance.untilDate', { date: date(s.until) }) : ''];
  return [text, ...limits.filter(Boolean)].join(t('sep'));
}
