import { connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { oneLine, reasonOf } from './errors.ts';
import type { Probe } from './types.ts';

const MAX_REPLY = 1024;

/**
 * Connects (optionally over TLS), optionally sends a line, and reads the first line back when the
 * check wants a reply. Latency is connect (and handshake), plus the reply when one is read.
 */
export const tcp: Probe<'tcp'> = (check, ctx) =>
  new Promise((resolve) => {
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
    const fail = (reason: string, message: string) => finish({ latencyMs: elapsed(), phases, error: { reason, message: oneLine(message) } });
    const timer = setTimeout(() => fail('timeout', `no ${wantsReply ? 'reply' : 'connection'} within ${ctx.timeoutMs} ms`), ctx.timeoutMs);

    const options = { host: check.host, port: Number(check.port) };
    socket = check.tls ? tlsConnect({ ...options, servername: isIp(check.host) ? undefined : check.host }) : netConnect(options);
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
        else fail('econnreset', 'the server closed the connection without a reply');
      }
    });
    socket.once('error', (error) => {
      const { reason, message } = reasonOf(error);
      fail(reason, message);
    });
  });

const isIp = (host: string) => /^[\d.]+$/.test(host) || host.includes(':');
