/**
 * Notifications end to end with real parts on loopback: a target that goes down, the slot probing
 * it, webhook receivers checking each shape and the signature, an SMTP server receiving real mail
 * (nodemailer → smtp-server → mailparser), faults, two runs at once against a bare git remote, and
 * a run killed mid-delivery. Each event is delivered once per channel.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { loadIncidents, setFields } from '../../src/history/incidents.ts';
import { readHistory } from '../../src/history/read.ts';
import { buildViewModel } from '../../src/site/view-model.ts';
import { countingOf, coverageCap } from '../../src/status/components.ts';
import { upkeep } from '../helpers/cli.ts';
import { seededRemote } from '../helpers/git.ts';
import { smtpInbox, webhookReceiver, type Received } from '../helpers/receivers.ts';
import { deadPort, httpServer } from '../helpers/servers.ts';
import { SITE_YML, tempDir } from '../helpers/temp.ts';

const T0 = Date.parse('2026-11-23T12:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString().replace('.000Z', 'Z');
const SECRET = 'whsec-test-0123456789abcdef';
const cliPath = new URL('../../src/cli/upkeep.js', import.meta.url).pathname;

/** A vendor's repository: one component probed at a local target that can be switched down. */
async function project(notifyYml: string, opts: { incidents?: string; dir?: string } = {}) {
  let up = true;
  const target = await httpServer((_req, res) => {
    res.statusCode = up ? 200 : 503;
    res.end(up ? 'ok' : 'unavailable');
  });
  const dir = opts.dir ?? (await tempDir());
  await mkdir(join(dir, 'checks'), { recursive: true });
  await writeFile(
    join(dir, 'checks/site.yml'),
    `${SITE_YML.replace('http://127.0.0.1:9', target.url)}defaults:\n  interval: 1m\n  retry_backoff: 1ms\n${opts.incidents ? `incidents:\n${opts.incidents}` : ''}`,
  );
  await writeFile(
    join(dir, 'checks/a.yml'),
    'checks:\n  - id: api-health\n    name: API health\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/ok\n',
  );
  await writeFile(join(dir, 'checks/notify.yml'), notifyYml);
  const args = ['--checks', join(dir, 'checks'), '--history', join(dir, 'history')];
  return {
    dir,
    args,
    set: (isUp: boolean) => {
      up = isUp;
    },
    /** One slot round (probe, incidents, notify) with the clock at `minutes` past T0. */
    run: (minutes: number, env: Record<string, string>, extra: string[] = []) =>
      upkeep(['run', ...args, '--no-rollup', ...extra], { ...env, UPKEEP_NOW: at(minutes) }),
    notify: (minutes: number, env: Record<string, string>, extra: string[] = []) => upkeep(['notify', ...args, ...extra], { ...env, UPKEEP_NOW: at(minutes) }),
  };
}

const kindsOf = (list: Received[]) => list.map((r) => (r.json as { kind: string }).kind);
const verify = (r: Received) => {
  const parts = Object.fromEntries(
    String(r.headers['upkeep-signature'])
      .split(',')
      .map((p) => p.split('=') as [string, string]),
  );
  return createHmac('sha256', SECRET).update(`${parts.t}.${r.body}`).digest('hex') === parts.v1;
};
async function ledgerText(history: string): Promise<string> {
  const dir = join(history, 'notifications');
  const names = await readdir(dir).catch(() => [] as string[]);
  return (await Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))).join('');
}

