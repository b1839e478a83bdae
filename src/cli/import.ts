/** `upkeep import statuspage|upptime`: bring a page over from another status page. */
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type ImportOptions = {
  kind: 'statuspage' | 'upptime';
  from: string;
  checks: string;
  history: string;
  dryRun: boolean;
  env: Record<string, string | undefined>;
};

export async function importFrom(opts: ImportOptions, _io: Io): Promise<void> {
  throw new InputError(`import ${opts.kind} is not built yet`);
}
