/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, made from Intl's offsets: a calendar event with
 * `TZID=Europe/Prague` must come with one, and clients that know no IANA names read the zone from it.
 * Yearly rules ("last Sunday of March at 02:00") when the zone's changes in `year` and the two years
 * after follow them; otherwise each change in those years as it is.
 */
import { offsetAt, pad } from './tz.ts';

const DAY = 86_400_000;
type Change = { at: number; from: number; to: number };

/** Offset changes in [from, to), each found to the minute. */
function changes(zone: string, from: number, to: number): Change[] {
  const out: Change[] = [];
  let before = offsetAt(from, zone);
  for (let t = from + DAY; t < to + DAY; t += DAY) {
    const after = offsetAt(t, zone);
    if (after === before) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetAt(mid, zone) === before) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, from: before, to: after });
    before = after;
  }
  return out;
}

const offset = (ms: number) => {
  const m = Math.abs(ms) / 60_000;
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(m / 60))}${pad(m % 60)}`;
};
/** The wall clock just before the change (RFC 5545: an onset is written in the offset it ends). */
const onset = (c: Change) => new Date(c.at + c.from);
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
const DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** "3;-1SU at 02:00": the month, the weekday's place in it (last is -1) and the wall time of a change. */
function ruleOf(c: Change): string {
  const d = onset(c);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const place = d.getUTCDate() + 7 > last ? -1 : Math.ceil(d.getUTCDate() / 7);
  return `${d.getUTCMonth() + 1};${place}${DAYS[d.getUTCDay()]};${pad(d.getUTCHours())}${pad(d.getUTCMinutes())};${c.from};${c.to}`;
}

/** The date in 1970 a yearly rule first falls on, so the observance covers any date a calendar asks about. */
function firstIn1970(month: number, place: number, day: string): Date {
  const wanted = DAYS.indexOf(day);
  const first = new Date(Date.UTC(1970, month - 1, 1));
  const dates: number[] = [];
  for (let d = first; d.getUTCMonth() === month - 1; d = new Date(d.getTime() + DAY)) if (d.getUTCDay() === wanted) dates.push(d.getUTCDate());
  return new Date(Date.UTC(1970, month - 1, place === -1 ? dates[dates.length - 1] : dates[place - 1]));
}

function observance(kind: 'STANDARD' | 'DAYLIGHT', start: string, from: number, to: number, rrule?: string): string[] {
  return [`BEGIN:${kind}`, `DTSTART:${start}`, `TZOFFSETFROM:${offset(from)}`, `TZOFFSETTO:${offset(to)}`, ...(rrule ? [`RRULE:${rrule}`] : []), `END:${kind}`];
}

export function vtimezone(zone: string, year: number): string {
  const list = changes(zone, Date.UTC(year, 0, 1), Date.UTC(year + 3, 0, 1));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const kindOf = (c: Change) => (c.to > c.from ? 'DAYLIGHT' : 'STANDARD');
  const rules = [...new Set(list.map(ruleOf))];
  if (list.length === 0) {
    const o = offsetAt(Date.UTC(year, 0, 1), zone);
    lines.push(...observance('STANDARD', '19700101T000000', o, o));
  } else if (rules.length === 2 && list.length === 6) {
    for (const c of list.slice(0, 2)) {
      const [month, by, hhmm] = ruleOf(c).split(';');
      const place = Number(by.slice(0, -2));
      const first = firstIn1970(Number(month), place, by.slice(-2));
      lines.push(...observance(kindOf(c), `${stamp(first).slice(0, 9)}${hhmm}00`, c.from, c.to, `FREQ=YEARLY;BYMONTH=${month};BYDAY=${by}`));
    }
  } else {
    lines.push(...observance('STANDARD', '19700101T000000', list[0].from, list[0].from));
    for (const c of list) lines.push(...observance(kindOf(c), stamp(onset(c)), c.from, c.to));
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
