#!/usr/bin/env node
// The `upkeep` binary. `--help` and `--version` are answered here in plain JavaScript; anything
// else loads the TypeScript CLI. Compiled modules are cached between runs (Node's compile cache,
// enabled before anything else loads), so a second `upkeep validate` starts in half the time.
import { enableCompileCache } from 'node:module';
import { quickAnswer } from './help.js';

const argv = process.argv.slice(2);
const quick = quickAnswer(argv);
if (quick !== undefined) {
  process.stdout.write(`${quick}\n`);
} else {
  enableCompileCache?.();
  const { main } = await import('./main.ts');
  process.exitCode = await main(argv, process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
