/**
 * Email to subscribers: one message per subscriber, for the components they chose, in their
 * language (else the channel's, else the page's), plain text and HTML, with a List-Unsubscribe
 * header. Only what the page shows: the incident's own words, never a reason or a response. The
 * vendor's text (incident title and message, window title and description, component names) is in
 * the subscriber's language where the vendor translated it, else as written, as on the page.
 */
import { translator } from '../../i18n/index.ts';
import { formatDateTime, zoneName } from '../../text/format.ts';
import { markdownToText } from '../../text/render.ts';
import { byTime } from '../../status/incidents.ts';
import type { NotifyEvent } from '../../status/events.ts';
import type { Channel } from '../schema.ts';
import type { Outgoing, Recipient, Sink, SinkContext } from '../sink.ts';
import { linkOf } from '../sink.ts';
import { escapeHtml, messageId } from './email.ts';

/** Whether a subscriber wants this event (no components chosen: all). */
export const wants = (r: Recipient, event: NotifyEvent) =>
  !r.components?.length || event.components.length === 0 || event.components.some((c) => r.components!.includes(c));

/** The subscriber's own unsubscribe address. */
export const unsubscribeFor = (template: string | undefined, r: Recipient) => template?.replace(/\{address\}/g, encodeURIComponent(r.address));

/** An incident published after review opens with what it said by then. */
const latestBy = <U extends { at: string }>(updates: readonly U[], at: string) =>
  byTime(updates)
    .filter((u) => Date.parse(u.at) <= Date.parse(at))
    .at(-1) ?? byTime(updates)[0];

/** The event's incident and window with the vendor's text in `lang`, each text falling back to the one written. */
function inLanguage(event: NotifyEvent, ctx: SinkContext, lang: string) {
  const texts = ctx.textsIn?.(lang);
  const m = event.maintenance && { ...event.maintenance, ...defined(texts?.maintenance(event.maintenance.windowId)) };
  const raw = event.incident;
  const i = raw && {
    ...raw,
    title: raw.translations?.[lang]?.title ?? raw.title,
    updates: raw.updates.map((u) => ({ ...u, message: u.translations?.[lang]?.message ?? u.message })),
  };
  return { m, i, componentName: texts?.componentName ?? ctx.componentName };
}

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

export function subscriberWords(event: NotifyEvent, ctx: SinkContext, lang: string): { subject: string; lines: string[] } {
  const t = translator(lang);
  const { m, i, componentName } = inLanguage(event, ctx, lang);
  const update = i?.updates.find((u) => u.at === event.at);
  const title = m
    ? t(
        event.kind === 'maintenance.scheduled'
          ? 'notify.maintenanceScheduled'
          : event.kind === 'maintenance.started'
            ? 'notify.maintenanceStarted'
            : 'notify.maintenanceCompleted',
        {
          title: m.title,
        },
      )
    : i
      ? event.kind === 'incident.opened'
        ? t('notify.incidentNew', { title: i.title })
        : `${t(`incident.${update?.status ?? i.status}`)}: ${i.title}`
      : event.title;
  const when = (iso: string) => `${formatDateTime(iso, lang, ctx.site.timeZone)} (${zoneName(iso, lang, ctx.site.timeZone)})`;
  const body = m
    ? [t('maintenance.when', { start: when(m.start), end: when(m.end) }), ...(m.description ? ['', markdownToText(m.description)] : [])]
    : i
      ? [markdownToText(event.kind === 'incident.opened' ? latestBy(i.updates, event.at).message : (update?.message ?? event.text))]
      : [event.text];
  const lines = [title, '', ...body];
  if (event.components.length) lines.push('', t('notify.affected', { components: event.components.map(componentName).join(', ') }));
  lines.push('', t('notify.readMore', { url: linkOf(event, ctx) }));
  return { subject: t('notify.subject', { vendor: ctx.site.vendor, title }), lines };
}

export const subscriberEmail: Sink<Extract<Channel, { kind: 'subscriber-email' }>> = (event, channel, ctx) => {
  const out: Outgoing[] = [];
  for (const r of ctx.recipients) {
    if (!wants(r, event)) continue;
    const lang = r.language ?? channel.language ?? ctx.lang;
    const t = translator(lang);
    const { subject, lines } = subscriberWords(event, ctx, lang);
    const unsubscribe = unsubscribeFor(channel.unsubscribe, r);
    const footer = [t('notify.why', { vendor: ctx.site.vendor }), ...(unsubscribe ? [t('notify.unsubscribe', { url: unsubscribe })] : [])];
    const text = [...lines, '', '--', ...footer].join('\n');
    const html = `<div lang="${escapeHtml(lang)}">${lines.map((l, i) => (l === '' ? '' : i === 0 ? `<p><strong>${escapeHtml(l)}</strong></p>` : `<p>${escapeHtml(l).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>')}</p>`)).join('')}<hr><p><small>${footer.map((l) => escapeHtml(l).replace(/(https?:\/\/\S+|mailto:\S+)/g, '<a href="$1">$1</a>')).join('<br>')}</small></p></div>`;
    out.push({
      recipient: r.key,
      mail: {
        smtp: channel.smtp,
        message: {
          from: channel.from,
          to: [r.address],
          subject,
          text,
          html,
          headers: {
            ...(unsubscribe
              ? { 'List-Unsubscribe': `<${unsubscribe}>`, ...(unsubscribe.startsWith('http') ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}) }
              : {}),
            'Content-Language': lang,
          },
          messageId: messageId([channel.id, event.id, r.key]),
        },
      },
    });
  }
  return out;
};
