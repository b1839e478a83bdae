/** Paths for every published language: the default at the root, the others under /<lang>/. */
import type { SiteView } from './view-model.ts';

export const prefixOf = (lang: string) => lang.toLowerCase();

/** `getStaticPaths` entries for a page that exists once per language (plus `extra` params). */
export function languagePaths<P extends Record<string, string>>(view: SiteView, extra: P[] = [{} as P]) {
  return view.site.languages.flatMap((lang) =>
    extra.map((params) => ({
      params: { lang: lang === view.site.language ? undefined : prefixOf(lang), ...params },
      props: { lang },
    })),
  );
}

/** A link inside the site, in `lang`: `href(view, 'cs', 'incidents/')` → "/cs/incidents/". */
export function href(view: SiteView, lang: string, path = ''): string {
  const prefix = lang === view.site.language ? '' : `${prefixOf(lang)}/`;
  return `${view.site.basePath}${prefix}${path.replace(/^\//, '')}`;
}

/** Links not translated (feeds, API, badges) sit at the root whatever the language. */
export const rootHref = (view: SiteView, path: string) => `${view.site.basePath}${path.replace(/^\//, '')}`;
