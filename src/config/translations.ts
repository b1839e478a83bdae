/**
 * The vendor's text in other languages: every object with texts (the site, its links, groups,
 * components, instances, maintenance windows, incidents and their updates) may carry
 * `translations: { <lang>: { <field>: text } }` (schema: `translations()` in schema.ts). A text not
 * given in a language falls back to the default language's, field by field. Only the languages the
 * page publishes besides its default may be named: anything else would never be shown.
 */
import { supportedLanguages, type Translations } from './schema.ts';

type Site = { language: string; languages: readonly string[] };

/** The texts `translations` gives in `lang` (any language code: one the schema does not know has none). */
export const translationIn = <K extends string>(translations: Translations<K> | undefined, lang: string): Partial<Record<K, string>> | undefined =>
  (translations as Record<string, Partial<Record<K, string>> | undefined> | undefined)?.[lang];

/** `o[key]` in `lang`: its translation there, else the text as written (the default language's). */
export function textIn<K extends string>(o: { translations?: Translations<K> } & Partial<Record<K, string>>, lang: string, key: K): string | undefined {
  return translationIn(o.translations, lang)?.[key] ?? o[key];
}

/** The languages a translation may name: those published besides the default. */
export const translatable = (site: Site) => site.languages.filter((l) => l !== site.language);

export type Problem = { path: (string | number)[]; message: string };

/**
 * Every `translations` map under `value` (the data as written, `path` where it sits) that names a language
 * the page does not publish, or its default language; the path points at the language key.
 */
export function translationProblems(value: unknown, path: (string | number)[], site: Site): Problem[] {
  const out: Problem[] = [];
  const others = translatable(site);
  const walk = (v: unknown, at: (string | number)[]) => {
    if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, [...at, i]);
    else if (v && typeof v === 'object')
      for (const [key, child] of Object.entries(v)) {
        if (key === 'translations' && child && typeof child === 'object' && !Array.isArray(child))
          for (const lang of Object.keys(child)) {
            const message = problemOf(lang, site, others);
            if (message) out.push({ path: [...at, key, lang], message });
          }
        else walk(child, [...at, key]);
      }
  };
  walk(value, path);
  return out;
}

function problemOf(lang: string, site: Site, others: readonly string[]): string | undefined {
  // A key that is no language Upkeep has is the schema's to name (with a did-you-mean).
  if (!(supportedLanguages as readonly string[]).includes(lang)) return undefined;
  if (lang === site.language) return `"${lang}" is the default language (site.language): write this text in the field itself, not under \`translations\``;
  if (others.includes(lang)) return undefined;
  if (others.length === 0)
    return `"${lang}" is not published: site.yml publishes no other language; add it to \`languages:\` in site.yml, or remove this translation`;
  return `"${lang}" is not published (site.yml \`languages:\` has ${others.join(', ')}): add it there, or remove this translation`;
}
