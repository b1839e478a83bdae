/** Email to the team over SMTP: one message per event to every address of the channel. */
import { createHash } from 'node:crypto';
import type { Channel } from '../schema.ts';
import type { MailMessage, SinkContext, Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { NotifyEvent } from '../../status/events.ts';

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable Message-ID: a mail client shows a retried message once. */
export const messageId = (parts: string[]) => `<${createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32)}@upkeep.invalid>`;

/** Addresses from a list, or from a secret holding them comma or line separated. */
export const addresses = (to: string | string[]) =>
  (Array.isArray(to) ? to : [to])
    .flatMap((s) => s.split(/[\n,;]+/))
    .map((s) => s.trim())
    .filter(Boolean);

export function teamMail(event: NotifyEvent, ctx: SinkContext, from: string, to: string[], key: string): MailMessage {
  const link = linkOf(event, ctx);
  const text = [event.text, ...(event.technical ? ['', `Technical: ${event.technical}`] : []), '', `${event.kind} · ${event.at}`, link].join('\n');
  const html = `<p><strong>${escapeHtml(event.title)}</strong></p><p>${escapeHtml(event.text).replace(/\n/g, '<br>')}</p>${event.technical ? `<pre>${escapeHtml(event.technical)}</pre>` : ''}<p><small>${escapeHtml(event.kind)} · ${escapeHtml(event.at)} · <a href="${escapeHtml(link)}">${escapeHtml(ctx.site.title)}</a></small></p>`;
  return {
    from,
    to,
    subject: `[${ctx.site.vendor}] ${event.title}`,
    text,
    html,
    headers: { 'X-Upkeep-Event': event.kind },
    messageId: messageId([key, event.id]),
  };
}

export const email: Sink<Extract<Channel, { kind: 'email' }>> = (event, channel, ctx) => [
  { mail: { smtp: channel.smtp, message: teamMail(event, ctx, channel.from, addresses(channel.to), channel.id) } },
];
