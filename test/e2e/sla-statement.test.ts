/**
 * The SLA statement as a customer files it: built by the real CLI from a git repository whose
 * samples cross a month boundary, opened in Chromium from the SLA report, printed, checked by axe,
 * and its CSV and JSON read back against the page and recomputed at the evidence commit.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import { preview } from 'astro';
import { siteRoot } from '../../src/cli/build.ts';
import { launch } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { slaRepo, SLA_ENV } from '../helpers/sla-repo.ts';
import { tempDir } from '../helpers/temp.ts';

/** RFC 4180 rows (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('SLA statement page', async () => {
  const r = await slaRepo();
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
  const json = JSON.parse(await readFile(join(out, 'sla', 'api', '2026-11.json'), 'utf8'));

  it('the SLA report links each month to its statement, whose figures are the JSON and CSV ones', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}sla/`);
    await page.getByRole('link', { name: 'November 2026' }).click();
    assert.equal(new URL(page.url()).pathname, '/sla/api/2026-11/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'SLA statement: REST API, November 2026');
    const fields = await page.$$eval('data[data-field]', (els) =>
      Object.fromEntries(els.map((e) => [e.getAttribute('data-field'), (e as HTMLDataElement).value])),
    );
    for (const [k, v] of Object.entries(fields)) assert.equal(v, json[k] === null ? '' : String(json[k]), k);
    assert.equal(fields.used_downtime_seconds, '1800');
    assert.equal(await page.locator('[data-field="achieved_percent"]').textContent(), '99.93%');
    assert.equal(await page.locator('[data-field="credit_percent"]').textContent(), '10%');
    assert.equal(await page.locator('#st-outage-table tbody tr').count(), 1);
    assert.match((await page.locator('#st-outage-table tbody tr').textContent())!, /Nov 29, 2026, 11:00 AM.*Nov 29, 2026, 10:00 AM UTC/);
    // One line per runner on the page, linked to its folder at the closing commit; each file's permalink in the JSON and CSV.
    const links = await page.locator('.evidence a[href^="https://github.example/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`https://github.example/acme/status/tree/${r.closing}/history/samples`]);
    assert.match(
      (await page.locator('.evidence li').textContent())!,
      /history\/samples\/\*\.default\.tsv: one file per day, Nov 1, 2026 – Nov 30, 2026, files: 30/,
    );
    const files = json.evidence.files.map((f: { url: string }) => f.url);
    assert.equal(files.length, 30);
    assert.ok(files.every((l: string) => l.includes(`/blob/${r.closing}/history/samples/`)));
    assert.match(
      (await page.locator('.evidence pre').textContent())!,
      new RegExp(`git checkout ${r.closing}\\nnpx upkeep sla --component api --month 2026-11`),
    );

    const csv = parseCsv(await (await fetch(`${url}sla/api/2026-11.csv`)).text());
    assert.deepEqual(csv[0], ['record', 'name', 'value', 'start', 'end', 'seconds', 'incident', 'url']);
    const figure = (name: string) => csv.find((row) => row[0] === 'figure' && row[1] === name)?.[2];
    for (const k of ['achieved_percent', 'used_downtime_seconds', 'allowed_downtime_seconds', 'credit_percent', 'outcome', 'coverage_percent'])
      assert.equal(figure(k), String(json[k]), k);
    assert.deepEqual(
      csv.filter((row) => row[0] === 'evidence').map((row) => row[7]),
      files,
    );
    assert.equal(figure('component_name'), 'REST API');
  });

  it('the running month says so far, with no credit, linked at the build commit', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}cs/sla/api/2026-12/`);
    await page.locator('[data-running]').waitFor();
    assert.equal(await page.locator('[data-field="credit_percent"]').getAttribute('value'), '');
    const dec = JSON.parse(await readFile(join(out, 'sla', 'api', '2026-12.json'), 'utf8'));
    assert.equal(dec.evidence.commit, r.head);
    assert.equal(dec.evidence.at_head, true);
  });

  it('prints without navigation, black on white, with the evidence addresses written out', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(`${url}sla/api/2026-11/`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('body > header').isVisible(), false);
    assert.equal(await page.locator('body > footer').isVisible(), false);
    const styles = await page.evaluate(() => {
      const a = document.querySelector('.evidence a')!;
      const cs = getComputedStyle(document.querySelector('main h1')!);
      return { after: getComputedStyle(a, '::after').content, color: cs.color, bg: getComputedStyle(document.body).backgroundColor };
    });
    assert.match(styles.after, /https:\/\/github\.example\/acme\/status\/tree\//);
    assert.equal(styles.color, 'rgb(0, 0, 0)');
    assert.equal(styles.bg, 'rgb(255, 255, 255)');
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000);
  });

  for (const [path, scheme] of [
    ['sla/api/2026-11/', 'light'],
    ['fa/sla/api/2026-11/', 'dark'],
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

  it('the JSON recomputes at the evidence commit', async () => {
    const wt = join(await tempDir(), 'wt');
    git(r.repo, 'worktree', 'add', '-q', '--detach', wt, json.evidence.commit);
    const again = await upkeep(
      ['sla', '--component', 'api', '--month', '2026-11', '--json', '--checks', join(wt, 'checks'), '--history', join(wt, 'history')],
      SLA_ENV,
    );
    assert.equal(again.code, 0, again.stderr);
    const s = JSON.parse(again.stdout);
    for (const k of ['achieved_percent', 'observed_seconds', 'available_seconds', 'used_downtime_seconds', 'credit_percent', 'outcome'])
      assert.equal(s[k], json[k], k);
  });
});
