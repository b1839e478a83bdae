import { hasReference, resolve } from '../../config/template.ts';
import type { ValidateContext } from '../kind.ts';
import { validateTlsFiles } from '../shared.ts';
import type { HttpCheck } from './schema.ts';

/** A check Upkeep could not even attempt is a validation error, never a "down" sample: the URL must be http(s) once vars are filled in. */
export function validate(check: HttpCheck, ctx: ValidateContext): void {
  const url = resolve(check.url, { vars: ctx.vars, env: {} });
  if (!hasReference(url)) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) ctx.at(['url'], `${JSON.stringify(url)} is not an http:// or https:// URL`);
  }
  validateTlsFiles(check, ctx);
}
