import { Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { DnsMeasurement, DnsRcode } from '../../status/measurement.ts';
import type { DnsCheck } from './schema.ts';
import { refuseHost } from '../../probes/guard.ts';
import type { Probe, ProbeContext } from '../../probes/types.ts';

type Rcode = DnsRcode;
type Measured = Omit<DnsMeasurement, 'kind'>;

/** Node's resolver errors that are answers, not failures to get one. */
const rcodes: Record<string, Rcode> = {
  ENOTFOUND: 'NXDOMAIN',
  ENODATA: 'NOERROR',
  ESERVFAIL: 'SERVFAIL',
  EREFUSED: 'REFUSED',
};

const failures: Record<string, string> = {
  ETIMEOUT: 'timeout',
  ECONNREFUSED: 'econnrefused',
  EBADRESP: 'dns_bad_response',
  EFORMERR: 'dns_bad_response',
  ECONNRESET: 'econnreset',
};

/** One query (no retries inside: confirmation re-probes are the run's job), against the system's or the given resolver. */
export const dns: Probe<DnsCheck, DnsMeasurement> = async (check, ctx) => ({ kind: 'dns', ...(await measure(check, ctx)) });

async function measure(check: DnsCheck, ctx: ProbeContext): Promise<Measured> {
  if (check.server && ctx.guard) {
    const refused = await refuseHost(ctx.guard, serverAddress(check.server));
    if (refused) return { latencyMs: 0, error: { reason: 'private_target', message: refused, public: refused } };
  }
  const resolver = new Resolver({ timeout: ctx.timeoutMs, tries: 1 });
  if (check.server) resolver.setServers([check.server]);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const records = await query(resolver, check);
    return { latencyMs: elapsed(), dns: { rcode: 'NOERROR', records } };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (rcodes[code]) return { latencyMs: elapsed(), dns: { rcode: rcodes[code], records: [] } };
    return {
      latencyMs: elapsed(),
      error: {
        reason: failures[code] ?? 'dns_error',
        message: `${check.record} ${check.query}: ${(error as Error).message}`,
        public: `${check.record} ${check.query}: ${code || 'no answer'}`,
      },
    };
  } finally {
    resolver.cancel();
  }
}

/** The address part of "1.1.1.1:53", "[::1]:53" or "::1". */
const serverAddress = (server: string) => /^\[([^\]]+)\]/.exec(server)?.[1] ?? (/^[\d.]+(:\d+)?$/.test(server) ? server.replace(/:\d+$/, '') : server);

async function query(r: Resolver, check: DnsCheck): Promise<string[]> {
  const name = check.query;
  switch (check.record) {
    case 'A':
      return r.resolve4(name);
    case 'AAAA':
      return r.resolve6(name);
    case 'CNAME':
      return r.resolveCname(name);
    case 'NS':
      return r.resolveNs(name);
    case 'MX':
      return (await r.resolveMx(name)).sort((a, b) => a.priority - b.priority).map((m) => `${m.priority} ${m.exchange}`);
    case 'TXT':
      return (await r.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}
