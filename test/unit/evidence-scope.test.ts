/** Which instances' checks a sample file can hold, from its runner's region and shard (as `upkeep run` splits them). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withInstances } from '../../src/cli/evidence-scope.ts';
import { shardOf } from '../../src/cli/probe.ts';
import { sampleFileRunner } from '../../src/history/store.ts';

describe('sampleFileRunner', () => {
  for (const [name, want] of [
    ['2026-11-30.default.tsv', { region: 'default' }],
    ['2026-11-30.eu.2-of-4.tsv', { region: 'eu', shard: { index: 2, count: 4 } }],
    ['2026-11-30.north-america.1-of-3.tsv', { region: 'north-america', shard: { index: 1, count: 3 } }],
    ['notes.tsv', undefined],
  ] as const)
    it(name, () => assert.deepEqual(sampleFileRunner(name), want));
});

describe('withInstances', () => {
  const instances = ['na1', 'eu1', 'eu2'].map((id) => ({ id, probe_from: id.startsWith('eu') ? ['eu'] : ['us'] }));
  const check = (instance?: string) => ({ id: instance ? `api@${instance}` : 'login', instance });
  const config = (checks: ReturnType<typeof check>[]) =>
    ({ regions: [{ id: 'eu' }, { id: 'us' }], instances, checks }) as unknown as Parameters<typeof withInstances>[0];
  const files = (names: string[]) => ({ atHead: false, files: names.map((n) => ({ path: `history/samples/${n}`, day: n.slice(0, 10), carry: false })) });
  const of = (checks: ReturnType<typeof check>[], names: string[]) => withInstances(config(checks), files(names)).files.map((f) => f.instances);

  it('a region file holds the instances probed from that region', () => {
    assert.deepEqual(of([check('na1'), check('eu1'), check('eu2')], ['2026-11-30.eu.tsv', '2026-11-30.us.tsv']), [['eu1', 'eu2'], ['na1']]);
  });
  it('a shard holds the instances that hash to it', () => {
    const eu1 = shardOf('eu1', 2) + 1;
    const got = of([check('na1'), check('eu1'), check('eu2')], [`2026-11-30.eu.${eu1}-of-2.tsv`]);
    assert.ok(got[0]!.includes('eu1'));
    assert.ok(!got[0]!.includes('na1'));
  });
  it('a file that holds a check of no instance is evidence for all', () => {
    assert.deepEqual(of([check('na1'), check(), check('eu1')], ['2026-11-30.eu.tsv']), [undefined]);
  });
  it('a runner of an undeclared region (one runner for all) is evidence for all', () => {
    assert.deepEqual(of([check('na1'), check('eu1'), check('eu2')], ['2026-11-30.default.tsv']), [undefined]);
  });
});
