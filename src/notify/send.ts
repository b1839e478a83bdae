/**
 * Sending one message: an HTTP POST (undici) or a mail (nodemailer over SMTP), with a timeout per
 * try, further tries with back-off, and 429's Retry-After honoured. What comes back is a word for
 * the ledger and the log (`http 500`, `timeout`), never the response, the address or the error's own
 * text, which can carry either.
 */
import { isIP } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { Agent, request } from 'undici';
import { guardedLookup, PrivateTargetError, type TargetGuard } from '../probes/guard.ts';
import type { MailMessage, Outgoing } from './sink.ts';

export type Attempt =
  | { ok: true }
  | {
      ok: false;
      why: string;
      /** Trying again in this run will not help (a 400, a refused address). */
      permanent: boolean;
      /** The channel itself is unreachable (no connection, timeout): its other messages wait for the next run. */
      down: boolean;
      retryAfterMs?: number;
    };

export type SendOptions = {
  timeoutMs: number;
  retries: number;
  /** Stop waiting (for back-off or Retry-After) past this time. */
  deadline: number;
  /** Tests shorten back-off. */
  waitScale?: number;
  guard?: TargetGuard;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

const errorCode = (error: unknown): string => {
  const e = error as { code?: string; name?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code ?? e.name ?? 'error';
};

/** An error as a word: the code, never the message (a message can quote the address). */
function networkWhy(error: unknown): Exclude<Attempt, { ok: true }> {
  if (error instanceof PrivateTargetError || (error as { cause?: unknown }).cause instanceof PrivateTargetError)
    return { ok: false, why: 'private address refused', permanent: true, down: false };
  const code = errorCode(error);
  const timeout = /TIMEOUT|TimeoutError|AbortError|ETIMEDOUT/i.test(code);
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'unknown host',
    UND_ERR_SOCKET: 'connection reset',
  };
  return { ok: false, why: timeout ? 'timeout' : (words[code] ?? code.toLowerCase().replace(/^und_err_/, '')), permanent: false, down: true };
}

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). */
export function smtpOptions(url: string) {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('the mail server address must start with smtp:// or smtps://');
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
  };
}

export type Sender = {
  send(message: Outgoing, opts: SendOptions): Promise<Attempt>;
  close(): Promise<void>;
};

/** One sender per delivery run: connections are reused across messages, and closed at the end. */
export function sender(): Sender {
  // One pool per guard: a pool connects by its guard's rules, so two channels' allow-lists never mix.
  const agents = new Map<TargetGuard | 'open', Agent>();
  const transports = new Map<string, Transporter>();
  const agentFor = (opts: SendOptions, key: TargetGuard | 'open') => {
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: opts.timeoutMs, ...(opts.guard ? { lookup: guardedLookup(opts.guard) } : {}) },
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        connections: 8,
      });
      agents.set(key, agent);
    }
    return agent;
  };
  const transportFor = (smtp: string, opts: SendOptions) => {
    let t = transports.get(smtp);
    if (!t) {
      t = nodemailer.createTransport({
        ...smtpOptions(smtp),
        pool: true,
        maxConnections: 3,
        connectionTimeout: opts.timeoutMs,
        greetingTimeout: opts.timeoutMs,
        socketTimeout: opts.timeoutMs,
      });
      transports.set(smtp, t);
    }
    return t;
  };

  async function once(message: Outgoing, opts: SendOptions): Promise<Attempt> {
    if (message.http) {
      const { url, headers, body } = message.http;
      try {
        // A literal address connects without a lookup, so the guard's lookup would not see it.
        const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
        if (opts.guard && isIP(host) && opts.guard.refuse(host, host)) return { ok: false, why: 'private address refused', permanent: true, down: false };
        const res = await request(url, {
          method: 'POST',
          headers: { 'user-agent': 'Upkeep (status page notifications)', ...headers },
          body,
          dispatcher: agentFor(opts, opts.guard ?? 'open'),
          signal: AbortSignal.timeout(opts.timeoutMs * 2),
        });
        // The answer is not read: it is the receiver's, and it never goes anywhere.
        await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
        const status = res.statusCode;
        if (status >= 200 && status < 300) return { ok: true };
        const retryAfter = status === 429 || status === 503 ? retryAfterMs(res.headers['retry-after']) : undefined;
        return {
          ok: false,
          why: `http ${status}`,
          permanent: status < 500 && status !== 408 && status !== 429,
          down: false,
          ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
        };
      } catch (error) {
        return networkWhy(error);
      }
    }
    if (message.mail) {
      const m: MailMessage = message.mail.message;
      try {
        await transportFor(message.mail.smtp, opts).sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          headers: m.headers,
          messageId: m.messageId,
        });
        return { ok: true };
      } catch (error) {
        const e = error as { responseCode?: number; code?: string };
        if (e.code === 'EAUTH') return { ok: false, why: 'smtp authentication failed', permanent: true, down: true };
        if (e.responseCode) return { ok: false, why: `smtp ${e.responseCode}`, permanent: e.responseCode >= 500, down: false };
        return networkWhy(error);
      }
    }
    return { ok: false, why: 'nothing to send', permanent: true, down: false };
  }

  return {
    async send(message, opts) {
      const scale = opts.waitScale ?? 1;
      let last: Attempt = { ok: false, why: 'not tried', permanent: false, down: false };
      for (let attempt = 0; attempt <= opts.retries; attempt++) {
        last = await once(message, opts);
        if (last.ok || last.permanent) return last;
        const wait = last.retryAfterMs ?? 1000 * 2 ** attempt * (0.75 + Math.random() / 2);
        // A Retry-After past the run's time is kept for the next run rather than waited out here.
        if (attempt === opts.retries || Date.now() + wait * scale > opts.deadline) return last;
        await sleep(wait * scale);
      }
      return last;
    },
    async close() {
      for (const t of transports.values()) t.close();
      await Promise.all([...agents.values()].map((a) => a.close().catch(() => {})));
    },
  };
}
