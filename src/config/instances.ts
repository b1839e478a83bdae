/**
 * Instances: a check with `for_each: instances` is one definition and one check per instance of
 * site.yml, its id `check@instance` (stable: renaming neither the check nor the instance moves
 * history), with `${{ instance.NAME }}` filled in its fields (id, name, region and the instance's
 * own vars). Expanded when the configuration loads, so everything after sees plain checks.
 */
import type { Check } from './schema.ts';
import { didYouMean } from './errors.ts';
import { references, substitute } from './template.ts';
import { instanceCheckId } from '../status/vocabulary.ts';

export type Instance = { id: string; name: string; region?: string; hosts: string[]; aliases: string[]; vars: Record<string, string> };

/** What `${{ instance.NAME }}` can name for one instance. */
export const instanceValues = (i: Instance): Record<string, string> => ({ ...i.vars, id: i.id, name: i.name, ...(i.region ? { region: i.region } : {}) });

export type Located<C> = { check: C; index: number };

/**
 * Each check once per instance it is for; `at` reports a problem at a path inside the original
 * check (an unknown instance, a value no instance has). Checks without `for_each` pass unchanged.
 */
export function expandInstances<C extends Located<Check>>(
  checks: readonly C[],
  instances: readonly Instance[],
  at: (c: C, path: PropertyKey[], message: string) => void,
): C[] {
  const ids = instances.map((i) => i.id);
  const out: C[] = [];
  for (const c of checks) {
    const { for_each, instance } = c.check;
    if (for_each === undefined) {
      if (instance !== undefined && !ids.includes(instance)) at(c, ['instance'], unknown(instance, ids));
      for (const { path, text } of strings(c.check))
        for (const ref of references(text))
          if (ref.scope === 'instance') at(c, path, `${ref.text} is only filled in a check with \`for_each: instances\` (or a list of instance ids)`);
      out.push(c);
      continue;
    }
    if (instances.length === 0) {
      at(c, ['for_each'], 'site.yml declares no `instances:`; add them (id, name, region) or remove `for_each`');
      continue;
    }
    if (instance !== undefined) at(c, ['instance'], '`instance` is set by `for_each`; write one of them');
    const chosen =
      for_each === 'instances'
        ? instances
        : for_each.flatMap((id, k) => {
            const found = instances.find((i) => i.id === id);
            if (!found) at(c, ['for_each', k], unknown(id, ids));
            return found ? [found] : [];
          });
    const reported = new Set<string>();
    // The definition's `${{ instance.* }}` references, found once (not once per instance).
    const wanted = [...strings(c.check)].flatMap(({ path, text }) =>
      references(text)
        .filter((ref) => ref.scope === 'instance')
        .map((ref) => ({ path, ref })),
    );
    for (const inst of chosen) {
      const values = instanceValues(inst);
      for (const { path, ref } of wanted) {
        if (values[ref.name] !== undefined || reported.has(`${path.join('.')}:${ref.name}`)) continue;
        reported.add(`${path.join('.')}:${ref.name}`);
        const lacking = chosen.filter((i) => instanceValues(i)[ref.name] === undefined).map((i) => i.id);
        at(
          c,
          path,
          `${ref.text} is not set for ${lacking.length === chosen.length ? 'any instance' : `instance ${lacking.join(', ')}`}${didYouMean(ref.name, Object.keys(values))}; instances have id, name, region and their own \`vars:\` in site.yml`,
        );
      }
      const filled = fill(c.check, values) as Check;
      out.push({ ...c, check: { ...filled, id: instanceCheckId(c.check.id, inst.id), instance: inst.id, for_each: undefined } as Check });
    }
  }
  return out;
}

const unknown = (id: string, ids: readonly string[]) => `unknown instance "${id}"${didYouMean(id, ids)}; instances are declared in site.yml`;

/** The value with `${{ instance.* }}` filled in; parts without a reference are shared, not copied (50 instances, 50 copies otherwise). */
function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.includes('${{') ? substitute(value, (scope, name) => (scope === 'instance' ? values[name] : undefined)) : value;
  if (Array.isArray(value)) {
    const out = value.map((v) => fill(v, values));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const r = fill(v, values);
      if (r === v) continue;
      out ??= { ...value };
      out[k] = r;
    }
    return out ?? value;
  }
  return value;
}

function* strings(value: unknown, path: PropertyKey[] = []): Generator<{ path: PropertyKey[]; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}
