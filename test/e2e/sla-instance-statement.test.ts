/**
 * The SLA statement of one instance, as a customer on EU1 files it: built by the real CLI from a git
 * repository of six instances on three shards with an outage on two, reached from the instance
 * page's SLA section in Chromium, its figures read back against its JSON, recomputed by
 * `upkeep sla --instance` at the evidence commit, and checked by axe.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import { siteRoot } from '../../src/cli/build.ts';
import { shardOf } from '../../src/cli/probe.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { SLA_DOWN, SLA_ENV, SLA_INSTANCES, slaInstancesRepo } from '../helpers/sla-repo.ts';
import { tempDir } from '../helpers/temp.ts';

describe('SLA statement per instance', async () => {
  const r = await slaInstancesRepo(shardOf);
  const out = join(await tempDir(), 'dist');
  const built = await upkeep(['build', '--checks', r.checks, '--history', r.history, '--out', out], SLA_ENV);
  assert.equal(built.code, 0, built.stderr);
  const server = await preview({ root: siteRoot, outDir: out, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  const url = `http://127.0.0.1:${server.port}/`;
  const browser = await launch();
  after(async () => {
    await browser.close();
    await server.stop();
  });
  const json = async (path: string) => JSON.parse(await readFile(join(out, path), 'utf8'));

  it('the instance page links each month to the statement of that instance, whose figures are its JSON’s', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}instances/eu1/`);
    const row = page.locator('#sla ~ div tr[data-component="api"]');
    await row.getByRole('link', { name: /Nov 2026/ }).click();
    assert.equal(new URL(page.url()).pathname, '/instances/eu1/sla/api/2026-11/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'SLA statement: REST API on EU1, November 2026');
    const s = await json('instances/eu1/sla/api/2026-11.json');
    const fields = await page.$$eval('data[data-field]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-field'), (e as HTMLDataElement).value])),
    );
    assert.ok(Object.keys(fields).length >= 9);
    for (const [k, v] of Object.entries(fields)) assert.equal(v, s[k] === null ? '' : String(s[k]), k);
    assert.equal(fields.used_downtime_seconds, '1800');
    assert.equal(await page.locator('#st-outage-table tbody tr').count(), 1);
    assert.match((await page.locator('#st-outage-table tbody tr').textContent())!, /REST API errors on EU1/);
    // One evidence line: the shard that probed EU1, linked to its folder at the closing commit.
    const links = await page.locator('.evidence a[href^="https://github.example/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`https://github.example/acme/status/tree/${r.closing}/history/samples`]);
    assert.match((await page.locator('.evidence li').textContent())!, new RegExp(`history/samples/\\*\\.default\\.${r.shard.get('eu1')}-of-3\\.tsv`));
    assert.equal(s.evidence.files.length, 30);
    assert.match((await page.locator('.evidence pre').textContent())!, /npx upkeep sla --component api --instance eu1 --month 2026-11/);
    assert.equal(await page.getByRole('link', { name: 'Statement for all instances' }).getAttribute('href'), '/sla/api/2026-11/');
  });

  it('the outage is on the two instances it hit and on the component, not on the other four', async () => {
    const page = await browser.newPage();
    for (const id of SLA_INSTANCES) {
      await page.goto(`${url}instances/${id}/sla/api/2026-11/`);
      const hit = (SLA_DOWN as readonly string[]).includes(id);
      assert.equal(await page.locator('#st-outage-table tbody tr').count(), hit ? 1 : 0, id);
      assert.equal(await page.locator('[data-field="outcome"]').getAttribute('value'), hit ? 'breach' : 'met', id);
    }
    await page.goto(`${url}sla/api/2026-11/`);
    assert.equal(await page.locator('#st-outage-table tbody tr').count(), 1);
    assert.equal((await json('sla/api/2026-11.json')).evidence.files.length, 90);
  });

  it('every language has the statement; CSV beside it', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}cs/instances/eu2/sla/api/2026-11/`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Výkaz SLA: REST API na EU2, listopad 2026');
    const csv = await (await fetch(`${url}instances/eu2/sla/api/2026-11.csv`)).text();
    assert.match(csv, /\r\nfigure,instance,eu2,/);
    assert.match(csv, /\r\nfigure,used_downtime_seconds,1800,/);
  });

  it('upkeep sla --instance at the evidence commit prints the published JSON', async () => {
    const s = await json('instances/eu2/sla/api/2026-11.json');
    const wt = join(await tempDir(), 'wt');
    git(r.repo, 'worktree', 'add', '-q', '--detach', wt, s.evidence.commit);
    const again = await upkeep(
      ['sla', '--component', 'api', '--instance', 'eu2', '--month', '2026-11', '--json', '--checks', join(wt, 'checks'), '--history', join(wt, 'history')],
      SLA_ENV,
    );
    assert.equal(again.code, 0, again.stderr);
    // Everything but the clock it was made at: the build's, and the month's end for the recompute.
    const { generated_at: _a, ...cli } = JSON.parse(again.stdout);
    const { generated_at: _b, ...published } = s;
    assert.deepEqual(cli, published);
  });

  for (const [path, scheme] of [
    ['instances/eu1/sla/api/2026-11/', 'light'],
    ['fa/instances/eu1/sla/api/2026-11/', 'dark'],
    ['instances/eu1/', 'dark'],
  ] as const)
    it(`${path} (${scheme}): no axe violations`, async () => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(url + path);
      const result = await new AxeBuilder({ page }).analyze();
      assert.deepEqual(
        result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        [],
      );
    });
});
