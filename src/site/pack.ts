/**
 * The view model as JSON with its shared objects written once. The site's view shares objects
 * (a group holds its components, an instance its checks' views, which are the site's own); plain
 * JSON writes each again wherever it appears, which at 1,000 checks made a 183 MiB file for every
 * page render to parse. Here an object met a second time is written as `{"$ref": n}`, and its first
 * appearance carries `"$id": n`; `unpack` restores one object in every place. No JSON library
 * keeps object identity without a schema, and the view's keys never start with `$`.
 */

const ID = '$id';
const REF = '$ref';

export function pack(value: unknown): string {
  const seen = new Set<object>();
  const shared: object[] = [];
  const count = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (seen.has(v)) {
      if (!Array.isArray(v)) shared.push(v);
      return;
    }
    seen.add(v);
    if (Array.isArray(v)) for (const x of v) count(x);
    else
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith('$')) throw new Error(`pack: the key "${k}" would be read as a reference`);
        count(x);
      }
  };
  count(value);
  // JSON.stringify itself writes everything; a shared object answers its `toJSON` with itself and
  // an id the first time, with a reference after (stringify meets them in document order). Arrays
  // are not shared in the view; one that is is written again, which is only longer.
  let next = 0;
  for (const v of new Set(shared)) {
    let id: number | undefined;
    Object.defineProperty(v, 'toJSON', {
      configurable: true,
      value: () => {
        if (id !== undefined) return { [REF]: id };
        id = next++;
        return { [ID]: id, ...v };
      },
    });
  }
  try {
    return JSON.stringify(value);
  } finally {
    for (const v of shared) delete (v as { toJSON?: unknown }).toJSON;
  }
}

/** The value `pack` wrote, with every `$ref` the object its `$id` names (they come first in document order). */
export function unpack<T>(json: string): T {
  const byId = new Map<number, unknown>();
  const walk = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    if (REF in o) return byId.get(o[REF] as number);
    if (ID in o) {
      byId.set(o[ID] as number, o);
      delete o[ID];
    }
    for (const k of Object.keys(o)) o[k] = walk(o[k]);
    return o;
  };
  return walk(JSON.parse(json)) as T;
}
