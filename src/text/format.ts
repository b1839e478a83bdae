/** Numbers and times as the page shows them, through Intl in the page's language and time zone. */
import type { WindowStats } from '../status/component.ts';

// Intl formatters are slow to make and pages format tens of thousands of values: make each once.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dates(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d${lang}${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    cache.set(key, f);
  }
  return f as Intl.DateTimeFormat;
}
function numbers(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n${lang}${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    cache.set(key, f);
  }
  return f as Intl.NumberFormat;
}

/** A date for Intl, or undefined when the text is not one (Intl throws on an invalid date). */
function when(text: string): Date | undefined {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Uptime is truncated, never rounded up: 99.996 % shows as 99.99 %, and only a flawless window shows 100 %. */
export function formatUptime(stats: Pick<WindowStats, 'uptime'>, lang: string): string | undefined {
  if (stats.uptime === undefined) return undefined;
  const floored = Math.floor(stats.uptime * 100) / 100;
  const digits = floored === 100 ? 0 : 2;
  return numbers(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(floored / 100);
}

/** Coverage is informative, one decimal, rounded down too. */
export function formatCoverage(stats: Pick<WindowStats, 'coverage'>, lang: string): string {
  const floored = Math.floor(stats.coverage * 10) / 10;
  return numbers(lang, { style: 'percent', maximumFractionDigits: 1 }).format(floored / 100);
}

export function formatDateTime(iso: string, lang: string, timeZone: string): string {
  const d = when(iso);
  return d ? dates(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d) : iso;
}

/** "Central European Standard Time" style name of the zone at that instant. */
export function zoneName(iso: string, lang: string, timeZone: string): string {
  const d = when(iso);
  if (!d) return timeZone;
  const parts = dates(lang, { timeZone, timeZoneName: 'long' }).formatToParts(d);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** A length of time in the page's language: "7 min", "2 hr 5 min", "3 days 4 hr"; under a minute shows seconds. */
export function formatSpan(ms: number, lang: string): string {
  if (ms > 0 && ms < 60_000) return numbers(lang, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(Math.round(ms / 1000));
  const minutes = Math.floor(ms / 60_000);
  const unit = (value: number, u: 'day' | 'hour' | 'minute') => numbers(lang, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return [unit(hours, 'hour'), minutes % 60 ? unit(minutes % 60, 'minute') : ''].filter(Boolean).join(' ');
  const days = Math.floor(hours / 24);
  return [unit(days, 'day'), hours % 24 ? unit(hours % 24, 'hour') : ''].filter(Boolean).join(' ');
}

/** How old data is: "350 ms", "4.2 sec", then as `formatSpan` ("7 min", "2 hr 5 min"). */
export function formatLag(ms: number, lang: string): string {
  if (ms < 1_000) return formatMs(ms, lang);
  if (ms < 60_000) return numbers(lang, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: ms < 10_000 ? 1 : 0 }).format(ms / 1000);
  return formatSpan(ms, lang);
}

/** A calendar date ("2026-11-03") as the page's language writes it, e.g. "3 Nov 2026". */
export function formatDay(date: string, lang: string): string {
  const d = when(`${date}T12:00:00Z`);
  return d ? dates(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(d) : date;
}

export function formatMonth(month: string, lang: string): string {
  const d = when(`${month}-15T12:00:00Z`);
  return d ? dates(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d) : month;
}

/** A month in few letters ("Nov 2026"), for a row of month links. */
export function formatMonthShort(month: string, lang: string): string {
  const d = when(`${month}-15T12:00:00Z`);
  return d ? dates(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(d) : month;
}

export function formatTime(iso: string, lang: string, timeZone: string): string {
  const d = when(iso);
  return d ? dates(lang, { timeStyle: 'short', timeZone }).format(d) : iso;
}

export function formatPercent(value: number, lang: string, digits = 2): string {
  return numbers(lang, { style: 'percent', maximumFractionDigits: digits }).format(value / 100);
}

export function formatMs(ms: number, lang: string): string {
  return numbers(lang, { style: 'unit', unit: 'millisecond', unitDisplay: 'short', maximumFractionDigits: 0 }).format(ms);
}

export function formatNumber(value: number, lang: string): string {
  return numbers(lang, {}).format(value);
}

/** A short date for a chart's axis ("22 Nov", "۱ آذر"), in the language's own calendar. */
export function formatDayShort(date: string, lang: string): string {
  const d = when(`${date}T12:00:00Z`);
  return d ? dates(lang, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(d) : date;
}

/** The day of the month in the language's calendar (Persian: the Solar Hijri day), as a number: a chart labels month starts. */
export function dayOfMonth(date: string, lang: string): number {
  const d = when(`${date}T12:00:00Z`);
  const day =
    d &&
    dates(lang, { day: 'numeric', timeZone: 'UTC', numberingSystem: 'latn' })
      .formatToParts(d)
      .find((p) => p.type === 'day');
  return day ? Number(day.value) : Number.NaN;
}

/** An hour of a chart ("23 Nov, 14:00") in the page's zone. */
export function formatHour(iso: string, lang: string, timeZone: string): string {
  const d = when(iso);
  return d ? dates(lang, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZone }).format(d) : iso;
}
