/**
 * Small facts about markdown that are not rendering (that is src/text/render.ts): the scheme of a
 * link, and a code span that shows any text literally. Finding a text's links needs micromark's
 * parser: that is src/text/links.ts, loaded only where links are looked for.
 */
/** The scheme a browser would read from a URL (tabs and newlines inside and spaces before it are dropped). */
export function linkScheme(url: string): string | undefined {
  const bare = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(bare)?.[1].toLowerCase();
}

/**
 * `text` as an inline code span: shown literally by CommonMark and GitHub alike (no links, no
 * images, no emphasis, no autolinks). Used for whatever a probe quotes from its target.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  // A span that starts or ends with a backtick (or a space) needs a space inside its fence.
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
