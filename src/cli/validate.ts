import { formatError } from '../config/errors.ts';
import { loadIncidents } from '../history/incidents.ts';
import { loadOrFail } from './config.ts';
import { InputError } from './errors.ts';
import { annotate, type Io } from './io.ts';

/** Checks, site, maintenance and incident files: every error at once, file:line:col. */
export async function validate(
  opts: { checks: string; history: string; env: Record<string, string | undefined>; allowMissingSecrets?: boolean },
  io: Io,
): Promise<void> {
  const config = await loadOrFail(opts.checks, { env: opts.env, requireEnv: !opts.allowMissingSecrets }, io);
  const { incidents, errors } = await loadIncidents(
    opts.history,
    config.components.map((c) => c.id),
    config.instances.map((i) => i.id),
    config.site,
  );
  for (const e of errors) {
    io.err(formatError(e));
    annotate(io, opts.env, 'error', e);
  }
  if (errors.length > 0) throw new InputError(`${errors.length} error${errors.length === 1 ? '' : 's'} in incident files`);
  const files = new Set(Object.values(config.sources).map((s) => s.file)).size;
  io.out(
    `ok: ${config.checks.length} checks in ${files} files, ${config.components.length} components, ${config.maintenance.length} maintenance windows, ${incidents.length} incidents`,
  );
}
