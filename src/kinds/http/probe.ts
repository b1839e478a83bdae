import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, buildConnector, request, type Dispatcher } from 'undici';
import type { HttpMeasurement } from '../../status/measurement.ts';
import type { HttpCheck } from './schema.ts';
import { reasonOf } from '../../probes/errors.ts';
import { readCheckFile } from '../../probes/files.ts';
import { guardedLookup, PrivateTargetError, refuseLiteral, type TargetGuard } from '../../probes/guard.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';

const USER_AGENT = 'Upkeep/0.1 (status probe; +https://github.com/upkeep-status/upkeep)';

type Measured = Omit<HttpMeasurement, 'kind'>;
type Phases = NonNullable<Measured['phases']>;

/**
 * One attempt: a fresh connection (so the figure includes DNS, connect and TLS as a new customer
 * sees them), redirects followed by hand (so loops and limits get their own reasons), body read up
 * to the cap. Latency runs from request start to the last body byte.
 */
export const http: Probe<HttpCheck, HttpMeasurement> = async (check, ctx) => ({ kind: 'http', ...(await measure(check, ctx)) });

async function measure(check: HttpCheck, ctx: ProbeContext): Promise<Measured> {
  const phases: Phases = {};
  let tls: TlsOptions;
  try {
    tls = await tlsOptions(check, ctx.checksDir, !!ctx.guard);
  } catch (error) {
    const message = (error as Error).message;
    return fail(0, phases, 'check_file', message, message);
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // A guarded run always uses its own agent: the guard lives in the connector.
  const own = ctx.dispatcher && !ctx.guard ? undefined : timedAgent(phases, ctx.timeoutMs, tls, ctx.guard);
  const dispatcher = own ?? ctx.dispatcher!;
  // A plain timer, cleared at the end: AbortSignal.timeout's weakly held timer cost more per check.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ctx.timeoutMs);
  const signal = deadline.signal;
  let answered = false;
  try {
    let url = check.url;
    const origin = new URL(url).origin;
    const visited = new Set<string>();
    for (let redirects = 0; ; redirects++) {
      visited.add(url);
      const response = await send(check, url, dispatcher, signal, redirects > 0, new URL(url).origin !== origin);
      phases.ttfb ??= elapsed();
      const location = response.headers.location;
      if (isRedirect(response.statusCode) && typeof location === 'string' && check.follow_redirects > 0) {
        await response.body.dump().catch(() => {});
        const next = new URL(location, url).href;
        if (visited.has(next))
          return fail(
            elapsed(),
            phases,
            'redirect_loop',
            `redirect loop: ${next} was already visited`,
            'redirect loop: a page redirected back to one already visited',
          );
        if (redirects + 1 > check.follow_redirects) {
          return fail(
            elapsed(),
            phases,
            'too_many_redirects',
            `more than ${check.follow_redirects} redirects`,
            `more than ${check.follow_redirects} redirects`,
          );
        }
        url = next;
        continue;
      }
      const body = await readCapped(
        response.body,
        check.max_body_bytes,
        String(response.headers['content-encoding'] ?? ''),
        response.headers['content-length'],
      );
      const latencyMs = elapsed();
      answered = body !== undefined;
      if (body === undefined)
        return fail(latencyMs, phases, 'too_large', `body larger than ${check.max_body_bytes} bytes`, `body larger than ${check.max_body_bytes} bytes`);
      return {
        latencyMs,
        phases,
        http: { status: response.statusCode, headers: flatHeaders(response.headers), body, url, redirects },
      };
    }
  } catch (error) {
    const { reason, message } = signal.aborted ? { reason: 'timeout', message: `no complete answer within ${ctx.timeoutMs} ms` } : reasonOf(error);
    // A refusal names only the check's own host and what it resolved to: fine to print anywhere.
    return fail(elapsed(), phases, reason, message, reason === 'private_target' || reason === 'timeout' ? message : undefined);
  } finally {
    clearTimeout(timer);
    // After a whole answer nothing is in flight: close() ends the connection quietly. Anything else
    // (a timeout, a body over the cap, an error) is cut off.
    if (answered) own?.close().catch(() => {});
    else own?.destroy().catch(() => {});
  }
}

/**
 * `crossOrigin`: a redirect led to another origin. The check's own headers (an Authorization, an
 * API key from a secret, a journey's captured token) are then not sent: they are for the address
 * the vendor wrote, and a redirect must not hand them to another (browsers drop Authorization so).
 */
function send(check: HttpCheck, url: string, dispatcher: Dispatcher, signal: AbortSignal, redirected: boolean, crossOrigin: boolean) {
  // A 303, or any redirect after a POST, continues as GET without a body, as browsers do.
  const keepMethod = !redirected || check.method === 'GET' || check.method === 'HEAD';
  const method = keepMethod ? check.method : 'GET';
  const json = check.body !== undefined && typeof check.body !== 'string';
  const headers: Record<string, string> = {
    'user-agent': USER_AGENT,
    // Ask for compression as browsers do, so the probe measures what customers get.
    'accept-encoding': 'gzip, deflate, br',
    ...(json ? { 'content-type': 'application/json' } : {}),
  };
  if (!crossOrigin) for (const [k, v] of Object.entries(check.headers)) headers[k.toLowerCase()] = v;
  const body = keepMethod && check.body !== undefined ? (json ? JSON.stringify(check.body) : (check.body as string)) : undefined;
  return request(url, { method, headers, body, dispatcher, signal });
}

const isRedirect = (status: number) => status === 301 || status === 302 || status === 303 || status === 307 || status === 308;

const decoders: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

const utf8 = new TextDecoder();
const ignore = () => {};

/**
 * The body as text, decompressed, or undefined when it exceeds `max` bytes (reading stops there):
 * the cap applies after decompression, so a gzip bomb stops at the cap too. A plain body whose
 * Content-Length is within the cap is read as undici reads it (the parser holds the answer to that
 * length); anything else is read chunk by chunk with events, not an async iterator, which cost a
 * round of 1,000 checks more than the rest of reading.
 */
function readCapped(body: Dispatcher.ResponseData['body'], max: number, encoding: string, length: string | string[] | undefined): Promise<string | undefined> {
  const decoder = decoders[encoding.trim().toLowerCase()]?.();
  const declared = typeof length === 'string' && /^\d+$/.test(length) ? Number(length) : undefined;
  if (!decoder && declared !== undefined && declared <= max) return body.text();
  const stream = decoder ? body.pipe(decoder) : body;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: unknown, text?: string) => {
      stream.off('data', onData).off('end', onEnd).off('error', finish).on('error', ignore);
      // Destroyed before its end (over the cap), a body emits an abort error: nobody is waiting for it.
      body.off('error', finish).on('error', ignore);
      decoder?.destroy();
      body.destroy();
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) finish(null, undefined);
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null, utf8.decode(Buffer.concat(chunks)));
    stream.on('data', onData).once('end', onEnd).once('error', finish);
    // Piped into a decoder, the body's own errors (a timeout, a reset) do not reach the decoder.
    if (decoder) body.once('error', finish);
  });
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** `publicMessage`: the same without what the target sent; without one, the reason's generic words stand in. */
function fail(latencyMs: number, phases: Phases, reason: string, message: string, publicMessage?: string): Measured {
  return { latencyMs, phases, error: { reason, message, ...(publicMessage ? { public: publicMessage } : {}) } };
}

