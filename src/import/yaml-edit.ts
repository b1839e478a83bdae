/**
 * Adding to a vendor's YAML file without touching what they wrote: new list items are spliced in
 * as text after the list's last item, so every byte before them (comments, alignment, quoting)
 * stays as it was and the diff is only the new lines. The result is parsed again and must hold
 * exactly the old data plus the new items; if the file's shape makes splicing unsafe (a flow list,
 * a list that is not where expected), the yaml Document API does it instead, which keeps the
 * comments but may re-space lines.
 */
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';

/** A list item to add: its data, a comment at the end of its `id:` line, comment lines above it. */
export type NewItem = { value: Record<string, unknown>; marker?: string; above?: string[] };

/** An item already in a file's list: its data and the comments on or above its `id:` line. */
export type ExistingItem = { data: Record<string, unknown>; comments: string };

const render = { lineWidth: 0 } as const;

function topPair(doc: Document, key: string): Pair | undefined {
  const contents = doc.contents;
  if (!isMap(contents)) return undefined;
  return contents.items.find((p) => isScalar(p.key) && p.key.value === key);
}

/** The items of the list under `key` (none when the file or the key is missing, or it is not a list). */
export function listItems(text: string | undefined, key: string): ExistingItem[] {
  if (text === undefined) return [];
  const doc = parseDocument(text);
  const list = topPair(doc, key)?.value;
  if (!isSeq(list)) return [];
  return list.items.flatMap((item) => {
    if (!isMap(item)) return [];
    const idPair = item.items.find((p) => isScalar(p.key) && p.key.value === 'id');
    const idNode = idPair?.value as Scalar | undefined;
    const comments = [item.commentBefore, (idPair?.key as Scalar | undefined)?.commentBefore, idNode?.comment, idNode?.commentBefore]
      .filter(Boolean)
      .join('\n');
    return [{ data: item.toJSON() as Record<string, unknown>, comments }];
  });
}

/** The first `tag: value` in comments (`# statuspage: 8l4ygp009s5s`). */
export function markerIn(comments: string, tag: string): string | undefined {
  return new RegExp(`\\b${tag}:\\s*([a-z0-9][a-z0-9-]*)`).exec(comments)?.[1];
}

function renderItem(item: NewItem, indent: string): string {
  const doc = new Document([item.value]);
  if (item.marker) {
    const map = (doc.contents as unknown as { items: YAMLMap[] }).items[0];
    const first = map.items[0]?.value as Scalar | undefined;
    if (first) first.comment = ` ${item.marker}`;
  }
  const lines = doc.toString(render).trimEnd().split('\n');
  const above = (item.above ?? []).map((c) => (c ? `# ${c}` : '#'));
  return [...above, ...lines].map((l) => (l ? indent + l : l)).join('\n');
}

/** The end of the line `offset` is on, after stepping back over the blank space before it. */
function endOfLine(text: string, offset: number): number {
  let at = Math.min(offset, text.length);
  while (at > 0 && /\s/.test(text[at - 1])) at--;
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

const dataOf = (text: string) => parseDocument(text).toJS() as Record<string, unknown> | null;

/** `text` with `items` added to the list under `key` (made when missing); the rest of the file as it was. */
export function appendToList(text: string, key: string, items: readonly NewItem[]): string {
  if (items.length === 0) return text;
  const before = dataOf(text) ?? {};
  const want = { ...before, [key]: [...((before[key] as unknown[] | null | undefined) ?? []), ...items.map((i) => i.value)] };
  const spliced = splice(text, key, items);
  if (spliced !== undefined && isDeepStrictEqual(dataOf(spliced), want)) return spliced;
  const doc = parseDocument(text);
  const list = topPair(doc, key)?.value;
  const nodes = items.map((item) => {
    const node = doc.createNode(item.value) as YAMLMap;
    const first = node.items[0]?.value as Scalar | undefined;
    if (item.marker && first) first.comment = ` ${item.marker}`;
    if (item.above?.length) node.commentBefore = item.above.map((c) => ` ${c}`).join('\n');
    return node;
  });
  if (isSeq(list)) for (const n of nodes) list.add(n);
  else doc.set(key, doc.createNode(nodes));
  const out = doc.toString(render);
  if (!isDeepStrictEqual(dataOf(out), want)) throw new Error(`could not add to ${key}: the file's data would change`);
  return out;
}

function splice(text: string, key: string, items: readonly NewItem[]): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !(isMap(doc.contents) || doc.contents === null)) return undefined;
  const pair = topPair(doc, key);
  const withNewline = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  if (!pair) {
    const body = items.map((i) => renderItem(i, '  ')).join('\n');
    return `${withNewline(text)}${text.trim() ? '\n' : ''}${key}:\n${body}\n`;
  }
  const value = pair.value as Node | null;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyEnd = (pair.key as Scalar).range?.[1];
    if (keyEnd === undefined) return undefined;
    const at = endOfLine(text, keyEnd + 1);
    const body = items.map((i) => renderItem(i, '  ')).join('\n');
    return withNewline(`${text.slice(0, at)}\n${body}${text.slice(at)}`);
  }
  if (!isSeq(value) || value.flow || !value.range) return undefined;
  const indent = ' '.repeat(columnOf(text, value.range[0]));
  const at = endOfLine(text, value.range[1]);
  const body = items.map((i) => renderItem(i, indent)).join('\n');
  return withNewline(`${text.slice(0, at)}\n${body}${text.slice(at)}`);
}

/** `text` with `# marker` at the end of the `id: <id>` line of the list item under `key`, unless that line has a comment already. */
export function markItem(text: string, key: string, id: string, marker: string): string {
  const doc = parseDocument(text);
  const list = topPair(doc, key)?.value;
  if (!isSeq(list)) return text;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const node = item.items.find((p) => isScalar(p.key) && p.key.value === 'id')?.value;
    if (!isScalar(node) || node.value !== id || !node.range) continue;
    const at = endOfLine(text, node.range[1]);
    if (text.slice(node.range[1], at).includes('#') || node.comment) return text;
    const out = `${text.slice(0, at).replace(/[ \t]+$/, '')} # ${marker}${text.slice(at)}`;
    return isDeepStrictEqual(dataOf(out), dataOf(text)) ? out : text;
  }
  return text;
}

/** A new YAML file: comment lines (the schema line first), then the data. */
export function newYamlFile(header: readonly string[], data: Record<string, unknown>, lists: Record<string, readonly NewItem[]> = {}): string {
  const head = header.map((l) => `# ${l}`).join('\n');
  const plain = Object.keys(data).length ? new Document(data).toString(render) : '';
  let text = `${head}${head ? '\n' : ''}${plain}`;
  for (const [key, items] of Object.entries(lists)) {
    if (items.length === 0) continue;
    text = appendToList(text, key, items);
  }
  return text;
}
