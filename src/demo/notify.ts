/**
 * The demo's notifications: a webhook receiver and an SMTP inbox on loopback, and a notify.yml
 * that sends the team's alerts (signed webhook, email) and the subscribers' messages (email,
 * Statuspage-format webhooks) to them. What arrives is printed, one line per message, as the
 * vendor's team and a subscriber would see it arrive.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Io } from '../cli/io.ts';

export type DemoNotify = { env: Record<string, string>; close: () => Promise<void> };

const NOTIFY_YML = `# Written by \`upkeep demo\`: every channel points at the demo's own receivers on 127.0.0.1.
channels:
  - id: team-webhook
    kind: webhook
    url: \${{ env.DEMO_HOOK_URL }}/team
    secret: \${{ env.DEMO_HOOK_SECRET }}
  - id: team-mail
    kind: email
    smtp: \${{ env.DEMO_SMTP_URL }}
    from: "Demo CRM status <status@demo-crm.example>"
    to: oncall@demo-crm.example
  - id: subscribers-mail
    kind: subscriber-email
    smtp: \${{ env.DEMO_SMTP_URL }}
    from: "Demo CRM status <status@demo-crm.example>"
    subscribers: \${{ env.DEMO_SUBSCRIBERS }}
  - id: subscribers-hooks
    kind: statuspage-webhook
    subscribers: \${{ env.DEMO_SUBSCRIBER_HOOKS }}
    allow_private: [127.0.0.1]
`;

/** Starts the receivers and writes notify.yml into the demo's checks. */
export async function startDemoNotify(checks: string, io: Io): Promise<DemoNotify> {
  const secret = randomBytes(16).toString('hex');
  const hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      res.end('ok');
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(body);
      } catch {}
      if (req.url === '/team') {
        // The receiver checks the signature as the README tells vendors to.
        const sig = String(req.headers['upkeep-signature'] ?? '');
        const t = /t=(\d+)/.exec(sig)?.[1] ?? '';
        const ok = sig.includes(`v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
        io.out(`demo: ⇢ team webhook (${ok ? 'signature ok' : 'BAD SIGNATURE'}): [${payload.kind}] ${payload.title}`);
      } else {
        const what =
          (payload.incident as { name?: string; status?: string } | undefined) ?? (payload.component as { name?: string; status?: string } | undefined);
        io.out(`demo: ⇢ subscriber webhook ${req.url}: ${what ? `${what.name}: ${what.status}` : 'test'}`);
      }
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;

  let closeInbox = async () => {};
  let smtpUrl = 'smtp://127.0.0.1:9';
  try {
    // smtp-server and mailparser are development dependencies: a checkout has them.
    const [{ SMTPServer }, { simpleParser }] = await Promise.all([import('smtp-server'), import('mailparser')]);
    const inbox = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((mail) => {
            const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
            io.out(`demo: ✉ to ${to}: ${mail.subject}${mail.headers.has('list-unsubscribe') ? ' (with an unsubscribe link)' : ''}`);
            cb();
          })
          .catch(cb);
      },
    });
    await new Promise<void>((r) => inbox.listen(0, '127.0.0.1', r));
    smtpUrl = `smtp://127.0.0.1:${(inbox.server.address() as AddressInfo).port}`;
    closeInbox = () => new Promise<void>((r) => inbox.close(() => r()));
  } catch {
    io.out('demo: no SMTP inbox (npm install the development dependencies to see the mail)');
  }
  await writeFile(join(checks, 'notify.yml'), NOTIFY_YML);
  io.out(`demo: notifications go to a webhook receiver at ${hookUrl} and an SMTP inbox at ${smtpUrl}; each message is printed here`);
  return {
    env: {
      DEMO_HOOK_URL: hookUrl,
      DEMO_HOOK_SECRET: secret,
      DEMO_SMTP_URL: smtpUrl,
      DEMO_SUBSCRIBERS: 'ana@customer.example\nbo@customer.example: api',
      DEMO_SUBSCRIBER_HOOKS: `${hookUrl}/subscriber/pipewell`,
    },
    close: async () => {
      await closeInbox();
      await new Promise<void>((r) => hooks.close(() => r()));
    },
  };
}