type TlsOptions = { ca?: string[]; cert?: string; key?: string };

/** A private CA (added to the usual roots) and a client certificate for mutual TLS, when the check has them. */
async function tlsOptions(check: HttpCheck, checksDir = '.', untrusted = false): Promise<TlsOptions> {
  const out: TlsOptions = {};
  if (check.ca_file) out.ca = [...rootCertificates, await readCheckFile(checksDir, check.ca_file, { untrusted })];
  if (check.cert && check.key) Object.assign(out, { cert: check.cert, key: check.key });
  return out;
}

/** An agent whose connector notes how long DNS, TCP connect and the TLS handshake took, and asks the guard before connecting. */
function timedAgent(phases: Phases, timeoutMs: number, tls: TlsOptions, guard?: TargetGuard): Agent {
  const connector = buildConnector({ timeout: timeoutMs, ...tls, ...(guard ? { lookup: guardedLookup(guard) } : {}) });
  return new Agent({
    // One connection, kept alive only for this check's own redirects on the same origin: an
    // agent per check and close() after the answer make it fresh per check. (`pipelining: 0`, no
    // keep-alive, had undici reset every socket with an error and its stack trace: a seventh of a
    // 1,000-check round's CPU.)
    connections: 1,
    connect: (options, callback) => {
      const refused = guard && refuseLiteral(guard, options.hostname);
      if (refused) {
        callback(new PrivateTargetError(refused), null);
        return;
      }
      let mark = performance.now();
      const lap = () => {
        const now = performance.now();
        const ms = Math.round(now - mark);
        mark = now;
        return ms;
      };
      const socket = connector(options, callback) as unknown as Socket;
      socket.once('lookup', () => (phases.dns = lap()));
      socket.once('connect', () => {
        phases.dns ??= 0;
        phases.connect = lap();
      });
      socket.once('secureConnect', () => (phases.tls = lap()));
      return socket;
    },
  });
}
