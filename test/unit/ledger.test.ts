/** The delivery ledger's format and what it says about an event, and subscriber lists: parsed, never echoed. */
import assert from 'node:assert/strict';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { appendLedger, formatLine, indexLedger, parseLine, readLedger, retryDelayMs, type LedgerLine } from '../../src/notify/ledger.ts';
import { parseRecipients, recipientKey } from '../../src/notify/recipients.ts';
import { tempDir } from '../helpers/temp.ts';

const T = Date.parse('2026-11-23T12:00:00Z');
const l = (at: number, state: LedgerLine['state'], runner: string, recipient = '-', note = ''): LedgerLine => ({
  at,
  state,
  channel: 'team',
  event: 'check.down:api:2026-11-23T11:59:00Z',
  recipient,
  runner,
  note,
});

describe('ledger', () => {
  it('lines round-trip; tabs and line breaks in a field cannot forge another line', () => {
    const line = { ...l(T, 'failed', 'eu-1'), note: 'http 500\n2026-11-23T12:00:00Z\tsent\tteam' };
    const text = formatLine(line);
    assert.equal(text.split('\n').length, 1);
    const back = parseLine(text)!;
    assert.equal(back.state, 'failed');
    assert.equal(back.note, 'http 500 2026-11-23T12:00:00Z sent team');
    assert.equal(parseLine('garbage'), undefined);
    assert.equal(parseLine('2026-11-23T12:00:00Z\tdelivered\tteam\tx\t-\tr\t'), undefined, 'an unknown state is not read');
  });

  it("a claim holds for the lease, against every other run; the run's own next line releases it", () => {
    const idx = (lines: LedgerLine[], now: number, runner = 'us-1') =>
      indexLedger({ lines, since: new Map() }, { now, leaseMs: 600_000, runner })('team', lines[0].event);
    assert.equal(idx([l(T, 'claim', 'eu-1')], T + 1000).claimedBy, 'eu-1');
    assert.equal(idx([l(T, 'claim', 'eu-1')], T + 1000, 'eu-1').claimedBy, undefined, 'not against itself');
    assert.equal(idx([l(T, 'claim', 'eu-1')], T + 601_000).claimedBy, undefined, 'a dead run’s claim lapses');
    assert.equal(idx([l(T, 'claim', 'eu-1'), l(T + 5, 'failed', 'eu-1', '-', 'http 500')], T + 1000).claimedBy, undefined);
    const sent = idx([l(T, 'claim', 'eu-1'), l(T + 5, 'sent', 'eu-1')], T + 1000);
    assert.equal(sent.sent, true);
    const failed = idx([l(T, 'claim', 'eu-1'), l(T + 5, 'failed', 'eu-1', '-', 'timeout'), l(T + 9, 'failed', 'eu-1', '-', 'channel down')], T + 1000);
    assert.equal(failed.failures, 1, '"channel down" is not a try');
    assert.equal(failed.lastFailure, T + 5);
  });

  it('a fan-out: sent to everyone but the failed ones, who are retried alone until each is sent', () => {
    const lines = [l(T, 'sent', 'eu-1', '*', '3 recipients'), l(T, 'failed', 'eu-1', 'aaaa', 'smtp 451'), l(T, 'failed', 'eu-1', 'bbbb', 'smtp 451')];
    const s1 = indexLedger({ lines, since: new Map() }, { now: T, leaseMs: 1, runner: 'x' })('team', lines[0].event);
    assert.equal(s1.sent, true);
    assert.deepEqual([...s1.pending].sort(), ['aaaa', 'bbbb']);
    const s2 = indexLedger({ lines: [...lines, l(T + 60_000, 'sent', 'us-1', 'aaaa')], since: new Map() }, { now: T, leaseMs: 1, runner: 'x' })(
      'team',
      lines[0].event,
    );
    assert.deepEqual([...s2.pending], ['bbbb']);
  });

  it('retries back off across runs, up to an hour', () => {
    assert.deepEqual([0, 1, 2, 3, 10].map(retryDelayMs), [0, 30_000, 60_000, 120_000, 3_600_000]);
  });

  it('written per UTC day, read back; a symbolic link in place of a ledger file is neither read nor written through', async () => {
    const history = await tempDir();
    await appendLedger(history, [l(T, 'claim', 'eu-1'), l(T + 86_400_000, 'sent', 'eu-1')], new Map([['team', T]]));
    const r = await readLedger(history, T);
    assert.equal(r.lines.length, 2);
    assert.equal(r.since.get('team'), T);
    assert.match(await readFile(join(history, 'notifications/2026-11-24.tsv'), 'utf8'), /\tsent\t/);
    const outside = await tempDir();
    await writeFile(join(outside, 'secret.tsv'), `${formatLine(l(T, 'sent', 'x'))}\n`);
    await symlink(join(outside, 'secret.tsv'), join(history, 'notifications/2026-11-25.tsv'));
    assert.equal((await readLedger(history, T)).lines.length, 2, 'the link is not read');
    await assert.rejects(appendLedger(history, [l(T + 2 * 86_400_000, 'sent', 'x')]), /symbolic link/);
    assert.equal((await readFile(join(outside, 'secret.tsv'), 'utf8')).split('\n').length, 2, 'nothing written through it');
  });
});

