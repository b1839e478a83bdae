import type { Outcome } from './vocabulary.ts';

/** One result of one check at one time, as stored in history. */
export type Sample = {
  /** ISO 8601 UTC, whole seconds. */
  time: string;
  check: string;
  region: string;
  outcome: Outcome;
  /** Total latency in ms; absent when no answer arrived. */
  latencyMs?: number;
  /** Probe attempts it took (1 = first try; more = confirmation re-probes). */
  attempts: number;
  reason?: string;
  message?: string;
  /** HTTP status, when there was one. */
  status?: number;
  phases?: { dns?: number; connect?: number; tls?: number; ttfb?: number };
  /** How old the data behind the answer was, in ms (freshness checks, journeys' waits). */
  lagMs?: number;
  /** Browser checks and API journeys: ms per step, in order (up to the failing one). */
  steps?: number[];
  /** Where the failure's screenshot and step log are, relative to history/artifacts/, without extension. */
  artifact?: string;
  /** Not stored in the line: files to write beside it (the store turns them into `artifact`). */
  attachments?: { screenshot?: Buffer; log: string };
};
