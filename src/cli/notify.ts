/**
 * `upkeep notify`: derive the events from history, and deliver those the ledger has not seen
 * delivered (`--dry-run` prints them instead). `upkeep notify test` sends one marked test message
 * to every channel (or `--channel NAME`). The slot calls `notifyRound` after each round.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config/load.ts';
import { resolveDeep, references } from '../config/template.ts';
import { textIn, translationIn } from '../config/translations.ts';
import { commitDerived, repoRoot } from '../history/git.ts';
import { loadIncidents } from '../history/incidents.ts';
import { incidentStatus } from '../status/incidents.ts';
import { readHistory } from '../history/read.ts';
import { translator } from '../i18n/index.ts';
import { deliver, NEW_CHANNEL_GRACE_MS, type DeliveryChannel, type DeliveryInput, type DeliveryReport, type Journal } from '../notify/deliver.ts';
import { appendLedger, formatLine, indexLedger, ledgerDir, parseLine, readLedger, type LedgerLine } from '../notify/ledger.ts';
import { fetchRecipientsText, parseRecipients } from '../notify/recipients.ts';
import { isSubscriberChannel, routes } from '../notify/route.ts';
import type { Channel } from '../notify/schema.ts';
import { sender, type Sender } from '../notify/send.ts';
import type { SinkContext } from '../notify/sink.ts';
import { sinks } from '../notify/channels/index.ts';
import { publicOnlyGuard } from '../probes/guard.ts';
import { reasonWords } from '../status/evaluate.ts';
import type { Redactor } from '../secrets/redact.ts';
import { pageStatus } from '../status/page-status.ts';
import { componentTimelines, countingOf, coverageCap, forSla } from '../status/components.ts';
import { lagInSla } from '../kinds/index.ts';
import { deriveEvents, type NotifyEvent } from '../status/events.ts';
import { intervalsFor, occurrences } from '../status/maintenance.ts';
import { slaForMonth } from '../status/report.ts';
import { observedUntil, stateAt, type CheckState, type Segment } from '../status/timeline.ts';
import { DAY_MS, type ComponentStatus } from '../status/vocabulary.ts';
import { civil, monthRange } from '../time/tz.ts';
import { loadOrFail } from './config.ts';
import { InputError } from './errors.ts';
import { openAfterMs } from './incidents.ts';
import { annotate, table, type Io } from './io.ts';
import { secretsOf } from './secrets.ts';

export type NotifyOptions = {
  checks: string;
  history: string;
  dryRun: boolean;
  json: boolean;
  env: Record<string, string | undefined>;
  now: () => Date;
  region: string;
  commit: boolean;
  push: boolean;
  /** `notify test`: a marked test message, to one channel or all. */
  test?: { channel?: string; to?: string };
  /** Only this channel (`--channel`). */
  channel?: string;
  redactor?: Redactor;
  /** Tests shorten back-off. */
  waitScale?: number;
  /** How long delivery may go on; the slot gives it less than an interval. */
  budgetMs?: number;
  /** The slot runs its git steps one at a time: it passes its lock. */
  serialise?: <T>(fn: () => Promise<T>) => Promise<T>;
};

