/**
 * What both importers share: ids made from names, text cleaned of what no Upkeep file may hold,
 * the report they print, and the plan they hand to the writer (plan first, write second, as
 * `planIncidents` and `applyIncidentActions` do).
 */
import { ID_PATTERN } from '../status/vocabulary.ts';
import { withoutUnwanted } from '../text/plain.ts';

/** One file the import writes: its whole new text (`before` is what is there now, if anything). */
export type FileChange = { root: string; path: string; before?: string; after: string; what: string };

/** What the import prints: what it did, what it decided where the source and Upkeep differ, what it left behind, what to do next. */
export type Report = { done: string[]; decisions: string[]; notCarried: string[]; next: string[] };

export const emptyReport = (): Report => ({ done: [], decisions: [], notCarried: [], next: [] });

export type Plan = { files: FileChange[]; report: Report };

/** Only files whose text changes are written: a second import of the same source writes nothing. */
export const changed = (plan: Plan) => plan.files.filter((f) => f.before !== f.after);

const MAX_ID = 64;

/** A name as an id: "Git Operations" → "git-operations"; undefined when nothing of it is left (a name in another script). */
export function slugify(text: string, max = MAX_ID): string | undefined {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return undefined;
  if (slug.length <= max) return slug;
  // Cut at a word boundary when one is near, so ids do not end in half a word.
  const cut = slug.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return (dash >= max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/** `base`, or `base-2`, `base-3`… if taken; always a valid id, and added to `taken`. */
export function uniqueId(base: string, taken: Set<string>, max = MAX_ID): string {
  let id = base;
  for (let n = 2; taken.has(id) || !ID_PATTERN.test(id); n++) {
    const suffix = `-${n}`;
    id = `${base.slice(0, max - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(id);
  return id;
}

/** One line of text (a title, a name): no control characters, no line breaks, no runs of spaces. */
export const oneLine = (text: string) =>
  withoutUnwanted(text)
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .trim();

/** Several lines of text: line breaks normalised, control characters dropped, no trailing spaces on the whole. */
export const textBlock = (text: string) =>
  withoutUnwanted(text.replace(/\r\n?/g, '\n').replace(/[\u2028\u2029]/g, '\n'))
    .replace(/[ \t]+$/gm, '')
    .trim();

/** `n thing` / `n things`. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A UTC instant as Upkeep writes it (milliseconds only when there are some). */
export const instant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A date-time of an Upkeep maintenance window (no fractions of a second there). */
export const windowTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** A list for a message, shortened: "a, b, c and 4 more". */
export function listOf(items: readonly string[], max = 6): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
