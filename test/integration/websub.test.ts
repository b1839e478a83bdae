import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { webhookReceiver } from '../helpers/receivers.ts';
import { deadPort } from '../helpers/servers.ts';
import { SITE_YML, writeTree } from '../helpers/temp.ts';

/** A checks folder whose site.yml names `hub` (and the page's address, unless `url` is false). */
const checks = (hub: string, site: { url?: string; base_path?: string } = { url: 'https://status.acme.example' }) =>
  writeTree({
    'site.yml': SITE_YML.replace(
      '  time_zone: Europe/Prague\n',
      `  time_zone: Europe/Prague\n  websub_hub: ${hub}\n${site.url ? `  url: ${site.url}\n` : ''}${site.base_path ? `  base_path: ${site.base_path}\n` : ''}`,
    ),
    'a.yml': 'checks:\n  - id: api-health\n    name: API health\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/ok\n',
  });

const topics = (list: { body: string; headers: Record<string, unknown> }[]) =>
  list.map((r) => {
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body);
    assert.equal(form.get('hub.mode'), 'publish');
    return form.get('hub.url');
  });

describe('upkeep websub', () => {
  it('pings the hub once for every feed, with the address the feed names as its own', async () => {
    const hub = await webhookReceiver(() => 204);
    const dir = await checks(hub.url, { url: 'https://status.acme.example', base_path: '/status/' });
    const r = await upkeep(['websub', '--checks', dir]);
    assert.equal(r.code, 0, r.stderr);
    const got = topics(hub.delivered).sort();
    const want = ['history', 'components/api/history', 'components/web/history', 'components/email/history']
      .flatMap((p) => [`https://status.acme.example/status/${p}.rss`, `https://status.acme.example/status/${p}.atom`])
      .sort();
    assert.deepEqual(got, want);
    assert.match(r.stdout, /pinged .* for 8 of 8 feeds/);
  });

  it('takes the address from UPKEEP_SITE_URL (the Pages address) when site.yml has none', async () => {
    const hub = await webhookReceiver(() => 202);
    const dir = await checks(hub.url, {});
    const r = await upkeep(['websub', '--checks', dir], { UPKEEP_SITE_URL: 'https://acme.github.invalid/status/' });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(topics(hub.delivered).includes('https://acme.github.invalid/status/history.atom'));
  });

  it('with no address at all, pings nothing and says why', async () => {
    const hub = await webhookReceiver();
    const dir = await checks(hub.url, {});
    const r = await upkeep(['websub', '--checks', dir]);
    assert.equal(r.code, 0);
    assert.equal(hub.all.length, 0);
    assert.match(r.stderr, /no public address: nothing pinged/);
  });

  it('a hub that fails or is down is a warning, not a failed deploy; 5xx is tried again', async () => {
    // Each feed's first ping fails.
    const seen = new Set<string>();
    const flaky = await webhookReceiver((r) => {
      const topic = new URLSearchParams(r.body).get('hub.url') ?? '';
      if (seen.has(topic)) return 204;
      seen.add(topic);
      return 503;
    });
    const dir = await checks(flaky.url);
    const r = await upkeep(['websub', '--checks', dir], { GITHUB_ACTIONS: 'true' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(new Set(topics(flaky.delivered)).size, 8, 'each feed got through on a later try');

    const dead = await checks(`http://127.0.0.1:${await deadPort()}/`);
    const down = await upkeep(['websub', '--checks', dead], { GITHUB_ACTIONS: 'true' });
    assert.equal(down.code, 0);
    assert.match(down.stderr, /warning: websub: the hub did not take https:\/\/status\.acme\.example\/history\.rss: connection refused/);
    assert.match(down.stdout, /::warning::websub/);
    assert.match(down.stdout, /for 0 of 8 feeds/);
  });

  it('--dry-run prints the pings and sends none; no hub in site.yml is not an error', async () => {
    const hub = await webhookReceiver();
    const r = await upkeep(['websub', '--checks', await checks(hub.url), '--dry-run']);
    assert.equal(r.code, 0);
    assert.equal(hub.all.length, 0);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('websub: would ping')).length, 8);
    const none = await upkeep(['websub', '--checks', await writeTree({ 'site.yml': SITE_YML })]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /names no hub/);
  });

  it('a hub that is not an http(s) address is refused with file, line and column', async () => {
    const dir = await checks('"javascript:alert(1)"');
    const r = await upkeep(['validate', '--checks', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /site\.yml:\d+:\d+.*websub_hub.*expected a WebSub hub's https:\/\/ address/s);
  });
});