const gitOut = async (cwd: string, args: string[]) => (await promisify(execFile)('git', args, { cwd })).stdout;
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** Channels with their secrets filled in; one whose secret is not set is left out, by name. */
function resolveChannels(config: Config, env: Record<string, string | undefined>, io: Io, only?: string): Channel[] {
  const out: Channel[] = [];
  for (const c of config.notify.channels) {
    if (only && c.id !== only) continue;
    const missing = [
      ...new Set(
        references(JSON.stringify(c))
          .filter((r) => r.scope === 'env' && !env[r.name])
          .map((r) => r.name),
      ),
    ];
    if (missing.length > 0) {
      io.err(`warning: notify: channel ${c.id} left out: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (add the repository secret)`);
      continue;
    }
    const resolved = resolveDeep(c, { vars: config.vars, env });
    // A secret holding something that is not an address: said here, by field, never by value.
    const bad = badAddressField(resolved);
    if (bad) {
      io.err(`warning: notify: channel ${c.id} left out: its ${bad} is not ${bad === 'smtp' ? 'an smtp:// or smtps:// address' : 'an http(s) address'}`);
      continue;
    }
    if (resolved.kind === 'webhook' && resolved.secret.length < 16)
      io.err(`warning: notify: channel ${c.id}'s signing secret is shorter than 16 characters: receivers cannot trust so short a key`);
    if (resolved.kind === 'subscriber-email' && !resolved.unsubscribe)
      io.err(`warning: notify: channel ${c.id} has no unsubscribe address: its mail has no List-Unsubscribe, and mail providers may file it as spam`);
    out.push(resolved);
  }
  if (only && out.length === 0 && !config.notify.channels.some((c) => c.id === only))
    throw new InputError(`there is no channel "${only}" in notify.yml (channels: ${config.notify.channels.map((c) => c.id).join(', ') || 'none'})`);
  // Asked for by name and left out: nothing can be sent, and saying "ok" would hide it.
  if (only && out.length === 0) throw new InputError(`channel "${only}" cannot be used here (the warning above says why)`);
  return out;
}

/** The first address field of a resolved channel that does not parse as its kind of address. */
function badAddressField(c: Channel): string | undefined {
  const parses = (text: string, protocols: string[]) => {
    try {
      return protocols.includes(new URL(text.trim()).protocol);
    } catch {
      return false;
    }
  };
  if ('url' in c && typeof c.url === 'string' && !parses(c.url, ['https:', 'http:'])) return 'url';
  if ('smtp' in c && !parses(c.smtp, ['smtp:', 'smtps:'])) return 'smtp';
  if ('subscribers_url' in c && typeof c.subscribers_url === 'string' && !parses(c.subscribers_url, ['https:', 'http:'])) return 'subscribers_url';
  return undefined;
}

/** The events over the lookback, from the same history and counting the page uses, redacted. */
export async function eventsFrom(config: Config, historyDir: string, now: number, redactor: Redactor): Promise<NotifyEvent[]> {
  const counting = countingOf(config);
  const tz = config.sla.time_zone;
  const { year, month } = civil(now, tz);
  const monthStart = monthRange(year, month, tz).start;
  const lookback = now - config.notify.delivery.retry_for - NEW_CHANNEL_GRACE_MS - DAY_MS;
  const from = Math.min(lookback, monthStart);
  const history = await readHistory(historyDir, { from, now, capFor: coverageCap(counting) });
  const timelines = componentTimelines(counting, history.days, from, observedUntil(now));
  const slaDays = forSla(history.days, (id) => lagInSla(config.checks.find((c) => c.id === id)));
  const slaTimelines = slaDays === history.days ? timelines : componentTimelines(counting, slaDays, from, observedUntil(now));
  const maint = occurrences(config.maintenance, config.site.time_zone, from, now + 31 * DAY_MS);
  const ids = config.components.map((c) => c.id);
  const incidents = (await loadIncidents(historyDir, ids)).incidents;
  const latest = new Map<string, { time: string; text: string }>();
  for (const s of history.recent) {
    // The reason and its generic words, never the sample's message: that can quote the target's answer.
    const text = s.reason ? `${s.reason}: ${reasonWords(s.reason)}` : '';
    if (s.outcome === 'down' && text && (latest.get(s.check)?.time ?? '') <= s.time) latest.set(s.check, { time: s.time, text });
  }
  // Only changes within the lookback are news; the month before it counts for the error budget alone.
  const recent = <S extends string>(tl: readonly Segment<S>[]) => tl.filter((seg) => seg.end > lookback);
  const checkTimelines = new Map<string, Segment<CheckState>[]>();
  for (const [, t] of timelines) for (const c of t.checks) checkTimelines.set(c.check.id, recent(c.timeline));
  const events = deriveEvents({
    now,
    components: config.components,
    checks: config.checks,
    incidents: incidents.map((i) => ({ ...i, draft: i.draft ?? false })),
    componentTimelines: new Map([...timelines].map(([id, t]) => [id, recent(t.timeline)])),
    checkTimelines,
    reasons: new Map([...latest].map(([k, v]) => [k, v.text])),
    maintenance: maint,
    sampleTimes: [...new Set(history.recent.map((s) => Date.parse(s.time)))].sort((a, b) => a - b),
    intervalMs: config.defaults.interval,
    staleAfter: config.notify.delivery.stale_after,
    openAfterMs: openAfterMs(config),
    budgets: config.components.map((c) => {
      const m = slaForMonth(slaTimelines.get(c.id)!.timeline, intervalsFor(c.id, maint), {
        year,
        month,
        timeZone: tz,
        target: c.sla ?? config.sla.target,
        credits: config.sla.credits,
        minCoverage: config.sla.min_coverage,
        now,
      });
      return { component: c.id, month: m.month, usedMs: m.usedMs, budgetMs: m.budgetMs };
    }),
  });
  // History is cleaned when written; this is the fence before anything leaves the machine.
  return redactor.redactDeep(events.filter((e) => Date.parse(e.at) > lookback || e.kind === 'maintenance.scheduled'));
}

