import type { Io } from './io.ts';
import { loadOrFail } from './config.ts';

export async function validate(opts: { checks: string; env: Record<string, string | undefined> }, io: Io): Promise<void> {
  const config = await loadOrFail(opts.checks, { env: opts.env }, io);
  const files = new Set(Object.values(config.sources).map((s) => s.file)).size;
  io.out(`ok: ${config.checks.length} checks in ${files} files, ${config.components.length} components`);
}
