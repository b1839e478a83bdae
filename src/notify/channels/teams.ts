/** Microsoft Teams Workflows webhooks: a message with one Adaptive Card (schema 1.4). */
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

const colour = { info: 'Good', minor: 'Warning', major: 'Warning', critical: 'Attention' } as const;

const plain = (run: Record<string, unknown> & { text: string }) => ({ type: 'RichTextBlock', inlines: [{ type: 'TextRun', ...run }] });

export const teams: Sink<Extract<Channel, { kind: 'teams' }>> = (event, channel, ctx) => {
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    // RichTextBlock's TextRuns are plain text: a TextBlock would render Markdown, links included.
    body: [
      plain({ text: event.title, weight: 'Bolder', size: 'Medium', color: colour[event.severity] }),
      plain({ text: event.text }),
      ...(event.technical ? [plain({ text: event.technical, fontType: 'Monospace', isSubtle: true })] : []),
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