function context(config: Config, statuses: readonly ComponentStatus[], openImpacts: readonly string[]): Omit<SinkContext, 'recipients' | 'now'> {
  const names = new Map(config.components.map((c) => [c.id, c.name]));
  const base = config.site.url ?? 'http://localhost:4321/';
  const status = pageStatus(statuses, openImpacts as never);
  return {
    site: { title: config.site.title, vendor: config.site.vendor, language: config.site.language, timeZone: config.site.time_zone },
    componentName: (id) => names.get(id) ?? id,
    textsIn: (lang) => ({
      componentName: (id) => {
        const c = config.components.find((x) => x.id === id);
        return c ? (textIn(c, lang, 'name') ?? c.name) : id;
      },
      maintenance: (windowId) => translationIn(config.maintenance.find((w) => w.id === windowId)?.translations, lang),
    }),
    pageUrl: (path = '') => new URL(`${config.site.base_path}${path.replace(/^\//, '')}`, base).href,
    page: { id: 'upkeep', status_indicator: status.indicator, status_description: status.description },
    lang: config.site.language,
  };
}

function deliveryChannels(config: Config, channels: Channel[], timeoutMs: number, io: Io): DeliveryChannel[] {
  const ids = config.components.map((c) => c.id);
  return channels.map((channel) => {
    if (!isSubscriberChannel(channel)) return { channel };
    const c = channel as Extract<Channel, { kind: 'subscriber-email' | 'statuspage-webhook' }>;
    const secret = c.subscribers ?? c.subscribers_url ?? '';
    let cached: Promise<ReturnType<typeof parseRecipients>['recipients']> | undefined;
    return {
      channel,
      ...(c.kind === 'statuspage-webhook' ? { guard: publicOnlyGuard(c.allow_private) } : {}),
      recipients: () =>
        (cached ??= (c.subscribers !== undefined ? Promise.resolve(c.subscribers) : fetchRecipientsText(secret, timeoutMs)).then((text) => {
          const r = parseRecipients(text, c.kind === 'subscriber-email' ? 'email' : 'url', secret, ids);
          for (const p of r.problems.slice(0, 20)) io.err(`warning: notify: ${c.id}'s subscriber list, ${p}`);
          if (r.problems.length > 20) io.err(`warning: notify: ${c.id}'s subscriber list has ${r.problems.length - 20} more problems`);
          // A list that is all problems (an error page where the list should be) is unavailable, not empty: tried again.
          if (r.recipients.length === 0 && r.problems.length > 0) throw new Error('no usable entry in it');
          return r.recipients;
        })),
    };
  });
}

/**
 * Results as soon as they are known: in git's own folder of the clone (never committed) until they
 * are published; without git, straight into the ledger.
 */
async function journalFor(repo: string | undefined, historyDir: string): Promise<Journal> {
  if (!repo) return { read: async () => [], append: (lines) => appendLedger(historyDir, lines), clear: async () => {}, durable: true };
  const gitDir = resolve(repo, (await gitOut(repo, ['rev-parse', '--git-dir'])).trim());
  const file = join(gitDir, 'upkeep', 'notify-journal.tsv');
  return {
    durable: false,
    async read() {
      const text = await readFile(file, 'utf8').catch(() => '');
      return text
        .split('\n')
        .map((l) => (l ? parseLine(l) : undefined))
        .filter((l): l is LedgerLine => l !== undefined);
    },
    async append(lines) {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, lines.map((l) => `${formatLine(l)}\n`).join(''));
    },
    async clear() {
      await rm(file, { force: true });
    },
  };
}

