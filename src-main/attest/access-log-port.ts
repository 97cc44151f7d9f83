/**
 * What the attestation and sync code needs from the access log (src-main/audit): append an event and
 * learn its leaf index (the review predicate's accessLogIndex, DESIGN §5), the latest device-signed
 * checkpoint, and consistency proofs from an older size (tlog-witness add-checkpoint). Passed in, so
 * this folder does not depend on the log's storage and tests can drive a real Merkle log of their own.
 */

export interface AccessLogEvent {
  /** DESIGN §5 event name, e.g. `attestation.sign`, `sync.export`, `policy.change`. */
  event: string;
  object: { kind: string; id: string; name?: string; digest?: string };
  outcome: 'success' | 'failure' | 'denied';
  detail?: Record<string, string | number>;
}

/** Appends one event; returns its leaf index. */
export type LogEventFn = (event: AccessLogEvent) => number | Promise<number>;

export interface AccessLogPort {
  logEvent: LogEventFn;
  /** The log's origin line (checkpoint origin and device note key name). */
  origin(): string;
  /** A freshly device-signed C2SP checkpoint note of the whole log. */
  signedCheckpoint(): string | Promise<string>;
  /** RFC 9162 §2.1.4 consistency proof from size1 to size2. */
  consistencyProof(size1: number, size2: number): Uint8Array[] | Promise<Uint8Array[]>;
}
