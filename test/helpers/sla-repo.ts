/**
 * A status repository in git with a month boundary in it: a sample every 10 minutes from 1 November
 * 2026 to 2 December 10:00 (UTC), half an hour down on 29 November, committed once a day just after
 * midnight (so November's last samples reach git in the first commit of December), then an unrelated
 * commit on top.
 */
import { execFileSync } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from './git.ts';
import { tempDir } from './temp.ts';

export const SLA_NOW = '2026-12-02T10:05:00Z';
export const SLA_ENV = { UPKEEP_NOW: SLA_NOW, GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'acme/status' };

const SITE = `site:
  title: Acme Status
  vendor: Acme CRM
  url: https://status.acme.example
  time_zone: Europe/Prague
  languages: [cs, fa]
vars:
  base_url: http://127.0.0.1:9
defaults:
  interval: 10m
components:
  - id: api
    name: REST API
sla:
  target: 99.95
  credits:
    - below: 99.95
      credit: 10
`;
const CHECKS = `checks:
  - id: api
    name: API health
    component: api
    kind: http
    url: \${{ vars.base_url }}/api
`;

const down = (t: number) => t >= Date.parse('2026-11-29T10:00:00Z') && t < Date.parse('2026-11-29T10:30:00Z');

export async function slaRepo(): Promise<{ repo: string; checks: string; history: string; closing: string; head: string }> {
  const repo = await tempDir('upkeep-sla-');
  git(repo, 'init', '-q', '-b', 'main');
  await mkdir(join(repo, 'checks'), { recursive: true });
  await mkdir(join(repo, 'history', 'samples'), { recursive: true });
  await writeFile(join(repo, 'checks', 'site.yml'), SITE);
  await writeFile(join(repo, 'checks', 'api.yml'), CHECKS);
  const commit = (date: string, message: string) => {
    git(repo, 'add', '-A');
    execGit(repo, date, message);
    return git(repo, 'rev-parse', 'HEAD').trim();
  };
  commit('2026-10-31T12:00:00Z', 'checks');
  const end = Date.parse('2026-12-02T10:00:00Z');
  let closing = '';
  for (let day = Date.parse('2026-11-01T00:00:00Z'); day <= end; day += 86_400_000) {
    const name = new Date(day).toISOString().slice(0, 10);
    const lines: string[] = [];
    for (let t = day; t < day + 86_400_000 && t <= end; t += 600_000) {
      const time = new Date(t).toISOString().slice(11, 19);
      lines.push(down(t) ? `${time}\tapi\tdown\t-\t3\treason=status_503\tstatus=503\tmsg=HTTP 503` : `${time}\tapi\tup\t40\t1`);
    }
    await writeFile(join(repo, 'history', 'samples', `${name}.default.tsv`), `${lines.join('\n')}\n`);
    const at = Math.min(day + 86_400_000 + 300_000, end + 300_000);
    const sha = commit(new Date(at).toISOString(), `probe: samples of ${name} [skip ci]`);
    if (name === '2026-11-30') closing = sha;
  }
  await writeFile(join(repo, 'README.md'), 'status\n');
  const head = commit('2026-12-02T10:06:00Z', 'docs');
  return { repo, checks: join(repo, 'checks'), history: join(repo, 'history'), closing, head };
}

function execGit(repo: string, date: string, message: string) {
  // Commit and author dates as a probe slot would have them.
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', message], { cwd: repo, env });
}

/** The instances of `slaInstancesRepo`, and the two the 29 November outage hits. */
export const SLA_INSTANCES = ['na1', 'na2', 'eu1', 'eu2', 'ap1', 'ap2'] as const;
export const SLA_DOWN = ['eu1', 'eu2'] as const;
export const SLA_SHARDS = 3;

