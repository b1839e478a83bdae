/**
 * `npm run bench:browser`: 10 browser checks (the demo CRM's sign-in journey) at concurrency 2,
 * through the real CLI. Reports time per check and peak memory (Node's peak RSS, and the peak
 * sum of Chromium's processes, sampled every 100 ms). Prints one JSON line last.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCrm, DEMO_PASSWORD, DEMO_USER } from '../../src/demo/crm.ts';
import { round } from './util.ts';

const CHECKS = 10;
const crm = await startCrm();
const root = await mkdtemp(join(tmpdir(), 'upkeep-bench-browser-'));
try {
  await writeFile(join(root, 'site.yml'), `site:\n  title: Bench\n  vendor: Bench\nvars:\n  base: ${crm.url}\ncomponents:\n  - id: login\n    name: Login\n`);
  const journey = (i: number) =>
    `  - id: journey-${i}\n    name: Journey ${i}\n    component: login\n    kind: browser\n    steps:\n      - goto: \${{ vars.base }}/login\n      - fill: { selector: "#email", value: "\${{ env.CRM_USER }}" }\n      - fill: { selector: "#password", value: "\${{ env.CRM_PASSWORD }}" }\n      - click: button[type=submit]\n      - wait_for: { url: "**/dashboard" }\n      - expect_text: Pipeline\n`;
  await writeFile(join(root, 'checks.yml'), `checks:\n${Array.from({ length: CHECKS }, (_, i) => journey(i)).join('')}`);

  const chromiumRss = () => {
    try {
      return execFileSync('ps', ['-C', 'chromium,chrome,headless_shell', '-o', 'rss='])
        .toString()
        .split('\n')
        .filter(Boolean)
        .reduce((a, l) => a + Number(l), 0);
    } catch {
      return 0;
    }
  };
  let peakChromium = 0;
  const sampler = setInterval(() => (peakChromium = Math.max(peakChromium, chromiumRss())), 100);
  const t0 = performance.now();
  const { nodeKb, out } = await new Promise<{ nodeKb: number; out: string }>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, 'src/cli/upkeep.js', 'probe', '--checks', root, '--dry-run', '--json'], {
      env: { ...process.env, CRM_USER: DEMO_USER, CRM_PASSWORD: DEMO_PASSWORD },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve({ nodeKb: Number(err.trim().split('\n').pop()), out }) : reject(new Error(err))));
  });
  const wall = performance.now() - t0;
  clearInterval(sampler);
  const samples = JSON.parse(out) as { outcome: string; latencyMs?: number; steps?: number[] }[];
  if (process.env.BENCH_VERBOSE) for (const s of samples) console.log(s.latencyMs, s.steps);
  const up = samples.filter((s) => s.outcome === 'up').length;
  const perCheck = samples.map((s) => s.latencyMs ?? 0);
  console.log(
    `${CHECKS} browser checks (6-step sign-in journey) at concurrency 2: ${round(wall / 1000, 2)} s wall, ${round(wall / CHECKS)} ms per check on average; ${up}/${CHECKS} up`,
  );
  console.log(`journey time per check: median ${round(perCheck.sort((a, b) => a - b)[Math.floor(CHECKS / 2)])} ms (includes a fresh browser context)`);
  console.log(
    `peak memory: node ${round(nodeKb / 1024)} MB; Chromium processes ${round(peakChromium / 1024)} MB (sum of their RSS, so shared pages count once per process)`,
  );
  console.log(
    JSON.stringify({
      bench: 'browser',
      checks: CHECKS,
      concurrency: 2,
      wallS: round(wall / 1000, 2),
      msPerCheck: round(wall / CHECKS),
      medianJourneyMs: perCheck[Math.floor(CHECKS / 2)],
      nodePeakMb: round(nodeKb / 1024),
      chromiumPeakMb: round(peakChromium / 1024),
      up,
    }),
  );
} finally {
  await crm.close();
  await rm(root, { recursive: true, force: true });
}