describe('notifications: one outage, every channel, once each', async () => {
  const team = await webhookReceiver();
  const subscriberHooks = await webhookReceiver();
  const inbox = await smtpInbox({ user: 'status-bot', pass: 'smtp-pass-9c1e7a55' });
  const env = {
    TEAM_HOOK: `${team.url}/hooks/T0KEN-4f9a2c`,
    TEAM_SECRET: SECRET,
    SMTP_URL: inbox.url,
    SUBSCRIBERS: 'ana@example.com: api\nbob@example.com: web\ncy@example.com\n',
    HOOK_SUBSCRIBERS: JSON.stringify([{ address: `${subscriberHooks.url}/sp/abc`, components: ['api'] }]),
  };
  const p = await project(`channels:
  - id: oncall
    kind: webhook
    url: \${{ env.TEAM_HOOK }}
    secret: \${{ env.TEAM_SECRET }}
  - id: team-mail
    kind: email
    smtp: \${{ env.SMTP_URL }}
    from: "Status bot <status@acme.example>"
    to: team@acme.example
    events: [check.*]
  - id: customers
    kind: subscriber-email
    smtp: \${{ env.SMTP_URL }}
    from: "Acme status <status@acme.example>"
    subscribers: \${{ env.SUBSCRIBERS }}
    unsubscribe: https://status.acme.example/unsubscribe?address={address}
  - id: tools
    kind: statuspage-webhook
    subscribers: \${{ env.HOOK_SUBSCRIBERS }}
    allow_private: [127.0.0.1]
delivery:
  retries: 1
  timeout: 2s
`);
  const outputs: string[] = [];
  const step = async (minutes: number, up: boolean) => {
    p.set(up);
    const r = await p.run(minutes, env);
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
  };
  await step(0, true);
  await step(1, false);
  await step(2, false);
  await step(3, false);
  await step(4, true);
  await step(5, true);

  it('the team hears of the check going down and back, and of the incident, each once, signed', () => {
    assert.deepEqual(kindsOf(team.delivered), ['check.down', 'incident.opened', 'check.recovered', 'incident.resolved']);
    assert.ok(team.delivered.every(verify), 'every body verifies against the signing key');
    const keys = team.delivered.map((r) => r.headers['idempotency-key']);
    assert.equal(new Set(keys).size, keys.length);
    const down = team.delivered[0].json as { technical?: string; at: string };
    assert.match(down.technical ?? '', /status_503/, 'the team sees why');
    assert.equal(down.at, at(1));
  });

  it('subscribers get real mail per component they chose, with List-Unsubscribe; team mail is separate', () => {
    const to = (address: string) => inbox.mail.filter((m) => inbox.envelopes[inbox.mail.indexOf(m)].to.includes(address));
    assert.deepEqual(
      to('ana@example.com').map((m) => m.subject),
      ['[Test CRM] New incident: REST API: major outage', '[Test CRM] Resolved: REST API: major outage'],
    );
    assert.equal(to('bob@example.com').length, 0, 'bob chose only the web app');
    assert.equal(to('cy@example.com').length, 2, 'no components chosen: all');
    const mail = to('ana@example.com')[0];
    assert.match(mail.text ?? '', /REST API/);
    assert.match(String(mail.html), /<p>/);
    const list = mail.headers.get('list') as { unsubscribe?: { url?: string } } | undefined;
    assert.equal(list?.unsubscribe?.url, 'https://status.acme.example/unsubscribe?address=ana%40example.com');
    assert.doesNotMatch(mail.text ?? '', /cy@example\.com|bob@/, 'no subscriber sees another');
    assert.deepEqual(
      to('team@acme.example').map((m) => m.subject),
      ['[Test CRM] Down: API health', '[Test CRM] Recovered: API health'],
    );
  });

  it('Statuspage-format subscribers get the incident and the component updates, nothing technical', () => {
    const bodies = subscriberHooks.delivered.map((r) => r.json as Record<string, { status?: string; new_status?: string }>);
    assert.deepEqual(
      bodies.map((b) => (b.incident ? `incident ${b.incident.status}` : `component ${b.component_update.new_status}`)),
      ['component major_outage', 'incident investigating', 'component operational', 'incident resolved'],
    );
    assert.ok(subscriberHooks.delivered.every((r) => r.path === '/sp/abc'));
    assert.doesNotMatch(JSON.stringify(bodies), /technical|unavailable/);
  });

  it('no secret, address or signing key in any output, ledger line or commit', async () => {
    const ledger = await ledgerText(join(p.dir, 'history'));
    assert.match(ledger, /\tsent\toncall\tcheck\.down:api-health:/);
    const everything = [...outputs, ledger].join('\n');
    for (const secret of ['T0KEN-4f9a2c', SECRET, 'smtp-pass-9c1e7a55', 'ana@example.com', 'cy@example.com', '/sp/abc', String(inbox.port)])
      assert.ok(!everything.includes(secret), `${secret} leaked`);
  });

  it('running again sends nothing more', async () => {
    const before = team.all.length + subscriberHooks.all.length + inbox.mail.length;
    const r = await p.notify(6, env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /notify: 0 sent/);
    assert.equal(team.all.length + subscriberHooks.all.length + inbox.mail.length, before);
  });
});

