/**
 * Calendar arithmetic in an IANA time zone, through Intl (Node has no Temporal yet).
 * Days in a zone are not always 24 hours: DST days are 23 or 25, and every function here knows.
 */

export type Civil = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Instants already converted, per zone. A site build asks for the same few hundred day starts for
 * every component of every instance (formatToParts is the slowest call in a build of 1,000 checks);
 * bounded, so a long process does not keep every second it ever converted.
 */
const converted = new Map<string, Map<number, Readonly<Civil>>>();
const CONVERTED_MAX = 100_000;

/** The wall-clock date and time at instant `t` in `timeZone`. */
export function civil(t: number, timeZone: string): Readonly<Civil> {
  let zone = converted.get(timeZone);
  if (!zone) {
    zone = new Map();
    converted.set(timeZone, zone);
  }
  const known = zone.get(t);
  if (known) return known;
  const parts = formatter(timeZone).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const c = Object.freeze({ year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') });
  if (zone.size >= CONVERTED_MAX) zone.clear();
  zone.set(t, c);
  return c;
}

/** Offset of `timeZone` from UTC at instant `t`, in ms (Prague in winter: +3_600_000). */
export function offsetAt(t: number, timeZone: string): number {
  const c = civil(t, timeZone);
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time skipped by a DST jump moves forward
 * by the jump (02:30 on a spring-forward night is 03:30); a repeated time takes its first occurrence.
 */
export function instant(c: Partial<Civil> & Pick<Civil, 'year' | 'month' | 'day'>, timeZone: string): number {
  const wall = Date.UTC(c.year, c.month - 1, c.day, c.hour ?? 0, c.minute ?? 0, c.second ?? 0);
  const before = offsetAt(wall - 12 * 3_600_000, timeZone);
  const after = offsetAt(wall + 12 * 3_600_000, timeZone);
  const shows = (t: number) => {
    const back = civil(t, timeZone);
    return Date.UTC(back.year, back.month - 1, back.day, back.hour, back.minute, back.second) === wall;
  };
  const fits = [wall - before, wall - after].filter(shows);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}

/** "YYYY-MM-DD" of the day containing `t` in `timeZone`. */
export function dayKey(t: number, timeZone: string): string {
  const c = civil(t, timeZone);
  return `${c.year}-${pad(c.month)}-${pad(c.day)}`;
}

/** Start of the zoned day containing `t`. */
export function startOfDay(t: number, timeZone: string): number {
  const c = civil(t, timeZone);
  return instant({ year: c.year, month: c.month, day: c.day }, timeZone);
}

/** Start of the zoned day `n` days after the one starting at `dayStart` (handles 23- and 25-hour days). */
export function addDays(dayStart: number, n: number, timeZone: string): number {
  const c = civil(dayStart, timeZone);
  const d = new Date(Date.UTC(c.year, c.month - 1, c.day + n));
  return instant({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, timeZone);
}

/** [start, end) of the calendar month `year`-`month` in `timeZone`. */
export function monthRange(year: number, month: number, timeZone: string): { start: number; end: number } {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { start: instant({ year, month, day: 1 }, timeZone), end: instant({ ...next, day: 1 }, timeZone) };
}

/** "YYYY-MM" of the month containing `t` in `timeZone`. */
export function monthKey(t: number, timeZone: string): string {
  const c = civil(t, timeZone);
  return `${c.year}-${pad(c.month)}`;
}

export const pad = (n: number) => String(n).padStart(2, '0');

/** Days of the week as Intl numbers them in `civil`: Sunday 0 … Saturday 6. */
export function weekday(c: Pick<Civil, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(c.year, c.month - 1, c.day)).getUTCDay();
}
