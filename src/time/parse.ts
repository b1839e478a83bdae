/**
 * Reading the times people write (maintenance windows, incident updates, UPKEEP_NOW): strictly, so
 * "2026-02-30" or "25:61" is an error where it is written, never a crash later or another date.
 */
import { instant } from './tz.ts';

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether year-month-day names a real calendar day. */
export function isRealDate(year: number, month: number, day: number): boolean {
  return year >= 1970 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Why a written date or time is impossible ("month 13", "hour 25", "February has 28 days in 2026"),
 * or undefined when it is a real one. Shapes are the schema's business; this checks the numbers.
 */
export function impossibleTime(text: string): string | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
  if (month < 1 || month > 12) return `there is no month ${month}`;
  // A status page's times are of this age: far years break calendars (9999-12-31 in Prague is 10000).
  if (year < 1970 || year > 2999) return `the year ${year} is out of range (1970–2999)`;
  if (day < 1 || day > daysIn(year, month)) return `${monthNames[month - 1]} ${year} has ${daysIn(year, month)} days, not ${day}`;
  if (hour > 23) return `there is no hour ${hour} (00–23)`;
  if (minute > 59) return `there is no minute ${minute} (00–59)`;
  if (second > 59) return `there is no second ${second} (00–59)`;
  const offset = m[7] && m[7] !== 'Z' ? /^[+-](\d{2}):?(\d{2})$/.exec(m[7]) : undefined;
  if (offset && (Number(offset[2]) > 59 || Number(offset[1]) * 60 + Number(offset[2]) > 14 * 60))
    return `the offset ${m[7]} is not a UTC offset (−14:00 to +14:00)`;
  return undefined;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-11-28 22:00" in `timeZone`, or an ISO time with its own offset; NaN when it is not a real time. */
export function parseWhen(text: string, timeZone: string): number {
  if (impossibleTime(text)) return NaN;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) return Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return NaN;
  return instant({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +(m[6] ?? 0) }, timeZone);
}