describe('subscriber lists', () => {
  const ids = ['api', 'web'];
  it('lines: address, or address with components; comments and blank lines skipped; duplicates once', () => {
    const r = parseRecipients('# ours\nana@example.com: api, web\n\nbob@example.com\nANA@example.com: api\n', 'email', 'k3y', ids);
    assert.deepEqual(
      r.recipients.map((x) => [x.address, x.components]),
      [
        ['ANA@example.com', ['api']],
        ['bob@example.com', undefined],
      ],
    );
    assert.deepEqual(r.problems, []);
  });
  it('webhook addresses keep their own colons; JSON with components and language', () => {
    const r = parseRecipients('https://tools.example:8443/hook?x=1: api\nhttps://b.example/h', 'url', 'k', ids);
    assert.deepEqual(
      r.recipients.map((x) => [x.address, x.components]),
      [
        ['https://tools.example:8443/hook?x=1', ['api']],
        ['https://b.example/h', undefined],
      ],
    );
    const j = parseRecipients(
      JSON.stringify([{ address: 'ana@example.com', components: ['api'], language: 'cs' }, { email: 'bo@example.com' }]),
      'email',
      'k',
      ids,
    );
    assert.deepEqual(
      j.recipients.map((x) => [x.address, x.language]),
      [
        ['ana@example.com', 'cs'],
        ['bo@example.com', undefined],
      ],
    );
  });
  it('problems name the line, never the address', () => {
    const r = parseRecipients('not-an-address\nzed@example.com: nosuch\nhttp://x\n', 'email', 'k', ids);
    assert.equal(r.recipients.length, 0);
    assert.deepEqual(r.problems, ['line 1: not an email address', 'line 2: 1 unknown component (left out)', 'line 3: not an email address']);
    assert.ok(!r.problems.join(' ').includes('zed@'));
    const bad = parseRecipients('[{"address": "secret@example.com",}]', 'email', 'k', ids);
    assert.ok(!bad.problems.join(' ').includes('secret@'), bad.problems.join());
    // A misplaced comma puts the next subscriber where a component goes; a JSON error's quoted context: neither printed.
    const comma = parseRecipients('ana@example.com: api, bo.smith@example.com', 'email', 'k', ids);
    assert.ok(!comma.problems.join(' ').includes('bo.smith'), comma.problems.join());
    const cut = parseRecipients('[{"address": "ana@example.com"}, {"address": "bo.smith@corp.example" "x"}]', 'email', 'k', ids);
    assert.ok(cut.problems.length === 1 && !/bo\.smith|corp/.test(cut.problems[0]), cut.problems.join());
    const creds = parseRecipients('https://user:pass@x.example/h', 'url', 'k', ids);
    assert.equal(creds.recipients.length, 0, 'an address with credentials in it is refused');
  });
  it("a subscriber's ledger key is keyed by the channel's secret: the public ledger does not confirm an address", () => {
    assert.notEqual(recipientKey('one', 'ana@example.com'), recipientKey('two', 'ana@example.com'));
    assert.equal(recipientKey('one', 'ana@example.com'), recipientKey('one', 'ANA@example.com'));
    assert.match(recipientKey('one', 'a@b.c'), /^[0-9a-f]{16}$/);
  });
});
