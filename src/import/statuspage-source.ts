/**
 * Reading a Statuspage page: its v2 JSON from a folder of saved files or from the live address.
 * What comes back is someone else's data, so every item is checked on its own: a bad one is left
 * out and named, never trusted and never fatal for the rest.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { z } from 'zod';
import { reasonOf } from '../probes/errors.ts';
import { InputError } from '../cli/errors.ts';
import { count } from './common.ts';

const text = z.string();
const maybe = <T extends z.ZodType>(t: T) => t.nullish().catch(undefined);

export const spComponent = z.object({
  id: text.min(1),
  name: text.min(1),
  description: maybe(text),
  position: maybe(z.number()),
  group_id: maybe(text),
  group: maybe(z.boolean()),
  components: maybe(z.array(text)),
  only_show_if_degraded: maybe(z.boolean()),
  showcase: maybe(z.boolean()),
  status: maybe(text),
});

export const spUpdate = z.object({
  id: maybe(text),
  status: text.min(1),
  body: maybe(text),
  created_at: text.min(1),
  display_at: maybe(text),
  affected_components: maybe(z.array(z.object({ code: maybe(text), name: maybe(text), new_status: maybe(text) }).catch({}))),
});

export const spIncident = z.object({
  id: text.min(1),
  name: text.min(1),
  status: text.min(1),
  impact: maybe(text),
  created_at: text.min(1),
  started_at: maybe(text),
  resolved_at: maybe(text),
  shortlink: maybe(text),
  scheduled_for: maybe(text),
  scheduled_until: maybe(text),
  postmortem_body: maybe(text),
  incident_updates: z.array(z.unknown()).default([]),
  components: maybe(z.array(z.unknown())),
});

const spPage = z.object({ id: text.min(1), name: text.min(1), url: maybe(text), time_zone: maybe(text) });

export type SpComponent = z.output<typeof spComponent>;
export type SpUpdate = z.output<typeof spUpdate>;
export type SpIncident = Omit<z.output<typeof spIncident>, 'incident_updates' | 'components'> & { incident_updates: SpUpdate[]; components: SpComponent[] };
export type SpPage = z.output<typeof spPage>;

/** Everything read from one page, merged over its files (the newest copy of an item wins). */
export type SpBundle = {
  page: SpPage;
  components: SpComponent[];
  incidents: SpIncident[];
  maintenances: SpIncident[];
  /** What was read: "summary.json (11 components, 1 incident)". */
  read: string[];
  /** Items or files left out, and why. */
  skipped: string[];
};

/** A saved or fetched v2 answer: the page and whichever lists it has. */
type Payload = { name: string; page: SpPage; components?: unknown[]; incidents?: unknown[]; scheduled_maintenances?: unknown[] };

/** Files larger than this are refused: the biggest real answers are a few hundred KB. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

function payloadOf(name: string, data: unknown): Payload | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  const page = spPage.safeParse(d.page);
  const lists = ['components', 'incidents', 'scheduled_maintenances'].filter((k) => Array.isArray(d[k]));
  if (!page.success || lists.length === 0) return undefined;
  return {
    name,
    page: page.data,
    ...(Array.isArray(d.components) ? { components: d.components } : {}),
    ...(Array.isArray(d.incidents) ? { incidents: d.incidents } : {}),
    ...(Array.isArray(d.scheduled_maintenances) ? { scheduled_maintenances: d.scheduled_maintenances } : {}),
  };
}

/** The saved v2 files in `dir` (and in `dir/api/v2/`): every `*.json` whose content is a Statuspage answer, whatever its name. */
export async function readStatuspageDir(dir: string): Promise<SpBundle> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new InputError(
      `--from ${dir}: no such folder${/^[\w-]+(\.[\w-]+)+\/?$/.test(dir) ? ` (for a page's address, give https://${dir.replace(/\/$/, '')})` : ''}`,
    );
  const payloads: Payload[] = [];
  const skipped: string[] = [];
  for (const folder of [dir, join(dir, 'api', 'v2')]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = join(folder, name);
      const shown = folder === dir ? name : `api/v2/${name}`;
      const stat = await lstat(file);
      if (!stat.isFile()) {
        skipped.push(`${shown}: not a regular file`);
        continue;
      }
      if (stat.size > MAX_PAYLOAD_BYTES) {
        skipped.push(`${shown}: ${(stat.size / 1024 / 1024).toFixed(0)} MB, over the ${MAX_PAYLOAD_BYTES / 1024 / 1024} MB a Statuspage answer can be`);
        continue;
      }
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        skipped.push(`${shown}: not JSON (${(e as Error).message})`);
        continue;
      }
      const p = payloadOf(shown, data);
      if (p) payloads.push(p);
      else skipped.push(`${shown}: not a Statuspage v2 answer (no page with components, incidents or scheduled_maintenances)`);
    }
  }
  if (payloads.length === 0)
    throw new InputError(
      `--from ${dir}: no Statuspage v2 files found (save https://<page>/api/v2/summary.json, incidents.json and scheduled-maintenances.json there, or give the page's address)${skipped.length ? `; skipped: ${skipped.join('; ')}` : ''}`,
    );
  return bundle(payloads, skipped);
}

export type FetchOptions = { timeoutMs?: number; maxBytes?: number; userAgent?: string };

