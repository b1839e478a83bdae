/**
 * Which addresses a probe may connect to. The scheduled run may reach anything; a pull request's dry
 * run (checks written by whoever opened it, run on the vendor's runner) may not reach private,
 * loopback, link-local or otherwise internal addresses unless the vendor allows them in site.yml:
 * otherwise a pull request could read an internal service or the cloud metadata endpoint.
 * The check happens on the addresses a name resolves to, at connect time, for every redirect hop,
 * so neither a public name pointing inward nor a redirect gets round it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** Ranges that are not the public internet (IANA special-purpose registries). */
const internal: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export type TargetGuard = {
  /** Undefined when `address` (reached by the name `host`) may be probed; else why not. */
  refuse(host: string, address: string): string | undefined;
};

/** Probes anything: the scheduled run. */
export const openGuard: TargetGuard = { refuse: () => undefined };

/** An IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), or the address itself. */
const unmap = (address: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** Refuses internal addresses, except those `allow` names (addresses, networks, host names). */
export function publicOnlyGuard(allow: readonly string[] = []): TargetGuard {
  const blocked = new BlockList();
  for (const [net, bits, type] of internal) blocked.addSubnet(net, bits, type);
  const allowed = new BlockList();
  const hosts = new Set<string>();
  for (const entry of allow) {
    const [address, bits] = entry.split('/');
    const version = isIP(address);
    if (version === 0) hosts.add(entry.toLowerCase().replace(/\.$/, ''));
    else if (bits === undefined) allowed.addAddress(unmap(address), family(unmap(address)));
    else allowed.addSubnet(address, Number(bits), version === 6 ? 'ipv6' : 'ipv4');
  }
  return {
    refuse(host, address) {
      const a = unmap(address);
      if (isIP(a) === 0) return `${address} is not an address`;
      if (!blocked.check(a, family(a))) return undefined;
      if (allowed.check(a, family(a)) || hosts.has(host.toLowerCase().replace(/\.$/, ''))) return undefined;
      // A name's internal address is not repeated: the message reaches a public pull-request comment.
      return `${host === address ? `${address} is` : `${host} resolves to`} a private, loopback or link-local address; a pull request's dry run probes only public addresses unless the base branch's site.yml lists it under pull_requests.allow_private`;
    },
  };
}

/** The error a refused connection fails with; `reasonOf` turns it into `private_target`. */
export class PrivateTargetError extends Error {
  readonly code = 'UPKEEP_PRIVATE_TARGET';
}

/** A `lookup` for net/tls/undici connections that resolves as usual, then refuses what the guard refuses. */
export function guardedLookup(guard: TargetGuard): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const a of addresses) {
        const why = guard.refuse(hostname, a.address);
        if (why) return callback(new PrivateTargetError(why), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** For hosts given as literal addresses, which connect without a lookup: the refusal, if any. */
export function refuseLiteral(guard: TargetGuard, host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, '');
  return isIP(bare) ? guard.refuse(bare, bare) : undefined;
}

/** Resolves `host` and says why it is refused, if it is (browser requests, DNS servers). */
export async function refuseHost(guard: TargetGuard, host: string): Promise<string | undefined> {
  const literal = refuseLiteral(guard, host);
  if (literal || isIP(host.replace(/^\[|\]$/g, ''))) return literal;
  return new Promise((resolve) => {
    guardedLookup(guard)(host, { all: true }, (error) => resolve(error instanceof PrivateTargetError ? error.message : undefined));
  });
}
