/**
 * `upkeep demo` end to end, shortened to three days of backfill: the real sample CRM, real probes
 * (the sign-in journey in Chromium), the built page served on 127.0.0.1 port 0. A reader polling the
 * page through rebuilds only ever gets whole pages; EU2's bad day is on the home page and on EU2's
 * page and nowhere else; the Czech page is published and linked.
 */
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { demo } from '../../src/demo/run.ts';
import { chromiumPath } from '../helpers/browser.ts';
import { tempDir } from '../helpers/temp.ts';

const text = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ');

const isJson = (body: string) => {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
};

describe('upkeep demo', async () => {
  const dir = await tempDir('upkeep-demo-');
  const lines: string[] = [];
  const d = await demo(
    { port: 0, days: 3, dir, live: false, browserPath: chromiumPath(), threads: 2 },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
  );
  const get = async (path: string) => {
    const res = await fetch(new URL(path, d.url));
    return { status: res.status, body: await res.text() };
  };

  it('is ready with the first page served, and says how long that took', async () => {
    const home = await get('/');
    assert.equal(home.status, 200, lines.join('\n'));
    assert.match(home.body, /<title>[^<]*Pipewell CRM Status \(demo\)/);
    assert.ok(
      lines.some((l) => /^demo: ready in \d+\.\d s — open http:\/\/127\.0\.0\.1:\d+\/$/.test(l)),
      lines.join('\n'),
    );
  });

  it('shows EU2 having a bad day on the home page and on its own page, and not on the other pods', async () => {
    const home = text((await get('/')).body);
    // The instance list: EU2 is not operational (still slow), its neighbour is not said to be.
    assert.match(home, /EU2 Europe (Degraded performance|Partial outage|Major outage)/, home.slice(0, 3000));
    // Today's outage on EU2 is an incident on the home page that names EU2.
    assert.match(home, /REST API[^.]{0,80}EU2|EU2[^.]{0,80}REST API/i, 'an incident on the home page names EU2');
    const eu2 = await get('/instances/eu2/');
    assert.equal(eu2.status, 200);
    const eu2Text = text(eu2.body);
    assert.match(eu2Text, /REST API/);
    assert.match(eu2.body, /(partial|major)[ _]outage/i, 'EU2’s page shows the outage');
    const na1 = text((await get('/instances/na1/')).body);
    assert.doesNotMatch(na1, /EU2/, 'NA1’s page does not carry EU2’s outage');
  });

  it('publishes the page in Czech too, linked from the English one', async () => {
    const home = (await get('/')).body;
    assert.match(home, /<a [^>]*href="\/cs\/"[^>]*hreflang="cs"|<a [^>]*hreflang="cs"[^>]*href="\/cs\/"/);
    const cs = await get('/cs/');
    assert.equal(cs.status, 200);
    assert.match(cs.body, /<html[^>]*lang="cs"/);
    const csEu2 = await get('/cs/instances/eu2/');
    assert.equal(csEu2.status, 200);
  });

  it('never answers a missing or half-written page while it probes and rebuilds, and removes the folder it no longer serves', async () => {
    const paths = ['/', '/instances/eu2/', '/cs/', '/components/api/', '/history.rss', '/api/v2/summary.json'];
    const before = d.shown();
    assert.ok(before);
    const answers: string[] = [];
    let polling = true;
    const poller = (async () => {
      for (let i = 0; polling; i++) {
        const path = paths[i % paths.length];
        try {
          const res = await fetch(new URL(path, d.url), { signal: AbortSignal.timeout(10_000) });
          const body = await res.text();
          const whole = path.endsWith('.json') ? isJson(body) : path.endsWith('.rss') ? /<\/rss>\s*$/.test(body) : /<\/html>\s*$/.test(body);
          answers.push(`${res.status} ${whole ? 'whole' : 'cut'} ${path}`);
        } catch (error) {
          answers.push(`failed ${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    await d.round();
    const after = d.shown();
    await d.round();
    polling = false;
    await poller;
    assert.notEqual(after, before, 'the round built a new folder and switched to it');
    assert.notEqual(d.shown(), after);
    assert.ok(answers.length > 50, `polled ${answers.length} times`);
    assert.deepEqual(
      answers.filter((a) => !a.startsWith('200 whole')),
      [],
      'every answer during the rebuilds is a whole page',
    );
    await assert.rejects(access(before), { code: 'ENOENT' }, 'the folder no longer served is removed');
    const missing = await fetch(new URL('/no-such-page/', d.url));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<html/, 'the site’s own 404 page');
  });

  it('stops', async () => {
    await d.stop();
    await assert.rejects(fetch(d.url));
  });
});
