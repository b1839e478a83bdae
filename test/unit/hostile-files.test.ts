/**
 * Files a person (or a pull request) controls, made hostile: every kind of file Upkeep reads gets
 * the same attacks, and each must be a `file:line:col` error with exit 1 — never an internal error,
 * never a crash later, never a different date.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { upkeep } from '../helpers/cli.ts';
import { SITE_YML, tempDir, writeTree } from '../helpers/temp.ts';

const CHECKS = 'checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: http://127.0.0.1:9/\n';
const INCIDENT = (front: string) => `---\nid: 2026-11-20-api\ntitle: API errors\ncomponents: [api]\nimpact: minor\n${front}---\n`;
const UPDATE = 'updates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    message: Looking into it.\n';
const bomb = (indent = '') =>
  `${['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]'].map((l) => indent + l).join('\n')}\n`;

type Case = { name: string; files: Record<string, string>; error: RegExp };

/** The attacks, each placed in every kind of file. */
const cases: Case[] = [
  // Undefined aliases.
  {
    name: 'an undefined alias in a checks file',
    files: { 'checks/a.yml': CHECKS.replace('name: API', 'name: *nowhere') },
    error: /^checks\/a\.yml:3:11 {2}YAML: the alias \*nowhere names no anchor/m,
  },
  {
    name: 'an undefined alias in site.yml',
    files: { 'checks/site.yml': SITE_YML.replace('title: Test CRM Status', 'title: *nowhere') },
    error: /^checks\/site\.yml:2:10 {2}YAML: the alias \*nowhere names no anchor/m,
  },
  {
    name: 'an undefined alias in maintenance.yml',
    files: { 'checks/maintenance.yml': 'maintenance:\n  - id: w\n    title: *nowhere\n' },
    error: /^checks\/maintenance\.yml:3:12 {2}YAML: the alias \*nowhere/m,
  },
  {
    name: 'an undefined alias in incident front matter',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(`by: *nowhere\n${UPDATE}`) },
    error: /^history\/incidents\/2026-11-20-api\.md:6:5 {2}YAML: the alias \*nowhere/m,
  },
  // Alias bombs ("billion laughs").
  {
    name: 'an alias bomb in a checks file',
    files: { 'checks/a.yml': `${CHECKS}${bomb()}` },
    error: /^checks\/a\.yml:\d+:\d+ {2}YAML: these aliases expand to too much data/m,
  },
  {
    name: 'an alias bomb in site.yml',
    files: { 'checks/site.yml': `${SITE_YML}${bomb()}` },
    error: /^checks\/site\.yml:\d+:\d+ {2}YAML: these aliases expand to too much data/m,
  },
  {
    name: 'an alias bomb in maintenance.yml',
    files: { 'checks/maintenance.yml': `maintenance: []\n${bomb()}` },
    error: /^checks\/maintenance\.yml:\d+:\d+ {2}YAML: these aliases expand/m,
  },
  {
    name: 'an alias bomb in incident front matter',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(`${UPDATE}${bomb()}`) },
    error: /^history\/incidents\/2026-11-20-api\.md:\d+:\d+ {2}YAML: these aliases expand/m,
  },
  // Nesting too deep for the parser.
  {
    name: 'nesting too deep in a checks file',
    files: { 'checks/a.yml': `x: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n${CHECKS}` },
    error: /^checks\/a\.yml:1:\d+ {2}YAML: .*(too deeply|Maximum call stack)/m,
  },
  // Impossible times.
  {
    name: 'February 30th in a maintenance window',
    files: {
      'checks/maintenance.yml':
        'maintenance:\n  - id: w\n    title: Upgrade\n    components: [api]\n    start: "2026-02-30 22:00"\n    end: "2026-03-01 02:00"\n',
    },
    error: /^checks\/maintenance\.yml:5:12 {2}maintenance\[0\]\.start: "2026-02-30 22:00" is not a real time: February 2026 has 28 days, not 30/m,
  },
  {
    name: 'hour 25 in a maintenance window',
    files: {
      'checks/maintenance.yml':
        'maintenance:\n  - id: w\n    title: Upgrade\n    components: [api]\n    start: "2026-11-23T25:61:00Z"\n    end: "2026-11-24T02:00:00Z"\n',
    },
    error: /maintenance\[0\]\.start: "2026-11-23T25:61:00Z" is not a real time: there is no hour 25/,
  },
  {
    name: 'month 13 in an incident update',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(UPDATE.replace('2026-11-20T10:00:00Z', '2026-13-01T10:00:00Z')) },
    error: /^history\/incidents\/2026-11-20-api\.md:7:9 {2}updates\[0\]\.at: "2026-13-01T10:00:00Z" is not a real time: there is no month 13/m,
  },
  {
    name: 'a recurring window until April 31st',
    files: {
      'checks/maintenance.yml':
        'maintenance:\n  - id: w\n    title: Weekly\n    components: [api]\n    recurring: { weekly: [sun], at: "02:00", duration: 1h, until: "2026-04-31" }\n',
    },
    error: /maintenance\[0\]\.recurring\.until: "2026-04-31" is not a real time: April 2026 has 30 days, not 31/,
  },
  {
    name: 'an incident in the year 9999 (10000 in the page zone: no calendar can show it)',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(UPDATE.replace('2026-11-20T10:00:00Z', '9999-12-31T23:30:00Z')) },
    error: /updates\[0\]\.at: "9999-12-31T23:30:00Z" is not a real time: the year 9999 is out of range \(1970–2999\)/,
  },
  {
    name: 'an offset no zone has',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(UPDATE.replace('2026-11-20T10:00:00Z', '2026-11-20T10:00:00+18:59')) },
    error: /is not a real time: the offset \+18:59 is not a UTC offset/,
  },
  // Characters no page or feed can carry.
  {
    name: 'a NUL in an incident title',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(UPDATE).replace('title: API errors', 'title: "API \\0 errors"') },
    error: /^history\/incidents\/2026-11-20-api\.md:3:8 {2}this text holds the control character U\+0000/m,
  },
  {
    name: 'an escape character in a check name',
    files: { 'checks/a.yml': CHECKS.replace('name: API', 'name: "API \\e[31m"') },
    error: /^checks\/a\.yml:3:11 {2}this text holds the control character U\+001B/m,
  },
  // Durations a run cannot keep.
  {
    name: 'a timeout longer than a timer can wait',
    files: { 'checks/a.yml': CHECKS.replace('kind: http', 'kind: http\n    timeout: 99999999999ms') },
    error: /checks\[0\]\.timeout: expected a duration from 100ms to 10m, got "99999999999ms"/,
  },
  {
    name: 'an interval of zero (a run would spin)',
    files: { 'checks/site.yml': `${SITE_YML}defaults:\n  interval: 0s\n` },
    error: /defaults\.interval: expected a duration from 1s to 1d, got "0s"/,
  },
  {
    name: 'a number too large to be one',
    files: { 'checks/a.yml': CHECKS.replace('kind: http', 'kind: http\n    max_body_bytes: 1e400') },
    error: /max_body_bytes: .*got Infinity/,
  },
  // Files that are not what they claim.
  {
    name: 'a ca_file that is a device',
    files: { 'checks/a.yml': CHECKS.replace('kind: http', 'kind: http\n    ca_file: /dev/zero') },
    error: /checks\[0\]\.ca_file: "\/dev\/zero" is not a regular file/,
  },
  // Links that would run in visitors' browsers.
  {
    name: 'javascript: in site.links',
    files: {
      'checks/site.yml': `${SITE_YML.replace('  time_zone: Europe/Prague\n', '  time_zone: Europe/Prague\n  links:\n    - label: Help\n      url: "javascript:alert(document.domain)"\n')}`,
    },
    error: /^checks\/site\.yml:7:12 {2}site\.links\[0\]\.url: expected an https:\/\/, http:\/\/ or mailto: link.*javascript:/m,
  },
  {
    name: 'a disguised javascript: in site.links',
    files: {
      'checks/site.yml': `${SITE_YML.replace('  time_zone: Europe/Prague\n', '  time_zone: Europe/Prague\n  links:\n    - label: Help\n      url: " JaVa\\tScRiPt:alert(1)"\n')}`,
    },
    error: /site\.links\[0\]\.url: expected an https:\/\/, http:\/\/ or mailto: link/,
  },
  {
    name: 'data: as site.logo',
    files: {
      'checks/site.yml': SITE_YML.replace('  time_zone: Europe/Prague\n', '  time_zone: Europe/Prague\n  logo: "data:image/svg+xml,<svg onload=alert(1)>"\n'),
    },
    error: /^checks\/site\.yml:5:9 {2}site\.logo: expected an https:\/\/, http:\/\/ or mailto: link/m,
  },
  {
    name: 'a javascript: link in an incident update',
    files: { 'history/incidents/2026-11-20-api.md': INCIDENT(UPDATE.replace('Looking into it.', '"See [the fix](javascript:alert(1))"')) },
    error: /^history\/incidents\/2026-11-20-api\.md:9:14 {2}updates\[0\]\.message: the link "javascript:alert\(1\)" is not allowed/m,
  },
  {
    name: 'an entity-encoded javascript: link in an incident write-up',
    files: { 'history/incidents/2026-11-20-api.md': `${INCIDENT(UPDATE)}\nWrite-up.\n\n[details](&#106;avascript:alert(1))\n` },
    error: /^history\/incidents\/2026-11-20-api\.md:14:11 {2}the link "javascript:alert\(1\)" is not allowed/m,
  },
];

