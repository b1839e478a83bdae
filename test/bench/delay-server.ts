/** A loopback server in its own process: GET /delay/<ms> answers "ok" after that many ms. Prints its port. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((req, res) => {
  const ms = Number(/^\/delay\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
  setTimeout(() => res.end('ok'), ms);
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
