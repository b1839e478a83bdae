/** The small JSONPath subset checks use: `$.a.b[0] == "ok"`, `$.depth < 100`, or a bare path (must exist, not null/false). */

const assertionPattern = /^\s*(\$(?:\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"]*"\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/;

/** Parses `$.a.b[0] == "ok"` into a path and an optional comparison; undefined if it is not one. */
export function parseJsonAssertion(text: string): { path: (string | number)[]; op?: string; value?: unknown } | undefined {
  const m = assertionPattern.exec(text);
  if (!m) return undefined;
  const path: (string | number)[] = [];
  for (const part of m[1].slice(1).matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]|\["([^"]*)"\]/g)) {
    path.push(part[1] ?? (part[2] !== undefined ? Number(part[2]) : part[3]));
  }
  if (!m[2]) return { path };
  try {
    return { path, op: m[2], value: JSON.parse(m[3]) };
  } catch {
    return undefined;
  }
}
