import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

/** A temp directory removed when the test file ends. */
export async function tempDir(prefix = 'upkeep-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (path → text) under a new temp dir and returns it. */
export async function writeTree(files: Record<string, string>, prefix?: string): Promise<string> {
  const dir = await tempDir(prefix);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

export const SITE_YML = `site:
  title: Test CRM Status
  vendor: Test CRM
  time_zone: Europe/Prague
vars:
  base_url: http://127.0.0.1:9
groups:
  - id: core
    name: Core
components:
  - id: api
    name: REST API
    group: core
  - id: web
    name: Web app
    group: core
  - id: email
    name: Email sync
`;
