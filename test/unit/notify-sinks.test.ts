/**
 * Each channel's message against its vendor's documented shape, routing by audience, component and
 * severity, and the generic webhook's signature checked the way the README tells a receiver to.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, it } from 'node:test';
import { sinks } from '../../src/notify/channels/index.ts';
import { routes } from '../../src/notify/route.ts';
import { channel as channelSchema, type Channel } from '../../src/notify/schema.ts';
import type { Outgoing, SinkContext } from '../../src/notify/sink.ts';
import type { NotifyEvent } from '../../src/status/events.ts';

const ctx = (recipients: SinkContext['recipients'] = [], lang = 'en'): SinkContext => ({
  site: { title: 'Acme Status', vendor: 'Acme CRM', language: 'en', timeZone: 'Europe/Prague' },
  componentName: (id) => ({ api: 'REST API', web: 'Web app' })[id] ?? id,
  pageUrl: (path = '') => `https://status.acme.example/${path}`,
  page: { id: 'upkeep', status_indicator: 'critical', status_description: 'Major Service Outage' },
  lang,
  now: new Date('2026-11-23T12:15:00Z'),
  recipients,
});

const incident = {
  id: '2026-11-23-api',
  title: 'REST API: <!channel> major outage @everyone',
  components: ['api'],
  impact: 'critical' as const,
  status: 'identified' as const,
  draft: false,
  updates: [
    { at: '2026-11-23T12:10:00Z', status: 'investigating' as const, message: 'We are looking into errors.' },
    { at: '2026-11-23T12:14:00Z', status: 'identified' as const, message: 'A bad deploy; rolling back.' },
    { at: '2026-11-23T12:40:00Z', status: 'resolved' as const, message: 'Fixed.' },
  ],
};

const down: NotifyEvent = {
  id: 'check.down:api-health:2026-11-23T12:09:00Z',
  kind: 'check.down',
  at: '2026-11-23T12:09:00Z',
  severity: 'critical',
  public: false,
  components: ['api'],
  path: 'components/api/',
  title: 'Down: API health',
  text: 'API health (REST API) is down, confirmed.',
  technical: 'status_503: HTTP 503 `x`',
  dedupKey: 'check:api-health:2026-11-23T12:09:00Z',
};
const updated: NotifyEvent = {
  id: `incident.updated:${incident.id}:2026-11-23T12:14:00Z`,
  kind: 'incident.updated',
  at: '2026-11-23T12:14:00Z',
  severity: 'critical',
  public: true,
  components: ['api'],
  path: `incidents/${incident.id}/`,
  title: `Identified: ${incident.title}`,
  text: 'A bad deploy; rolling back.',
  dedupKey: `incident:${incident.id}`,
  incident,
};
const resolved: NotifyEvent = {
  ...updated,
  id: `incident.resolved:${incident.id}:2026-11-23T12:40:00Z`,
  kind: 'incident.resolved',
  at: '2026-11-23T12:40:00Z',
  resolves: true,
};

const parse = (c: Record<string, unknown>) => channelSchema.parse(c) as Channel;
const one = (out: Outgoing[]) => {
  assert.equal(out.length, 1);
  return { url: out[0].http!.url, headers: out[0].http!.headers, body: JSON.parse(out[0].http!.body) };
};

describe('channel messages', () => {
  it('Slack: text for the notification, Block Kit sections; a title cannot ping the channel (<, > and & escaped)', () => {
    const { body } = one(sinks.slack(updated, parse({ id: 's', kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X' }) as never, ctx()));
    assert.equal(typeof body.text, 'string');
    assert.equal(body.blocks[0].type, 'section');
    assert.equal(body.blocks[0].text.type, 'mrkdwn');
    assert.doesNotMatch(JSON.stringify(body), /<!channel>/);
    assert.match(body.blocks[0].text.text, /&lt;!channel&gt;/);
    assert.match(body.blocks[1].elements[0].text, /<https:\/\/status\.acme\.example\/incidents\/2026-11-23-api\/\|Acme Status>/);
  });

  it('Teams: a message with one Adaptive Card attachment (Workflows webhooks)', () => {
    const { body } = one(sinks.teams(down, parse({ id: 't', kind: 'teams', url: 'https://x.logic.azure.com/workflows/1' }) as never, ctx()));
    assert.equal(body.type, 'message');
    assert.equal(body.attachments.length, 1);
    assert.equal(body.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    const card = body.attachments[0].content;
    assert.equal(card.type, 'AdaptiveCard');
    assert.match(card.version, /^1\.\d$/);
    type Block = { type: string; text?: string; inlines?: { type: string; text: string }[] };
    const texts = card.body.flatMap((b: Block) => (b.inlines ?? []).map((r) => r.text));
    assert.ok(texts.includes(down.technical), 'the team sees why');
    // Text is never a TextBlock (which renders Markdown: a target's `[Sign in](https://evil)` would be a link).
    assert.ok(card.body.every((b: Block) => b.type !== 'TextBlock'));
    assert.ok(card.body.filter((b: Block) => b.type === 'RichTextBlock').every((b: Block) => b.inlines!.every((r) => r.type === 'TextRun')));
    assert.equal(card.actions[0].type, 'Action.OpenUrl');
  });

  it('Slack: a long update is cut to what Slack takes (3,000 characters a section), never inside an escape', () => {
    const long = { ...updated, text: '<&>'.repeat(2000) };
    const { body } = one(sinks.slack(long, parse({ id: 's', kind: 'slack', url: 'https://hooks.slack.com/services/T/B/x' }) as never, ctx()));
    const section = body.blocks[0].text.text as string;
    assert.ok(section.length <= 3000, String(section.length));
    assert.match(section, /(&lt;|&amp;|&gt;)…$/);
  });

  it('Discord: an embed, mentions switched off, wait=true so a failure is reported', () => {
    const { url, body } = one(sinks.discord(updated, parse({ id: 'd', kind: 'discord', url: 'https://discord.invalid/api/webhooks/1/abc' }) as never, ctx()));
    assert.equal(new URL(url).searchParams.get('wait'), 'true');
    assert.deepEqual(body.allowed_mentions, { parse: [] });
    assert.ok(body.embeds[0].title.length <= 256);
    assert.equal(typeof body.embeds[0].color, 'number');
  });

  it('PagerDuty Events v2: trigger with the dedup key, then a resolve with the same key', () => {
    const pd = parse({ id: 'p', kind: 'pagerduty', routing_key: 'R0UT1NGKEY000000000000000000000' });
    const trigger = one(sinks.pagerduty(updated, pd as never, ctx())).body;
    assert.equal(trigger.event_action, 'trigger');
    assert.equal(trigger.routing_key, 'R0UT1NGKEY000000000000000000000');
    assert.equal(trigger.dedup_key, `incident:${incident.id}`);
    assert.ok(trigger.payload.summary.length <= 1024);
    assert.equal(trigger.payload.severity, 'critical');
    assert.ok(['critical', 'error', 'warning', 'info'].includes(trigger.payload.severity));
    assert.equal(typeof trigger.payload.source, 'string');
    const resolve = one(sinks.pagerduty(resolved, pd as never, ctx())).body;
    assert.deepEqual(resolve, { routing_key: 'R0UT1NGKEY000000000000000000000', event_action: 'resolve', dedup_key: `incident:${incident.id}` });
    assert.equal(one(sinks.pagerduty(updated, pd as never, ctx())).url, 'https://events.pagerduty.com/v2/enqueue');
  });

  it('generic webhook: HMAC-SHA256 over "timestamp.body", verifiable as the README shows; the same idempotency key on every try', () => {
    const secret = 'whsec-0123456789abcdef';
    const c = parse({ id: 'w', kind: 'webhook', url: 'https://hooks.acme.example/upkeep', secret });
    const [a] = sinks.webhook(down, c as never, ctx());
    const [b] = sinks.webhook(down, c as never, { ...ctx(), now: new Date('2026-11-23T12:20:00Z') });
    // What a receiver does (README): split the header, recompute, compare in constant time, refuse old timestamps.
    const verify = (headers: Record<string, string>, body: string, nowSec: number) => {
      const parts = Object.fromEntries(headers['upkeep-signature'].split(',').map((p) => p.split('=') as [string, string]));
      const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
      const given = Buffer.from(parts.v1, 'hex');
      return Math.abs(nowSec - Number(parts.t)) <= 300 && given.length === expected.length && timingSafeEqual(given, expected);
    };
    const t = Date.parse('2026-11-23T12:15:00Z') / 1000;
    assert.ok(verify(a.http!.headers, a.http!.body, t));
    assert.ok(!verify(a.http!.headers, a.http!.body.replace('down', 'up!!'), t), 'a changed body fails');
    assert.ok(!verify(a.http!.headers, a.http!.body, t + 3600), 'a replay an hour later fails');
    assert.equal(a.http!.headers['idempotency-key'], b.http!.headers['idempotency-key']);
    const body = JSON.parse(a.http!.body);
    assert.equal(body.kind, 'check.down');
    assert.equal(body.technical, down.technical);
  });

  it('Statuspage webhook: meta, page and incident as Statuspage sends them, updates newest first up to the one it is about', () => {
    const c = parse({ id: 'sp', kind: 'statuspage-webhook', subscribers: '${{ env.X }}', unsubscribe: 'https://status.acme.example/unsub?u={address}' });
    const out = sinks['statuspage-webhook'](updated, c as never, ctx([{ address: 'https://tools.example/hook?a=1&b=2', key: 'k1' }]));
    const { url, body } = one(out);
    assert.equal(url, 'https://tools.example/hook?a=1&b=2');
    assert.deepEqual(Object.keys(body), ['meta', 'page', 'incident']);
    assert.equal(body.meta.unsubscribe, 'https://status.acme.example/unsub?u=https%3A%2F%2Ftools.example%2Fhook%3Fa%3D1%26b%3D2');
    assert.deepEqual(body.page, { id: 'upkeep', status_indicator: 'critical', status_description: 'Major Service Outage' });
    // What a real consumer reads (Zulip's Statuspage integration): name, status, incident_updates[0].body, page.status_description.
    assert.equal(body.incident.status, 'identified', 'as it stood at this update, not as it is now');
    assert.deepEqual(
      body.incident.incident_updates.map((u: { status: string }) => u.status),
      ['identified', 'investigating'],
    );
    assert.equal(body.incident.incident_updates[0].body, 'A bad deploy; rolling back.');
    for (const key of [
      'id',
      'name',
      'status',
      'impact',
      'created_at',
      'updated_at',
      'shortlink',
      'incident_updates',
      'components',
      'resolved_at',
      'monitoring_at',
    ])
      assert.ok(key in body.incident, key);
    assert.doesNotMatch(JSON.stringify(body), /status_503|technical/, 'never a reason');
  });

  it('Statuspage webhook: a component update as { component_update, component }', () => {
    const ev: NotifyEvent = {
      id: 'component.status:api:2026-11-23T12:09:00Z',
      kind: 'component.status',
      at: '2026-11-23T12:09:00Z',
      severity: 'critical',
      public: true,
      components: ['api'],
      title: 'REST API: major outage',
      text: 'x',
      componentUpdate: { component: 'api', from: 'operational', to: 'major_outage' },
    };
    const c = parse({ id: 'sp', kind: 'statuspage-webhook', subscribers: '${{ env.X }}' });
    const { body } = one(sinks['statuspage-webhook'](ev, c as never, ctx([{ address: 'https://tools.example/hook', key: 'k' }])));
    assert.equal(body.component_update.old_status, 'operational');
    assert.equal(body.component_update.new_status, 'major_outage');
    assert.equal(body.component.name, 'REST API');
    assert.equal(body.component.status, 'major_outage');
  });

  it('subscriber email: one message per subscriber who chose the component, in their language, with List-Unsubscribe', () => {
    const c = parse({
      id: 'm',
      kind: 'subscriber-email',
      smtp: '${{ env.SMTP }}',
      from: 'Acme <status@acme.example>',
      subscribers: '${{ env.S }}',
      unsubscribe: 'https://status.acme.example/unsubscribe?a={address}',
    });
    const out = sinks['subscriber-email'](
      updated,
      c as never,
      ctx([
        { address: 'ana@example.com', key: 'a', language: 'pt-BR', components: ['api'] },
        { address: 'bob@example.com', key: 'b', components: ['web'] },
        { address: 'cy@example.com', key: 'c' },
      ]),
    );
    assert.deepEqual(
      out.map((o) => o.mail!.message.to),
      [['ana@example.com'], ['cy@example.com']],
    );
    const [ana, cy] = out.map((o) => o.mail!.message);
    assert.equal(ana.headers['Content-Language'], 'pt-BR');
    assert.match(ana.text, /Identificado/);
    assert.equal(ana.headers['List-Unsubscribe'], '<https://status.acme.example/unsubscribe?a=ana%40example.com>');
    assert.equal(ana.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(cy.html, /&lt;!channel&gt;/, 'HTML is escaped');
    assert.doesNotMatch(cy.text, /ana@example\.com/, 'no one sees another subscriber');
    assert.notEqual(ana.messageId, cy.messageId);
  });
});

describe('routing', () => {
  const team = parse({ id: 'team', kind: 'slack', url: 'https://hooks.slack.com/x' });
  const subs = parse({ id: 'subs', kind: 'statuspage-webhook', subscribers: '${{ env.X }}' });
  it('subscribers never hear what the page does not show, whatever their events say', () => {
    assert.ok(routes(team, down));
    assert.ok(!routes(subs, down));
    assert.ok(!routes(parse({ id: 'subs2', kind: 'statuspage-webhook', subscribers: '${{ env.X }}', events: ['check.down', 'incident.*'] }), down));
    assert.ok(routes(subs, updated));
    assert.ok(!routes(subs, { ...updated, kind: 'incident.drafted', public: false }));
  });
  it('by component and by least severity; a resolve reaches whoever heard its start', () => {
    const onlyWeb = parse({ id: 'w', kind: 'slack', url: 'https://x', components: ['web'] });
    assert.ok(!routes(onlyWeb, down));
    const majorUp = parse({ id: 'm', kind: 'slack', url: 'https://x', severity: 'major' });
    assert.ok(routes(majorUp, down));
    assert.ok(!routes(majorUp, { ...down, severity: 'minor' }));
    assert.ok(routes(majorUp, resolved));
  });
  it('by instance: a channel of EU instances hears their events and those about every instance, not NA1’s', () => {
    const eu = parse({ id: 'eu', kind: 'slack', url: 'https://x', instances: ['eu1', 'eu2'] });
    assert.ok(routes(eu, { ...down, instances: ['eu2'] }));
    assert.ok(!routes(eu, { ...down, instances: ['na1'] }));
    assert.ok(routes(eu, down), 'an event naming no instance is about all of them');
    assert.ok(routes(team, { ...down, instances: ['na1'] }), 'a channel naming no instance hears every one');
  });
  it('event families: incident.* is every incident kind and nothing else', () => {
    const c = parse({ id: 'i', kind: 'slack', url: 'https://x', events: ['incident.*'] });
    assert.ok(routes(c, updated));
    assert.ok(!routes(c, down));
    assert.throws(() => parse({ id: 'i', kind: 'slack', url: 'https://x', events: ['incidnt.*'] }), /expected an event kind/);
  });
});
