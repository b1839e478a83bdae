import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, connect, rootCertificates, type PeerCertificate } from 'node:tls';
import { reasonOf } from '../../probes/errors.ts';
import { readCheckFile } from '../../probes/files.ts';
import { guardedLookup, refuseLiteral } from '../../probes/guard.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';
import type { TlsMeasurement } from '../../status/measurement.ts';
import type { TlsCheck } from './schema.ts';

type ProbeResult = Omit<TlsMeasurement, 'kind'>;

/**
 * A TLS handshake that accepts any certificate so it can report on it: expiry, chain, host name.
 * The evaluator decides what is up or down; this only measures.
 */
export const tls: Probe<TlsCheck, TlsMeasurement> = async (check, ctx) => ({ kind: 'tls', ...(await measure(check, ctx)) });

async function measure(check: TlsCheck, ctx: ProbeContext): Promise<ProbeResult> {
  const servername = check.servername ?? check.host;
  const refused = ctx.guard && refuseLiteral(ctx.guard, check.host);
  if (refused) return { latencyMs: 0, error: { reason: 'private_target', message: refused, public: refused } };
  let extraCa: string | undefined;
  try {
    extraCa = check.ca_file ? await readCheckFile(ctx.checksDir ?? '.', check.ca_file, { untrusted: !!ctx.guard }) : undefined;
  } catch (error) {
    const message = (error as Error).message;
    return { latencyMs: 0, error: { reason: 'check_file', message, public: message } };
  }
  return new Promise<ProbeResult>((done) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const socket = connect({
      host: check.host,
      port: Number(check.port),
      servername: isIP(servername) ? undefined : servername,
      rejectUnauthorized: false,
      ...(ctx.guard ? { lookup: guardedLookup(ctx.guard) } : {}),
      ...(extraCa ? { ca: [...rootCertificates, extraCa] } : {}),
    });
    const timer = setTimeout(
      () =>
        finish({
          latencyMs: elapsed(),
          error: { reason: 'timeout', message: `no handshake within ${ctx.timeoutMs} ms`, public: `no handshake within ${ctx.timeoutMs} ms` },
        }),
      ctx.timeoutMs,
    );
    let settled = false;
    function finish(result: ProbeResult) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      done(result);
    }
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false) as PeerCertificate;
      if (!cert?.valid_to)
        return finish({
          latencyMs: elapsed(),
          error: { reason: 'tls_handshake', message: 'the server sent no certificate', public: 'the server sent no certificate' },
        });
      const hostError = checkServerIdentity(servername, cert);
      const chainError = socket.authorized ? undefined : String((socket.authorizationError as unknown as { code?: string })?.code ?? socket.authorizationError);
      finish({
        latencyMs: elapsed(),
        tls: {
          validFrom: new Date(cert.valid_from).toISOString(),
          validTo: new Date(cert.valid_to).toISOString(),
          ...(chainError ? { chainError } : {}),
          ...(hostError ? { hostnameError: hostError.message } : {}),
          subject: cert.subject?.CN ? String(cert.subject.CN) : undefined,
          issuer: cert.issuer?.CN ? String(cert.issuer.CN) : undefined,
          protocol: socket.getProtocol() ?? undefined,
        },
      });
    });
    socket.once('error', (error) => finish({ latencyMs: elapsed(), error: reasonOf(error) }));
  });
}
