/**
 * A small sample CRM for `upkeep demo` and the tests: real HTTP on 127.0.0.1, with a scripted
 * outage schedule that follows the clock it is given, so a backfill with a shifted clock meets the
 * same outages a live run would have met at those times.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { DAY_MS as DAY } from '../status/vocabulary.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Ways to break the sign-in journey, for browser-check demos and tests. */
export type LoginBreak = 'none' | 'redirect' | 'slow' | 'missing';

export const DEMO_USER = 'demo@pipewell.example';
export const DEMO_PASSWORD = 'demo-password';

export type Crm = {
  url: string;
  setLoginBreak: (mode: LoginBreak) => void;
  /** An IMAP-style banner port for the email sync's TCP check. */
  imapPort: number;
  server: Server;
  setClock: (clock: () => number) => void;
  close: () => Promise<void>;
};

/** FNV-1a over the text with murmur3's finaliser, so near-identical keys still get unrelated numbers. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A fraction in [0, 1) from the text. */
const chance = (text: string) => hash(text) / 2 ** 32;

type Window = { start: number; end: number };

/** Is `t` inside a window that starts at `startMin` minutes past midnight UTC on days picked by `every`? */
function scheduled(name: string, t: number, every: number, startMin: number, minutes: number): Window | undefined {
  for (const dayStart of [Math.floor(t / DAY) * DAY, Math.floor(t / DAY) * DAY - DAY]) {
    if (hash(`${name}:${dayStart / DAY}`) % every !== 0) continue;
    const start = dayStart + startMin * MINUTE;
    const end = start + minutes * MINUTE;
    if (t >= start && t < end) return { start, end };
  }
  return undefined;
}

/** Minutes 50–59 of every hour the email sync worker stalls: it neither beats nor syncs. */
export const emailSyncStalled = (t: number) => new Date(t).getUTCMinutes() >= 50;

/**
 * How far the email sync has got at `t`, as `/sync/status` reports it: a pass ends on each minute
 * the worker runs and holds mail up to 5–90 s before its end, so the data is seconds to a couple of
 * minutes old; a stall freezes the last pass, and the lag grows until the worker runs again.
 */
export function lastEmailSync(t: number): number {
  let end = Math.floor(t / MINUTE) * MINUTE;
  while (emailSyncStalled(end)) end -= MINUTE;
  return end - 5_000 - (hash(`sync:${end / MINUTE}`) % 85_000);
}

/** Half an hour in every four when the search index rebuilds, starting where the block's hash says. */
function searchReindexing(t: number): Window | undefined {
  const block = Math.floor(t / (4 * HOUR)) * 4 * HOUR;
  const start = block + (hash(`search:${block / HOUR}`) % 210) * MINUTE;
  return t >= start && t < start + 30 * MINUTE ? { start, end: start + 30 * MINUTE } : undefined;
}

/** How long after `t` a contact created at `t` shows in search: 1–3 s, or 20–40 s while the index rebuilds. */
export function searchLagMs(t: number): number {
  const jitter = hash(`search-lag:${Math.floor(t / 1000)}`) % 2_001;
  return crmConditions(t).searchReindexing ? 20_000 + jitter * 10 : 1_000 + jitter;
}

/** What is wrong with each part of the CRM at time `t` (pure; the server and tests share it). */
export function crmConditions(t: number) {
  const monthEnd = new Date(t + DAY).getUTCDate() === 1;
  const hour = new Date(t).getUTCHours();
  return {
    apiDown: scheduled('api', t, 29, 2 * 60 + 10, 55),
    emailBacklog: scheduled('email', t, 7, 13 * 60, 50),
    emailDown: scheduled('email-down', t, 23, 21 * 60 + 30, 95),
    webhooksFailing: scheduled('hooks', t, 13, 8 * 60, 90),
    mobileDown: scheduled('mobile', t, 41, 17 * 60, 25),
    reportsSlow: monthEnd && hour >= 6 && hour < 10,
    emailSyncStalled: emailSyncStalled(t),
    searchReindexing: searchReindexing(t),
  };
}

