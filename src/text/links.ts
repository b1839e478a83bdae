/** The links a markdown text holds, found by micromark's own parser rather than a guessing regex. */
import { parse, postprocess, preprocess } from 'micromark';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import { linkScheme } from './markdown.ts';

export type Link = { url: string; scheme?: string; line: number; col: number };

const destinations = new Set(['resourceDestinationString', 'definitionDestinationString', 'autolinkProtocol', 'autolinkEmail']);

/** Every link and image destination in `markdown`, with where it starts (1-based line and column). */
export function markdownLinks(markdown: string): Link[] {
  const events = postprocess(
    parse()
      .document()
      .write(preprocess()(markdown, undefined, true)),
  );
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
  return text.replace(
    /\\([!-/:-@[-`{-~])|&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/g,
    (whole, escaped: string | undefined, ref: string | undefined) => {
      if (escaped) return escaped;
      if (ref!.startsWith('#')) {
        const code = ref![1] === 'x' || ref![1] === 'X' ? parseInt(ref!.slice(2), 16) : Number(ref!.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
      const named = decodeNamedCharacterReference(ref!);
      return named === false ? whole : named;
    },
  );
}
