/**
 * A vendor's first day: `upkeep init` scaffolds a repository that validates, probes and builds,
 * refuses to overwrite without --force (and says when what is there is the demo); `upkeep dev`
 * serves the vendor's own page, rebuilds on edits without ever serving a missing page, prints a
 * broken file's errors while the last good page stays, and never writes to the repository's history.
 */
import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startDev } from '../../src/cli/dev.ts';
import { siteRoot } from '../../src/cli/build.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { tempDir } from '../helpers/temp.ts';

describe('upkeep init', async () => {
  const { url } = await httpServer((_req, res) => res.end('ok'));

  it('scaffolds site.yml, a component, a check against the address, maintenance and the workflows; the result validates, probes and builds', async () => {
    const dir = await tempDir();
    const vendor = 'Acme "CRM" & Co: #1 — ÄÖ';
    const r = await upkeep([
      'init',
      '--dir',
      dir,
      '--vendor',
      vendor,
      '--check-url',
      `${url}/v1/health?deep=1`,
      '--time-zone',
      'Europe/Prague',
      '--language',
      'cs',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await readdir(join(dir, 'checks'))).sort(), ['maintenance.yml', 'service.yml', 'site.yml']);
    assert.deepEqual((await readdir(join(dir, '.github/workflows'))).sort(), ['checks.yml', 'heartbeat.yml', 'probe.yml', 'site.yml']);
    const site = await readFile(join(dir, 'checks/site.yml'), 'utf8');
    assert.match(site, /time_zone: Europe\/Prague/);
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /1 checks in 1 files, 1 components/);
    const p = await upkeep(['probe', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /service-health {2}up .*\n1 probed, 0 down/);
    const out = join(dir, 'dist');
    const b = await upkeep(['build', '--checks', join(dir, 'checks'), '--history', join(dir, 'history'), '--out', out]);
    assert.equal(b.code, 0, b.stderr);
    const home = await readFile(join(out, 'index.html'), 'utf8');
    assert.ok(
      home.includes('Acme &quot;CRM&quot; &amp; Co: #1 — ÄÖ') || home.includes('Acme "CRM" &amp; Co: #1 — ÄÖ'),
      'the name, quoted right in YAML, reaches the page',
    );
    assert.match(home, /lang="cs"/);
  });

  it('refuses to overwrite anything without --force, writes nothing, and says which files', async () => {
    const dir = await tempDir();
    const args = ['init', '--dir', dir, '--vendor', 'A', '--check-url', 'https://api.acme.example/health'];
    assert.equal((await upkeep(args)).code, 0);
    await writeFile(join(dir, 'checks/site.yml'), '# mine\n');
    const r = await upkeep(args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /already has checks\/api\.yml, checks\/maintenance\.yml, checks\/site\.yml; nothing was written/);
    assert.equal(await readFile(join(dir, 'checks/site.yml'), 'utf8'), '# mine\n');
    await writeFile(join(dir, '.github/workflows/probe.yml'), '# my own workflow\n');
    const forced = await upkeep([...args, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(await readFile(join(dir, 'checks/site.yml'), 'utf8'), '# mine\n');
    assert.notEqual(await readFile(join(dir, '.github/workflows/probe.yml'), 'utf8'), '# my own workflow\n');
  });

  it('on the template, names the demo, and --force replaces every demo file so the result validates', async () => {
    const dir = await tempDir();
    await cp(join(siteRoot, 'checks'), join(dir, 'checks'), { recursive: true });
    const args = ['init', '--dir', dir, '--vendor', 'Acme CRM', '--check-url', 'https://app.acme.example/'];
    const r = await upkeep(args);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Pipewell CRM demo’s examples: `npx upkeep init --force …` replaces them/);
    const forced = await upkeep([...args, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual((await readdir(join(dir, 'checks'))).sort(), ['maintenance.yml', 'site.yml', 'web-app.yml']);
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 0, v.stderr);
  });

  it('explains every bad answer at once, and what it needs when run without a terminal', async () => {
    const dir = await tempDir();
    const r = await upkeep([
      'init',
      '--dir',
      dir,
      '--vendor',
      'two\nlines',
      '--check-url',
      'https://user:pw@api.example/',
      '--time-zone',
      'Mars/Base',
      '--language',
      'xx',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--vendor: a name of at most 80 characters on one line/);
    assert.match(r.stderr, /--check-url: put no user or password in the address/);
    assert.match(r.stderr, /--time-zone: "Mars\/Base" is not an IANA time zone/);
    assert.match(r.stderr, /--language: "xx" is not one Upkeep ships; choose en, pt-BR, cs, ru, fa, zh-CN/);
    assert.deepEqual(await readdir(dir), [], 'nothing written');
    const bare = await upkeep(['init', '--dir', dir]);
    assert.match(bare.stderr, /init needs --vendor NAME and --check-url URL \(or run it in a terminal to be asked\)/);
  });
});

describe('upkeep dev', async () => {
  let hits = 0;
  const { url } = await httpServer((_req, res) => {
    hits++;
    res.end('ok');
  });

  it('serves the page, rebuilds on an edit without ever serving a missing page, keeps the last good page on a broken file, and never writes to history/', async () => {
    const dir = await tempDir();
    assert.equal((await upkeep(['init', '--dir', dir, '--vendor', 'Dev Co', '--check-url', `${url}/health`])).code, 0);
    await writeFile(join(dir, 'history/README.md'), 'the repository’s own\n');
    const lines: string[] = [];
    const server = await startDev(
      { checks: join(dir, 'checks'), history: join(dir, 'history'), port: 0, env: {} },
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    try {
      const title = async () => /<title>([^<]*)/.exec(await (await fetch(server.url)).text())?.[1];
      const until = async (what: () => Promise<boolean>, label: string) => {
        for (let i = 0; i < 300; i++) {
          if (await what()) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(`${label}; dev said:\n${lines.join('\n')}`);
      };
      await until(async () => (await fetch(server.url)).status === 200, 'no first build');
      assert.equal(await title(), 'Dev Co Status');
      assert.ok(hits >= 1, 'the check was probed');

      // Poll the page all through a rebuild: every answer is a whole page.
      const statuses: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const res = await fetch(`${server.url}components/service/`);
          statuses.push(res.status);
          if (res.status === 200) assert.match(await res.text(), /<\/html>\s*$/);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const site = join(dir, 'checks/site.yml');
      await writeFile(site, (await readFile(site, 'utf8')).replace('title: Dev Co Status', 'title: Renamed Status'));
      await until(async () => (await title()) === 'Renamed Status', 'the edit was not rebuilt');
      const good = await readFile(site, 'utf8');
      await writeFile(site, `${good}components: [\n`);
      await until(async () => lines.some((l) => /problems? in .*checks; still serving the last good page/.test(l)), 'no errors printed');
      assert.ok(
        lines.some((l) => /site\.yml:\d+:\d+/.test(l)),
        'errors name file, line and column',
      );
      assert.equal(await title(), 'Renamed Status', 'the last good page stays');
      await writeFile(site, good.replace('title: Renamed Status', 'title: Fixed Status'));
      await until(async () => (await title()) === 'Fixed Status', 'the fix was not rebuilt');
      polling = false;
      await poller;
      assert.ok(statuses.length > 20, `polled ${statuses.length} times`);
      assert.deepEqual([...new Set(statuses)], [200], 'never a missing page mid-build');
      assert.deepEqual(await readdir(join(dir, 'history')), ['README.md'], 'nothing written to the repository’s history');
    } finally {
      await server.stop();
    }
  });
});

describe('upkeep init on a terminal', () => {
  it('asks what the flags did not say, with this machine’s zone as the default, and asks again after a wrong answer', async () => {
    const { PassThrough } = await import('node:stream');
    const { init } = await import('../../src/cli/init.ts');
    const dir = await tempDir();
    const input = new PassThrough();
    const output = new PassThrough();
    let asked = '';
    output.on('data', (c: Buffer) => (asked += c.toString()));
    const errors: string[] = [];
    // Answers: a name; a wrong address, then a right one; the default zone; a language.
    const answers = ['Term CRM', 'not a url', 'https://api.term.example/health', '', 'pt-BR'];
    const done = init({ dir, force: false, interactive: true, input, output }, { out: () => {}, err: (l) => errors.push(l) });
    for (const a of answers) {
      await new Promise((r) => setTimeout(r, 50));
      input.write(`${a}\n`);
    }
    await done;
    assert.match(asked, /Your company or product name: /);
    assert.match(asked, /The page’s time zone \[[^\]]+\]: /);
    assert.ok(
      errors.some((e) => /is not an address/.test(e)),
      errors.join('\n'),
    );
    const site = await readFile(join(dir, 'checks/site.yml'), 'utf8');
    assert.match(site, /vendor: Term CRM/);
    assert.match(site, /language: pt-BR/);
    assert.match(site, new RegExp(`time_zone: ${Intl.DateTimeFormat().resolvedOptions().timeZone}`));
  });
});