/** `badDayAt`: when EU2's bad day is (see `badDay`); without it every pod is fine. */
export async function startCrm(options: { clock?: () => number; port?: number; loginBreak?: LoginBreak; badDayAt?: number } = {}): Promise<Crm> {
  let clock = options.clock ?? (() => Date.now());
  let loginBreak: LoginBreak = options.loginBreak ?? 'none';
  const hits = new Map<string, number>();
  const contacts = contactStore();
  const server = createServer((req, res) => {
    const t = clock();
    const url = new URL(req.url ?? '/', 'http://crm');
    const path = url.pathname;
    // Flaky by nature: a few requests fail at random, as real systems do; a re-probe gets a fresh draw.
    const key = `${path}:${Math.floor(t / 1000)}`;
    const n = (hits.get(key) ?? 0) + 1;
    hits.set(key, n);
    if (hits.size > 10_000) hits.clear();
    const roll = chance(`${key}:${n}`);
    (path === '/login' || path === '/dashboard' || path === '/api/v1/pipeline'
      ? handleLogin(req, res, path, loginBreak)
      : path.startsWith('/api/v1/contacts/') || (path === '/api/v1/contacts' && req.method === 'POST')
        ? handleContacts(req, res, url, t, roll, contacts)
        : handle(req, res, path, t, roll, options.badDayAt)
    ).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const imap = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.end(crmConditions(clock()).emailDown ? '* BYE mail store unavailable\r\n' : '* OK [CAPABILITY IMAP4rev1] Pipewell mail ready\r\n');
  });
  await new Promise<void>((resolve) => imap.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    imapPort: (imap.address() as AddressInfo).port,
    server,
    setClock: (c) => (clock = c),
    setLoginBreak: (mode) => (loginBreak = mode),
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise((resolve) => server.close(resolve)), new Promise((resolve) => imap.close(resolve))]);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`);
}

/**
 * The sample CRM runs its customers on six pods in three regions. One of them, EU2, is having a bad
 * day: down for an hour and a half, then slow (past the pod check's degraded line) until an hour after
 * `badDayAt`, which the demo sets to its own start, so the outage is on today's bars, in today's
 * incidents, and EU2 is still degraded on the first page. The others follow the shared API's schedule.
 */
export const DEMO_PODS = ['na1', 'na2', 'eu1', 'eu2', 'ap1', 'ap2'] as const;

export const BAD_DAY_POD = 'eu2';

/** EU2's bad day around `at`: down from 4 h before it for 90 min, then slow until 1 h after it. */
export const badDay = (at: number) => ({
  pod: BAD_DAY_POD,
  down: { start: at - 4 * HOUR, end: at - 2.5 * HOUR },
  slow: { start: at - 2.5 * HOUR, end: at + HOUR },
});

export function podCondition(pod: string, t: number, badDayAt?: number): 'ok' | 'slow' | 'down' {
  if (badDayAt === undefined || pod !== BAD_DAY_POD) return 'ok';
  const { down, slow } = badDay(badDayAt);
  return t >= down.start && t < down.end ? 'down' : t >= slow.start && t < slow.end ? 'slow' : 'ok';
}

async function handle(req: IncomingMessage, res: ServerResponse, path: string, t: number, roll: number, badDayAt: number | undefined) {
  const c = crmConditions(t);
  for await (const _ of req); // drain any request body
  const pod = /^\/pods\/([a-z0-9-]+)\/health$/.exec(path)?.[1];
  if (pod && (DEMO_PODS as readonly string[]).includes(pod)) {
    const state = c.apiDown ? 'down' : podCondition(pod, t, badDayAt);
    if (state === 'slow') await sleep(900);
    return state === 'down' ? json(res, 503, { status: 'down', pod }) : json(res, 200, { status: 'ok', pod });
  }
  switch (`${req.method} ${path}`) {
    case 'GET /api/v1/health':
      return c.apiDown ? json(res, 503, { status: 'down' }) : json(res, 200, { status: 'ok', version: '2026.11' });
    case 'GET /api/v1/contacts':
      if (c.apiDown) return json(res, 503, { error: 'service unavailable' });
      await sleep(10 + roll * 30);
      return json(res, 200, { data: [{ id: 1, name: 'Ada Lovelace', stage: 'Qualified' }], next: null });
    case 'GET /app':
      return html(res, 200, 'Pipewell CRM', '<h1>Pipeline</h1><p>12 open deals</p>');
    case 'GET /reports/health':
      // The slow part of the CRM: always a few hundred ms, and past the degraded line at month end.
      await sleep(c.reportsSlow ? 900 + roll * 400 : 60 + roll * 140);
      return json(res, 200, { status: 'ok' });
    case 'GET /sync/status':
      return json(res, 200, { worker: 'email-sync', last_sync_at: new Date(lastEmailSync(t)).toISOString(), mailboxes: 1_284 });
    case 'GET /sync/email/health':
      if (c.emailDown || roll < 0.04) return json(res, 503, { status: 'unavailable' });
      return json(res, 200, { status: 'ok', backlog: c.emailBacklog ? 4_200 : Math.floor(roll * 200) });
    case 'POST /webhooks/test':
      return c.webhooksFailing ? json(res, 500, { error: 'delivery queue stalled' }) : json(res, 202, { queued: true });
    case 'GET /mobile/v2/sync/health':
      return c.mobileDown ? json(res, 502, { error: 'bad gateway' }) : json(res, 200, { status: 'ok' });
    default:
      return json(res, 404, { error: 'not found' });
  }
}

type Contact = { id: string; name: string; email: string; createdAt: number; searchableAt: number };

/** Contacts kept at most; the oldest go first, so a demo that runs for days, creating one a minute, stays small. */
const CONTACTS_CAP = 1_000;

/** The contacts API's store, oldest first (a Map keeps insertion order). */
function contactStore() {
  const byId = new Map<string, Contact>();
  let next = 1;
  return {
    add(name: string, email: string, t: number): Contact {
      const contact = { id: `ct_${next++}`, name, email, createdAt: t, searchableAt: t + searchLagMs(t) };
      byId.set(contact.id, contact);
      if (byId.size > CONTACTS_CAP) byId.delete(byId.keys().next().value!);
      return contact;
    },
    get: (id: string) => byId.get(id),
    delete: (id: string) => byId.delete(id),
    /** Contacts whose email or name holds `q`, once the index has caught up with them at `t`. */
    search: (q: string, t: number) =>
      [...byId.values()].filter((c) => t >= c.searchableAt && (c.email.toLowerCase().includes(q) || c.name.toLowerCase().includes(q))),
  };
}

type ContactStore = ReturnType<typeof contactStore>;

const contactJson = (c: Contact) => ({ id: c.id, name: c.name, email: c.email, created_at: new Date(c.createdAt).toISOString() });

/** The contacts API an API journey walks: create, read back, search (which lags behind), delete. */
async function handleContacts(req: IncomingMessage, res: ServerResponse, url: URL, t: number, roll: number, store: ContactStore) {
  let body = '';
  for await (const chunk of req) if (body.length < 65_536) body += chunk;
  if (crmConditions(t).apiDown) return json(res, 503, { error: 'service unavailable' });
  await sleep(10 + roll * 40);
  const path = url.pathname;
  if (req.method === 'POST' && path === '/api/v1/contacts') {
    let input: { name?: unknown; email?: unknown } | undefined;
    try {
      input = JSON.parse(body);
    } catch {
      input = undefined;
    }
    const { name = '', email } = input ?? {};
    if (typeof email !== 'string' || !email.includes('@') || typeof name !== 'string') {
      return json(res, 400, { error: 'send JSON with an "email" (and a "name")' });
    }
    const contact = store.add(name, email, t);
    res.setHeader('location', `/api/v1/contacts/${contact.id}`);
    return json(res, 201, contactJson(contact));
  }
  if (req.method === 'GET' && path === '/api/v1/contacts/search') {
    const q = url.searchParams.get('q')?.trim().toLowerCase();
    if (!q) return json(res, 400, { error: 'give a query: ?q=…' });
    const hits = store.search(q, t);
    return json(res, 200, { total: hits.length, data: hits.slice(0, 20).map(contactJson) });
  }
  const id = /^\/api\/v1\/contacts\/(ct_\d+)$/.exec(path)?.[1];
  const contact = id === undefined ? undefined : store.get(id);
  if (!contact) return json(res, 404, { error: 'no such contact' });
  if (req.method === 'GET') return json(res, 200, contactJson(contact));
  if (req.method === 'DELETE') {
    store.delete(contact.id);
    res.writeHead(204);
    return res.end();
  }
  return json(res, 405, { error: 'method not allowed' });
}

/**
 * The sign-in journey a browser check walks: a form, a session cookie, and a dashboard that
 * renders in the browser from an API call. `mode` breaks it in the ways real logins break.
 */
async function handleLogin(req: IncomingMessage, res: ServerResponse, path: string, mode: LoginBreak) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const signedIn = /(?:^|; )session=ok(?:;|$)/.test(req.headers.cookie ?? '');
  if (path === '/login' && req.method === 'POST') {
    const form = new URLSearchParams(body);
    if (form.get('email') !== DEMO_USER || form.get('password') !== DEMO_PASSWORD) {
      return html(res, 401, 'Sign in · Pipewell CRM', '<h1>Sign in</h1><p role="alert">Wrong email or password.</p>');
    }
    // A broken SSO hop sends people back to the form instead of the dashboard.
    res.writeHead(303, { location: mode === 'redirect' ? '/login?error=sso' : '/dashboard', 'set-cookie': 'session=ok; Path=/; HttpOnly; SameSite=Lax' });
    return res.end();
  }
  if (path === '/login') {
    return html(
      res,
      200,
      'Sign in · Pipewell CRM',
      '<main><h1>Sign in</h1><form method="post" action="/login"><p><label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="username"></p><p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p><p><button type="submit">Sign in</button></p></form></main>',
    );
  }
  if (path === '/dashboard') {
    if (!signedIn) {
      res.writeHead(303, { location: '/login' });
      return res.end();
    }
    const delay = mode === 'slow' ? 8_000 : 50;
    const heading = mode === 'missing' ? 'Home' : 'Pipeline';
    // Rendered in the browser, as single-page CRMs do: the HTML alone has no pipeline in it.
    return html(
      res,
      200,
      'Dashboard · Pipewell CRM',
      `<main id="app"><p>Loading…</p></main><script>setTimeout(async()=>{const r=await fetch('/api/v1/pipeline');const d=await r.json();document.getElementById('app').innerHTML='<h1>${heading}</h1><ul id="deals">'+d.deals.map(x=>'<li>'+x.name+'</li>').join('')+'</ul>';},${delay});</script>`,
    );
  }
  if (!signedIn) return json(res, 401, { error: 'sign in first' });
  return json(res, 200, { deals: [{ name: 'Acme renewal' }, { name: 'Globex expansion' }] });
}
