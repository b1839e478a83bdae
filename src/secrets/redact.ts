/**
 * Hiding secrets in text a target, a library or a person may have echoed them into.
 *
 * Rather than listing every encoding of every secret (JSON, URL and form encoding in either hex
 * case, HTML entities in their many spellings, and mixes of them), the text is decoded: each decoder
 * yields a view of the text with, for every decoded character, the span of the original it came
 * from. Secrets are looked for in every view, and the spans they cover in the original are replaced.
 * A mix of encodings in one string decodes as well as a pure one, and decoders stack (a JSON string
 * inside a URL; punycode host names). Base64 and base64url runs are decoded at every alignment and
 * searched again, so a secret inside `Basic base64(user:secret)`, or base64 of base64, is found
 * too. Any piece of a secret of 8 or more characters counts, in any letter case (a message cut
 * short still hides what it shows), unless that piece is public text the vendor wrote in the
 * checks (so `https://` in a secret URL does not blank every URL).
 *
 * Written by hand: redaction libraries match literal values or fixed patterns; none decodes views
 * with a map back to the original text.
 */

import { domainToUnicode } from 'node:url';
import { mapStrings } from '../text/plain.ts';

/** The shortest piece of a secret that is hidden on its own. */
export const PIECE = 8;

/** Secrets shorter than this cannot be hidden without hiding ordinary words; they are refused with a warning. */
export const MIN_SECRET = 4;

/** The text a secret's match is replaced with. */
export const MASK = '***';

type View = { text: string; start: Int32Array; end: Int32Array };

type Secret = { value: string; folded: string };

const MAX_VIEWS = 24;

/** How deep base64 is unwrapped (base64 of base64 of a secret is still found). */
const BASE64_DEPTH = 2;

export class Redactor {
  #secrets: Secret[] = [];
  #values = new Set<string>();
  /** Case-folded 8-character pieces of the secrets, less those that are public text. */
  #pieces = new Set<string>();
  #public = new Set<string>();
  /** The fewest base64 characters that can hold a secret or a piece of one. */
  #minBase64 = Infinity;

