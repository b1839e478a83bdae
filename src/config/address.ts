/**
 * Where the page is published: the origin feeds and canonical links point at, and the path under
 * it, and where the feeds are under it. The build and the WebSub ping both ask here, so the feeds
 * they name are the same.
 */
export function publishedAddress(site: { url?: string; base_path: string }, fallbackUrl?: string): { origin?: string; basePath: string } {
  const url = site.url ?? fallbackUrl;
  // A project Pages site lives under /<repo>/: take that path from the published address unless site.yml sets one.
  const urlPath = url ? new URL(url).pathname.replace(/\/?$/, '/') : '/';
  return { ...(url ? { origin: new URL('/', url).href } : {}), basePath: site.base_path !== '/' ? site.base_path : urlPath };
}

/** Where the feeds are, under the site's base path: all incidents and maintenance, then one pair per component. */
export function feedPaths(componentIds: readonly string[]): { path: string; component?: string }[] {
  return [{ path: 'history' }, ...componentIds.map((id) => ({ path: `components/${id}/history`, component: id }))];
}
