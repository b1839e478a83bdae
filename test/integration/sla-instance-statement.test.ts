/**
 * SLA statements per instance against a real git repository: six instances of one component, three
 * shards, an outage on two of them. Each instance's statement counts that instance's checks only (as
 * its page does), lists only the sample files its checks were written to, and `upkeep sla --instance`
 * recomputes it from the raw files at the evidence commit.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { shardOf } from '../../src/cli/probe.ts';
import { withInstances } from '../../src/cli/evidence-scope.ts';
import { loadConfig } from '../../src/config/load.ts';
import { monthEvidence, readSampleLog } from '../../src/history/evidence.ts';
import { loadIncidents } from '../../src/history/incidents.ts';
import { readHistory } from '../../src/history/read.ts';
import { statementCsv, statementJson } from '../../src/site/statement.ts';
import { buildViewModel, HISTORY_DAYS } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import { DAY_MS } from '../../src/status/vocabulary.ts';
import { upkeep } from '../helpers/cli.ts';
import { git } from '../helpers/git.ts';
import { SLA_DOWN, SLA_ENV, SLA_INSTANCES, SLA_NOW, slaInstancesRepo } from '../helpers/sla-repo.ts';
import { tempDir } from '../helpers/temp.ts';

describe('SLA statement per instance', async () => {
  const r = await slaInstancesRepo(shardOf);
  const now = new Date(SLA_NOW);
  assert.equal((await upkeep(['rollup', '--checks', r.checks, '--history', r.history], SLA_ENV)).code, 0);
  const { config } = await loadConfig(r.checks, { env: {}, requireEnv: false });
  const history = await readHistory(r.history, { from: now.getTime() - HISTORY_DAYS * DAY_MS, now: now.getTime(), capFor: coverageCap(countingOf(config!)) });
  const { incidents } = await loadIncidents(r.history, ['api']);
  const view = buildViewModel({ config: config!, days: history.days, recent: history.recent, incidents, now });
  const log = (await readSampleLog(r.history, SLA_ENV))!;
  const nov = withInstances(
    config!,
    monthEvidence(log, { start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z'), running: false }),
  );
  const of = (instance?: string) => statementJson(view, 'api', '2026-11', nov, instance);

  it('the outage is on the statements of the two instances it hit and of the component, on no other', () => {
    const whole = of();
    assert.equal(whole.instance, null);
    assert.deepEqual(
      whole.outages.map((o) => [o.start, o.end, o.worst]),
      [['2026-11-29T10:00:00.000Z', '2026-11-29T10:30:00.000Z', 'partial_outage']],
    );
    // How the page lists a month of many outages: by the day (in the SLA zone) they began on.
    assert.deepEqual(
      whole.outage_days.map((d) => [d.day, d.outages, d.down_seconds, d.incidents.map((i) => i.id)]),
      [['2026-11-29', 1, 1800, ['2026-11-29-eu1-api']]],
    );
    for (const id of SLA_INSTANCES) {
      const s = of(id);
      const hit = (SLA_DOWN as readonly string[]).includes(id);
      assert.deepEqual(s.instance, { id, name: id.toUpperCase() });
      assert.deepEqual(
        s.outages.map((o) => [o.start, o.end, o.down_seconds, o.worst]),
        hit ? [['2026-11-29T10:00:00.000Z', '2026-11-29T10:30:00.000Z', 1800, 'major_outage']] : [],
        id,
      );
      assert.equal(s.used_downtime_seconds, hit ? 1800 : 0, id);
      assert.equal(s.outcome, hit ? 'breach' : 'met', id);
      assert.equal(s.credit_percent, hit ? 10 : 0, id);
      assert.equal(s.recompute, `npx upkeep sla --component api --instance ${id} --month 2026-11`);
    }
  });

  it('per-instance figures are the ones the instance page shows', () => {
    for (const inst of view.instances) {
      const m = inst.components.find((c) => c.id === 'api')!.sla.find((x) => x.month === '2026-11')!;
      const s = of(inst.id);
      assert.equal(s.achieved_percent, Math.floor(m.stats.uptime! * 1000) / 1000, inst.id);
      assert.equal(s.outcome, m.outcome, inst.id);
    }
  });

  it('incidents naming an instance and maintenance of one instance go on that instance’s statement only', () => {
    assert.deepEqual(
      of('eu1').outages[0].incidents.map((i) => i.id),
      ['2026-11-29-eu1-api'],
    );
    assert.deepEqual(of('eu2').outages[0].incidents, []);
    assert.deepEqual(
      of().outages[0].incidents.map((i) => i.id),
      ['2026-11-29-eu1-api'],
    );
    assert.equal(of('na2').maintenance_seconds, 3600);
    assert.deepEqual(
      of('na2').maintenance.map((w) => w.title),
      ['NA2 database upgrade'],
    );
    assert.equal(of('na1').maintenance_seconds, 0);
    assert.deepEqual(of('na1').maintenance, []);
  });

  it('evidence is the files of the shard that probed the instance; the component’s is every shard', () => {
    assert.equal(of().evidence.files.length, 30 * 3);
    for (const id of SLA_INSTANCES) {
      const s = of(id);
      const shard = r.shard.get(id)!;
      assert.equal(s.evidence.files.length, 30, id);
      assert.ok(
        s.evidence.files.every((f) => f.path.endsWith(`.default.${shard}-of-3.tsv`)),
        id,
      );
      assert.deepEqual(
        s.evidence.runners.map((x) => [x.runner, x.first_day, x.last_day, x.files, x.folder_url]),
        [[`default.${shard}-of-3`, '2026-11-01', '2026-11-30', 30, `https://github.example/acme/status/tree/${r.closing}/history/samples`]],
      );
    }
    const csv = statementCsv(of('eu2'));
    assert.match(csv, /\r\nfigure,instance,eu2,/);
    assert.equal(csv.split('\r\n').filter((l) => l.startsWith('evidence,')).length, 30);
  });

  it('upkeep sla --instance at the closing commit prints the statement the site publishes', async () => {
    const wt = join(await tempDir(), 'at-commit');
    git(r.repo, 'worktree', 'add', '-q', '--detach', wt, r.closing);
    for (const id of ['eu1', 'na1']) {
      const out = await upkeep(
        ['sla', '--component', 'api', '--instance', id, '--month', '2026-11', '--json', '--checks', join(wt, 'checks'), '--history', join(wt, 'history')],
        SLA_ENV,
      );
      assert.equal(out.code, 0, out.stderr);
      // The site's clock is the build's; the recompute counts a closed month to its end.
      const { generated_at: _a, ...again } = JSON.parse(out.stdout);
      const { generated_at: _b, ...site } = of(id);
      assert.deepEqual(again, site, id);
    }
    const text = await upkeep(['sla', '--component', 'api', '--instance', 'eu2', '--month', '2026-11', '--checks', r.checks, '--history', r.history], SLA_ENV);
    assert.match(text.stdout, /REST API \(api\) on EU2 \(eu2\), 2026-11 UTC: breach/);
    assert.match(text.stdout, /from 30 sample files at /);
    const bad = await upkeep(['sla', '--component', 'api', '--instance', 'eu3', '--month', '2026-11', '--checks', r.checks, '--history', r.history], SLA_ENV);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no instance "eu3" in site.yml \(did you mean "eu1"\?\) \(na1, na2, eu1, eu2, ap1, ap2\)/);
  });
});
