/** `upkeep dev`: the vendor's own page, locally, kept fresh. */
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type DevOptions = { checks: string; history: string; port: number; env: Record<string, string | undefined>; browserPath?: string };

export async function dev(_opts: DevOptions, _io: Io): Promise<void> {
  throw new InputError('dev is not built yet');
}
