/** Every channel kind and the sink that speaks its format. Adding a channel: one file here and one row. */
import type { Channel, ChannelKind } from '../schema.ts';
import type { Sink } from '../sink.ts';
import { discord } from './discord.ts';
import { email } from './email.ts';
import { pagerduty } from './pagerduty.ts';
import { slack } from './slack.ts';
import { statuspageWebhook } from './statuspage-webhook.ts';
import { subscriberEmail } from './subscriber-email.ts';
import { teams } from './teams.ts';
import { webhook } from './webhook.ts';

export const sinks = {
  slack,
  teams,
  discord,
  webhook,
  pagerduty,
  email,
  'subscriber-email': subscriberEmail,
  'statuspage-webhook': statuspageWebhook,
} satisfies { [K in ChannelKind]: Sink<Extract<Channel, { kind: K }>> };
