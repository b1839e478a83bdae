/** Slack incoming webhooks: `text` for notifications, blocks for the message (Slack's Block Kit). */
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

const icon = { info: ':white_check_mark:', minor: ':large_yellow_circle:', major: ':large_orange_circle:', critical: ':red_circle:' } as const;

/** Slack's mrkdwn treats &, < and > as control characters: escaped, everything else is text. */
const mrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack refuses a section text over 3,000 characters: cut, never inside an escape. */
const SECTION_MAX = 3000;
const fit = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`);

export const slack: Sink<Extract<Channel, { kind: 'slack' }>> = (event, channel, ctx) => {
  const link = linkOf(event, ctx);
  const lines = [
    `${icon[event.severity]} *${mrkdwn(event.title)}*`,
    mrkdwn(event.text),
    ...(event.technical ? [`\`${mrkdwn(event.technical).replace(/`/g, "'")}\``] : []),
  ];
  const body = {
    // The notification text is mrkdwn too: `<!channel>` in a title would ping everyone.
    text: mrkdwn(`${event.title} — ${ctx.site.vendor}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: fit(lines.join('\n'), SECTION_MAX) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${link}|${mrkdwn(ctx.site.title).replace(/\|/g, '¦')}> · ${event.kind} · ${event.at}` }] },
    ],
  };
  return [{ http: { url: channel.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } }];
};
