/**
 * Real receivers for notifications, on loopback: an HTTP endpoint that records what is posted (and
 * can be told to fail, hang or ask to slow down), and an SMTP inbox (smtp-server) whose mail is
 * parsed with mailparser, as a mail client would.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { httpServer } from './servers.ts';

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; json: unknown; at: number };

/**
 * `answer` decides each response: a status, `'hang'` (never answers), `'reset'` (drops the
 * connection); default 200. A request counts as delivered only once it was answered 2xx.
 */
export async function webhookReceiver(
  answer: (r: Received, n: number) => number | 'hang' | 'reset' | { status: number; headers: Record<string, string> } = () => 200,
) {
  const all: Received[] = [];
  const delivered: Received[] = [];
  const { url, server } = await httpServer((req, res: ServerResponse) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {}
      const r: Received = { path: req.url ?? '/', headers: req.headers, body, json, at: Date.now() };
      all.push(r);
      const a = answer(r, all.length);
      if (a === 'hang') return;
      if (a === 'reset') return void req.socket.destroy();
      const status = typeof a === 'number' ? a : a.status;
      res.writeHead(status, typeof a === 'number' ? {} : a.headers);
      res.end(status < 300 ? 'ok' : 'no');
      if (status >= 200 && status < 300) delivered.push(r);
    });
  });
  return { url, server, all, delivered };
}

export type Inbox = { port: number; url: string; mail: ParsedMail[]; envelopes: { from: string; to: string[] }[]; close: () => Promise<void> };

/** An SMTP server on 127.0.0.1 (no TLS; `user`/`pass` required when given); every accepted message is parsed. */
export async function smtpInbox(opts: { user?: string; pass?: string; reject?: (to: string) => number | undefined } = {}): Promise<Inbox> {
  const mail: ParsedMail[] = [];
  const envelopes: { from: string; to: string[] }[] = [];
  const server = new SMTPServer({
    disabledCommands: opts.user ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.user,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === opts.user && auth.password === opts.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, cb) {
      const code = opts.reject?.(address.address);
      if (code) {
        const e = new Error('mailbox unavailable') as Error & { responseCode: number };
        e.responseCode = code;
        return cb(e);
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((parsed) => {
          mail.push(parsed);
          envelopes.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  after(close);
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.pass ?? '')}@` : '';
  return { port, url: `smtp://${auth}127.0.0.1:${port}`, mail, envelopes, close };
}