async function repo(files: Record<string, string>) {
  const dir = await writeTree({ 'checks/site.yml': SITE_YML, 'checks/a.yml': CHECKS, ...files });
  return dir;
}

describe('hostile files: a clear error where the problem is, never an internal one', () => {
  for (const c of cases) {
    it(`${c.name}: validate and probe exit 1 with file:line:col`, async () => {
      const dir = await repo(c.files);
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const v = await upkeep(['validate']);
        assert.equal(v.code, 1, `${v.stdout}\n${v.stderr}`);
        assert.match(v.stderr, c.error);
        assert.doesNotMatch(v.stderr, /internal error/);
        if (!Object.keys(c.files).some((f) => f.startsWith('history/'))) {
          const p = await upkeep(['probe', '--dry-run']);
          assert.equal(p.code, 1, p.stderr);
          assert.match(p.stderr, c.error);
        }
      } finally {
        process.chdir(cwd);
      }
    });
  }

  it('a checks file over 4 MB is refused before it is read', async () => {
    const dir = await repo({ 'checks/huge.yml': `checks:\n${'  # padding\n'.repeat(450_000)}` });
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /huge\.yml:1:1 {2}is 5\.1 MB; check files may be at most 4 MB each: split it into several files/);
  });

  it('an incident file over 1 MB is refused', async () => {
    const dir = await repo({ 'history/incidents/2026-11-20-api.md': `${INCIDENT(UPDATE)}\n${'x'.repeat(1_100_000)}\n` });
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /2026-11-20-api\.md:1:1 {2}is 1\.0 MB; an incident file may be at most 1 MB/);
  });

  it('symbolic links in checks/ and history/incidents/ are refused, not followed', async () => {
    const dir = await repo({});
    const outside = await tempDir();
    await writeFile(join(outside, 'secret.yml'), 'checks:\n  - id: leaked\n    name: "private text from outside the repository"\n');
    await symlink(join(outside, 'secret.yml'), join(dir, 'checks', 'linked.yml'));
    await mkdir(join(dir, 'history', 'incidents'), { recursive: true });
    await symlink(join(outside, 'secret.yml'), join(dir, 'history', 'incidents', '2026-11-20-linked.md'));
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /checks\/linked\.yml:1:1 {2}is a symbolic link; Upkeep reads only regular files/);
    assert.doesNotMatch(v.stderr, /private text/);
  });

  it('history folders that are symbolic links are not read (nothing outside the repository is published)', async () => {
    const dir = await repo({});
    const outside = await tempDir();
    await mkdir(join(outside, 'incidents'));
    await writeFile(join(outside, 'incidents', '2026-11-20-api.md'), INCIDENT(UPDATE.replace('Looking into it.', 'TEXT FROM OUTSIDE THE REPOSITORY')));
    await mkdir(join(dir, 'history'), { recursive: true });
    await symlink(join(outside, 'incidents'), join(dir, 'history', 'incidents'));
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /history\/incidents:1:1 {2}is not a real folder \(a symbolic link/);
    const { loadIncidents } = await import('../../src/history/incidents.ts');
    assert.deepEqual((await loadIncidents(join(dir, 'history'), ['api'])).incidents, []);
  });

  it('a byte order mark at the start of a file is an editor habit, not an error', async () => {
    const dir = await repo({ 'checks/a.yml': `\uFEFF${CHECKS}`, 'history/incidents/2026-11-20-api.md': `\uFEFF${INCIDENT(UPDATE)}` });
    const v = await upkeep(['validate', '--checks', join(dir, 'checks'), '--history', join(dir, 'history')]);
    assert.equal(v.code, 0, v.stderr);
  });

  it('build never empties a folder that is not its own (--out . in a repository)', async () => {
    const dir = await repo({ 'notes.txt': 'keep me\n' });
    for (const out of [dir, join(dir, 'checks'), join(dir, '..')]) {
      const b = await upkeep(['build', '--checks', join(dir, 'checks'), '--history', join(dir, 'history'), '--out', out]);
      assert.equal(b.code, 1, b.stderr);
      assert.match(b.stderr, /the build empties its output folder first: choose/);
    }
    const other = await writeTree({ 'report.pdf': 'x' });
    const b = await upkeep(['build', '--checks', join(dir, 'checks'), '--history', join(dir, 'history'), '--out', other]);
    assert.match(b.stderr, /is not empty and is not an earlier Upkeep build/);
    const { readFile } = await import('node:fs/promises');
    assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'keep me\n');
    assert.equal(await readFile(join(other, 'report.pdf'), 'utf8'), 'x');
  });

  it('UPKEEP_NOW must be a real time', async () => {
    const dir = await repo({});
    const r = await upkeep(['probe', '--checks', join(dir, 'checks'), '--dry-run'], { UPKEEP_NOW: '2026-02-30T10:00:00Z' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /UPKEEP_NOW "2026-02-30T10:00:00Z" is not a real time: February 2026 has 28 days, not 30/);
  });
});
