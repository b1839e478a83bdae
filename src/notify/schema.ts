/**
 * `checks/notify.yml`: where events go. Team channels (Slack, Teams, Discord, PagerDuty, a signed
 * webhook, email) hear everything they route; subscriber channels (email per component, webhooks in
 * Statuspage's format) hear only what the page itself shows: incidents, maintenance and component
 * status, never a reason or a response. Addresses and URLs come from secrets (`${{ env.NAME }}`).
 */
import { z } from 'zod';
import { durationIn, id, show } from '../config/fields.ts';
import { isAllowEntry, supportedLanguages } from '../config/schema.ts';
import { eventKinds, severities } from '../status/vocabulary.ts';

export { eventKinds, publicKinds, severities, type EventKind, type Severity } from '../status/vocabulary.ts';

/** An event kind, or a family of them: `incident.*`. */
const eventPattern = z
  .string()
  .refine((p) => (p.endsWith('.*') ? eventKinds.some((k) => k.startsWith(p.slice(0, -1))) : (eventKinds as readonly string[]).includes(p)), {
    error: (iss) => `expected an event kind (${eventKinds.join(', ')}) or a family such as "incident.*", got ${show(iss.input)}`,
  });

/** A secret reference, or a value that is not secret (a team email address can be either). */
const text = z.string().min(1);
const secretUrl = text.describe('An address from a secret, e.g. `${{ env.SLACK_WEBHOOK_URL }}` (webhook URLs carry their own key).');

const routing = {
  id: id.describe('Stable name of the channel: the ledger and the logs use it (never its address).'),
  events: z.array(eventPattern).optional().describe('Event kinds it hears; `incident.*` for a family. Default: every kind its audience may hear.'),
  components: z.array(id).optional().describe('Components it hears about; default all.'),
  instances: z.array(id).optional().describe('Instances it hears about (site.yml `instances`); default all. Events about every instance reach it too.'),
  severity: z.enum(severities).default('info').describe('The least severe event it hears: info, minor, major or critical.'),
  language: z.enum(supportedLanguages).optional().describe("Language of its messages; the page's default when absent."),
};

const webhookLike = { url: secretUrl };

export const slackChannel = z.strictObject({ ...routing, kind: z.literal('slack').describe('A Slack incoming webhook.'), ...webhookLike });
export const teamsChannel = z.strictObject({
  ...routing,
  kind: z.literal('teams').describe('A Microsoft Teams Workflows webhook (an Adaptive Card).'),
  ...webhookLike,
});
export const discordChannel = z.strictObject({ ...routing, kind: z.literal('discord').describe('A Discord channel webhook.'), ...webhookLike });
export const webhookChannel = z.strictObject({
  ...routing,
  kind: z.literal('webhook').describe('A generic JSON webhook, signed (HMAC-SHA256) and with an idempotency key.'),
  ...webhookLike,
  secret: text.describe('The signing key (`${{ env.NAME }}`): at least 16 characters.'),
});
export const pagerdutyChannel = z.strictObject({
  ...routing,
  kind: z.literal('pagerduty').describe('PagerDuty Events API v2: trigger and resolve, deduplicated by incident or check.'),
  routing_key: text.describe("The service's integration key (`${{ env.PAGERDUTY_ROUTING_KEY }}`)."),
  url: z.string().default('https://events.pagerduty.com/v2/enqueue').describe("The Events API address (PagerDuty's own unless you proxy it)."),
});
const smtp = {
  smtp: text.describe('The mail server, as a URL from a secret: `${{ env.SMTP_URL }}` (smtps://user:pass@mail.example:465).'),
  from: text.describe('The sender address, e.g. "Acme status <status@acme.example>".'),
};
export const emailChannel = z.strictObject({
  ...routing,
  kind: z.literal('email').describe('Email to the team over SMTP.'),
  ...smtp,
  to: z.union([text, z.array(text).min(1)]).describe('Recipients: addresses, or a secret holding them (comma or line separated).'),
});
const subscribers = {
  subscribers: text
    .optional()
    .describe(
      'Who subscribed, from a secret (never committed): lines of `address` or `address: component, component` (no components: all), or JSON [{ "address", "components", "language" }].',
    ),
  subscribers_url: text
    .optional()
    .describe('Instead of `subscribers`: a private address (from a secret) that answers that list, fetched when there is something to send.'),
  unsubscribe: z
    .string()
    .refine((u) => /^(https?:\/\/|mailto:)/i.test(u.trim()), {
      error: (iss) => `expected an https:// or mailto: address (with {address} in it), got ${show(iss.input)}`,
    })
    .optional()
    .describe('Where to unsubscribe: a URL or mailto with `{address}` in it; it goes in every message and its List-Unsubscribe header.'),
};
export const subscriberEmailChannel = z.strictObject({
  ...routing,
  kind: z.literal('subscriber-email').describe("Email to subscribers, per component, in the page's language: incidents and maintenance only."),
  ...smtp,
  ...subscribers,
});
export const subscriberWebhookChannel = z.strictObject({
  ...routing,
  kind: z.literal('statuspage-webhook').describe("Webhooks to subscribers in Atlassian Statuspage's format: incidents, maintenance and component status only."),
  ...subscribers,
  allow_private: z
    .array(z.string().refine(isAllowEntry, { error: (iss) => `expected an address, a network such as "10.20.0.0/16", or a host name, got ${show(iss.input)}` }))
    .default([])
    .describe(
      'Subscriber addresses on private networks it may post to (addresses, networks such as 10.0.0.0/8, host names); others are refused, so a subscriber cannot aim it inward.',
    ),
});

export const channel = z.discriminatedUnion('kind', [
  slackChannel,
  teamsChannel,
  discordChannel,
  webhookChannel,
  pagerdutyChannel,
  emailChannel,
  subscriberEmailChannel,
  subscriberWebhookChannel,
]);

export type Channel = z.output<typeof channel>;
export type ChannelKind = Channel['kind'];

/** Kinds whose audience is the public (subscribers), not the team. */
export const subscriberKinds: readonly ChannelKind[] = ['subscriber-email', 'statuspage-webhook'];

export const notifyFile = z.strictObject({
  channels: z.array(channel).default([]).describe('Where events go: the team channels and the subscriber channels.'),
  delivery: z
    .strictObject({
      timeout: durationIn('1s', '2m').prefault('10s').describe('Per request.'),
      retries: z.number().int().min(0).max(5).default(2).describe('Further tries of a request that failed in one run (429 waits as it is told).'),
      retry_for: durationIn('10m', '30d').prefault('24h').describe('An event not delivered for this long is given up on, and reported.'),
      lease: durationIn('1s', '1h').prefault('10m').describe('How long a claim by a run that died holds before another run takes the event over.'),
      stale_after: z.number().int().min(2).max(100).default(3).describe('Monitoring is stale after this many intervals without a new sample.'),
    })
    .prefault({})
    .describe('How delivery behaves.'),
});

export type NotifyFile = z.output<typeof notifyFile>;
