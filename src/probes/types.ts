import type { Browser, Page } from 'playwright';
import type { Dispatcher } from 'undici';
import type { Check, CheckKind } from '../config/schema.ts';
import type { TargetGuard } from './guard.ts';

/** What a probe measured. Probes never judge up or down; `src/status/evaluate.ts` does. */
export type ProbeResult = {
  /** Request start to last byte (or to the failure). */
  latencyMs: number;
  /**
   * The probe could not get an answer: a short stable code and a message. `public` says the same
   * without anything the target sent (URLs it redirected to, titles, texts): what a pull request's
   * dry run may print. Without it, the reason's generic words are used there.
   */
  error?: { reason: string; message: string; public?: string };
  /** Timing phases, where the transport exposes them. */
  phases?: { dns?: number; connect?: number; tls?: number; ttfb?: number };
  http?: {
    status: number;
    /** Lower-case header names. */
    headers: Record<string, string>;
    /** Decoded text, at most the check's `max_body_bytes`. */
    body: string;
    /** The final URL after redirects. */
    url: string;
    redirects: number;
  };
  tcp?: {
    /** The first line the server sent (at most 1 KiB), when `send` or `reply_prefix` asked for one. */
    reply?: string;
  };
  dns?: {
    rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
    /** Answers as text: addresses, names, "10 mx.example.com" for MX, joined strings for TXT. */
    records: string[];
  };
  browser?: {
    steps: StepLog[];
    /** A JPEG of the page at the failure, secrets blanked. */
    screenshot?: Buffer;
    /** Why there is no screenshot, when there is none. */
    note?: string;
  };
  tls?: {
    /** ISO time the leaf certificate expires. */
    validTo: string;
    validFrom: string;
    /** Node's verification error code (CERT_HAS_EXPIRED, SELF_SIGNED_CERT_IN_CHAIN…), if the chain did not verify. */
    chainError?: string;
    /** Why the certificate does not name the host, if it does not. */
    hostnameError?: string;
    subject?: string;
    issuer?: string;
    protocol?: string;
  };
};

export type ProbeContext = {
  /** Per-attempt deadline. */
  timeoutMs: number;
  /** The checks folder, for files a check names (a private CA). */
  checksDir?: string;
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

export type StepLog = { step: number; action: string; ms: number; ok: boolean; error?: string };

/** A check with its `${{ … }}` references already substituted. */
export type Probe<K extends CheckKind = CheckKind> = (check: Extract<Check, { kind: K }>, ctx: ProbeContext) => Promise<ProbeResult>;