describe('notifications: faults at the receiver', async () => {
  it('500 then 200, 429 with Retry-After, a reset: all delivered in the same run; a timeout goes on the next run, once', async () => {
    const flaky = await webhookReceiver((_r, n) => (n === 1 ? 500 : 200));
    const slow = await webhookReceiver((_r, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : 200));
    const reset = await webhookReceiver((_r, n) => (n === 1 ? 'reset' : 200));
    let hang = true;
    const stuck = await webhookReceiver(() => (hang ? 'hang' : 200));
    const hook = (id: string, env: string) => `  - id: ${id}\n    kind: slack\n    url: \${{ env.${env} }}\n    events: [check.down]\n`;
    const p = await project(
      `channels:\n${hook('flaky', 'A')}${hook('slow', 'B')}${hook('reset', 'C')}${hook('stuck', 'D')}delivery:\n  retries: 1\n  timeout: 1s\n`,
    );
    const env = { A: flaky.url, B: slow.url, C: reset.url, D: stuck.url };
    await p.run(0, env);
    p.set(false);
    await p.run(1, env);
    // The clock is fixed in tests: a sample taken at "now" covers no time yet, so the next round sees it.
    const r = await p.run(2, env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(flaky.delivered.length, 1);
    assert.equal(slow.delivered.length, 1);
    assert.ok(slow.delivered[0].at - slow.all[0].at >= 900, 'waited as Retry-After said');
    assert.equal(reset.delivered.length, 1);
    assert.equal(stuck.delivered.length, 0);
    assert.match(r.stderr, /notify: stuck did not take check\.down:api-health:\S+: timeout/);
    // Too soon for the next try (back-off): nothing; later: delivered once, the others not again.
    hang = false;
    await p.notify(2, env);
    assert.equal(stuck.delivered.length, 0);
    await p.notify(3, env);
    await p.notify(4, env);
    assert.equal(stuck.delivered.length, 1);
    assert.deepEqual(
      [flaky, slow, reset].map((x) => x.delivered.length),
      [1, 1, 1],
    );
  });

  it('429 with a Retry-After past the run: one request, then the channel is left alone until then, on every event', async () => {
    const busy = await webhookReceiver(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const p = await project('channels:\n  - id: busy\n    kind: slack\n    url: ${{ env.A }}\ndelivery:\n  retries: 2\n');
    const env = { A: busy.url };
    await p.run(0, env);
    p.set(false);
    const first = await p.run(1, env);
    const r = await p.run(2, env);
    assert.equal(busy.all.length, 1, 'one request: the rest of the run waits');
    assert.match(first.stderr + r.stderr, /retry after 3600s/);
    await p.notify(5, env);
    await p.notify(30, env);
    assert.equal(busy.all.length, 1, 'nothing before the hour is up');
    await p.notify(62, env);
    assert.ok(busy.all.length > 1, 'tried again after it');
  });

  it('an event never delivered within retry_for is given up, once, and reported', async () => {
    const port = await deadPort();
    const p = await project(
      `channels:\n  - id: gone\n    kind: discord\n    url: \${{ env.D }}\n    events: [check.down]\ndelivery:\n  retries: 0\n  timeout: 1s\n  retry_for: 10m\n`,
    );
    const env = { D: `http://127.0.0.1:${port}/api/webhooks/1/x`, GITHUB_ACTIONS: 'true' };
    await p.run(0, env);
    p.set(false);
    await p.run(1, env);
    const first = await p.run(2, env);
    assert.match(first.stderr, /gone did not take .*connection refused/);
    const late = await p.notify(20, env);
    assert.match(late.stderr, /gone never received check\.down:api-health:\S+: given up/);
    assert.match(late.stdout, /::warning file=.*notify\.yml.*given up/);
    const again = await p.notify(21, env);
    assert.doesNotMatch(again.stderr, /given up/);
    assert.equal((await ledgerText(join(p.dir, 'history'))).match(/\texpired\t/g)?.length, 1);
  });
});

describe('notifications: subscribers and channels cannot hurt one another', () => {
  const outage = async (p: Awaited<ReturnType<typeof project>>, env: Record<string, string>) => {
    await p.run(0, env);
    p.set(false);
    await p.run(1, env);
    return p.run(2, env);
  };

  it('one subscriber’s dead server delays no other subscriber, on any event', async () => {
    const good = await webhookReceiver();
    const dead = await webhookReceiver(() => 'hang');
    const p = await project(
      'channels:\n  - id: hooks\n    kind: statuspage-webhook\n    subscribers: ${{ env.L }}\n    allow_private: [127.0.0.1]\ndelivery:\n  timeout: 1s\n  retries: 0\n',
    );
    const env = { L: [`${dead.url}/dead`, `${good.url}/one`, `${good.url}/two`, `${good.url}/three`].join('\n') };
    const r = await outage(p, env);
    assert.equal(r.code, 0, r.stderr);
    const per = (path: string) => good.delivered.filter((x) => x.path === path).length;
    assert.ok(per('/one') >= 2, `each event reached every good subscriber (${per('/one')})`);
    assert.deepEqual([per('/two'), per('/three')], [per('/one'), per('/one')]);
    assert.doesNotMatch(r.stderr, /channel is down/);
  });

  it('one channel’s allow_private opens nothing for another channel', async () => {
    const hook = await webhookReceiver();
    const p = await project(
      `channels:\n  - id: trusted\n    kind: statuspage-webhook\n    subscribers: \${{ env.A }}\n    allow_private: [127.0.0.1]\n  - id: strict\n    kind: statuspage-webhook\n    subscribers: \${{ env.B }}\n`,
    );
    await outage(p, { A: `${hook.url}/trusted`, B: `${hook.url}/strict` });
    assert.ok(hook.delivered.some((x) => x.path === '/trusted'));
    assert.equal(hook.all.filter((x) => x.path === '/strict').length, 0, 'the strict channel never reached loopback');
  });

  it('a subscriber list that is all errors is unavailable, tried again, and never prints an address', async () => {
    const inbox = await smtpInbox();
    const p = await project(
      'channels:\n  - id: subs\n    kind: subscriber-email\n    smtp: ${{ env.M }}\n    from: status@acme.example\n    subscribers: ${{ env.L }}\n',
    );
    const broken = await outage(p, { M: inbox.url, L: '[{"address": "ana@customer.example"}, {"address": "bo@customer.example" "x"}]' });
    assert.equal(inbox.mail.length, 0);
    assert.match(broken.stderr, /subscriber list unavailable/);
    assert.doesNotMatch(broken.stderr + broken.stdout, /customer\.example/);
    assert.doesNotMatch(await ledgerText(join(p.dir, 'history')), /\tsent\tsubs/);
    // Fixed: the next run (past the back-off) delivers what was held.
    await p.notify(10, { M: inbox.url, L: 'ana@customer.example' });
    assert.ok(inbox.mail.length >= 1);
  });

  it('a secret that is not an address leaves its channel out with a warning; the others are sent, the run does not crash', async () => {
    const hook = await webhookReceiver();
    const p = await project(
      'channels:\n  - id: broken\n    kind: discord\n    url: ${{ env.D }}\n  - id: ok\n    kind: slack\n    url: ${{ env.S }}\n    events: [check.down]\n',
    );
    const r = await outage(p, { D: 'discord.invalid/api/webhooks/1/x', S: hook.url });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /channel broken left out: its url is not an http\(s\) address/);
    assert.equal(hook.delivered.length, 1);
    const t = await p.notify(3, { D: 'discord.invalid/api/webhooks/1/x', S: hook.url }, []);
    assert.doesNotMatch(t.stderr, /internal error/);
  });
});

describe('notifications: a dead channel holds up nothing', () => {
  it('during a real slot, a channel that never answers delays neither the rounds nor the other channel', async () => {
    const live = await webhookReceiver();
    const dead = await webhookReceiver(() => 'hang');
    let up = false;
    const target = await httpServer((_req, res) => {
      res.statusCode = up ? 200 : 503;
      res.end();
    });
    const dir = await tempDir();
    await mkdir(join(dir, 'checks'));
    await writeFile(join(dir, 'checks/site.yml'), `${SITE_YML.replace('http://127.0.0.1:9', target.url)}defaults:\n  interval: 1s\n  retry_backoff: 1ms\n`);
    await writeFile(
      join(dir, 'checks/a.yml'),
      'checks:\n  - id: api-health\n    name: API health\n    component: api\n    kind: http\n    url: ${{ vars.base_url }}/ok\n',
    );
    await writeFile(
      join(dir, 'checks/notify.yml'),
      'channels:\n  - id: dead\n    kind: webhook\n    url: ${{ env.DEAD }}\n    secret: ${{ env.S }}\n  - id: live\n    kind: webhook\n    url: ${{ env.LIVE }}\n    secret: ${{ env.S }}\ndelivery:\n  timeout: 1s\n  retries: 1\n',
    );
    const started = Date.now();
    const r = await upkeep(['run', '--checks', join(dir, 'checks'), '--history', join(dir, 'history'), '--for', '4s', '--no-rollup'], {
      DEAD: dead.url,
      LIVE: live.url,
      S: SECRET,
    });
    assert.equal(r.code, 0, r.stderr);
    const rounds = Number(/in (\d+) rounds/.exec(r.stdout)?.[1]);
    assert.ok(rounds >= 4, `probed every interval: ${r.stdout}`);
    const down = live.delivered.find((x) => (x.json as { kind: string }).kind === 'check.down');
    assert.ok(down, 'the live channel heard');
    assert.ok(down.at - started < 2500, `alerted within about an interval of the first round (${down.at - started} ms)`);
    assert.equal(dead.delivered.length, 0);
    const ledger = await ledgerText(join(dir, 'history'));
    assert.match(ledger, /\tfailed\tdead\t\S+\t-\t\S+\ttimeout/);
    up = true;
  });
});

describe('notifications: when to publish', () => {
  it('open_after: a one-round blip alerts the team but never reaches the page or subscribers', async () => {
    const team = await webhookReceiver();
    const subs = await webhookReceiver();
    const p = await project(
      'channels:\n  - id: team\n    kind: webhook\n    url: ${{ env.T }}\n    secret: ${{ env.S }}\n  - id: subs\n    kind: statuspage-webhook\n    subscribers: ${{ env.U }}\n    allow_private: [127.0.0.1]\n',
      { incidents: '  open_after: 3\n' },
    );
    const env = { T: team.url, S: SECRET, U: `${subs.url}/x` };
    await p.run(0, env);
    p.set(false);
    await p.run(1, env);
    p.set(true);
    await p.run(2, env);
    await p.run(3, env);
    await p.run(6, env);
    assert.deepEqual(kindsOf(team.delivered), ['check.down', 'check.recovered']);
    assert.equal(subs.all.length, 0, 'no incident, no component update for subscribers');
    const history = join(p.dir, 'history');
    assert.equal((await loadIncidents(history, ['api'])).incidents.length, 0);
  });

  it('review: the automatic incident is a draft (team only, not on the page) until a collaborator publishes it', async () => {
    const team = await webhookReceiver();
    const subs = await webhookReceiver();
    const p = await project(
      'channels:\n  - id: team\n    kind: webhook\n    url: ${{ env.T }}\n    secret: ${{ env.S }}\n  - id: subs\n    kind: statuspage-webhook\n    subscribers: ${{ env.U }}\n    allow_private: [127.0.0.1]\n    events: [incident.*]\n',
      { incidents: '  review: true\n' },
    );
    const env = { T: team.url, S: SECRET, U: `${subs.url}/x` };
    await p.run(0, env);
    p.set(false);
    await p.run(1, env);
    await p.run(2, env);
    const history = join(p.dir, 'history');
    const [draft] = (await loadIncidents(history, ['api'])).incidents;
    assert.equal(draft.draft, true);
    assert.deepEqual(kindsOf(team.delivered), ['check.down', 'incident.drafted']);
    assert.equal(subs.all.length, 0);
    const { config } = await loadConfig(join(p.dir, 'checks'), { requireEnv: false });
    const h = await readHistory(history, { from: T0 - 86_400_000, now: T0 + 3 * MIN, capFor: coverageCap(countingOf(config!)) });
    const view = buildViewModel({
      config: config!,
      days: h.days,
      recent: h.recent,
      incidents: (await loadIncidents(history, ['api'])).incidents,
      now: new Date(T0 + 3 * MIN),
    });
    assert.equal(view.incidents.length, 0, 'not on the page, the feeds or the API');
    // A collaborator publishes it (what a `publish` comment or label does).
    await setFields(history, draft.id, { draft: false, published: at(3) });
    await p.run(3, env);
    assert.deepEqual(
      subs.delivered.map((r) => (r.json as { incident: { status: string } }).incident.status),
      ['investigating'],
    );
    assert.deepEqual(kindsOf(team.delivered), ['check.down', 'incident.drafted', 'incident.opened']);
  });
});

describe('notifications: exactly once across runs', () => {
  /** A bare remote with a vendor repository whose history already holds an outage. */
  async function remoteWithOutage(receiverUrl: string, lease = '10m') {
    const env = { H: receiverUrl, S: SECRET };
    const { remote, clone } = await seededRemote(async (seed) => {
      const p = await project(
        `channels:\n  - id: a\n    kind: webhook\n    url: \${{ env.H }}/a\n    secret: \${{ env.S }}\n  - id: b\n    kind: webhook\n    url: \${{ env.H }}/b\n    secret: \${{ env.S }}\ndelivery:\n  lease: ${lease}\n  timeout: 30s\n  retries: 0\n`,
        { dir: seed },
      );
      await p.run(0, env, ['--no-notify']);
      p.set(false);
      await p.run(1, env, ['--no-notify']);
      await p.run(2, env, ['--no-notify']);
    });
    return { remote, clone, env };
  }
  const spawnUpkeep = (cwd: string, args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const done = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, out })),
    );
    return { child, done };
  };
  const unique = (list: Received[]) => list.map((r) => `${r.path} ${r.headers['idempotency-key']}`);

  it('two runs at once, in two clones of one remote: every event reaches every channel once', async () => {
    const receiver = await webhookReceiver();
    const { clone, env } = await remoteWithOutage(receiver.url);
    const [one, two] = await Promise.all([clone(), clone()]);
    const args = ['notify', '--commit', '--push'];
    const runs = [spawnUpkeep(one, args, { ...env, UPKEEP_NOW: at(3) }), spawnUpkeep(two, args, { ...env, UPKEEP_NOW: at(3) })];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) assert.equal(r.code, 0, r.out);
    const got = unique(receiver.delivered);
    assert.ok(got.length >= 4, got.join('\n'));
    assert.equal(new Set(got).size, got.length, `a duplicate:\n${got.join('\n')}`);
    const check = await clone();
    const ledger = await ledgerText(join(check, 'history'));
    assert.equal(ledger.match(/\tsent\t/g)?.length, got.length, 'the remote ledger records each delivery');
    // And a third run later sends nothing.
    const third = spawnUpkeep(check, args, { ...env, UPKEEP_NOW: at(4) });
    assert.equal((await third.done).code, 0);
    assert.equal(receiver.delivered.length, got.length);
  });

  it('a run killed mid-delivery: the next run sends what was not acknowledged, and nothing twice', async () => {
    let hold = true;
    // The first request is answered; every other one hangs until the run is killed.
    const receiver = await webhookReceiver((_r, n) => (hold && n > 1 ? 'hang' : 200));
    const { clone, env } = await remoteWithOutage(receiver.url);
    const dir = await clone();
    const run = spawnUpkeep(dir, ['notify', '--commit', '--push'], { ...env, UPKEEP_NOW: at(3) });
    // Killed once the answered one is in the clone's journal and others are in flight.
    const journal = join(dir, '.git/upkeep/notify-journal.tsv');
    const journaled = async () => /\tsent\t/.test(await readFile(journal, 'utf8').catch(() => ''));
    let exited = false;
    run.done.then(() => (exited = true));
    while (!exited && (receiver.all.length < 2 || !(await journaled()))) await new Promise((r) => setTimeout(r, 20));
    // (The message is built only when it is needed: awaiting the run's end here would outwait the kill.)
    if (exited) assert.fail(`the run ended before it could be killed:\n${(await run.done).out}`);
    run.child.kill('SIGKILL');
    const killed = await run.done;
    assert.equal(killed.signal, 'SIGKILL', killed.out);
    hold = false;
    // Past the killed run's lease (10 minutes), its claims no longer hold.
    const again = spawnUpkeep(dir, ['notify', '--commit', '--push'], { ...env, UPKEEP_NOW: at(14) });
    const r = await again.done;
    assert.equal(r.code, 0, r.out);
    const got = unique(receiver.delivered);
    assert.equal(new Set(got).size, got.length, `acknowledged twice:\n${got.join('\n')}`);
    assert.ok(got.length >= 4, `${got.join('\n')}\n${killed.out}\n${r.out}`);
    // The unanswered one was tried again with the same idempotency key, so a receiver that did get it can drop it.
    const retried = receiver.all[1].headers['idempotency-key'];
    assert.ok(receiver.delivered.some((x) => x.headers['idempotency-key'] === retried));
    const ledger = await ledgerText(join(await clone(), 'history'));
    assert.equal(ledger.match(/\tsent\t/g)?.length, got.length);
  });
});

