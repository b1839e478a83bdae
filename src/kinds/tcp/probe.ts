import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { reasonOf } from '../../probes/errors.ts';
import { readCheckFile } from '../../probes/files.ts';
import { guardedLookup, refuseLiteral } from '../../probes/guard.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';
import type { TcpMeasurement } from '../../status/measurement.ts';
import type { TcpCheck } from './schema.ts';

type Measured = Omit<TcpMeasurement, 'kind'>;

/** The first line is read up to this much; the sample's message is cut later, after redaction. */
const MAX_REPLY = 64 * 1024;

/**
 * Connects (optionally over TLS), optionally sends a line, and reads the first line back when the
 * check wants a reply. Latency is connect (and handshake), plus the reply when one is read.
 */
export const tcp: Probe<TcpCheck, TcpMeasurement> = async (check, ctx) => ({ kind: 'tcp', ...(await measure(check, ctx)) });

async function measure(check: TcpCheck, ctx: ProbeContext): Promise<Measured> {
  const refused = ctx.guard && refuseLiteral(ctx.guard, check.host);
  if (refused) return { latencyMs: 0, error: { reason: 'private_target', message: refused, public: refused } };
  let ca: string[] | undefined;
  try {
    ca = check.tls && check.ca_file ? [...rootCertificates, await readCheckFile(ctx.checksDir ?? '.', check.ca_file, { untrusted: !!ctx.guard })] : undefined;
  } catch (error) {
    const message = (error as Error).message;
    return { latencyMs: 0, error: { reason: 'check_file', message, public: message } };
  }
  return new Promise<Measured>((resolve) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const wantsReply = check.send !== undefined || check.expect.reply_prefix !== undefined;
    const phases: { dns?: number; connect?: number; tls?: number } = {};
    let settled = false;
    let socket: Socket;
    const finish = (result: Parameters<typeof resolve>[0]) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const fail = (reason: string, message: string, publicMessage?: string) =>
      finish({ latencyMs: elapsed(), phases, error: { reason, message, ...(publicMessage ? { public: publicMessage } : {}) } });
    const timer = setTimeout(() => {
      const message = `no ${wantsReply ? 'reply' : 'connection'} within ${ctx.timeoutMs} ms`;
      fail('timeout', message, message);
    }, ctx.timeoutMs);

    const options = { host: check.host, port: Number(check.port), ...(ctx.guard ? { lookup: guardedLookup(ctx.guard) } : {}) };
    socket = check.tls
      ? tlsConnect({
          ...options,
          servername: isIp(check.host) ? undefined : check.host,
          ...(ca ? { ca } : {}),
          ...(check.cert && check.key ? { cert: check.cert, key: check.key } : {}),
        })
      : netConnect(options);
    let mark = started;
    const lap = () => {
      const now = performance.now();
      const ms = Math.round(now - mark);
      mark = now;
      return ms;
    };
    socket.once('lookup', () => (phases.dns = lap()));
    socket.once('connect', () => {
      phases.dns ??= 0;
      phases.connect = lap();
    });
    socket.once(check.tls ? 'secureConnect' : 'connect', () => {
      if (check.tls) phases.tls = lap();
      if (check.send !== undefined) socket.write(/\r?\n$/.test(check.send) ? check.send : `${check.send}\r\n`);
      if (!wantsReply) finish({ latencyMs: elapsed(), phases, tcp: {} });
    });
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline >= 0 || buffered.length >= MAX_REPLY) {
        const reply = buffered.slice(0, newline >= 0 ? newline : MAX_REPLY).replace(/\r$/, '');
        finish({ latencyMs: elapsed(), phases, tcp: { reply } });
      }
    });
    socket.once('end', () => {
      if (wantsReply) {
        if (buffered) finish({ latencyMs: elapsed(), phases, tcp: { reply: buffered.slice(0, MAX_REPLY).replace(/\r?\n?$/, '') } });
        else fail('econnreset', 'the server closed the connection without a reply', 'the server closed the connection without a reply');
      }
    });
    socket.once('error', (error) => {
      const { reason, message } = reasonOf(error);
      fail(reason, message);
    });
  });
}

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');
