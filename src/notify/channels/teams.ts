/** Microsoft Teams Workflows webhooks: a message with one Adaptive Card (schema 1.4). */
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

const colour = { info: 'Good', minor: 'Warning', major: 'Warning', critical: 'Attention' } as const;

export const teams: Sink<Extract<Channel, { kind: 'teams' }>> = (event, channel, ctx) => {
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      { type: 'TextBlock', text: event.title, weight: 'Bolder', size: 'Medium', wrap: true, color: colour[event.severity] },
      { type: 'TextBlock', text: event.text, wrap: true },
      ...(event.technical ? [{ type: 'TextBlock', text: event.technical, wrap: true, fontType: 'Monospace', isSubtle: true }] : []),
      {
        type: 'FactSet',
        facts: [
          { title: 'Event', value: event.kind },
          { title: 'At', value: event.at },
        ],
      },
    ],
    actions: [{ type: 'Action.OpenUrl', title: ctx.site.title, url: linkOf(event, ctx) }],
  };
  const body = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
  return [{ http: { url: channel.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } }];
};
