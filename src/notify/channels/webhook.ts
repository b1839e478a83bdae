/**
 * A generic webhook: the event as JSON, signed. `Upkeep-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC-SHA256(secret, "<t>.<body>"), and `Idempotency-Key` is the same for every retry of one
 * event, so a receiver can drop duplicates. The README shows how to verify it.
 */
import { createHmac } from 'node:crypto';
import type { Sink } from '../sink.ts';
import { linkOf } from '../sink.ts';
import type { Channel } from '../schema.ts';

export function signature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export const webhook: Sink<Extract<Channel, { kind: 'webhook' }>> = (event, channel, ctx) => {
  const body = JSON.stringify({
    id: event.id,
    kind: event.kind,
    at: event.at,
    severity: event.severity,
    public: event.public,
    components: event.components,
    title: event.title,
    text: event.text,
    url: linkOf(event, ctx),
    ...(event.technical ? { technical: event.technical } : {}),
    ...(event.incident
      ? { incident: { id: event.incident.id, title: event.incident.title, status: event.incident.status, impact: event.incident.impact } }
      : {}),
    ...(event.maintenance ? { maintenance: event.maintenance } : {}),
    ...(event.componentUpdate ? { component_update: event.componentUpdate } : {}),
  });
  const t = Math.floor(ctx.now.getTime() / 1000);
  return [
    {
      http: {
        url: channel.url,
        headers: {
          'content-type': 'application/json',
          'upkeep-signature': `t=${t},v1=${signature(channel.secret, t, body)}`,
          'idempotency-key': `${channel.id}:${event.id}`,
          'upkeep-event': event.kind,
        },
        body,
      },
    },
  ];
};
