/**
 * Small facts about markdown that are not rendering (that is src/site/markdown.ts): the links a text
 * holds, found by micromark's own parser rather than a guessing regex, and a code span that shows
 * any text literally.
 */
import { parse, postprocess, preprocess } from 'micromark';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';

export type Link = { url: string; scheme?: string; line: number; col: number };

/** The scheme a browser would read from a URL (tabs and newlines inside and spaces before it are dropped). */
export function linkScheme(url: string): string | undefined {
  const bare = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(bare)?.[1].toLowerCase();
}

const destinations = new Set(['resourceDestinationString', 'definitionDestinationString', 'autolinkProtocol', 'autolinkEmail']);

/** Every link and image destination in `markdown`, with where it starts (1-based line and column). */
export function markdownLinks(markdown: string): Link[] {
  const events = postprocess(parse().document().write(preprocess()(markdown, undefined, true)));
  const out: Link[] = [];
  for (const [kind, token, context] of events) {
    if (kind !== 'enter' || !destinations.has(token.type)) continue;
    const raw = context.sliceSerialize(token);
    const url = token.type === 'autolinkEmail' ? `mailto:${raw}` : decodeReferences(raw);
    out.push({ url, scheme: linkScheme(url), line: token.start.line, col: token.start.column });
  }
  return out;
}

/** Character references and backslash escapes, as CommonMark resolves them in a destination (`&#106;avascript:` is javascript:). */
function decodeReferences(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])|&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/g, (whole, escaped: string | undefined, ref: string | undefined) => {
    if (escaped) return escaped;
    if (ref!.startsWith('#')) {
      const code = ref![1] === 'x' || ref![1] === 'X' ? parseInt(ref!.slice(2), 16) : Number(ref!.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    const named = decodeNamedCharacterReference(ref!);
    return named === false ? whole : named;
  });
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
