/**
 * Characters no page, feed or file should carry: C0 and C1 control characters (tab, line feed and
 * carriage return aside) and unpaired surrogates. A NUL makes a feed invalid XML for every reader;
 * an escape sequence can rewrite a terminal that prints a log.
 */
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const hasUnwanted = (text: string) => new RegExp(UNWANTED.source).test(text);

/** `text` without the characters above. */
export const withoutUnwanted = (text: string) => text.replace(UNWANTED, '');

/** The first unwanted character of `text`, as "U+0000", for messages. */
export function firstUnwanted(text: string): string | undefined {
  const m = new RegExp(UNWANTED.source).exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** Every string inside a JSON-like value without unwanted characters. */
export function cleanDeep<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return hasUnwanted(v) ? withoutUnwanted(v) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
