/**
 * What a probe measured, one shape per check kind: the domain's record of an attempt. Probes (the
 * network edge, src/kinds/<kind>/probe.ts) produce it; each kind's judge decides up or down from it.
 */

/** The probe got no answer: a short stable code and a message. */
export type MeasuredError = {
  reason: string;
  message: string;
  /**
   * The same without anything the target sent (URLs it redirected to, titles, texts): what a pull
   * request's dry run may print. Without it, the reason's generic words are used there.
   */
  public?: string;
};

export type Phases = { dns?: number; connect?: number; tls?: number; ttfb?: number };

type Common = {
  /** Request start to last byte (or to the failure). */
  latencyMs: number;
  error?: MeasuredError;
  /** Timing phases, where the transport exposes them. */
  phases?: Phases;
};

export type HttpMeasurement = Common & {
  kind: 'http';
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
};

export type TcpMeasurement = Common & {
  kind: 'tcp';
  /** The first line the server sent, when `send` or `reply_prefix` asked for one. */
  tcp?: { reply?: string };
};

export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export type DnsMeasurement = Common & {
  kind: 'dns';
  /** Answers as text: addresses, names, "10 mx.example.com" for MX, joined strings for TXT. */
  dns?: { rcode: DnsRcode; records: string[] };
};

export type TlsMeasurement = Common & {
  kind: 'tls';
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

export type StepLog = { step: number; action: string; ms: number; ok: boolean; error?: string };

export type BrowserMeasurement = Common & {
  kind: 'browser';
  browser?: {
    steps: StepLog[];
    /** A JPEG of the page at the failure, secrets blanked. */
    screenshot?: Buffer;
    /** Why there is no screenshot, when there is none. */
    note?: string;
  };
};

/** The latest beat a job sent (history/heartbeats/), or none yet. `latencyMs` is the run's duration. */
export type HeartbeatMeasurement = Common & {
  kind: 'heartbeat';
  heartbeat?: { at: string; status: 'ok' | 'fail'; durationMs?: number; message?: string };
};

/** One step of an API journey as it ran. */
export type ApiStepLog = {
  name: string;
  /** From the step's first request to its last answer, waits included. */
  ms: number;
  ok: boolean;
  attempts: number;
  /** An `until` step: from its first attempt to the start of the one that passed (or to the deadline). */
  waitedMs?: number;
  /** Why it failed: the reason code, the message (may quote the answer) and the check's own words. */
  failure?: { reason: string; message: string; public: string };
  /** Slower or staler than its own limits, though it passed. */
  degraded?: { reason: string; message: string; public: string };
  /** A `finally` step that did not run: which captured value it needed. */
  skipped?: string;
  /** The answer's HTTP status, when there was one. */
  status?: number;
};

export type ApiMeasurement = Common & {
  kind: 'api';
  api?: {
    steps: ApiStepLog[];
    /** The `finally` steps, always attempted. */
    cleanup: ApiStepLog[];
    /** The `until` steps' waits, summed: the journey's lag. */
    lagMs?: number;
    /** Every value the journey captured: secrets to this journey's sample (never stored). */
    captured: string[];
  };
};

export type Measurement = HttpMeasurement | TcpMeasurement | DnsMeasurement | TlsMeasurement | BrowserMeasurement | HeartbeatMeasurement | ApiMeasurement;

/** The measurement of one kind. */
export type MeasurementOf<K extends Measurement['kind']> = Extract<Measurement, { kind: K }>;
