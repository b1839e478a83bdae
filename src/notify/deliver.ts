/**
 * Delivery: events to channels, exactly once. One run:
 *
 *   1. plan: for every channel, the events it routes that the ledger has not seen sent, that no
 *      other run holds a claim on, and that are not older than `retry_for`;
 *   2. claim: append `claim` lines and publish them (commit and push) on the freshest tree; when the
 *      push is refused the plan is made again on what was pushed meanwhile, so two runs never hold
 *      the same claim: the one that pushes first has it, the other sees it and leaves it;
 *   3. send: channels side by side, each channel's events in order, every try with a timeout; a
 *      channel that cannot be reached is given up on for this run after its first message, so it
 *      delays nothing else;
 *   4. record: `sent` / `failed` / `expired` lines, published the same way.
 *
 * Every result is also written at once to a journal beside the clone (`.git/upkeep/`), so a run
 * killed while sending, or whose record could not be pushed, leaves what it sent for the next run
 * in the same clone to publish. A run killed on a machine that is then lost (a cancelled job)
 * leaves claims that lapse after `delivery.lease`; the next run sends what the ledger does not show
 * as sent, with the same idempotency keys (webhook `Idempotency-Key`, PagerDuty `dedup_key`, mail
 * `Message-ID`), so a receiver that got it already can tell.
 */
import { routes, isSubscriberChannel } from './route.ts';
import { appendLedger, indexLedger, readLedger, retryDelayMs, type LedgerLine } from './ledger.ts';
import type { Sender, SendOptions } from './send.ts';
import type { Channel } from './schema.ts';
import type { Outgoing, Recipient, SinkContext } from './sink.ts';
import { sinks } from './channels/index.ts';
import type { NotifyEvent } from '../status/events.ts';
import type { TargetGuard } from '../probes/guard.ts';
import { pushAll } from '../util/arrays.ts';

/** A channel's events before it was added are not news to it: older than this before its first run, they are left out. */
export const NEW_CHANNEL_GRACE_MS = 60 * 60_000;
/** Sends in flight per fan-out channel. */
const FAN_OUT = 8;

export type DeliveryChannel = {
  channel: Channel;
  /** Subscribers, for subscriber channels (loaded only when something is to be sent). */
  recipients?: () => Promise<Recipient[]>;
  /** Subscriber webhooks reach only public addresses unless the vendor allows others. */
  guard?: TargetGuard;
};

export type DeliveryInput = {
  historyDir: string;
  channels: readonly DeliveryChannel[];
  events: readonly NotifyEvent[];
  now: number;
  runner: string;
  delivery: { timeoutMs: number; retries: number; retryForMs: number; leaseMs: number };
  /** When this run stops starting new messages. */
  deadline: number;
  /** What sinks need besides the event (recipients are filled per channel). */
  context: Omit<SinkContext, 'recipients' | 'now'>;
  /**
   * Runs `write` on the freshest tree and publishes what it wrote; true once it is what every run
   * sees (pushed, or no git at all). Called again, after a refused push, on the newer tree.
   */
  transact: (message: string, write: () => Promise<void>) => Promise<boolean>;
  sender: Sender;
  log: (line: string) => void;
  /** Tests shorten back-off. */
  waitScale?: number;
  journal: Journal;
};

/**
 * Where results go the moment they are known, before they are published. `durable` when the
 * journal is the ledger itself (no git): then nothing is left to publish.
 */
export type Journal = { read(): Promise<LedgerLine[]>; append(lines: readonly LedgerLine[]): Promise<void>; clear(): Promise<void>; durable: boolean };

export type Delivered = { channel: string; event: string; kind: string; recipients: number };
export type DeliveryReport = {
  sent: Delivered[];
  failed: (Delivered & { why: string })[];
  /** Given up on: older than `retry_for` and never delivered. */
  expired: { channel: string; event: string }[];
  /** Held by another run's claim. */
  held: number;
  claimed: boolean;
};

type Job = { dc: DeliveryChannel; event: NotifyEvent; only?: Set<string> };