const INSTANCE_SITE = SITE.replace(
  'components:',
  `instances:\n${SLA_INSTANCES.map((id) => `  - id: ${id}\n    name: ${id.toUpperCase()}\n`).join('')}components:`,
);
const INSTANCE_CHECKS = `checks:
  - id: api
    name: API on \${{ instance.name }}
    component: api
    kind: http
    for_each: instances
    url: \${{ vars.base_url }}/\${{ instance.id }}
`;
// EU1 and EU2 down for half an hour, with an incident that names EU1 only; an hour of maintenance on NA2 alone.
const INCIDENT = `---
id: 2026-11-29-eu1-api
title: REST API errors on EU1
components: [api]
instances: [eu1]
impact: major
updates:
  - at: 2026-11-29T10:05:00Z
    status: investigating
    message: Requests fail on EU1.
  - at: 2026-11-29T10:35:00Z
    status: resolved
    message: A node was replaced.
---
`;
const MAINTENANCE = `maintenance:
  - id: na2-upgrade
    title: NA2 database upgrade
    components: [api]
    instances: [na2]
    start: 2026-11-10T01:00:00Z
    end: 2026-11-10T02:00:00Z
`;

/**
 * The same month boundary with six instances of one component (`api@na1` … `api@ap2`), probed by
 * three shards (`<day>.default.<i>-of-3.tsv`, each instance in the shard `upkeep run --shard` gives
 * it): EU1 and EU2 down on 29 November 10:00–10:30 UTC, the other four up all month.
 */
export async function slaInstancesRepo(shardOf: (id: string, count: number) => number) {
  const repo = await tempDir('upkeep-sla-inst-');
  git(repo, 'init', '-q', '-b', 'main');
  await mkdir(join(repo, 'checks'), { recursive: true });
  await mkdir(join(repo, 'history', 'samples'), { recursive: true });
  await mkdir(join(repo, 'history', 'incidents'), { recursive: true });
  await writeFile(join(repo, 'checks', 'site.yml'), INSTANCE_SITE);
  await writeFile(join(repo, 'checks', 'api.yml'), INSTANCE_CHECKS);
  await writeFile(join(repo, 'checks', 'maintenance.yml'), MAINTENANCE);
  await writeFile(join(repo, 'history', 'incidents', '2026-11-29-eu1-api.md'), INCIDENT);
  const commit = (date: string, message: string) => {
    git(repo, 'add', '-A');
    execGit(repo, date, message);
    return git(repo, 'rev-parse', 'HEAD').trim();
  };
  commit('2026-10-31T12:00:00Z', 'checks');
  const end = Date.parse('2026-12-02T10:00:00Z');
  const shard = new Map(SLA_INSTANCES.map((id) => [id, shardOf(id, SLA_SHARDS) + 1]));
  let closing = '';
  for (let day = Date.parse('2026-11-01T00:00:00Z'); day <= end; day += 86_400_000) {
    const name = new Date(day).toISOString().slice(0, 10);
    const files = new Map<number, string[]>();
    for (let t = day; t < day + 86_400_000 && t <= end; t += 600_000) {
      const time = new Date(t).toISOString().slice(11, 19);
      for (const id of SLA_INSTANCES) {
        const hit = down(t) && (SLA_DOWN as readonly string[]).includes(id);
        const line = hit ? `${time}\tapi@${id}\tdown\t-\t3\treason=status_503\tstatus=503\tmsg=HTTP 503` : `${time}\tapi@${id}\tup\t40\t1`;
        const lines = files.get(shard.get(id)!) ?? [];
        lines.push(line);
        files.set(shard.get(id)!, lines);
      }
    }
    for (const [i, lines] of files) await writeFile(join(repo, 'history', 'samples', `${name}.default.${i}-of-${SLA_SHARDS}.tsv`), `${lines.join('\n')}\n`);
    const at = Math.min(day + 86_400_000 + 300_000, end + 300_000);
    const sha = commit(new Date(at).toISOString(), `probe: samples of ${name} [skip ci]`);
    if (name === '2026-11-30') closing = sha;
  }
  await writeFile(join(repo, 'README.md'), 'status\n');
  const head = commit('2026-12-02T10:06:00Z', 'docs');
  return { repo, checks: join(repo, 'checks'), history: join(repo, 'history'), closing, head, shard };
}
