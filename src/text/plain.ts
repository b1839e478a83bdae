/**
 * Characters no page, feed or file should carry: C0 and C1 control characters (tab, line feed and
 * carriage return aside) and unpaired surrogates. A NUL makes a feed invalid XML for every reader;
 * an escape sequence can rewrite a terminal that prints a log.
 */
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Not global: `test` keeps no position between calls. */
const ANY_UNWANTED = new RegExp(UNWANTED.source);

export const hasUnwanted = (text: string) => ANY_UNWANTED.test(text);

/** `text` without the characters above. */
export const withoutUnwanted = (text: string) => text.replace(UNWANTED, '');

/** The first unwanted character of `text`, as "U+0000", for messages. */
export function firstUnwanted(text: string): string | undefined {
  const m = new RegExp(UNWANTED.source).exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Every string inside a JSON-like value without unwanted characters (see `mapStrings`). */
export function cleanDeep<T>(value: T): T {
  return mapStrings(value, (v) => (hasUnwanted(v) ? withoutUnwanted(v) : v));
}

/**
 * `change` applied to every string inside a JSON-like value, except under the keys `keep` names.
 * What `change` leaves as it was comes back as the same object, not a copy, and an object met twice
 * (the site's view shares a check's view between the site and its instance) is walked once and
 * stays shared: a view of 1,000 checks is a few hundred megabytes when copied.
 */
export function mapStrings<T>(value: T, change: (text: string) => string, keep: (key: string) => boolean = () => false): T {
  const done = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return change(v);
    if (!v || typeof v !== 'object') return v;
    const known = done.get(v);
    if (known !== undefined) return known;
    let out: unknown = v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i]);
        if (x === v[i]) continue;
        if (out === v) out = [...v];
        (out as unknown[])[i] = x;
      }
    } else {
      for (const [k, x] of Object.entries(v)) {
        if (keep(k)) continue;
        const y = walk(x);
        if (y === x) continue;
        if (out === v) out = { ...v };
        (out as Record<string, unknown>)[k] = y;
      }
    }
    done.set(v, out);
    return out;
  };
  return walk(value) as T;
}
