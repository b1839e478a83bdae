import { en, type MessageKey } from './en.ts';
import { cs } from './cs.ts';
import { fa } from './fa.ts';
import { ptBR } from './pt-BR.ts';
import { ru } from './ru.ts';
import { zhCN } from './zh-CN.ts';

export type Messages = Record<MessageKey, string>;

export const catalogs: Record<string, Messages> = { en, 'pt-BR': ptBR, cs, ru, fa, 'zh-CN': zhCN };

/** Languages Upkeep ships; a vendor picks the default and which others to publish. */
export const languages = Object.keys(catalogs) as readonly string[];

export type Translate = ((key: MessageKey, params?: Record<string, string>) => string) & {
  /** The message split around one placeholder, so a page can put an element (a <time>) there. */
  around: (key: MessageKey, name: string, params?: Record<string, string>) => [string, string];
  /** The message as text and placeholders in turn: `['od ', 'start', ' do ', 'end', '']`; odd places are names. */
  parts: (key: MessageKey) => string[];
};

/** `t('uptime', { value: '99.9 %' })` in the page language, English for anything missing. */
export function translator(lang: string): Translate {
  const messages = catalogs[lang] ?? en;
  const fill = (text: string, params: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, n: string) => params[n] ?? `{${n}}`);
  const t = ((key: MessageKey, params: Record<string, string> = {}) => fill(messages[key] ?? en[key], params)) as Translate;
  t.around = (key, name, params = {}) => {
    const [before, after = ''] = (messages[key] ?? en[key]).split(`{${name}}`);
    return [fill(before, params), fill(after, params)];
  };
  t.parts = (key) => (messages[key] ?? en[key]).split(/\{(\w+)\}/);
  return t;
}

/** Languages written right to left. */
export const isRtl = (lang: string) => ['fa', 'ar', 'he', 'ur'].includes(lang.split('-')[0]);

/** A "back" link's arrow: it points to where the line starts, left in English, right in Persian. */
export const backArrow = (lang: string) => (isRtl(lang) ? '→' : '←');

/** Text someone else wrote, set apart inside an attribute or a tooltip (FSI…PDI), so its own direction cannot reorder the words around it. */
export const isolate = (text: string) => `\u2068${text}\u2069`;

/**
 * Attributes for the vendor's text shown as written on a page in another language (`textLang`, from
 * the view's `fallback`): its `lang`, so a screen reader pronounces it right, and its `dir` where it
 * runs the other way from the page. Nothing for a translated text.
 */
export const langAttrs = (textLang: string | undefined, pageLang: string): { lang?: string; dir?: 'ltr' | 'rtl' } =>
  !textLang || textLang === pageLang ? {} : { lang: textLang, ...(isRtl(textLang) === isRtl(pageLang) ? {} : { dir: isRtl(textLang) ? 'rtl' : 'ltr' }) };
