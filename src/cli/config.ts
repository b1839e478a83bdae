import { formatError } from '../config/errors.ts';
import { loadConfig, type Config, type LoadOptions } from '../config/load.ts';
import { InputError } from './errors.ts';
import { annotate, type Io } from './io.ts';

/** Loads checks or fails with every error listed, file:line:col first. */
export async function loadOrFail(dir: string, options: LoadOptions, io: Io): Promise<Config> {
  const { config, errors, warnings } = await loadConfig(dir, options);
  for (const w of warnings) io.err(`warning: ${w}`);
  if (!config) {
    for (const e of errors) {
      io.err(formatError(e));
      annotate(io, options.env ?? {}, 'error', e);
    }
    throw new InputError(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${dir}/`);
  }
  return config;
}
