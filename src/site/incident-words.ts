/**
 * Automatic incident updates in customers' words: what Upkeep wrote is structured (the component
 * status it saw, the failing checks' reason codes, when), so each page words it in its own language
 * and zone at build time; each language's feeds too (src/site/localize.ts), the API in the default
 * one. The reason codes are the only technical detail shown (under "Technical details"): never what
 * a target sent back.
 * Old files carry no `reasons`: their codes are read from the code span the message quoted.
 */
import type { ComponentStatus } from '../status/vocabulary.ts';
import { translator } from '../i18n/index.ts';
import { formatSpan, formatTime } from '../text/format.ts';

export type AutoKind = 'open' | 'reopen' | 'changed' | 'resolved';
/** Why, in a customer's terms: requests fail, answers are slow, or data is behind. */
export type ReasonClass = 'failing' | 'slow' | 'behind';

export type AutoUpdate = {
  kind: AutoKind;
  /** The component's name (the vendor's words). */
  component: string;
  status: ComponentStatus;
  reasons: string[];
  /** When the problem began, and this update's time (ISO). */
  since: string;
  at: string;
};

const CODE = /^[a-z][a-z0-9_]*$/;

/** Reason codes from an old update's message: the code span held "code: words; code: words". */
export function reasonsFromMessage(message: string): string[] {
  const span = /`([^`]+)`/.exec(message)?.[1];
  if (!span) return [];
  return [...new Set(span.split('; ').map((part) => part.split(':')[0].trim()))].filter((c) => CODE.test(c));
}

export function reasonClass(status: ComponentStatus, reasons: readonly string[]): ReasonClass {
  if (reasons.some((r) => r === 'stale' || r.startsWith('lag') || r === 'until_deadline')) return 'behind';
  if (reasons.includes('slow') || (status === 'degraded_performance' && reasons.length === 0)) return 'slow';
  return 'failing';
}

/** The update's text for customers, in `lang`, times in `timeZone`. */
export function autoWords(u: AutoUpdate, lang: string, timeZone: string): string {
  const t = translator(lang);
  const name = u.component;
  if (u.kind === 'resolved') {
    const duration = formatSpan(Math.max(0, Date.parse(u.at) - Date.parse(u.since)), lang);
    return t('auto.resolved', { name, duration, from: formatTime(u.since, lang, timeZone), to: formatTime(u.at, lang, timeZone) });
  }
  const what = t(`auto.${reasonClass(u.status, u.reasons)}`, { name });
  if (u.kind === 'open') return t('auto.open', { what, time: formatTime(u.since, lang, timeZone) });
  if (u.kind === 'reopen') return t('auto.reopen', { what, time: formatTime(u.at, lang, timeZone) });
  return t('auto.changed', { what, status: t(`status.${u.status}`) });
}

/** Plain text as HTML text: the words hold the vendor's component name, never markup. */
export const textHtml = (text: string) => `<p>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`;

/** An automatic incident's title as Upkeep wrote it ("REST API: major outage"), as data; a title a person changed is theirs. */
export type AutoTitle = { component: string; instances?: string; status: ComponentStatus };

const titleWords: Record<string, ComponentStatus> = {
  'degraded performance': 'degraded_performance',
  'partial outage': 'partial_outage',
  'major outage': 'major_outage',
};

export function autoTitleOf(title: string, component: string): AutoTitle | undefined {
  const m = /^(.*?)(?: \(([^()]+)\))?: (degraded performance|partial outage|major outage)$/.exec(title);
  if (!m || m[1] !== component) return undefined;
  return { component, ...(m[2] ? { instances: m[2] } : {}), status: titleWords[m[3]] };
}

/** The incident's title in `lang`: Upkeep's own worded there, a person's as written. */
export function titleIn(i: { title: string; autoTitle?: AutoTitle }, lang: string): string {
  const a = i.autoTitle;
  if (!a) return i.title;
  return `${a.component}${a.instances ? ` (${a.instances})` : ''}: ${translator(lang)(`status.${a.status}`)}`;
}