/** What a run would do on this ledger: the jobs to send, the events to give up on, the channels that begin now. */
async function plan(input: DeliveryInput, carried: readonly LedgerLine[]) {
  const ledger = await readLedger(input.historyDir, input.now - input.delivery.retryForMs - NEW_CHANNEL_GRACE_MS);
  pushAll(ledger.lines, carried);
  const standing = indexLedger(ledger, { now: input.now, leaseMs: input.delivery.leaseMs, runner: input.runner });
  const jobs: Job[] = [];
  const expired: LedgerLine[] = [];
  const newChannels = new Map<string, number>();
  let held = 0;
  // One job per event id, whatever the events' source did: the ledger counts deliveries by id.
  const events = [...new Map(input.events.map((e) => [e.id, e] as const)).values()];
  // A channel that said "retry after" is left alone until then, on every event.
  const pausedUntil = new Map<string, number>();
  for (const l of ledger.lines) {
    const m = l.state === 'failed' ? /retry after (\d+)s/.exec(l.note) : null;
    if (m) pausedUntil.set(l.channel, Math.max(pausedUntil.get(l.channel) ?? 0, l.at + Number(m[1]) * 1000));
  }
  for (const dc of input.channels) {
    const c = dc.channel;
    if ((pausedUntil.get(c.id) ?? 0) > input.now) continue;
    const since = ledger.since.get(c.id) ?? input.now;
    if (!ledger.since.has(c.id)) newChannels.set(c.id, input.now);
    for (const event of events) {
      if (!routes(c, event)) continue;
      const at = Date.parse(event.at);
      if (at < since - NEW_CHANNEL_GRACE_MS) continue;
      const s = standing(c.id, event.id);
      if (s.expired || (s.sent && s.pending.size === 0)) continue;
      // Old news, or news that has failed for as long (an announcement is dated by the run that makes it).
      if (at < input.now - input.delivery.retryForMs || (s.firstFailure !== undefined && s.firstFailure < input.now - input.delivery.retryForMs)) {
        expired.push(line(input, 'expired', c.id, event.id, '-', `not delivered within retry_for${s.failures ? ` (${s.failures} failed tries)` : ''}`));
        continue;
      }
      if (s.claimedBy) {
        held++;
        continue;
      }
      // A channel that keeps failing is tried less and less often (and the ledger does not fill up with it).
      if (s.lastFailure !== undefined && input.now - s.lastFailure < retryDelayMs(s.failures)) continue;
      jobs.push({ dc, event, ...(s.sent || (s.pending.size > 0 && !s.pending.has('-')) ? { only: s.pending } : {}) });
    }
  }
  return { jobs, expired, newChannels, held };
}

const line = (
  input: Pick<DeliveryInput, 'now' | 'runner'>,
  state: LedgerLine['state'],
  channel: string,
  event: string,
  recipient: string,
  note = '',
): LedgerLine => ({
  at: input.now,
  state,
  channel,
  event,
  recipient,
  runner: input.runner,
  note,
});

export async function deliver(input: DeliveryInput): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: [], failed: [], expired: [], held: 0, claimed: false };
  let planned: Awaited<ReturnType<typeof plan>> | undefined;
  // What an earlier run in this clone sent but could not publish goes with this claim.
  const carried = await input.journal.read();
  const claimed = await input.transact('notify: claim', async () => {
    planned = await plan(input, carried);
    const claims = planned.jobs.map((j) => line(input, 'claim', j.dc.channel.id, j.event.id, '-'));
    const lines = [...carried, ...planned.expired, ...claims];
    if (lines.length > 0 || planned.newChannels.size > 0) await appendLedger(input.historyDir, lines, planned.newChannels);
  });
  if (!claimed || !planned) {
    input.log('notify: the claim could not be published (pushes were refused); nothing sent this run, the next run tries again');
    return report;
  }
  report.claimed = true;
  if (carried.length > 0) await input.journal.clear();
  report.held = planned.held;
  for (const e of planned.expired) {
    report.expired.push({ channel: e.channel, event: e.event });
    input.log(`warning: notify: ${e.channel} never received ${e.event}: given up after retry_for`);
  }

  const results: LedgerLine[] = [];
  const byChannel = new Map<string, Job[]>();
  for (const j of planned.jobs) byChannel.set(j.dc.channel.id, [...(byChannel.get(j.dc.channel.id) ?? []), j]);
  await Promise.all([...byChannel.values()].map((jobs) => sendChannel(input, jobs, results, report)));

  if (results.length > 0 && !input.journal.durable) {
    const ok = await input.transact(`notify: ${report.sent.length} sent, ${report.failed.length} failed`, () => appendLedger(input.historyDir, results));
    if (ok) await input.journal.clear();
    else input.log('warning: notify: what was sent could not be recorded yet (pushes were refused); the next run records it');
  }
  return report;
}

