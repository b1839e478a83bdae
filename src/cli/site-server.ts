/**
 * The local server of a site that is rebuilt while people read it (`upkeep dev`, `upkeep demo`).
 * Each build goes to a folder of its own; `show(dir)` switches to it in one step once it is complete,
 * so every request gets the old page or the new one, never a 404 or half a page mid-build. A folder
 * no longer shown is removed once the requests still reading it have finished.
 */
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sirv from 'sirv';

export type SiteServer = {
  url: string;
  /** Serves `dir` from now on; the folder shown before is removed when no request reads it any more. */
  show: (dir: string) => Promise<void>;
  /** The folder being served, if any. */
  shown: () => string | undefined;
  /** Stops listening; the folders are left as they are. */
  close: () => Promise<void>;
};

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
type Folder = { dir: string; handler: Handler; notFound: Buffer | undefined; reading: number; retired: boolean };

/** `waiting` answers while no folder has been shown yet (the first build is running, or failed). */
export async function startSiteServer(opts: { port: number; waiting: (res: ServerResponse) => void }): Promise<SiteServer> {
  let current: Folder | undefined;
  const removeIfUnread = async (f: Folder) => {
    if (f.retired && f.reading === 0) await rm(f.dir, { recursive: true, force: true });
  };
  const http = createServer((req, res) => {
    const folder = current;
    if (!folder) return opts.waiting(res);
    folder.reading++;
    res.once('close', () => {
      folder.reading--;
      void removeIfUnread(folder);
    });
    folder.handler(req, res, () => {
      res.writeHead(404, { 'content-type': folder.notFound ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : (folder.notFound ?? 'not found'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/`,
    show: async (dir) => {
      // Built before the switch: sirv indexes the folder's files once, the 404 page is read once.
      const folder: Folder = {
        dir,
        handler: sirv(dir, { etag: true, extensions: ['html'], setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
        notFound: await readFile(join(dir, '404.html')).catch(() => undefined),
        reading: 0,
        retired: false,
      };
      const previous = current;
      current = folder;
      if (previous && previous.dir !== dir) {
        previous.retired = true;
        await removeIfUnread(previous);
      }
    },
    shown: () => current?.dir,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