  /** Adds a secret value; returns false for one too short to hide (see MIN_SECRET). */
  add(value: string): boolean {
    if (value.length < MIN_SECRET) return false;
    if (this.#values.has(value)) return true;
    this.#values.add(value);
    const folded = fold(value);
    this.#secrets.push({ value, folded });
    for (let i = 0; i + PIECE <= folded.length; i++) {
      const piece = folded.slice(i, i + PIECE);
      if (!this.#public.has(piece)) this.#pieces.add(piece);
    }
    const bytes = Math.min(PIECE, Buffer.byteLength(value, 'utf8'));
    this.#minBase64 = Math.min(this.#minBase64, Math.ceil((bytes * 4) / 3));
    return true;
  }

  /** Text anyone can read (the vendor's own check files): its 8-character runs are not hidden as pieces. */
  addPublic(text: string): void {
    const folded = fold(text);
    for (let i = 0; i + PIECE <= folded.length; i++) {
      const piece = folded.slice(i, i + PIECE);
      this.#public.add(piece);
      this.#pieces.delete(piece);
    }
  }

  get size(): number {
    return this.#secrets.length;
  }

  /** Every secret form in `text` replaced with `***`. */
  redact(text: string): string {
    if (this.#secrets.length === 0 || text.length < MIN_SECRET) return text;
    const ranges = this.#find(text, 0);
    if (ranges.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [a, b] of ranges) {
      out += text.slice(at, a) + MASK;
      at = b;
    }
    return out + text.slice(at);
  }

  /** Whether any form of any secret shows in `text`. */
  exposes(text: string): boolean {
    return this.#secrets.length > 0 && text.length >= MIN_SECRET && this.#find(text, 0).length > 0;
  }

  /** `redact` applied to every string inside a JSON-like value; `keep(key)` skips strings under structural keys. */
  redactDeep<T>(value: T, keep: (key: string) => boolean = () => false): T {
    if (this.#secrets.length === 0) return value;
    return mapStrings(value, (text) => this.redact(text), keep);
  }

  /** Merged, sorted [start, end) ranges of `text` that show a secret. */
  #find(text: string, depth: number): [number, number][] {
    const hits: [number, number][] = [];
    for (const view of views(text)) {
      this.#search(view, hits);
      if (depth < BASE64_DEPTH) this.#searchBase64(view, hits, depth);
    }
    return merge(hits);
  }

  /**
   * Compared case-folded: URL parsers lower-case host names, hex escapes come in either case, and
   * a piece cut from a lower-cased host is still a piece. Public text (the check files) exempts
   * pieces, so a vendor's own name in a page is not taken for part of a secret.
   */
  #search(view: View, hits: [number, number][]): void {
    const folded = foldView(view);
    const t = folded.text;
    const mark = (a: number, b: number) => hits.push([folded.start[a], folded.end[b - 1]]);
    for (const s of this.#secrets) for (let i = t.indexOf(s.folded); i >= 0; i = t.indexOf(s.folded, i + 1)) mark(i, i + s.folded.length);
    if (this.#pieces.size === 0) return;
    for (let i = 0; i + PIECE <= t.length; i++) if (this.#pieces.has(t.slice(i, i + PIECE))) mark(i, i + PIECE);
  }

  /**
   * Runs of base64 (or base64url) characters, decoded at each of the four alignments (so a secret
   * inside `base64(user:secret)` is found) and searched like any text, base64 inside base64
   * included; a run that holds a secret is hidden whole.
   */
  #searchBase64(view: View, hits: [number, number][], depth: number): void {
    const t = view.text;
    for (const m of t.matchAll(/[A-Za-z0-9+/_-]+={0,2}/g)) {
      const run = m[0].replace(/=+$/, '');
      if (run.length < this.#minBase64) continue;
      for (let k = 0; k < 4 && run.length - k >= this.#minBase64; k++) {
        const decoded = Buffer.from(run.slice(k).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
        if (decoded.length >= MIN_SECRET && this.#find(decoded, depth + 1).length > 0) {
          hits.push([view.start[m.index], view.end[m.index + m[0].length - 1]]);
          break;
        }
      }
    }
  }
}

function merge(hits: [number, number][]): [number, number][] {
  hits.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of hits) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Case folded as well as JavaScript can: upper then lower, so "ß", "SS" and "ss" are one. */
export const fold = (text: string) => text.toUpperCase().toLowerCase();

/** The view case-folded, keeping the map (a few characters change length when folded). */
function foldView(view: View): View {
  const folded = fold(view.text);
  if (folded === view.text) return view;
  if (folded.length === view.text.length) return { text: folded, start: view.start, end: view.end };
  return decodeWith(view, /[\s\S]/, (t, i) => [fold(t[i]), 1]) ?? view;
}

function identity(text: string): View {
  const start = new Int32Array(text.length);
  const end = new Int32Array(text.length);
  for (let i = 0; i < text.length; i++) {
    start[i] = i;
    end[i] = i + 1;
  }
  return { text, start, end };
}

/** The text as written, and every decoding of it (stacked up to three deep). */
function views(text: string): View[] {
  const out = [identity(text)];
  const seen = new Set([text]);
  for (let i = 0; i < out.length && out.length < MAX_VIEWS; i++) {
    if (depth(out, i) >= 3) continue;
    for (const decode of decoders) {
      const next = decode(out[i]);
      if (next && !seen.has(next.text)) {
        seen.add(next.text);
        out.push(next);
        depths.set(next, depth(out, i) + 1);
      }
    }
  }
  return out;
}

const depths = new WeakMap<View, number>();
const depth = (list: View[], i: number) => depths.get(list[i]) ?? 0;

/** Builds a decoded view: `piece(i)` reads at source index i and returns [decoded text, chars consumed], or undefined to copy one char. */
function decodeWith(view: View, trigger: RegExp, piece: (t: string, i: number) => [string, number] | undefined): View | undefined {
  const t = view.text;
  if (!trigger.test(t)) return undefined;
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < t.length; ) {
    const p = piece(t, i);
    const [chars, used] = p ?? [t[i], 1];
    for (let k = 0; k < chars.length; k++) {
      start.push(view.start[i]);
      end.push(view.end[i + used - 1]);
    }
    text += chars;
    i += used;
  }
  return text === t ? undefined : { text, start: Int32Array.from(start), end: Int32Array.from(end) };
}

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** JSON and JavaScript string escapes: \" \\ \/ \n \uXXXX \u{…} \xXX, and a backslash before any other character. */
const unescapeBackslash = (view: View) =>
  decodeWith(view, /\\/, (t, i) => {
    if (t[i] !== '\\' || i + 1 >= t.length) return undefined;
    const next = t[i + 1];
    const u = /^u([0-9a-fA-F]{4})/.exec(t.slice(i + 1, i + 6));
    if (u) return [String.fromCharCode(parseInt(u[1], 16)), 6];
    const braced = /^u\{([0-9a-fA-F]{1,6})\}/.exec(t.slice(i + 1, i + 10));
    if (braced && parseInt(braced[1], 16) <= 0x10ffff) return [String.fromCodePoint(parseInt(braced[1], 16)), braced[0].length + 1];
    const x = /^x([0-9a-fA-F]{2})/.exec(t.slice(i + 1, i + 4));
    if (x) return [String.fromCharCode(parseInt(x[1], 16)), 4];
    return [escapes[next] ?? next, 2];
  });

const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  sol: '/',
  bsol: '\\',
  percnt: '%',
  plus: '+',
  equals: '=',
  num: '#',
  excl: '!',
  dollar: '$',
  lpar: '(',
  rpar: ')',
  colon: ':',
  semi: ';',
  comma: ',',
  period: '.',
  quest: '?',
  commat: '@',
  lsqb: '[',
  rsqb: ']',
  lcub: '{',
  rcub: '}',
  grave: '`',
  tilde: '~',
  verbar: '|',
  ast: '*',
  hyphen: '-',
  lowbar: '_',
  Hat: '^',
  NewLine: '\n',
  Tab: '\t',
};

/** HTML character references: named, decimal and hexadecimal, with or without leading zeros. */
const decodeEntities = (view: View) =>
  decodeWith(view, /&/, (t, i) => {
    if (t[i] !== '&') return undefined;
    // As browsers read them: numeric references with any number of leading zeros and without the
    // closing ";", and the few named ones HTML allows without it.
    const m = /^&(?:#0*(\d{1,7});?|#[xX]0*([0-9a-fA-F]{1,6});?|([A-Za-z]{2,8});|(amp|lt|gt|quot|nbsp)(?![A-Za-z0-9;]))/.exec(t.slice(i, i + 48));
    if (!m) return undefined;
    const code = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? parseInt(m[2], 16) : undefined;
    if (code !== undefined) return code <= 0x10ffff ? [String.fromCodePoint(code), m[0].length] : undefined;
    const ch = named[m[3] ?? m[4]];
    return ch === undefined ? undefined : [ch, m[0].length];
  });

/** Internationalised host names, which URL parsers turn into punycode (`xn--…`). */
const decodePunycode = (view: View) =>
  decodeWith(view, /xn--/i, (t, i) => {
    const m = /^xn--[a-z0-9-]+/i.exec(t.slice(i, i + 128));
    if (!m || (i > 0 && /[a-z0-9-]/i.test(t[i - 1]))) return undefined;
    const label = domainToUnicode(m[0].toLowerCase());
    return label && label !== m[0] ? [label, m[0].length] : undefined;
  });

/** Percent-encoding (either hex case) decoded as UTF-8; with `plus`, "+" is a space, as in form encoding. */
function percentDecoder(plus: boolean) {
  return (view: View): View | undefined => {
    const t = view.text;
    if (!/%[0-9a-fA-F]{2}/.test(t) && !(plus && t.includes('+'))) return undefined;
    let text = '';
    const start: number[] = [];
    const end: number[] = [];
    for (let i = 0; i < t.length; ) {
      // A run of %XX triplets is one byte sequence, decoded together so multi-byte characters come out whole.
      if (t[i] === '%' && /^%[0-9a-fA-F]{2}/.test(t.slice(i, i + 3))) {
        const bytes: number[] = [];
        const at: number[] = [];
        while (i < t.length && /^%[0-9a-fA-F]{2}/.test(t.slice(i, i + 3))) {
          bytes.push(parseInt(t.slice(i + 1, i + 3), 16));
          at.push(i);
          i += 3;
        }
        let b = 0;
        while (b < bytes.length) {
          const len = utf8Length(bytes, b);
          const chars = len > 0 ? Buffer.from(bytes.slice(b, b + len)).toString('utf8') : '\ufffd';
          const used = Math.max(len, 1);
          for (let k = 0; k < chars.length; k++) {
            start.push(view.start[at[b]]);
            end.push(view.end[at[b + used - 1] + 2]);
          }
          text += chars;
          b += used;
        }
        continue;
      }
      text += plus && t[i] === '+' ? ' ' : t[i];
      start.push(view.start[i]);
      end.push(view.end[i]);
      i++;
    }
    return text === t ? undefined : { text, start: Int32Array.from(start), end: Int32Array.from(end) };
  };
}

/** Length of the valid UTF-8 sequence at `b`, or 0. */
function utf8Length(bytes: number[], b: number): number {
  const x = bytes[b];
  const len = x < 0x80 ? 1 : x >= 0xc2 && x < 0xe0 ? 2 : x >= 0xe0 && x < 0xf0 ? 3 : x >= 0xf0 && x < 0xf5 ? 4 : 0;
  if (len === 0 || b + len > bytes.length) return 0;
  for (let k = 1; k < len; k++) if ((bytes[b + k] & 0xc0) !== 0x80) return 0;
  return len;
}

const decoders = [unescapeBackslash, decodeEntities, percentDecoder(false), percentDecoder(true), decodePunycode];

/**
 * Adds the secrets of an environment: every entry of UPKEEP_SECRETS (the workflow's `toJSON(secrets)`),
 * GITHUB_TOKEN, and the `${{ env.NAME }}` values the checks use. Returns the names of values too
 * short to hide.
 */
export function addSecretsFrom(redactor: Redactor, env: Record<string, string | undefined>, referenced: Iterable<string> = []): string[] {
  const tooShort = new Set<string>();
  const offer = (name: string, value: unknown) => {
    if (typeof value === 'string' && value !== '' && !redactor.add(value)) tooShort.add(name);
  };
  if (env.UPKEEP_SECRETS) {
    try {
      const all = JSON.parse(env.UPKEEP_SECRETS) as unknown;
      if (all && typeof all === 'object') for (const [name, value] of Object.entries(all)) offer(name, value);
    } catch {
      // main() reports a malformed UPKEEP_SECRETS; nothing to add from it.
    }
  }
  for (const name of ['GITHUB_TOKEN', ...referenced]) offer(name, env[name]);
  return [...tooShort];
}

/** A new redactor with the secrets of `env` (see addSecretsFrom). */
export function redactorFor(env: Record<string, string | undefined>, referenced: Iterable<string> = []): { redactor: Redactor; tooShort: string[] } {
  const redactor = new Redactor();
  return { redactor, tooShort: addSecretsFrom(redactor, env, referenced) };
}
