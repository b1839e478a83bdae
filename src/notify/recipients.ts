/**
 * Subscribers of a subscriber channel, from a secret or from a private URL the vendor names (never
 * from the repository). Text: one subscriber per line, `address` or `address: component, component`
 * (`#` starts a comment). JSON: `[{ "address", "components"?, "language"? }]`, or `{ "subscribers": [...] }`.
 * Addresses are never printed: a bad entry is reported by its line number.
 */
import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { supportedLanguages } from '../config/schema.ts';
import type { Recipient } from './sink.ts';

const MAX_BYTES = 8 * 1024 * 1024;
const EMAIL = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

export type RecipientKind = 'email' | 'url';
export type Recipients = { recipients: Recipient[]; problems: string[] };

/** A subscriber's key in the ledger: keyed by the channel's secret, so the public ledger does not confirm who subscribed. */
export const recipientKey = (secret: string, address: string) => createHmac('sha256', secret).update(address.toLowerCase()).digest('hex').slice(0, 16);

const validAddress = (kind: RecipientKind, a: string) => {
  if (kind === 'email') return EMAIL.test(a) && a.length <= 254;
  try {
    const u = new URL(a);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
};

/** Parses the list (text or JSON); `secret` keys the ledger hashes. */
export function parseRecipients(text: string, kind: RecipientKind, secret: string, componentIds: readonly string[]): Recipients {
  const problems: string[] = [];
  const out = new Map<string, Recipient>();
  const add = (where: string, address: unknown, components: unknown, language: unknown) => {
    if (typeof address !== 'string' || !validAddress(kind, address.trim())) {
      problems.push(`${where}: not ${kind === 'email' ? 'an email address' : 'an http(s) address'}`);
      return;
    }
    const list = Array.isArray(components) ? components.filter((c): c is string => typeof c === 'string') : [];
    const unknown = list.filter((c) => !componentIds.includes(c));
    // Only the count: a misplaced comma can put another subscriber's address where a component goes.
    if (unknown.length) problems.push(`${where}: ${unknown.length} unknown component${unknown.length > 1 ? 's' : ''} (left out)`);
    const known = list.filter((c) => componentIds.includes(c));
    if (list.length > 0 && known.length === 0) return;
    const lang = typeof language === 'string' && (supportedLanguages as readonly string[]).includes(language) ? language : undefined;
    const a = address.trim();
    out.set(a.toLowerCase(), { address: a, key: recipientKey(secret, a), ...(known.length ? { components: known } : {}), ...(lang ? { language: lang } : {}) });
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (error) {
      // Node's message quotes the text around the error, which can be an address: only where it is.
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      return { recipients: [], problems: [`the list is not valid JSON${at ? ` (at character ${at})` : ''}`] };
    }
    const list = Array.isArray(data) ? data : (data as { subscribers?: unknown }).subscribers;
    if (!Array.isArray(list)) return { recipients: [], problems: ['the JSON list must be an array, or an object with a "subscribers" array'] };
    list.forEach((item, i) => {
      const o = (item ?? {}) as Record<string, unknown>;
      add(`entry ${i + 1}`, typeof item === 'string' ? item : (o.address ?? o.email ?? o.url), o.components, o.language);
    });
  } else {
    text.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, '').trim();
      if (!line) return;
      // `address: a, b`; an http address has colons of its own, but never one followed by a space or ending it.
      const m = /^(\S+?)(?::\s+(.*)|:)?$/.exec(line);
      if (!m) {
        problems.push(`line ${i + 1}: expected "address" or "address: component, component"`);
        return;
      }
      add(
        `line ${i + 1}`,
        m[1],
        m[2]
          ?.split(/[,\s]+/)
          .map((c) => c.trim())
          .filter(Boolean),
        undefined,
      );
    });
  }
  return { recipients: [...out.values()], problems };
}

/** What the private URL of a subscriber list answers (up to 8 MB). */
export async function fetchRecipientsText(value: string, timeoutMs: number): Promise<string> {
  if (!/^https?:\/\//i.test(value.trim())) throw new Error('subscribers_url is not an http(s) address');
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(value.trim(), {
      method: 'GET',
      headers: { accept: 'application/json, text/plain' },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs * 2),
    });
  } catch (error) {
    // The error's own text names the private address: its code only.
    const e = error as { code?: string; name?: string; cause?: { code?: string } };
    throw new Error(`its address could not be fetched (${(e.code ?? e.cause?.code ?? e.name ?? 'error').toLowerCase()})`);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`the subscriber list's address answered ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > MAX_BYTES) {
      res.body.destroy();
      throw new Error(`the subscriber list is larger than ${MAX_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
