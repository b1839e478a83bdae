import type { Browser, Page } from 'playwright';
import type { Dispatcher } from 'undici';
import type { TargetGuard } from './guard.ts';

export type ProbeContext = {
  /** Per-attempt deadline. */
  timeoutMs: number;
  /** The run's clock (UPKEEP_NOW in reproducible runs): a journey judges each step's answer by it. */
  now?: () => Date;
  /** The checks folder, for files a check names (a private CA). */
  checksDir?: string;
  /** The history folder, for what jobs report in (heartbeats). */
  historyDir?: string;
  /** undici dispatcher (tests and the benchmark pass their own). */
  dispatcher?: Dispatcher;
  /** The run's shared browser, launched on first use. */
  browser?: () => Promise<Browser>;
  /** Indexes of browser steps that fill a value from a secret: blanked before a screenshot. */
  secretSteps?: ReadonlySet<number>;
  /** The run's secrets: a screenshot is withheld if any form of one is visible. */
  secrets?: { exposes(text: string): boolean };
  /** Which addresses may be connected to (a pull request's dry run refuses internal ones). */
  guard?: TargetGuard;
  /** Called just before a screenshot is taken (tests look at the page then). */
  beforeScreenshot?: (page: Page) => Promise<void>;
};

/**
 * One attempt at a check whose `${{ … }}` references are already filled in. Measures only, never
 * judges; a failure to get an answer is a measurement with an `error`, never a throw.
 */
export type Probe<C, M> = (check: C, ctx: ProbeContext) => Promise<M>;
