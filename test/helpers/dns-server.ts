import { createSocket } from 'node:dgram';
import { after } from 'node:test';
import * as packet from 'dns-packet';

export type Zone = Record<
  string,
  {
    A?: string[];
    AAAA?: string[];
    CNAME?: string;
    MX?: { preference: number; exchange: string }[];
    TXT?: string[];
    NS?: string[];
    rcode?: string;
    silent?: boolean;
  }
>;

/** A tiny authoritative DNS responder on 127.0.0.1 UDP, port 0. Unknown names get NXDOMAIN. */
export async function dnsServer(zone: Zone): Promise<string> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const query = packet.decode(msg);
    const q = query.questions?.[0];
    if (!q) return;
    const entry = zone[q.name.toLowerCase()];
    if (entry?.silent) return;
    const answers: packet.Answer[] = [];
    const rcode = entry ? (entry.rcode ?? 'NOERROR') : 'NXDOMAIN';
    if (entry && rcode === 'NOERROR') {
      const base = { name: q.name, ttl: 60, class: 'IN' as const };
      if (q.type === 'A') for (const a of entry.A ?? []) answers.push({ ...base, type: 'A', data: a });
      if (q.type === 'AAAA') for (const a of entry.AAAA ?? []) answers.push({ ...base, type: 'AAAA', data: a });
      if (q.type === 'CNAME' && entry.CNAME) answers.push({ ...base, type: 'CNAME', data: entry.CNAME });
      if (q.type === 'MX') for (const m of entry.MX ?? []) answers.push({ ...base, type: 'MX', data: m });
      if (q.type === 'TXT') for (const t of entry.TXT ?? []) answers.push({ ...base, type: 'TXT', data: [t] });
      if (q.type === 'NS') for (const n of entry.NS ?? []) answers.push({ ...base, type: 'NS', data: n });
    }
    const rcodes: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & packet.RECURSION_DESIRED) | rcodes[rcode],
      questions: query.questions,
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  after(() => socket.close());
  return `127.0.0.1:${socket.address().port}`;
}
