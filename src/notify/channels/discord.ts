/** Discord channel webhooks: one embed per event; mentions are switched off (`allowed_mentions`). */
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

const colour = { info: 0x15803d, minor: 0xb45309, major: 0xc2410c, critical: 0xb91c1c } as const;

export const discord: Sink<Extract<Channel, { kind: 'discord' }>> = (event, channel, ctx) => {
  const body = {
    username: ctx.site.vendor.slice(0, 80),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: event.title.slice(0, 256),
        description: [event.text, ...(event.technical ? [`\`\`\`\n${event.technical.replace(/`/g, "'")}\n\`\`\``] : [])].join('\n\n').slice(0, 4000),
        url: linkOf(event, ctx),
        color: colour[event.severity],
        timestamp: event.at,
        footer: { text: event.kind },
      },
    ],
  };
  const url = new URL(channel.url);
  url.searchParams.set('wait', 'true');
  return [{ http: { url: url.href, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } }];
};
