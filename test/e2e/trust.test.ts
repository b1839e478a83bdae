/**
 * What a hostile target or a careless secret can do to the public page, tried end to end: loopback
 * targets echo secrets (with quotes, backslashes, spaces, %, &, +, non-ASCII) in JSON bodies,
 * headers, redirect locations, TCP banners and page titles, and put markdown and HTML in what they
 * send. Then the real CLI probes, plans incidents and builds the site, and every file under
 * history/ and dist/, and everything printed, is searched for every form of every secret.
 */
import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { chromiumPath } from '../helpers/browser.ts';
import { feedparse } from '../helpers/feedparser.ts';
import { HOSTILE_SECRETS, leaks } from '../helpers/secret-forms.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir, writeTree } from '../helpers/temp.ts';

const [QUOTED, APOSTROPHES, ANGLES, UNICODE, TOKEN] = HOSTILE_SECRETS;
/** Never referenced by any check: only in UPKEEP_SECRETS, and echoed by a target anyway. */
const UNREFERENCED = 'never-referenced "but" echoed\\anyway 100%';
const SECRETS = [...HOSTILE_SECRETS, UNREFERENCED];
const NOW = '2026-11-23T12:00:00Z';

/** Regular files only: the test's own symbolic link under history/ points at a secret on purpose. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of await readdir(dir, { recursive: true })) {
    const p = join(dir, f);
    if ((await lstat(p)).isFile()) out.push(p);
  }
  return out;
}

async function leaksIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const f of await filesUnder(dir)) for (const l of leaks(await readFile(f, 'utf8'), SECRETS)) found.push(`${f}: ${l}`);
  return found;
}

/** A live link or image pointing at the hostile host: a real tag in HTML, in a feed's HTML content, or in a JSON string. */
function liveMarkup(file: string, text: string): string | undefined {
  const tag = /<(img|a|iframe|image|source|video|audio|link)\b[^>]*evil\.example/i;
  // JSON strings are plain text; the file itself must not open a tag if pasted into a page.
  if (file.endsWith('.json')) return /[<>]/.exec(text)?.[0];
  // A feed's entries as a feed reader gets them (feedparser, sanitising off): their HTML must not have the tag.
  if (/\.(rss|atom)$/.test(file))
    return feedparse(file)
      .entries.map((e) => `${e.title}\n${e.content}`)
      .find((html) => tag.test(html));
  return tag.exec(text)?.[0];
}

