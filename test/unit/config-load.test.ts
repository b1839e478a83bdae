import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatError } from '../../src/config/errors.ts';
import { loadConfig } from '../../src/config/load.ts';
import { SITE_YML, writeTree } from '../helpers/temp.ts';

const GOOD_CHECK = `checks:
  - id: api-health
    name: API health
    component: api
    kind: http
    url: \${{ vars.base_url }}/health
`;

/** Loads a checks dir made of site.yml plus `files`, and returns the formatted errors with the dir replaced by "checks". */
async function errorsFor(files: Record<string, string>, env: Record<string, string> = {}): Promise<string[]> {
  const dir = await writeTree({ 'site.yml': SITE_YML, ...files });
  const { errors } = await loadConfig(dir, { env });
  return errors.map((e) => formatError(e).replaceAll(dir, 'checks'));
}

describe('config loader', () => {
  it('loads a good config with defaults applied', async () => {
    const dir = await writeTree({ 'site.yml': SITE_YML, 'api.yml': GOOD_CHECK });
    const { config, errors, warnings } = await loadConfig(dir, { env: {} });
    assert.deepEqual(errors, []);
    assert.ok(config);
    assert.equal(config.checks.length, 1);
    const check = config.checks[0];
    assert.equal(check.kind, 'http');
    assert.equal(check.kind === 'http' && check.method, 'GET');
    assert.equal(config.defaults.interval, 300_000);
    assert.equal(config.site.time_zone, 'Europe/Prague');
    assert.deepEqual(config.sources['api-health'], { file: join(dir, 'api.yml'), line: 2, col: 5 });
    assert.deepEqual(warnings, [
      'component "web" has no checks: the page will show it as "no data"',
      'component "email" has no checks: the page will show it as "no data"',
    ]);
  });

  const scenarios: { name: string; files: Record<string, string>; env?: Record<string, string>; expected: string[] }[] = [
    {
      name: 'a status that is not a number',
      files: { 'api.yml': `${GOOD_CHECK}    expect:\n      status: ok\n` },
      expected: ['checks/api.yml:8:15  checks[0].expect.status: expected a number 100–599, "2xx" or a range like "200-299", got "ok"'],
    },
    {
      name: 'a status out of range in a list',
      files: { 'api.yml': `${GOOD_CHECK}    expect:\n      status: [200, 700]\n` },
      expected: ['checks/api.yml:8:21  checks[0].expect.status[1]: expected a number 100–599, got 700'],
    },
    {
      name: 'an unknown key close to a known one',
      files: { 'api.yml': `${GOOD_CHECK}    methd: POST\n` },
      expected: ['checks/api.yml:7:5  checks[0].methd: unknown key "methd" (did you mean "method"?)'],
    },
    {
      name: 'an unknown key far from any known one',
      files: { 'api.yml': `${GOOD_CHECK}    colour: blue\n` },
      expected: [
        'checks/api.yml:7:5  checks[0].colour: unknown key "colour"; allowed: id, name, translations, component, description, critical, every, timeout, retries, for_each, instance, kind, url, method, headers, body, follow_redirects, max_body_bytes, ca_file, cert, key, expect',
      ],
    },
    {
      name: 'a bad duration',
      files: { 'api.yml': `${GOOD_CHECK}    timeout: 5 minutes\n` },
      expected: ['checks/api.yml:7:14  checks[0].timeout: expected a duration such as "30s", "5m" or "1h", got "5 minutes"'],
    },
    {
      name: 'an unknown kind',
      files: { 'api.yml': GOOD_CHECK.replace('kind: http', 'kind: htp') },
      expected: [
        'checks/api.yml:5:11  checks[0].kind: expected one of "http", "tcp", "dns", "tls", "browser", "heartbeat", "api", got "htp" (did you mean "http"?)',
      ],
    },
    {
      name: 'a missing required field',
      files: { 'api.yml': GOOD_CHECK.replace('    url: ${{ vars.base_url }}/health\n', '') },
      expected: ['checks/api.yml:2:5  checks[0].url: required a string, but it is missing'],
    },
    {
      name: 'an unknown component, with a suggestion',
      files: { 'api.yml': GOOD_CHECK.replace('component: api', 'component: apy') },
      expected: ['checks/api.yml:4:16  checks[0].component: unknown component "apy" (did you mean "api"?); components are declared in site.yml'],
    },
    {
      name: 'a broken site.yml still cross-checks every check file and maintenance window',
      files: {
        'site.yml': `${SITE_YML}defaults:\n  retries: 9\n`,
        'api.yml': GOOD_CHECK.replace('component: api', 'component: apy'),
        'maintenance.yml':
          'maintenance:\n  - id: w\n    title: Upgrade\n    components: [emial]\n    start: "2026-11-28 22:00"\n    end: "2026-11-28 23:00"\n  - id: broken\n',
      },
      expected: [
        'checks/api.yml:4:16  checks[0].component: unknown component "apy" (did you mean "api"?); components are declared in site.yml',
        'checks/maintenance.yml:4:18  maintenance[0].components[0]: unknown component "emial"',
        'checks/maintenance.yml:7:5  maintenance[1].title: required a string, but it is missing',
        'checks/maintenance.yml:7:5  maintenance[1].components: required a list (lines starting with "- "), but it is missing',
        'checks/site.yml:20:12  defaults.retries: expected a number ≤ 5, got 9',
      ],
    },
    {
      name: 'duplicate check ids across files',
      files: { 'api.yml': GOOD_CHECK, 'more.yml': GOOD_CHECK },
      expected: ['checks/more.yml:2:9  checks[0].id: duplicate check id "api-health" (first defined at checks/api.yml:2:9)'],
    },
    {
      name: 'an undefined var and a missing secret',
      files: { 'api.yml': GOOD_CHECK.replace('vars.base_url', 'vars.base').replace('/health', '/health?key=${{ env.CRM_TOKEN }}') },
      expected: [
        'checks/api.yml:6:10  checks[0].url: ${{ vars.base }} is not defined (did you mean "base_url"?); add it under `vars:` in site.yml',
        'checks/api.yml:6:10  checks[0].url: ${{ env.CRM_TOKEN }} is not set. Locally: `export CRM_TOKEN=…` before the command, or `--allow-missing-secrets` to skip the checks that need it. On GitHub: add a repository secret CRM_TOKEN (Settings → Secrets and variables → Actions); the workflows pass every secret to Upkeep, no workflow edit needed',
      ],
    },
    {
      name: 'a bad id',
      files: { 'api.yml': GOOD_CHECK.replace('id: api-health', 'id: API Health') },
      expected: ['checks/api.yml:2:9  checks[0].id: expected an id of lowercase letters, digits and dashes (e.g. "api-health"), got "API Health"'],
    },
    {
      name: 'a URL that is not http(s) once vars are filled in',
      files: { 'api.yml': GOOD_CHECK.replace('${{ vars.base_url }}/health', 'ftp://files.test/x') },
      expected: ['checks/api.yml:6:10  checks[0].url: "ftp://files.test/x" is not an http:// or https:// URL'],
    },
    {
      name: 'a port var that is not a port, and a missing CA file',
      files: {
        'mail.yml':
          'checks:\n  - id: imap\n    name: IMAP\n    component: email\n    kind: tcp\n    host: 127.0.0.1\n    port: ${{ vars.base_url }}\n  - id: cert\n    name: Cert\n    component: api\n    kind: tls\n    host: localhost\n    ca_file: nope.pem\n',
      },
      expected: [
        'checks/mail.yml:7:11  checks[0].port: ${{ vars.base_url }} is "http://127.0.0.1:9", not a port number 1–65535',
        'checks/mail.yml:13:14  checks[1].ca_file: "nope.pem" does not exist (a path is relative to the checks folder, or absolute)',
      ],
    },
    {
      name: 'browser steps: a misspelt action, a fill without its value',
      files: {
        'b.yml':
          'checks:\n  - id: j\n    name: J\n    component: web\n    kind: browser\n    steps:\n      - goto: http://127.0.0.1:9/login\n      - clik: "#a"\n      - fill: { selector: "#p" }\n',
      },
      expected: [
        'checks/b.yml:8:9  checks[0].steps[1]: unknown step "clik" (did you mean "click"?); steps are goto, fill, click, press, wait_for, expect_text, expect_url, expect_title',
        'checks/b.yml:9:9  checks[0].steps[2]: fill takes `fill: { selector: "#email", value: "…" }`, got {"selector":"#p"}',
      ],
    },
    {
      name: 'a bad JSON assertion',
      files: { 'api.yml': `${GOOD_CHECK}    expect:\n      json: status = ok\n` },
      expected: [`checks/api.yml:8:13  checks[0].expect.json: expected an assertion like '$.status == "ok"' or '$.queue.depth < 100', got "status = ok"`],
    },
    {
      name: 'broken YAML indentation',
      files: { 'api.yml': 'checks:\n  - id: x\n   name: bad\n' },
      expected: [
        'checks/api.yml:3:1  YAML: Sequence item without - indicator — this line is indented differently from the lines above it; keys of one item line up',
      ],
    },
    {
      name: 'a duplicate key',
      files: { 'api.yml': `${GOOD_CHECK}    url: http://other.invalid\n` },
      expected: ['checks/api.yml:7:5  YAML: Map keys must be unique — each key may appear once per mapping; remove or rename one'],
    },
    {
      name: 'an empty file',
      files: { 'api.yml': '' },
      expected: ['checks/api.yml:1:1  the file is empty; start it with `checks:` or delete it'],
    },
    {
      name: 'several errors in several files, all at once, in file order',
      files: {
        'a.yml': GOOD_CHECK.replace('api-health', 'a1').replace('component: api', 'component: nope'),
        'b.yml': `${GOOD_CHECK.replace('api-health', 'b1')}    retries: 9\n`,
      },
      expected: [
        'checks/a.yml:4:16  checks[0].component: unknown component "nope"; components are declared in site.yml',
        'checks/b.yml:7:14  checks[0].retries: expected a number ≤ 5, got 9',
      ],
    },
    {
      name: 'site.yml: an unknown time zone and an unknown group',
      files: { 'site.yml': SITE_YML.replace('Europe/Prague', 'Europe/Praha').replace('group: core\n  - id: web', 'group: cor\n  - id: web') },
      // Both at once: a broken field no longer hides the cross-checks of the rest.
      expected: [
        'checks/site.yml:4:14  site.time_zone: expected an IANA time zone such as "Europe/Prague" or "UTC", got "Europe/Praha"',
        'checks/site.yml:13:12  components[0].group: unknown group "cor" (did you mean "core"?); declare it under `groups:`',
      ],
    },
    {
      name: 'site.yml: an unknown group (time zone fine)',
      files: { 'site.yml': SITE_YML.replace('group: core\n  - id: web', 'group: cor\n  - id: web') },
      expected: ['checks/site.yml:13:12  components[0].group: unknown group "cor" (did you mean "core"?); declare it under `groups:`'],
    },
  ];

  for (const s of scenarios) {
    it(`reports ${s.name}`, async () => {
      assert.deepEqual(await errorsFor(s.files, s.env), s.expected);
    });
  }

  it('accepts the secret when the environment has it', async () => {
    const errors = await errorsFor({ 'api.yml': GOOD_CHECK.replace('/health', '/health?key=${{ env.CRM_TOKEN }}') }, { CRM_TOKEN: 's3cr3t' });
    assert.deepEqual(errors, []);
  });

  it('says what to do when site.yml is missing', async () => {
    const dir = await writeTree({ 'api.yml': GOOD_CHECK });
    const { errors } = await loadConfig(dir, {});
    assert.equal(
      formatError(errors[0]).replace(dir, 'checks'),
      'checks/site.yml:1:1  missing: every status page needs checks/site.yml with `site:` (title, vendor) and `components:`',
    );
  });

  it('loads the example checks shipped in the repository', async () => {
    const { config, errors } = await loadConfig('checks', { env: {} });
    assert.deepEqual(errors.map(formatError), []);
    assert.ok(config && config.checks.length >= 5);
    for (const c of config.components)
      assert.ok(
        config.checks.some((k) => k.component === c.id),
        `component ${c.id} has a check`,
      );
  });
});