async function sendChannel(input: DeliveryInput, jobs: Job[], results: LedgerLine[], report: DeliveryReport): Promise<void> {
  const c = jobs[0].dc.channel;
  const subscriber = isSubscriberChannel(c);
  let recipients: Recipient[] = [];
  let down: string | undefined;
  if (subscriber) {
    try {
      recipients = (await jobs[0].dc.recipients?.()) ?? [];
    } catch (error) {
      down = `subscriber list unavailable: ${(error as Error).message}`;
    }
  }
  const opts: SendOptions = {
    timeoutMs: input.delivery.timeoutMs,
    retries: input.delivery.retries,
    deadline: input.deadline,
    waitScale: input.waitScale,
    guard: jobs[0].dc.guard,
  };
  // Statuspage-format webhooks go to every subscriber's own server; mail goes through one.
  const perHost = c.kind === 'statuspage-webhook';
  const downHosts = new Set<string>();
  for (const job of jobs) {
    const e = job.event;
    const mark = async (state: 'sent' | 'failed', recipient: string, note = '') => {
      const l = line(input, state, c.id, e.id, recipient, note);
      results.push(l);
      await input.journal.append([l]);
    };
    if (down || Date.now() >= input.deadline) {
      const note = down ? 'channel down' : 'out of time';
      await mark('failed', '-', note);
      report.failed.push({ channel: c.id, event: e.id, kind: e.kind, recipients: 0, why: down ?? note });
      input.log(
        `warning: notify: ${c.id} did not take ${e.id}: ${down ? `not tried, the channel is down (${down})` : 'not tried, out of time'} (tried again next run)`,
      );
      continue;
    }
    const targets = job.only ? recipients.filter((r) => job.only!.has(r.key)) : recipients;
    let messages: Outgoing[];
    try {
      messages = (sinks[c.kind] as (ev: NotifyEvent, ch: Channel, ctx: SinkContext) => Outgoing[])(e, c, {
        ...input.context,
        recipients: targets,
        now: new Date(input.now),
      });
    } catch {
      // Upkeep's bug or a channel value no check caught: this event on this channel, not the whole run.
      await mark('failed', '-', 'message could not be made');
      report.failed.push({ channel: c.id, event: e.id, kind: e.kind, recipients: 0, why: 'message could not be made' });
      input.log(`warning: notify: ${c.id} did not take ${e.id}: the message could not be made (tried again next run)`);
      continue;
    }
    if (messages.length === 0) {
      if (job.only) for (const key of job.only) await mark('sent', key, 'no longer subscribed');
      else await mark('sent', subscriber ? '*' : '-', 'no recipient');
      continue;
    }
    let okCount = 0;
    const failures: { recipient: string; why: string }[] = [];
    let queue = 0;
    const worker = async () => {
      while (queue < messages.length) {
        const m = messages[queue++];
        const host = perHost && m.http ? new URL(m.http.url).host : undefined;
        if (down || (host && downHosts.has(host)) || Date.now() >= input.deadline) {
          failures.push({ recipient: m.recipient ?? '-', why: down ? 'channel down' : Date.now() >= input.deadline ? 'out of time' : 'host down' });
          continue;
        }
        const r = await input.sender.send(m, opts);
        if (r.ok) okCount++;
        else if (r.retryAfterMs !== undefined && !host) {
          // Told to wait past this run: nothing more to this channel now, and none before then (the note says when).
          failures.push({ recipient: m.recipient ?? '-', why: `${r.why}, retry after ${Math.ceil(r.retryAfterMs / 1000)}s` });
          down = `${r.why}, asked to wait`;
        } else {
          failures.push({ recipient: m.recipient ?? '-', why: r.why });
          // Subscribers' webhooks are each their own server: one that is down is not the channel.
          if (r.down && host) downHosts.add(host);
          else if (r.down) down = r.why;
        }
      }
    };
    await Promise.all(Array.from({ length: subscriber ? FAN_OUT : 1 }, worker));
    if (!subscriber) {
      if (okCount > 0) {
        await mark('sent', '-');
        report.sent.push({ channel: c.id, event: e.id, kind: e.kind, recipients: 1 });
        input.log(`notify: ${c.id} ← ${e.kind} ${e.id}`);
      } else {
        await mark('failed', '-', failures[0].why);
        report.failed.push({ channel: c.id, event: e.id, kind: e.kind, recipients: 0, why: failures[0].why });
        input.log(`warning: notify: ${c.id} did not take ${e.id}: ${failures[0].why} (tried again next run)`);
      }
      continue;
    }
    // A fan-out: `*` for everyone but those listed as failed; all failed is one line for the whole event.
    if (okCount === 0 && !job.only) await mark('failed', '-', failures[0]?.why ?? 'not sent');
    else {
      if (!job.only) await mark('sent', '*', `${okCount} recipients`);
      else for (const m of messages) if (!failures.some((f) => f.recipient === m.recipient)) await mark('sent', m.recipient ?? '-');
      for (const f of failures) await mark('failed', f.recipient, f.why);
    }
    if (okCount > 0) report.sent.push({ channel: c.id, event: e.id, kind: e.kind, recipients: okCount });
    if (failures.length > 0) {
      const why = [...new Set(failures.map((f) => f.why))].join(', ');
      report.failed.push({ channel: c.id, event: e.id, kind: e.kind, recipients: failures.length, why });
      input.log(`warning: notify: ${c.id}: ${failures.length} of ${messages.length} subscribers did not get ${e.id}: ${why} (tried again next run)`);
    }
    if (okCount > 0) input.log(`notify: ${c.id} ← ${e.kind} ${e.id} (${okCount} subscriber${okCount === 1 ? '' : 's'})`);
  }
}
