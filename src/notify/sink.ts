/**
 * What every channel is: a plain function from an event (and the channel, its secrets filled in)
 * to the messages to send. Sending is another step (deliver.ts): a sink never touches the network.
 */
import type { NotifyEvent } from '../status/events.ts';
import type { Channel } from './schema.ts';

/** One message: an HTTP request, or a mail. `recipient` keys the ledger for fan-out channels (a hash, never an address). */
export type Outgoing = {
  recipient?: string;
  http?: { url: string; headers: Record<string, string>; body: string };
  mail?: { smtp: string; message: MailMessage };
};

export type MailMessage = { from: string; to: string[]; subject: string; text: string; html: string; headers: Record<string, string>; messageId: string };

/** A subscriber, from the channel's secret or private URL. */
export type Recipient = { address: string; components?: string[]; language?: string; key: string };

export type SinkContext = {
  site: { title: string; vendor: string; language: string; timeZone: string };
  /** A component's name, by id. */
  componentName: (id: string) => string;
  /**
   * The vendor's text in a subscriber's language (site.yml's and maintenance.yml's `translations`),
   * falling back to the text as written; absent: as written. An incident's own translations travel in the event.
   */
  textsIn?: (lang: string) => VendorTexts;
  /** An absolute address on the published page. */
  pageUrl: (path?: string) => string;
  /** Statuspage's page object and status, for subscriber webhooks. */
  page: { id: string; status_indicator: string; status_description: string };
  lang: string;
  now: Date;
  /** Subscribers of a subscriber channel. */
  recipients: Recipient[];
};

/** A component's name and a maintenance window's title and description (by window id) in one language. */
export type VendorTexts = {
  componentName: (id: string) => string;
  maintenance: (windowId: string) => { title?: string; description?: string } | undefined;
};

export type Sink<C extends Channel = Channel> = (event: NotifyEvent, channel: C, ctx: SinkContext) => Outgoing[];

export const json = (body: unknown) => ({ 'content-type': 'application/json' as const, body: JSON.stringify(body) });

/** The event's link on the page, if it has one. */
export const linkOf = (event: NotifyEvent, ctx: SinkContext) => ctx.pageUrl(event.path ?? '');
