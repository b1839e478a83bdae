import { hasReference, references, resolve } from '../../config/template.ts';
import type { ValidateContext } from '../kind.ts';
import type { ApiCheck, ApiStep } from './schema.ts';

/** What a journey fills in as it runs: values captured by earlier steps, and the run's own id. */
export const JOURNEY_SCOPES = ['captured', 'journey'] as const;
export const JOURNEY_NAMES = ['id'];

/**
 * Every `${{ captured.NAME }}` names a value an earlier step captures (a `finally` step may use any
 * step's), every `${{ journey.… }}` is `journey.id`, and each URL is http(s) once vars are filled in.
 */
export function validate(check: ApiCheck, ctx: ValidateContext): void {
  const known = new Map<string, number>();
  const all = new Set(check.steps.flatMap((s) => Object.keys(s.capture)));
  const visit = (step: ApiStep, path: PropertyKey[], available: (name: string) => boolean) => {
    for (const [field, text] of texts(step)) {
      for (const ref of references(text)) {
        if (ref.scope === 'captured' && !available(ref.name)) {
          const later = all.has(ref.name);
          ctx.at(
            [...path, ...field],
            later
              ? `${ref.text} is captured by a later step; a step can use only what steps before it captured`
              : `${ref.text} is never captured; add \`capture: { ${ref.name}: $.… }\` to an earlier step`,
          );
        } else if (ref.scope === 'journey' && !JOURNEY_NAMES.includes(ref.name)) {
          ctx.at([...path, ...field], `${ref.text} is not known; \${{ journey.id }} is the run's own id (for names that must be unique)`);
        }
      }
    }
    const url = resolve(step.url, { vars: ctx.vars, env: {} });
    if (!url.startsWith('${{') && !hasReference(url.split(/[/?#]/, 3).join('/'))) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url.replace(/\$\{\{[^}]*\}\}/g, 'x'));
      } catch {
        parsed = undefined;
      }
      if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
        ctx.at([...path, 'url'], `${JSON.stringify(url)} is not an http:// or https:// URL`);
    }
  };
  const seen = new Map<string, string>();
  for (const [list, label] of [
    [check.steps, 'steps'],
    [check.finally, 'finally'],
  ] as const) {
    list.forEach((step, i) => {
      // Step names are shown on the page and in failures: never a captured value, never a secret.
      if (references(step.name).length > 0) ctx.at([label, i, 'name'], 'a step name is shown on the page: write it without ${{ … }} references');
      const first = seen.get(step.name);
      if (first) ctx.at([label, i, 'name'], `two steps are named ${JSON.stringify(step.name)} (first at ${first}); give each its own name`);
      else seen.set(step.name, `${label}[${i}]`);
    });
  }
  check.finally.forEach((step, i) => {
    if (step.until?.since !== undefined)
      ctx.at(['finally', i, 'until', 'since'], '`since` measures a journey’s lag, which finally steps do not have; remove it');
  });
  check.steps.forEach((step, i) => {
    visit(step, ['steps', i], (name) => known.has(name));
    const since = step.until?.since;
    if (since !== undefined && !check.steps.slice(0, i).some((s) => s.name === since)) {
      const names = check.steps.slice(0, i).map((s) => JSON.stringify(s.name));
      ctx.at(['steps', i, 'until', 'since'], `${JSON.stringify(since)} is not the name of an earlier step${names.length ? ` (${names.join(', ')})` : ''}`);
    }
    for (const name of Object.keys(step.capture)) if (!known.has(name)) known.set(name, i);
  });
  check.finally.forEach((step, i) => {
    visit(step, ['finally', i], (name) => all.has(name));
  });
}

/** Each text of a step where a reference may be, with its path inside the step. */
function* texts(step: ApiStep): Generator<[PropertyKey[], string]> {
  yield [['url'], step.url];
  for (const [k, v] of Object.entries(step.headers)) yield [['headers', k], v];
  if (step.body !== undefined) yield [['body'], step.body];
  for (const [k, v] of Object.entries(step.form ?? {})) yield [['form', k], v];
  if (step.json !== undefined) yield [['json'], JSON.stringify(step.json)];
  yield [['expect'], JSON.stringify(step.expect)];
}
