/** What a vendor writes for a heartbeat check: a job that reports in (`upkeep heartbeat ID`). */
import { z } from 'zod';
import { checkBase, durationIn } from '../../config/fields.ts';

export const heartbeatCheck = z.strictObject({
  ...checkBase,
  kind: z
    .literal('heartbeat')
    .describe('A job that reports in (a sync worker, a nightly export): down when no beat arrived within `expect.every` + `expect.grace`.'),
  expect: z.strictObject({
    every: durationIn('1m', '31d').describe('How often the job beats, e.g. "15m" or "1d".'),
    grace: durationIn('0s', '7d')
      .prefault('5m')
      .describe('How late a beat may be before the check is down (GitHub delivers dispatches within seconds, but jobs drift).'),
    degraded_over: durationIn('1s', '7d').optional().describe('A run that took longer than this (the beat says how long) is `degraded`.'),
    down_over: durationIn('1s', '7d').optional().describe('A run that took longer than this is `down`.'),
  }),
});

export type HeartbeatCheck = z.output<typeof heartbeatCheck>;
