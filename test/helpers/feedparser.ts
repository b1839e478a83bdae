/** Debian's feedparser (a real feed client), run with the system python3. */
import { execFileSync } from 'node:child_process';

/** Parses a feed with Debian's feedparser (a real feed client), sanitising off so we see what we wrote. */
export function feedparse(file: string) {
  const script = `
import feedparser, json, sys
feedparser.SANITIZE_HTML = False
d = feedparser.parse(sys.argv[1])
print(json.dumps({"bozo": d.bozo, "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version, "title": d.feed.get("title"),
  "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
  "entries": [{"id": e.id, "title": e.title, "link": e.link, "updated": e.get("updated"), "content": (e.get("content") or [{"value": e.get("summary", "")}])[0]["value"]} for e in d.entries]}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file]).toString()) as {
    bozo: number;
    bozo_exception: string;
    version: string;
    title: string;
    links: { rel: string; href: string }[];
    entries: { id: string; title: string; link: string; updated: string; content: string }[];
  };
}
