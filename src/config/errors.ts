/** Turning zod issues into `file:line:col  path: message` lines a vendor can act on. */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { z } from 'zod';

export type ConfigError = { file: string; line: number; col: number; path: string; message: string };

export function formatError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.col}  ${e.path ? `${e.path}: ` : ''}${e.message}`;
}

export type PathKey = string | number;

/** `["checks", 1, "expect", "status"]` → `checks[1].expect.status` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const show = (v: unknown) => (v === undefined ? 'nothing' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Where in the file a path points: the value node, or the key when `atKey`, or the nearest existing parent. */
export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[], atKey = false): { line: number; col: number } {
  let node: unknown = doc.contents;
  let best: number = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node;
      const last = i === path.length - 1;
      if (atKey && last) {
        best = keyNode.range?.[0] ?? best;
        break;
      }
      const value = pair.value as Node | null;
      // An empty value (`url:`) has no range of its own; point at its key.
      best = value?.range && value.range[0] !== value.range[1] ? value.range[0] : (keyNode.range?.[0] ?? best);
      node = value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      best = item.range?.[0] ?? best;
      node = item;
    } else break;
  }
  return lines.linePos(best);
}

/** The value at `path` in plain data, for "got …" in messages. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** The keys an object schema accepts at `path`, for "did you mean". Follows unions by the data's discriminator. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], data: unknown): string[] {
  let s: unknown = schema;
  let v: unknown = data;
  for (let i = 0; ; i++) {
    s = unwrap(s, v);
    if (s === undefined) return [];
    const def = defOf(s);
    if (i === path.length) return def.type === 'object' ? Object.keys(def.shape as object) : [];
    const key = path[i];
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[String(key)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
    if (s === undefined) return [];
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  }
}

/** Looks through optional/default/pipe wrappers, and picks a union member by the data's discriminator. */
function unwrap(schema: unknown, value: unknown): unknown {
  let s = schema;
  for (;;) {
    const def = defOf(s);
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch'].includes(def.type)) s = def.innerType;
    else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'union') {
      const options = (def.options as unknown[]).filter((o) => defOf(o).type === 'object');
      const disc = def.discriminator as string | undefined;
      const kind = disc && value && typeof value === 'object' ? (value as Record<string, unknown>)[disc] : undefined;
      const match = options.find((o) => {
        const lit = (defOf(o).shape as Record<string, unknown>)[disc ?? ''];
        return lit !== undefined && (defOf(lit).values as unknown[] | undefined)?.includes(kind);
      });
      s = match ?? options[0];
      if (s === undefined) return undefined;
    } else return s;
  }
}

/** Damerau-free Levenshtein distance; short strings only. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest candidate when it is close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3))) return best;
  // A prefix is a typo too: "base" for "base_url".
  return word.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(word.toLowerCase())) : undefined;
}

export const didYouMean = (word: string, candidates: readonly string[]) => {
  const s = suggest(word, candidates);
  return s ? ` (did you mean "${s}"?)` : '';
};

/** One zod issue → messages with their paths (an unknown-keys issue gives one per key). */
export function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, data: unknown): { path: PropertyKey[]; message: string; atKey?: boolean }[] {
  const got = valueAt(data, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, issue.path, data);
      return issue.keys.map((key) => ({
        path: [...issue.path, key],
        atKey: true,
        message: `unknown key "${key}"${didYouMean(key, known)}${known.length && !suggest(key, known) ? `; allowed: ${known.join(', ')}` : ''}`,
      }));
    }
    case 'invalid_type':
      if (got === undefined) return [{ path: issue.path, message: `required ${article(issue.expected)}, but it is missing` }];
      return [{ path: issue.path, message: messageOr(issue, `expected ${article(issue.expected)}, got ${show(got)}`) }];
    case 'invalid_value':
      return [
        {
          path: issue.path,
          message: `expected ${issue.values.length === 1 ? show(issue.values[0]) : `one of ${issue.values.map(show).join(', ')}`}, got ${show(got)}${didYouMean(String(got), issue.values.map(String))}`,
        },
      ];
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const op = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      const what = issue.origin === 'array' ? 'items' : issue.origin === 'string' ? 'characters' : '';
      const fallback =
        issue.origin === 'array' || issue.origin === 'string'
          ? `expected ${op} ${String(bound)} ${what}, got ${Array.isArray(got) || typeof got === 'string' ? got.length : show(got)}`
          : `expected a number ${op} ${String(bound)}, got ${show(got)}`;
      return [{ path: issue.path, message: messageOr(issue, fallback) }];
    }
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const options = (issue as unknown as { options: string[] }).options ?? [];
        return [
          {
            path: issue.path,
            message: `expected one of ${options.map(show).join(', ')}, got ${show(got)}${didYouMean(String(got), options)}`,
          },
        ];
      }
      return [{ path: issue.path, message: messageOr(issue, `got ${show(got)}, which fits none of the allowed forms`) }];
    }
    case 'invalid_format':
      return [{ path: issue.path, message: messageOr(issue, `expected ${issue.format}, got ${show(got)}`) }];
    default:
      return [{ path: issue.path, message: issue.message }];
  }
}

/** Keep a message the schema wrote itself; replace zod's generic English. */
function messageOr(issue: z.core.$ZodIssue, fallback: string): string {
  return /^(Invalid|Too (small|big)|Expected|Unrecognized)/.test(issue.message) ? fallback : issue.message;
}

function article(type: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping (key: value lines)',
    array: 'a list (lines starting with "- ")',
    record: 'a mapping (key: value lines)',
  };
  return words[type] ?? type;
}
