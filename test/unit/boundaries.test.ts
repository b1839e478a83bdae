/**
 * Where things go (CONTRIBUTING.md): the page is built from the domain, never the other way round.
 * Outside the site (src/site, the pages, components and layouts) only `upkeep build`, which builds
 * it, imports src/site/; the rules the page shows live in src/status/, shared text helpers in src/text/.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { it } from 'node:test';

const src = new URL('../../src/', import.meta.url).pathname;
const site = ['site/', 'pages/', 'components/', 'layouts/'];

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await files(path)));
    else if (/\.(ts|js)$/.test(e.name)) out.push(path);
  }
  return out;
}

it('nothing outside the site imports src/site/ (but the build command and `upkeep sla`, which recomputes a page of it)', async () => {
  const offenders: string[] = [];
  for (const file of await files(src)) {
    const rel = relative(src, file);
    if (site.some((s) => rel.startsWith(s)) || rel === 'cli/build.ts' || rel === 'cli/sla.ts') continue;
    for (const m of (await readFile(file, 'utf8')).matchAll(/from\s+'([^']+)'/g))
      if (/(^|\/)site\//.test(m[1]) && m[1].startsWith('.')) offenders.push(`${rel} → ${m[1]}`);
  }
  assert.deepEqual(offenders, []);
});
