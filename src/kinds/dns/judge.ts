/** Whether a dns check's answer meets its expectations. Pure. */
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { DnsMeasurement } from '../../status/measurement.ts';
import type { DnsCheck } from './schema.ts';

export function judge(check: DnsCheck, result: DnsMeasurement): Verdict {
  const answer = result.dns;
  if (!answer) return failed('down', 'dns_error', 'no DNS answer', 'no DNS answer');
  const want = check.expect.rcode;
  if (answer.rcode !== want) {
    const reason = answer.rcode === 'NOERROR' ? 'dns_rcode' : `dns_${answer.rcode.toLowerCase()}`;
    const text = `${check.record} ${check.query}: ${answer.rcode}, expected ${want}`;
    return failed('down', reason, text, text);
  }
  if (want !== 'NOERROR') return { outcome: 'up' };
  if (answer.records.length === 0)
    return failed('down', 'dns_nodata', `${check.record} ${check.query}: no records`, `${check.record} ${check.query}: no records`);
  const norm = (r: string) => r.toLowerCase().replace(/\.$/, '');
  for (const expected of check.expect.records ?? []) {
    if (!answer.records.some((r) => norm(r) === norm(expected))) {
      return failed(
        'down',
        'dns_records',
        `${check.record} ${check.query}: ${expected} not in ${answer.records.join(', ')}`,
        `${check.record} ${check.query}: ${expected} is not in the answer`,
      );
    }
  }
  return { outcome: 'up' };
}
