/**
 * A loopback contacts API in its own process, for bench:journeys: POST /contacts, GET and DELETE
 * /contacts/<id>, GET /search?q=<email> (a contact shows up in search SEARCH_LAG_MS after it was
 * created), and GET /stats: contacts still there, and each deleted contact's time from its create
 * to its delete, as the server saw it. Prints its port.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const SEARCH_LAG_MS = Number(process.argv[2] ?? 300);

const contacts = new Map<string, { email: string; at: number }>();
const journeysMs: number[] = [];
let next = 1;
let created = 0;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = createServer(async (req, res) => {
  const at = performance.now();
  const url = new URL(req.url ?? '/', 'http://x');
  let body = '';
  for await (const chunk of req) body += chunk;
  const one = /^\/contacts\/(\w+)$/.exec(url.pathname);
  if (req.method === 'POST' && url.pathname === '/contacts') {
    const id = `c${next++}`;
    contacts.set(id, { email: String(JSON.parse(body).email), at });
    created++;
    return json(res, 201, { id });
  }
  if (one && req.method === 'GET') {
    const c = contacts.get(one[1]);
    return c ? json(res, 200, { id: one[1], email: c.email }) : json(res, 404, {});
  }
  if (one && req.method === 'DELETE') {
    const c = contacts.get(one[1]);
    if (!c) return json(res, 404, {});
    contacts.delete(one[1]);
    res.statusCode = 204;
    res.end();
    journeysMs.push(performance.now() - c.at);
    return;
  }
  if (url.pathname === '/search') {
    const q = url.searchParams.get('q');
    const hits = [...contacts].filter(([, c]) => c.email === q && at - c.at >= SEARCH_LAG_MS).map(([id]) => ({ id }));
    return json(res, 200, { total: hits.length, results: hits });
  }
  if (url.pathname === '/stats') return json(res, 200, { live: contacts.size, created, deleted: journeysMs.length, journeysMs });
  json(res, 404, {});
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