describe('trust: nothing secret or hostile reaches the public page', async () => {
  const markup = '![pixel](https://evil.example/t.png) [log in again](https://evil.example/phish) <img src=https://evil.example/x.png onerror=alert(1)>';
  const { url } = await httpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/json') {
      res.setHeader('content-type', 'application/json');
      // The target answers with the secret it was sent, and one it was never sent.
      return res.end(JSON.stringify({ status: 'fail', auth: req.headers.authorization, also: UNREFERENCED }));
    }
    if (path === '/header') {
      // Long enough that a message cut at 200 characters would end inside the secret.
      res.setHeader('x-token', `${'x'.repeat(150)}${encodeURIComponent(UNICODE)}`);
      return res.end('ok');
    }
    if (path === '/loop') {
      res.writeHead(302, { location: `/loop?${new URLSearchParams({ token: APOSTROPHES })}` });
      return res.end();
    }
    if (path === '/markup') {
      res.setHeader('x-note', markup);
      return res.end('ok');
    }
    if (path === '/page') {
      res.setHeader('content-type', 'text/html');
      return res.end(`<!doctype html><title>Welcome ${ANGLES.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</title><p>Hello</p>`);
    }
    res.end('ok');
  });
  const banner = createTcpServer((s) => s.end(`* NO ${QUOTED}\r\n`));
  await new Promise<void>((r) => banner.listen(0, '127.0.0.1', r));
  after(() => new Promise<void>((r) => banner.close(() => r())));
  const tcpPort = (banner.address() as AddressInfo).port;

  const checks = await writeTree({
    'site.yml': `site:
  title: Trust CRM Status
  vendor: Trust CRM
  url: https://status.trust.example
vars:
  base_url: ${url}
defaults:
  retries: 0
components:
  - id: api
    name: REST API
  - id: web
    name: Web app
  - id: mail
    name: Email sync
`,
    'checks.yml': `checks:
  - id: api-json
    name: API echoes the token
    component: api
    kind: http
    url: \${{ vars.base_url }}/json
    headers:
      authorization: Bearer \${{ env.API_TOKEN }}
    expect:
      json: $.status == "ok"
  - id: api-header
    name: API header
    component: api
    kind: http
    url: \${{ vars.base_url }}/header
    expect:
      headers:
        x-token: expected-value
  - id: web-loop
    name: Web redirects
    component: web
    kind: http
    url: \${{ vars.base_url }}/loop
  - id: web-markup
    name: Web note
    component: web
    kind: http
    url: \${{ vars.base_url }}/markup
    expect:
      headers:
        x-note: fine
  - id: mail-banner
    name: IMAP banner
    component: mail
    kind: tcp
    host: 127.0.0.1
    port: ${tcpPort}
    expect:
      reply_prefix: "* OK"
`,
    ...(chromiumPath()
      ? {
          'browser.yml': `checks:
  - id: web-title
    name: Sign-in page title
    component: web
    kind: browser
    steps:
      - goto: \${{ vars.base_url }}/page
      - expect_title: Dashboard
    step_timeout: 2s
`,
        }
      : {}),
  });
  const history = await tempDir();
  const env = {
    UPKEEP_NOW: NOW,
    UPKEEP_SECRETS: JSON.stringify({ API_TOKEN: TOKEN, QUOTED, APOSTROPHES, ANGLES, UNICODE, UNREFERENCED }),
    ...(chromiumPath() ? { UPKEEP_CHROMIUM: chromiumPath()! } : {}),
  };
  const printed: string[] = [];
  const run = async (args: string[], now = NOW) => {
    const r = await upkeep(args, { ...env, UPKEEP_NOW: now });
    printed.push(r.stdout, r.stderr);
    return r;
  };

  // A broken incident file and a symbolic link to a file outside the repository, both committed by someone.
  const outside = await tempDir();
  await writeFile(join(outside, 'private.txt'), `outside the repository ${TOKEN}`);
  await mkdir(join(history, 'incidents'), { recursive: true });
  await writeFile(
    join(history, 'incidents', '2026-11-20-bomb.md'),
    '---\nid: 2026-11-20-bomb\na: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n---\n',
  );

  const probed = await run(['probe', '--checks', checks, '--history', history, '--json']);
  const samples = JSON.parse(probed.stdout) as { check: string; outcome: string; reason?: string; message?: string }[];
  const byCheck = Object.fromEntries(samples.map((s) => [s.check, s]));
  await mkdir(join(history, 'artifacts', '2026-11-23'), { recursive: true });
  await symlink(join(outside, 'private.txt'), join(history, 'artifacts', '2026-11-23', 'linked.default.120000.log'));
  await writeFile(
    join(history, 'samples', '2026-11-23.default.tsv'),
    '11:59:00\tapi-json\tdown\t-\t1\treason=timeout\tart=2026-11-23/linked.default.120000\n',
    { flag: 'a' },
  );
  const planned = await run(['incidents', '--checks', checks, '--history', history], '2026-11-23T12:01:00Z');
  const out = await tempDir();
  const built = await run(['build', '--checks', checks, '--history', history, '--out', out], '2026-11-23T12:01:00Z');

  it('every check failed, with the reason its target earned', () => {
    assert.equal(probed.code, 0, probed.stderr);
    assert.deepEqual(Object.fromEntries(Object.entries(byCheck).map(([k, s]) => [k, s.reason])), {
      'api-json': 'assert_json',
      'api-header': 'assert_header',
      'web-loop': 'redirect_loop',
      'web-markup': 'assert_header',
      'mail-banner': 'assert_reply',
      ...(chromiumPath() ? { 'web-title': 'browser_expect_title' } : {}),
    });
    assert.match(byCheck['api-json'].message!, /^\$\.status is "fail", expected == "ok"$/);
    assert.match(byCheck['api-header'].message!, /^header x-token is "x{100,}/, 'the message quotes the header, then is cut');
    assert.ok(byCheck['api-header'].message!.length <= 200);
  });

  it('no form of any secret is printed, or written anywhere under history/', async () => {
    assert.deepEqual(leaks(printed.join('\n'), SECRETS), []);
    assert.deepEqual(await leaksIn(history), []);
  });

  it('the build succeeds with a broken incident file (left out, loudly), and no form of any secret is under dist/', async () => {
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /open 2026-11-23-api/);
    assert.match(planned.stderr, /incident file left out: .*2026-11-20-bomb\.md:\d+:\d+ .*too much data/);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, /incident left out: .*2026-11-20-bomb\.md/);
    assert.deepEqual(await leaksIn(out), []);
  });

  it('an artifact that is a symbolic link is not copied into dist/', async () => {
    const files = (await filesUnder(out)).map((f) => f.slice(out.length + 1));
    assert.ok(!files.some((f) => f.includes('linked')), files.filter((f) => f.startsWith('artifacts')).join(', '));
    for (const f of await filesUnder(out)) assert.ok(!(await readFile(f, 'utf8')).includes('outside the repository'), f);
  });

  it('what a target sent is on no page, feed or API (they give the reason code), and nothing there is live markup from it', async () => {
    let seen = 0;
    for (const f of await filesUnder(out)) {
      if (!/\.(html|rss|atom|json|ics)$/.test(f)) continue;
      const text = await readFile(f, 'utf8');
      if (text.includes('evil.example')) seen++;
      assert.equal(liveMarkup(f, text), undefined, f);
    }
    // The samples hold it (history/ is the record); a sample's message never reaches the site.
    assert.equal(seen, 0, 'the text a target sent is published somewhere');
    const incident = (await readdir(join(history, 'incidents'))).find((f) => f.includes('web'))!;
    assert.match(await readFile(join(history, 'incidents', incident), 'utf8'), /`[^`]*!\[pixel\]/, 'the incident file quotes it in a code span');
  });
});
