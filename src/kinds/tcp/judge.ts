/** Whether a tcp check's answer meets its expectations. Pure. */
import { failed, type Verdict } from '../../status/evaluate.ts';
import type { TcpMeasurement } from '../../status/measurement.ts';
import type { TcpCheck } from './schema.ts';

export function judge(check: TcpCheck, result: TcpMeasurement): Verdict {
  const prefix = check.expect.reply_prefix;
  if (prefix !== undefined && !(result.tcp?.reply ?? '').startsWith(prefix)) {
    return failed(
      'down',
      'assert_reply',
      `reply ${JSON.stringify(result.tcp?.reply ?? '')} does not start with ${JSON.stringify(prefix)}`,
      `the reply does not start with ${JSON.stringify(prefix)}`,
    );
  }
  return { outcome: 'up' };
}
