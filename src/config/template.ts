/**
 * `${{ vars.NAME }}` and `${{ env.NAME }}` references in check fields.
 * Values from `env` are secrets: the probe run hands them to its redactor, so every text it writes is cleaned of them.
 */

export type Reference = { scope: string; name: string; text: string; index: number };

const pattern = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}|\$\{\{[^}]*\}\}/g;

/** Whether `text` still holds a reference (one that was not filled in). */
export const hasReference = (text: string) => text.includes('${{');

/** `text` with every reference replaced by `with`, to check what is around them. */
export const withoutReferences = (text: string, replacement: string) => text.replace(pattern, replacement);

/** Exactly one `${{ vars.NAME }}` and nothing else (a port given as a var); a regex, so the JSON Schema carries it. */
export const VAR_REFERENCE = /^\$\{\{\s*vars\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/;

/** The names of the `${{ env.NAME }}` references anywhere inside a JSON-like value. */
export function envNames(value: unknown): string[] {
  return [
    ...new Set(
      references(JSON.stringify(value) ?? '')
        .filter((r) => r.scope === 'env')
        .map((r) => r.name),
    ),
  ];
}

export function references(text: string): Reference[] {
  return [...text.matchAll(pattern)].map((m) => ({
    scope: m[1] ?? '',
    name: m[2] ?? '',
    text: m[0],
    index: m.index,
  }));
}

/** Replaces each reference `lookup` knows (by scope and name); the others stay as written. */
export function substitute(text: string, lookup: (scope: string, name: string) => string | undefined): string {
  return text.replace(pattern, (whole, scope: string | undefined, name: string | undefined) => (scope && name ? lookup(scope, name) : undefined) ?? whole);
}

export type Scope = { vars: Record<string, string>; env: Record<string, string | undefined> };

/** Where resolved secret values go (the run's redactor). */
export type SecretSink = { add(value: string): unknown };

/** Substitutes references; `secrets` collects every env value used. Unknown references were refused by validation. */
export function resolve(text: string, scope: Scope, secrets?: SecretSink): string {
  if (!text.includes('${{')) return text;
  return text.replace(pattern, (whole, kind: string | undefined, name: string | undefined) => {
    if (kind === 'vars' && name && scope.vars[name] !== undefined) return scope.vars[name];
    if (kind === 'env' && name && scope.env[name] !== undefined) {
      const value = scope.env[name]!;
      if (value) secrets?.add(value);
      return value;
    }
    return whole;
  });
}

/**
 * Applies `resolve` to every string inside a JSON-like value. What holds no reference comes back
 * as it was, not copied: a probe round resolves every check, and most have nothing to fill.
 */
export function resolveDeep<T>(value: T, scope: Scope, secrets?: SecretSink): T {
  if (typeof value === 'string') return resolve(value, scope, secrets) as T;
  if (Array.isArray(value)) {
    const out = value.map((v) => resolveDeep(v, scope, secrets));
    return (out.some((v, i) => v !== value[i]) ? out : value) as T;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const r = resolveDeep(v, scope, secrets);
      if (r === v) continue;
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = r;
    }
    return (out ?? value) as T;
  }
  return value;
}
