/** Validation that several kinds share: TLS files (a private CA, a client certificate) and ports given as vars. */
import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { references } from '../config/template.ts';
import type { ValidateContext } from './kind.ts';

/** A file a check names: relative to the checks folder, or absolute. */
export const checkFile = (dir: string, path: string) => (isAbsolute(path) ? path : join(dir, path));

export function validateTlsFiles(check: { ca_file?: string; cert?: string; key?: string }, ctx: ValidateContext): void {
  if (check.ca_file) {
    const info = statSafe(checkFile(ctx.dir, check.ca_file));
    if (!info) ctx.at(['ca_file'], `${JSON.stringify(check.ca_file)} does not exist (a path is relative to the checks folder, or absolute)`);
    else if (!info.isFile()) ctx.at(['ca_file'], `${JSON.stringify(check.ca_file)} is not a regular file (a PEM file of CA certificates)`);
    else if (info.size > 1024 * 1024) ctx.at(['ca_file'], `${JSON.stringify(check.ca_file)} is ${info.size} bytes; a CA file may be at most 1 MB`);
  }
  if ((check.cert === undefined) !== (check.key === undefined)) ctx.at([check.cert === undefined ? 'key' : 'cert'], 'mutual TLS needs both `cert` and `key`');
  if (check.key !== undefined && !references(check.key).some((r) => r.scope === 'env')) {
    ctx.at(['key'], 'a private key written in a check file is public: put it in a repository secret and write `key: ${{ env.CRM_CLIENT_KEY }}`');
  }
}

const statSafe = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

/** `port: ${{ vars.NAME }}` must name a var that is a port. */
export function validatePortVar(check: { port: number | string }, ctx: ValidateContext): void {
  if (typeof check.port !== 'string') return;
  const ref = references(check.port).find((r) => r.scope === 'vars');
  const value = ref && ctx.vars[ref.name];
  if (value !== undefined && !(/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65_535)) {
    ctx.at(['port'], `${check.port} is ${JSON.stringify(value)}, not a port number 1–65535`);
  }
}
