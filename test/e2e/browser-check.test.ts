import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { startCrm, DEMO_PASSWORD, DEMO_USER, type LoginBreak } from '../../src/demo/crm.ts';
import { readDay } from '../../src/history/store.ts';
import { probeChecks } from '../../src/probes/run.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publicOnlyGuard } from '../../src/probes/guard.ts';
import { secretsOf } from '../../src/cli/secrets.ts';
import { Redactor } from '../../src/secrets/redact.ts';
import { chromiumPath } from '../helpers/browser.ts';
import { upkeep } from '../helpers/cli.ts';
import { httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const JOURNEY = `checks:
  - id: journey
    name: Sign in and open the pipeline
    component: web
    kind: browser
    retries: 0
    step_timeout: 3s
    steps:
      - goto: \${{ vars.base_url }}/login
      - fill: { selector: "#email", value: "\${{ env.CRM_USER }}" }
      - fill: { selector: "#password", value: "\${{ env.CRM_PASSWORD }}" }
      - click: button[type=submit]
      - wait_for: { url: "**/dashboard" }
      - expect_text: Pipeline
      - expect_title: Dashboard
`;

describe('browser checks: a CRM sign-in journey in Chromium', async () => {
  const crm = await startCrm();
  after(() => crm.close());
  const checks = await writeTree({
    'site.yml': `${SITE_YML.replace('http://127.0.0.1:9', crm.url).replace('vendor: Test CRM', 'vendor: Pipewell CRM')}defaults:\n  retry_backoff: 1ms\n`,
    'a.yml': JOURNEY,
  });
  const env = { CRM_USER: DEMO_USER, CRM_PASSWORD: DEMO_PASSWORD, UPKEEP_CHROMIUM: chromiumPath() ?? '' };

  const probeWith = async (mode: LoginBreak) => {
    crm.setLoginBreak(mode);
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', checks, '--history', history, '--json'], { ...env, UPKEEP_NOW: '2026-11-23T10:00:00Z' });
    assert.equal(r.code, 0, r.stderr);
    return { sample: JSON.parse(r.stdout)[0], history, printed: r.stdout + r.stderr };
  };

  it('a good journey is up, with a timing for every step', async () => {
    const { sample } = await probeWith('none');
    assert.equal(sample.outcome, 'up', JSON.stringify(sample));
    assert.equal(sample.steps.length, 7);
    assert.ok(sample.latencyMs >= sample.steps.reduce((a: number, b: number) => a + b, 0) - 5);
  });

  const breakages: { mode: LoginBreak; reason: string; message: RegExp }[] = [
    { mode: 'redirect', reason: 'browser_wait_for', message: /^step 5 wait_for "\*\*\/dashboard": not done within 3s$/ },
    { mode: 'slow', reason: 'browser_expect_text', message: /^step 6 expect_text "Pipeline": not found within 3s$/ },
    { mode: 'missing', reason: 'browser_expect_text', message: /^step 6 expect_text "Pipeline": not found within 3s$/ },
  ];
  for (const b of breakages) {
    it(`a broken login (${b.mode}) names the step and what was expected, with a screenshot and the step log`, async () => {
      const { sample, history } = await probeWith(b.mode);
      assert.equal(sample.outcome, 'down');
      assert.equal(sample.reason, b.reason);
      assert.match(sample.message, b.message);
      const { samples } = await readDay(history, '2026-11-23');
      const stored = samples[0];
      assert.match(stored.artifact ?? '', /^2026-11-23\/journey\.default\.100000$/);
      const jpg = await readFile(join(history, 'artifacts', `${stored.artifact}.jpg`));
      assert.deepEqual([...jpg.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
      assert.ok(jpg.length <= 120 * 1024, `${jpg.length} bytes`);
      const log = await readFile(join(history, 'artifacts', `${stored.artifact}.log`), 'utf8');
      assert.match(log, /4\. click "button\[type=submit\]" — ok/);
      assert.match(log, /FAILED: /);
    });
  }

  it('secrets never reach history, logs, printed output or the screenshot', async () => {
    const { history, printed } = await probeWith('missing');
    for (const secret of [DEMO_PASSWORD, DEMO_USER]) assert.ok(!printed.includes(secret));
    for (const f of await readdir(history, { recursive: true })) {
      const p = join(history, f);
      if ((await stat(p)).isFile()) assert.ok(!(await readFile(p)).includes(DEMO_PASSWORD), `secret in ${f}`);
    }
    // Look at the page at the moment of the screenshot: the fields filled from secrets are blank.
    crm.setLoginBreak('redirect'); // fails on the form page, where the secret fields are
    const { config } = await loadConfig(checks, { env });
    const seen: string[] = [];
    const { samples } = await probeChecks(config!, config!.checks, {
      now: () => new Date(),
      wait: async () => {},
      env,
      region: 'default',
      concurrency: 1,
      browserPath: chromiumPath(),
      // The process's secrets, and the check files as public text, as the CLI gathers them.
      redactor: (await secretsOf(checks, env)).redactor,
      beforeScreenshot: async (page) => {
        seen.push(await page.evaluate(() => [document.body.innerText, ...[...document.querySelectorAll('input')].map((i) => i.value)].join('|')));
      },
    });
    assert.equal(samples[0].outcome, 'down');
    assert.equal(seen.length, 1, 'a screenshot was taken');
    assert.ok(!seen[0].includes(DEMO_PASSWORD) && !seen[0].includes(DEMO_USER), seen[0]);
    assert.ok(samples[0].attachments?.screenshot);
  });

  it('a failed journey is re-run before it counts, like any check', async () => {
    crm.setLoginBreak('missing');
    const retrying = await writeTree({
      'site.yml': `${SITE_YML.replace('http://127.0.0.1:9', crm.url).replace('vendor: Test CRM', 'vendor: Pipewell CRM')}defaults:\n  retry_backoff: 1ms\n`,
      'a.yml': JOURNEY.replace('retries: 0', 'retries: 1'),
    });
    const r = await upkeep(['probe', '--checks', retrying, '--dry-run', '--json'], env);
    assert.equal(JSON.parse(r.stdout)[0].attempts, 2);
  });

  it('several browser checks in one run share the browser and all pass', async () => {
    crm.setLoginBreak('none');
    const many = await writeTree({
      'site.yml': `${SITE_YML.replace('http://127.0.0.1:9', crm.url).replace('vendor: Test CRM', 'vendor: Pipewell CRM')}defaults:\n  retry_backoff: 1ms\n`,
      'a.yml': `checks:\n${Array.from({ length: 5 }, (_, i) => JOURNEY.split('\n').slice(1).join('\n').replace('id: journey', `id: journey-${i}`)).join('')}`,
    });
    const history = await tempDir();
    const r = await upkeep(['probe', '--checks', many, '--history', history, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const samples = JSON.parse(r.stdout) as { outcome: string }[];
    assert.deepEqual(
      samples.map((s) => s.outcome),
      ['up', 'up', 'up', 'up', 'up'],
    );
  });

  it('no screenshot while any form of a secret shows anywhere: iframes, srcdoc, shadow roots (open or closed), another origin, the address', async () => {
    const secret = `s3cr"et token ünï ${Date.now()}`;
    const html = (body: string) => `<!doctype html><title>Account</title><body><h1>Account</h1>${body}</body>`;
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    const { url } = await httpServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      res.setHeader('content-type', 'text/html');
      const pages: Record<string, string> = {
        '/plain': html('<p>Nothing to see</p>'),
        '/inner': html(`<p>${esc(secret)}</p>`),
        '/iframe': html('<iframe src="/inner"></iframe>'),
        '/srcdoc': html(`<iframe srcdoc="${esc(`<p>${esc(secret)}</p>`)}"></iframe>`),
        '/open-shadow': html(
          `<div id="h"></div><script>document.getElementById('h').attachShadow({mode:'open'}).innerHTML = ${JSON.stringify(`<p>${esc(secret)}</p>`)};</script>`,
        ),
        '/closed-shadow': html(
          `<div id="h"></div><script>document.getElementById('h').attachShadow({mode:'closed'}).innerHTML = ${JSON.stringify(`<p>${esc(secret)}</p>`)};</script>`,
        ),
        '/other-origin': html(`<iframe src="${url.replace('127.0.0.1', 'localhost')}/inner"></iframe>`),
        '/address': html('<p>Nothing to see here either</p>'),
        '/field': html(`<input value="${esc(encodeURIComponent(secret))}">`),
      };
      res.end(pages[path] ?? html(''));
    });
    const cases: { page: string; kept: boolean }[] = [
      { page: '/plain', kept: true },
      { page: '/iframe', kept: false },
      { page: '/srcdoc', kept: false },
      { page: '/open-shadow', kept: false },
      { page: '/closed-shadow', kept: false },
      { page: '/other-origin', kept: false },
      { page: `/address?${new URLSearchParams({ token: secret })}`, kept: false },
      { page: '/field', kept: false },
    ];
    const dir = await writeTree({
      'site.yml': `${SITE_YML.replace('http://127.0.0.1:9', url)}defaults:\n  retries: 0\n`,
      'a.yml': `checks:\n${cases.map((c, i) => `  - id: page-${i}\n    name: Page ${i}\n    component: web\n    kind: browser\n    step_timeout: 5s\n    steps:\n      - goto: ${JSON.stringify(url + c.page)}\n      - wait_for: h1\n      - { expect_text: Never on this page, timeout: 1s }\n`).join('')}`,
    });
    const { config } = await loadConfig(dir, { env: {} });
    const redactor = new Redactor();
    redactor.add(secret);
    const { samples } = await probeChecks(config!, config!.checks, {
      now: () => new Date(),
      wait: async () => {},
      env: {},
      region: 'default',
      concurrency: 2,
      browserPath: chromiumPath(),
      redactor,
    });
    for (const [i, c] of cases.entries()) {
      const s = samples.find((x) => x.check === `page-${i}`)!;
      assert.equal(s.reason, 'browser_expect_text', `${c.page}: ${s.message}`);
      assert.equal(!!s.attachments?.screenshot, c.kept, `${c.page}: ${s.attachments?.log}`);
      if (!c.kept) assert.match(s.attachments!.log, /screenshot withheld: a secret is visible/);
      assert.ok(!s.attachments!.log.includes('s3cr') && !(s.message ?? '').includes('s3cr'), s.attachments!.log);
    }
  });

  it("a pull request's journey cannot reach an internal address: not by fetch, image, iframe or WebSocket", async () => {
    // The internal service: counts every connection, whatever it is for.
    let reached = 0;
    const internal = createServer((_req, res) => {
      reached++;
      res.end('internal data');
    });
    internal.on('upgrade', (_req, socket) => {
      reached++;
      socket.destroy();
    });
    await new Promise<void>((r) => internal.listen(0, '127.0.0.1', r));
    after(() => new Promise<void>((r) => internal.close(() => r())));
    const inner = `127.0.0.1:${(internal.address() as AddressInfo).port}`;
    // The page the pull request's check opens, on an address the base branch allows.
    const page = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>Page</title><h1>Page</h1><img src="http://${inner}/i.png"><iframe src="http://${inner}/f"></iframe><script>
        fetch('http://${inner}/data').catch(() => {});
        const ws = new WebSocket('ws://${inner}/socket'); ws.onopen = () => ws.send('x');
        setTimeout(() => document.body.append(Object.assign(document.createElement('p'), { textContent: 'done' })), 800);
      </script>`);
    });
    await new Promise<void>((r) => page.listen(0, '127.0.0.2', r));
    after(() => new Promise<void>((r) => page.close(() => r())));
    const pageUrl = `http://127.0.0.2:${(page.address() as AddressInfo).port}/`;
    const dir = await writeTree({
      'site.yml': `${SITE_YML}defaults:\n  retries: 0\n`,
      'a.yml': `checks:\n  - id: pr-page\n    name: PR page\n    component: web\n    kind: browser\n    step_timeout: 3s\n    steps:\n      - goto: ${JSON.stringify(pageUrl)}\n      - expect_text: done\n`,
    });
    const { config } = await loadConfig(dir, { env: {} });
    const { samples } = await probeChecks(config!, config!.checks, {
      now: () => new Date(),
      wait: async () => {},
      env: {},
      region: 'default',
      concurrency: 1,
      browserPath: chromiumPath(),
      untrusted: { guard: publicOnlyGuard(['127.0.0.2']) },
    });
    assert.equal(samples[0].outcome, 'up', JSON.stringify(samples[0]));
    assert.equal(reached, 0, 'the internal service was reached');
  });
});