/** A runner's name in the ledger: the region and this process (two runs of one region are two runners). */
const runnerName = (region: string, env: Record<string, string | undefined>) =>
  `${region}-${env.GITHUB_RUN_ID ?? 'local'}${env.GITHUB_RUN_ATTEMPT ? `.${env.GITHUB_RUN_ATTEMPT}` : ''}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`;

export async function notify(opts: NotifyOptions, io: Io, loaded?: Config): Promise<DeliveryReport | undefined> {
  const config = loaded ?? (await loadOrFail(opts.checks, { env: opts.env, requireEnv: false }, io));
  const redactor = opts.redactor ?? (await secretsOf(opts.checks, opts.env)).redactor;
  const channels = resolveChannels(config, opts.env, io, opts.test?.channel ?? opts.channel);
  if (config.notify.channels.length === 0) {
    io.out('notify: no channels (add checks/notify.yml; the README shows how)');
    return undefined;
  }
  const now = opts.now().getTime();
  const d = config.notify.delivery;
  const s = sender();
  try {
    if (opts.test) return await sendTest(config, channels, opts, io, s, now);
    const events = await eventsFrom(config, opts.history, now, redactor);
    // The page's indicator weighs open incidents as the page does (drafts are not on the page).
    const open = (
      await loadIncidents(
        opts.history,
        config.components.map((c) => c.id),
      )
    ).incidents.filter((i) => !i.draft && incidentStatus(i) !== 'resolved');
    const ctx = context(
      config,
      await statusesNow(config, opts.history, now),
      open.map((i) => i.impact),
    );
    const dcs = deliveryChannels(config, channels, d.timeout, io);
    if (opts.dryRun) {
      // What the ledger says of each: a dry run shows what a real run would do, not the whole lookback as new.
      const standing = indexLedger(await readLedger(opts.history, now - d.retry_for - NEW_CHANNEL_GRACE_MS), { now, leaseMs: d.lease, runner: 'dry-run' });
      const state = (channel: string, event: string) => {
        const s = standing(channel, event);
        return s.expired ? 'given up' : s.sent && s.pending.size === 0 ? 'sent already' : s.claimedBy ? 'claimed by a run' : 'to send';
      };
      const rows = [['channel', 'event', 'at', 'state', 'title']];
      for (const dc of dcs) for (const e of events) if (routes(dc.channel, e)) rows.push([dc.channel.id, e.id, e.at, state(dc.channel.id, e.id), e.title]);
      if (opts.json) io.out(JSON.stringify({ events, routed: rows.slice(1).map(([channel, event, , st]) => ({ channel, event, state: st })) }, null, 2));
      else io.out(rows.length > 1 ? table(rows) : 'notify: no events in the lookback');
      io.out('notify: dry run: nothing sent, the ledger is unchanged (what was delivered already is not sent again)');
      return undefined;
    }
    const repo = opts.commit ? await repoRoot(resolve(opts.history)) : undefined;
    const paths = [repo ? relative(repo, resolve(ledgerDir(opts.history))) : ledgerDir(opts.history)];
    const serialise = opts.serialise ?? (<T>(fn: () => Promise<T>) => fn());
    const transact: DeliveryInput['transact'] = (message, write) =>
      serialise(async () => {
        if (!repo) {
          await write();
          return true;
        }
        const r = await commitDerived(repo, { paths, message: `${message} [skip ci]`, push: opts.push, write, discard: true });
        if (r.error) io.err(`warning: notify: pushing the ledger failed after ${r.attempts} attempts`);
        return !r.error;
      });
    const report = await deliver({
      historyDir: opts.history,
      channels: dcs,
      events,
      now,
      runner: runnerName(opts.region, opts.env),
      delivery: { timeoutMs: d.timeout, retries: d.retries, retryForMs: d.retry_for, leaseMs: d.lease },
      // Never past half the claim's lease: another run may take the events over once it ends.
      deadline: Date.now() + Math.min(opts.budgetMs ?? 5 * 60_000, d.lease / 2),
      context: ctx,
      transact,
      sender: s,
      log: (l) => (l.startsWith('warning') ? io.err(l) : io.out(l)),
      waitScale: opts.waitScale,
      journal: await journalFor(repo, opts.history),
    });
    for (const e of report.expired)
      annotate(io, opts.env, 'warning', {
        file: join(opts.checks, 'notify.yml'),
        line: 1,
        col: 1,
        message: `channel ${e.channel} never received ${e.event} within delivery.retry_for: given up`,
      });
    if (opts.json) io.out(JSON.stringify(report, null, 2));
    else
      io.out(
        `notify: ${report.sent.length} sent, ${report.failed.length} not delivered (tried again next run), ${report.expired.length} given up${report.held ? `, ${report.held} held by another run` : ''}`,
      );
    return report;
  } finally {
    await s.close();
  }
}