/** The live page at `address`: summary.json (needed), incidents.json and scheduled-maintenances.json (each if the page has it). */
export async function fetchStatuspage(address: string, opts: FetchOptions = {}): Promise<SpBundle> {
  const base = apiBase(address);
  const payloads: Payload[] = [];
  const skipped: string[] = [];
  for (const name of ['summary.json', 'incidents.json', 'scheduled-maintenances.json']) {
    const url = new URL(name, base);
    const answer = await getJson(url, opts);
    if (answer === 'missing') {
      if (name === 'summary.json') throw new InputError(`${url.href} answered 404: is ${address} a Statuspage page?`);
      skipped.push(`${name}: the page answered 404`);
      continue;
    }
    const p = payloadOf(name, answer);
    if (!p) {
      if (name === 'summary.json') throw new InputError(`${url.href} is not a Statuspage v2 answer (no page with components and incidents)`);
      skipped.push(`${name}: not a Statuspage v2 answer`);
      continue;
    }
    payloads.push(p);
  }
  return bundle(payloads, skipped);
}

/** `https://status.example.com`, `…/api/v2`, `…/api/v2/summary.json` → `https://status.example.com/api/v2/`. */
export function apiBase(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new InputError(`--from ${address}: not an address`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`--from ${address}: only http:// and https:// addresses can be read`);
  if (url.username || url.password) throw new InputError(`--from ${url.host}: give the address without a user name or password`);
  const path = url.pathname.replace(/\/api\/v2(\/.*)?$/, '').replace(/\/+$/, '');
  return new URL(`${url.origin}${path}/api/v2/`);
}

const REDIRECTS = 3;

async function getJson(start: URL, opts: FetchOptions): Promise<unknown | 'missing'> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? MAX_PAYLOAD_BYTES;
  let url = start;
  for (let hop = 0; ; hop++) {
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': opts.userAgent ?? 'upkeep-import' },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const { reason, message } = reasonOf(e);
      throw new InputError(`could not read ${url.href}: ${reason} (${message})`);
    }
    const { statusCode, headers, body } = res;
    if ([301, 302, 303, 307, 308].includes(statusCode) && typeof headers.location === 'string' && hop < REDIRECTS) {
      await body.dump();
      const next = new URL(headers.location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new InputError(`${url.href} redirects to ${next.protocol} address; only http(s) is read`);
      url = next;
      continue;
    }
    if (statusCode === 404) {
      await body.dump();
      return 'missing';
    }
    if (statusCode !== 200) {
      await body.dump();
      throw new InputError(`${url.href} answered ${statusCode}${statusCode >= 300 && statusCode < 400 ? ' (too many redirects)' : ''}`);
    }
    const declared = Number(headers['content-length']);
    if (declared > maxBytes) {
      body.destroy();
      throw new InputError(
        `${url.href} is ${(declared / 1024 / 1024).toFixed(0)} MB, over the ${(maxBytes / 1024 / 1024).toFixed(0)} MB a Statuspage answer can be`,
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        size += chunk.length;
        if (size > maxBytes) {
          body.destroy();
          throw new InputError(`${url.href} sent more than ${(maxBytes / 1024 / 1024).toFixed(0)} MB, more than a Statuspage answer can be`);
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      const { reason, message } = reasonOf(e);
      throw new InputError(`could not read ${url.href}: ${reason} (${message})`);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new InputError(`${url.href} did not answer JSON (content-type ${String(headers['content-type'] ?? 'none')}): is it a Statuspage page?`);
    }
  }
}

/** Later copies of the same incident or component (a newer file, incidents.json after summary.json) replace earlier ones if newer. */
function bundle(payloads: Payload[], skipped: string[]): SpBundle {
  const pages = new Map(payloads.map((p) => [p.page.id, p.page]));
  if (pages.size > 1) {
    const which = payloads.map((p) => `${p.name}: ${p.page.name} (${p.page.id})`).join('; ');
    throw new InputError(`these files come from ${pages.size} different pages; import one page at a time: ${which}`);
  }
  const components = new Map<string, SpComponent>();
  const incidents = new Map<string, SpIncident>();
  const maintenances = new Map<string, SpIncident>();
  const read: string[] = [];
  for (const p of payloads) {
    const parts: string[] = [];
    if (p.components) {
      const ok = items(p.components, spComponent, `${p.name} components`, skipped);
      for (const c of ok) components.set(c.id, c);
      parts.push(count(ok.length, 'component'));
    }
    for (const [list, into, word] of [
      [p.incidents, incidents, 'incident'],
      [p.scheduled_maintenances, maintenances, 'scheduled maintenance'],
    ] as const) {
      if (!list) continue;
      const ok = items(list, spIncident, `${p.name} ${word}s`, skipped).map((i) => ({
        ...i,
        incident_updates: items(i.incident_updates, spUpdate, `${p.name} ${word} ${i.id} updates`, skipped),
        components: items(i.components ?? [], spComponent, `${p.name} ${word} ${i.id} components`, skipped),
      }));
      for (const i of ok) {
        const had = into.get(i.id);
        if (!had || newest(i) >= newest(had)) into.set(i.id, i);
      }
      parts.push(count(ok.length, word, word === 'incident' ? 'incidents' : 'scheduled maintenances'));
    }
    read.push(`${p.name} (${parts.join(', ')})`);
  }
  return {
    page: payloads[0].page,
    components: [...components.values()],
    incidents: [...incidents.values()],
    maintenances: [...maintenances.values()],
    read,
    skipped,
  };
}

const newest = (i: SpIncident) => Math.max(0, ...i.incident_updates.map((u) => Date.parse(u.display_at ?? u.created_at) || 0));

function items<T extends z.ZodType>(list: readonly unknown[], schema: T, where: string, skipped: string[]): z.output<T>[] {
  const out: z.output<T>[] = [];
  list.forEach((item, k) => {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else {
      const issue = r.error.issues[0];
      skipped.push(`${where}[${k}]: ${issue.path.join('.') || 'item'} ${issue.message.toLowerCase()}`);
    }
  });
  return out;
}
