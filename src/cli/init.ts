/** `upkeep init`: a vendor's repository, scaffolded in place. */
import { InputError } from './errors.ts';
import type { Io } from './io.ts';

export type InitOptions = { dir: string; force: boolean; interactive: boolean; vendor?: string; checkUrl?: string; timeZone?: string; language?: string };

export async function init(_opts: InitOptions, _io: Io): Promise<void> {
  throw new InputError('init is not built yet');
}
