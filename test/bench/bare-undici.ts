/**
 * The baseline `bench:probe --instances` runs as its own process: the same GET requests as the
 * probe round, `limit` at a time, each on a fresh connection (an Agent of one connection, closed
 * after the answer), the body read whole. Arguments: a JSON file of URLs, the limit. Prints how
 * many answered 200.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

const [file, limit] = process.argv.slice(2);
const urls = JSON.parse(readFileSync(file, 'utf8')) as string[];
let next = 0;
let ok = 0;

async function worker() {
  while (next < urls.length) {
    const url = urls[next++];
    const agent = new Agent({ connections: 1 });
    try {
      const res = await request(url, { dispatcher: agent });
      await res.body.text();
      if (res.statusCode === 200) ok++;
    } finally {
      await agent.close();
    }
  }
}

await Promise.all(Array.from({ length: Number(limit) }, worker));
console.log(ok);