/** Each component's probed status now (for the page indicator in subscriber webhooks). */
async function statusesNow(config: Config, historyDir: string, now: number): Promise<ComponentStatus[]> {
  const counting = countingOf(config);
  const from = now - DAY_MS;
  const history = await readHistory(historyDir, { from, now, capFor: coverageCap(counting) });
  const until = observedUntil(now);
  const timelines = componentTimelines(counting, history.days, from, until);
  return config.components.map((c) => stateAt(timelines.get(c.id)!.timeline, until - 1, 'nodata'));
}

async function sendTest(config: Config, channels: Channel[], opts: NotifyOptions, io: Io, s: Sender, now: number): Promise<DeliveryReport> {
  const t = translator(config.site.language);
  const report: DeliveryReport = { sent: [], failed: [], expired: [], held: 0, claimed: true };
  const ctx = context(config, [], []);
  for (const channel of channels) {
    const event: NotifyEvent = {
      id: `test:${channel.id}:${iso(now)}`,
      kind: 'test',
      at: iso(now),
      severity: 'info',
      public: true,
      components: [],
      title: `[TEST] ${config.site.vendor}: Upkeep notifications work`,
      text: t('notify.test', { channel: channel.id }),
    };
    let recipients: { address: string; key: string }[] = [];
    if (isSubscriberChannel(channel)) {
      if (!opts.test?.to) {
        io.out(`notify: ${channel.id} skipped: a test to subscribers goes to one address only; pass --to ADDRESS`);
        continue;
      }
      recipients = [{ address: opts.test.to, key: 'test' }];
    }
    const sink = sinks[channel.kind] as (e: NotifyEvent, c: Channel, x: SinkContext) => ReturnType<(typeof sinks)['slack']>;
    const messages = [
      ...sink(event, channel, { ...ctx, recipients, now: new Date(now) }),
      // A pager's test is a trigger: resolved at once, so no one is left with a test incident open.
      ...(channel.kind === 'pagerduty' ? sink({ ...event, resolves: true }, channel, { ...ctx, recipients, now: new Date(now) }) : []),
    ];
    const d = config.notify.delivery;
    let why: string | undefined;
    for (const m of messages) {
      const r = await s.send(m, {
        timeoutMs: d.timeout,
        retries: d.retries,
        deadline: Date.now() + 60_000,
        waitScale: opts.waitScale,
        ...(channel.kind === 'statuspage-webhook' ? { guard: publicOnlyGuard(channel.allow_private) } : {}),
      });
      if (!r.ok) why = r.why;
    }
    if (why) {
      report.failed.push({ channel: channel.id, event: event.id, kind: 'test', recipients: 0, why });
      io.err(`notify: ${channel.id}: the test message was not delivered: ${why}`);
    } else {
      report.sent.push({ channel: channel.id, event: event.id, kind: 'test', recipients: messages.length });
      io.out(`notify: ${channel.id}: test message delivered`);
    }
  }
  if (report.failed.length > 0) throw new InputError(`${report.failed.length} channel${report.failed.length === 1 ? '' : 's'} did not take the test message`);
  return report;
}