describe('upkeep notify: the commands', async () => {
  const receiver = await webhookReceiver();
  const inbox = await smtpInbox();
  const p = await project(
    'channels:\n  - id: team\n    kind: teams\n    url: ${{ env.T }}\n  - id: subs\n    kind: subscriber-email\n    smtp: ${{ env.M }}\n    from: status@acme.example\n    subscribers: ${{ env.L }}\n  - id: pager\n    kind: pagerduty\n    routing_key: ${{ env.PD_KEY }}\n',
  );
  const env = { T: receiver.url, M: inbox.url, L: 'ana@example.com' };

  it('notify test: a marked test message to each channel; subscribers only with --to; a channel without its secret is named', async () => {
    const r = await upkeep(['notify', 'test', ...p.args], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /team: test message delivered/);
    assert.match(r.stdout, /subs skipped: .*--to ADDRESS/);
    assert.match(r.stderr, /channel pager left out: PD_KEY is not set/);
    const card = (receiver.delivered.at(-1)!.json as { attachments: { content: { body: { inlines: { text: string }[] }[] } }[] }).attachments[0].content;
    assert.match(card.body[0].inlines[0].text, /\[TEST\]/);
    const one = await upkeep(['notify', 'test', '--channel', 'subs', '--to', 'me@acme.example', ...p.args], env);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(inbox.envelopes.at(-1)!.to[0], 'me@acme.example');
    assert.ok(!`${one.stdout}${one.stderr}`.includes('me@acme.example'), 'the address is not printed');
    const none = await upkeep(['notify', 'test', '--channel', 'nope', ...p.args], env);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no channel "nope".*team, subs, pager/);
  });

  it('notify test to PagerDuty triggers and at once resolves, so no test incident stays open', async () => {
    const pd = await webhookReceiver(() => 202);
    const pp = await project('channels:\n  - id: pager\n    kind: pagerduty\n    routing_key: ${{ env.PD_KEY }}\n    url: ${{ env.PD_URL }}\n');
    const r = await upkeep(['notify', 'test', '--channel', 'pager', ...pp.args], { PD_KEY: 'R0UT1NGKEY0123456789abcdef', PD_URL: `${pd.url}/v2/enqueue` });
    assert.equal(r.code, 0, r.stderr);
    const sent = pd.delivered.map((x) => x.json as { event_action: string; dedup_key: string });
    assert.deepEqual(
      sent.map((x) => x.event_action),
      ['trigger', 'resolve'],
    );
    assert.equal(sent[0].dedup_key, sent[1].dedup_key);
  });

  it('notify test against a channel that is down fails with the reason, exit 1', async () => {
    const port = await deadPort();
    const r = await upkeep(['notify', 'test', '--channel', 'team', ...p.args], { ...env, T: `http://127.0.0.1:${port}/x` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /team: the test message was not delivered: connection refused/);
  });

  it('--dry-run prints what would go where and changes nothing', async () => {
    await p.run(0, env, ['--no-notify']);
    p.set(false);
    await p.run(1, env, ['--no-notify']);
    await p.run(2, env, ['--no-notify']);
    const r = await upkeep(['notify', '--dry-run', ...p.args], { ...env, UPKEEP_NOW: at(3) });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /team\s+check\.down:api-health:2026-11-23T12:01:00Z\s+\S+\s+to send/);
    assert.match(r.stdout, /subs\s+incident\.opened:\S+\s+\S+\s+to send/);
    assert.equal(await ledgerText(join(p.dir, 'history')), '');
    assert.equal(inbox.mail.length, 1, 'only the earlier test mail');
    // After a real run, the dry run says what went already.
    await upkeep(['notify', ...p.args], { ...env, UPKEEP_NOW: at(3) });
    const after = await upkeep(['notify', '--dry-run', ...p.args], { ...env, UPKEEP_NOW: at(4) });
    assert.match(after.stdout, /team\s+check\.down:api-health:2026-11-23T12:01:00Z\s+\S+\s+sent already/);
    assert.doesNotMatch(after.stdout, /to send/);
  });

  it('a broken notify.yml names file, line and column, and the fix', async () => {
    const bad = await project(
      'channels:\n  - id: team\n    kind: slack\n    url: https://hooks.slack.com/services/T/B/plain\n  - id: team\n    kind: smoke-signal\n',
    );
    const r = await upkeep(['validate', ...bad.args]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /notify\.yml:4:10 .*public: put it in a repository secret/);
    assert.match(r.stderr, /notify\.yml:6:\d+ /);
  });
});
