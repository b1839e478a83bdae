/**
 * SLA statements against a real git repository whose samples cross a month boundary: the evidence
 * is the month's day files at the commit that closed it (one git log), and `upkeep sla` recomputes
 * the statement's figures from the raw files at that commit alone.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { monthEvidence, readSampleLog } from '../../src/history/evidence.ts';
import { readHistory } from '../../src/history/read.ts';
import { statementJson } from '../../src/site/statement.ts';
import { buildViewModel, HISTORY_DAYS } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import { DAY_MS } from '../../src/status/vocabulary.ts';
import { upkeep } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { slaRepo, SLA_ENV, SLA_NOW } from '../helpers/sla-repo.ts';
import { tempDir } from '../helpers/temp.ts';

describe('SLA statement evidence in git', async () => {
  const r = await slaRepo();
  const log = (await readSampleLog(r.history, SLA_ENV))!;

  it('links November at the first commit of December, the last that changed its files, with the day before as carry-in', () => {
    const nov = monthEvidence(log, { start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z'), running: false });
    assert.equal(nov.commit, r.closing);
    assert.notEqual(nov.commit, r.head);
    assert.equal(nov.files.length, 30);
    assert.equal(nov.files[0].url, `https://github.example/acme/status/blob/${r.closing}/history/samples/2026-11-01.default.tsv`);
    assert.equal(nov.files.at(-1)!.path, 'history/samples/2026-11-30.default.tsv');
    const dec = monthEvidence(log, { start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z'), running: true });
    assert.equal(dec.commit, r.head);
    assert.deepEqual(
      dec.files.map((f) => [f.day, f.carry]),
      [
        ['2026-11-30', true],
        ['2026-12-01', false],
        ['2026-12-02', false],
      ],
    );
  });

  it('a remote with credentials gives its address without them; a local path gives none', async () => {
    git(r.repo, 'remote', 'add', 'origin', 'https://x-access-token:ghs_secret@github.com/acme/status.git');
    const fromOrigin = (await readSampleLog(r.history, {}))!;
    assert.equal(fromOrigin.repoUrl, 'https://github.com/acme/status');
    git(r.repo, 'remote', 'set-url', 'origin', '/srv/git/status');
    assert.equal((await readSampleLog(r.history, {}))!.repoUrl, undefined);
    git(r.repo, 'remote', 'remove', 'origin');
  });

  it('upkeep sla at the closing commit recomputes the figures the site states', async () => {
    const now = new Date(SLA_NOW);
    // The site reads rollups for settled days; the recompute reads raw samples only.
    assert.equal((await upkeep(['rollup', '--checks', r.checks, '--history', r.history], SLA_ENV)).code, 0);
    const { config } = await loadConfig(r.checks, { env: {}, requireEnv: false });
    const history = await readHistory(r.history, { from: now.getTime() - HISTORY_DAYS * DAY_MS, now: now.getTime(), capFor: coverageCap(countingOf(config!)) });
    const view = buildViewModel({ config: config!, days: history.days, recent: history.recent, now });
    const site = statementJson(view, 'api', '2026-11');
    assert.equal(site.outcome, 'breach');
    assert.equal(site.used_downtime_seconds, 1800);
    assert.equal(site.credit_percent, 10);

    const wt = join(await tempDir(), 'at-commit');
    git(r.repo, 'worktree', 'add', '-q', '--detach', wt, r.closing);
    const out = await upkeep(
      ['sla', '--component', 'api', '--month', '2026-11', '--json', '--checks', join(wt, 'checks'), '--history', join(wt, 'history')],
      SLA_ENV,
    );
    assert.equal(out.code, 0, out.stderr);
    const again = JSON.parse(out.stdout);
    for (const key of [
      'outcome',
      'achieved_percent',
      'coverage_percent',
      'observed_seconds',
      'available_seconds',
      'allowed_downtime_seconds',
      'used_downtime_seconds',
      'credit_percent',
    ] as const)
      assert.equal(again[key], site[key], key);
    assert.deepEqual(again.outages, site.outages);
    assert.equal(again.evidence.commit, r.closing);
    // The file behind the permalink is the file the site read.
    assert.equal(
      git(r.repo, 'show', `${r.closing}:history/samples/2026-11-30.default.tsv`),
      await readFile(join(r.history, 'samples', '2026-11-30.default.tsv'), 'utf8'),
    );

    const text = await upkeep(['sla', '--component', 'api', '--month', '2026-11', '--checks', r.checks, '--history', r.history], SLA_ENV);
    assert.match(text.stdout, /REST API \(api\), 2026-11 UTC: breach/);
    assert.match(text.stdout, /achieved +99\.93 % = available 2590200 s \/ observed 2592000 s/);
    assert.match(text.stdout, /credit +10 %/);
    const bad = await upkeep(['sla', '--component', 'nope', '--month', '2026-11', '--checks', r.checks, '--history', r.history], SLA_ENV);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no component "nope" in site.yml \(api\)/);
  });
});
