/**
 * Which instances' checks each evidence file can hold. A sample file is one runner's (its region and
 * shard are in its name), and `forRunner` says which checks that runner probes, so an instance's
 * statement can list only the files its checks were written to. A file that holds a check of no
 * instance (every instance counts those) or every instance's checks is evidence for all: no list.
 */
import type { Config } from '../config/load.ts';
import type { MonthEvidence } from '../history/evidence.ts';
import { sampleFileRunner } from '../history/store.ts';
import { forRunner } from './probe.ts';

export function withInstances(config: Pick<Config, 'regions' | 'instances' | 'checks'>, evidence: MonthEvidence): MonthEvidence {
  if (config.instances.length === 0) return evidence;
  const byRunner = new Map<string, string[] | undefined>();
  const held = (name: string) => {
    const key = name.slice(11);
    if (!byRunner.has(key)) {
      const runner = sampleFileRunner(name);
      const checks = runner ? forRunner(config, config.checks, runner.region, runner.shard) : config.checks;
      const ids = new Set(checks.map((c) => c.instance));
      byRunner.set(key, ids.has(undefined) || ids.size >= config.instances.length ? undefined : [...ids].map(String).sort());
    }
    return byRunner.get(key);
  };
  return {
    ...evidence,
    files: evidence.files.map((f) => {
      const instances = held(f.path.slice(f.path.lastIndexOf('/') + 1));
      return instances ? { ...f, instances } : f;
    }),
  };
}
