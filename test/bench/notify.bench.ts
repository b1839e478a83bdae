/**
 * How soon people hear of an outage, in the real slot loop (`upkeep run --commit`, a git
 * repository, a webhook channel on loopback): from the moment a target starts failing to the team
 * alert (check.down) and to the public incident (incident.opened), with the default policy
 * (open_after 0) and with `open_after: 2` rounds. A short interval stands in for the 5 minutes of a
 * real schedule, so the figures are reported in intervals too: the target is one interval for the
 * alert (the failing round, its re-probes, then delivery beside the next round) and the same for
 * the incident with open_after 0.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from './util.ts';

const INTERVAL_MS = 2000;
const RETRIES = 2;
const cli = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

async function scenario(openAfter: number) {
  let up = true;
  const target = createServer((_req, res) => {
    res.statusCode = up ? 200 : 503;
    res.end(up ? 'ok' : 'unavailable');
  });
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const kind = (JSON.parse(body) as { kind: string }).kind;
      if (!arrivals.has(kind)) arrivals.set(kind, performance.now());
      res.end('ok');
    });
  });
  const [targetUrl, receiverUrl] = await Promise.all([listen(target), listen(receiver)]);
  const dir = await mkdtemp(join(tmpdir(), 'upkeep-bench-notify-'));
  await mkdir(join(dir, 'checks'));
  await writeFile(
    join(dir, 'checks/site.yml'),
    `site:\n  title: Bench CRM Status\n  vendor: Bench CRM\ncomponents:\n  - id: api\n    name: REST API\ndefaults:\n  interval: ${INTERVAL_MS}ms\n  retries: ${RETRIES}\n  retry_backoff: 100ms\n  timeout: 1s\nincidents:\n  open_after: ${openAfter}\n`,
  );
  await writeFile(join(dir, 'checks/api.yml'), `checks:\n  - id: api\n    name: API\n    component: api\n    kind: http\n    url: ${targetUrl}/health\n`);
  await writeFile(
    join(dir, 'checks/notify.yml'),
    `channels:\n  - id: team\n    kind: webhook\n    url: \${{ env.HOOK_URL }}\n    secret: \${{ env.HOOK_SECRET }}\n    events: [check.down, incident.opened]\n`,
  );
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@bench.invalid', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'checks');
  const slot = spawn(process.execPath, [cli, 'run', '--for', '40s', '--commit', '--no-rollup'], {
    cwd: dir,
    env: {
      ...process.env,
      HOOK_URL: `${receiverUrl}/hook`,
      HOOK_SECRET: 'bench-hook-secret-0123456789',
      GIT_AUTHOR_NAME: 'bench',
      GIT_AUTHOR_EMAIL: 'b@b.invalid',
      GIT_COMMITTER_NAME: 'bench',
      GIT_COMMITTER_EMAIL: 'b@b.invalid',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ended = new Promise((r) => slot.on('exit', r));
  // Let a few healthy rounds pass, then fail at a point inside an interval, as outages do.
  await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS + INTERVAL_MS * 0.37));
  up = false;
  const downAt = performance.now();
  const waitFor = async (kind: string) => {
    while (!arrivals.has(kind) && performance.now() - downAt < 30_000) await new Promise((r) => setTimeout(r, 20));
    return arrivals.has(kind) ? arrivals.get(kind)! - downAt : Number.NaN;
  };
  const alertMs = await waitFor('check.down');
  const incidentMs = await waitFor('incident.opened');
  if (Number.isNaN(alertMs) || Number.isNaN(incidentMs))
    throw new Error(`open_after ${openAfter}: no ${Number.isNaN(alertMs) ? 'alert' : 'incident'} within 30 s`);
  slot.kill('SIGTERM');
  await ended;
  target.close();
  receiver.close();
  await rm(dir, { recursive: true, force: true });
  return {
    open_after_rounds: openAfter,
    alert_ms: Math.round(alertMs),
    alert_intervals: round(alertMs / INTERVAL_MS),
    incident_ms: Math.round(incidentMs),
    incident_intervals: round(incidentMs / INTERVAL_MS),
  };
}

const results = [await scenario(0), await scenario(2)];
for (const r of results)
  console.log(
    `open_after ${r.open_after_rounds}: team alert after ${r.alert_ms} ms (${r.alert_intervals} intervals), public incident after ${r.incident_ms} ms (${r.incident_intervals} intervals)`,
  );
console.log(JSON.stringify({ interval_ms: INTERVAL_MS, retries: RETRIES, scenarios: results }));
