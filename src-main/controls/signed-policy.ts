/**
 * The signed policy (DESIGN §4 "policy key (Ed25519, signs the policy)"; ARCHITECTURE: insider-risk controls): a policy update
 * is a DSSE envelope (POLICY_PAYLOAD_TYPE) that must verify under the policy key pinned at enrollment
 * (src-main/attest/enrollment.ts installs the first one with the approval and re-verifies it on every
 * read). This module adds what a later, policy-only update needs, and the store the app reads.
 *
 * Threats: a reviewer (or malware with file access) hands the app a laxer policy — unsigned, signed by
 * some other key, or an older genuine one (rollback to a version that allowed copying). Each is refused
 * with a message that says which, and the policy in force stays. The envelope is verified on its exact
 * bytes before its payload is parsed (CONVENTIONS "Signed data is verified … before it is parsed").
 */
import type { Database } from '@signalapp/sqlcipher';
import { POLICY_PAYLOAD_TYPE } from '../../src-shared/attestation-types';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { sha256 } from '../../src-shared/node/crypto';
import { verifyEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { bytesEqual, toHex } from '../../src-shared/encoding';
import { isRwError, RwError } from '../../src-shared/errors';
import { DEFAULT_POLICY, policySchema, type Policy } from '../../src-shared/policy';
import { parseStrictJson } from '../../src-shared/strict-json';
import { ed25519PublicKey } from '../../src-shared/node/crypto';
import { readEnrollment } from '../attest/enrollment';
import { openDeviceAudit, vaultExists } from '../vault/vault';

/** A policy file is small; anything larger is not one. */
export const MAX_POLICY_BYTES = 256 * 1024;

const KEEP = 'The current policy stays in force.';

function refuse(message: string, detail: Record<string, string | number> = {}): never {
  throw new RwError('POLICY_REFUSED', `${message} ${KEEP}`, detail);
}

function looksLikeEnvelope(value: unknown): value is { signatures?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'payload' in value && 'payloadType' in value;
}

export interface VerifiedPolicy {
  policy: Policy;
  envelope: DsseEnvelope;
  /** sha256 (hex) of the RFC 8785 canonical policy: what attestations and the log name it by. */
  digest: string;
}

export function policyDigest(policy: Policy): string {
  return toHex(sha256(canonicalBytes(policy)));
}

/** How the access log names a policy in `policy.change` leaves, the app's and rwctl's alike. */
export function policyLogObject(policy: Policy): { kind: 'policy'; id: string; digest: string } {
  return { kind: 'policy', id: String(policy.version), digest: `sha256:${policyDigest(policy)}` };
}

/**
 * Verify a signed policy file against the pinned policy key and the installed policy.
 * Refusals (all RwError, the installed policy untouched):
 * - POLICY_REFUSED: not JSON / not an envelope ("not signed"), no signatures, signed by another key or
 *   badly signed, another payload type, an older version, or a different policy under the same version;
 * - INVALID_INPUT: a genuine signature over a payload that is not a valid policy (schema);
 * - TOO_LARGE: more than MAX_POLICY_BYTES.
 * An identical re-install of the installed policy is accepted (idempotent).
 */
export function verifySignedPolicy(bytes: Uint8Array, pinnedKey: Uint8Array, installed: Policy | null): VerifiedPolicy {
  if (bytes.byteLength > MAX_POLICY_BYTES) throw new RwError('TOO_LARGE', `A policy file is at most ${MAX_POLICY_BYTES} bytes. ${KEEP}`);
  let value: unknown;
  try {
    value = parseStrictJson(bytes, { maxBytes: MAX_POLICY_BYTES, maxDepth: 8 });
  } catch {
    refuse('The policy file is not JSON, so it cannot be a signed policy.');
  }
  if (!looksLikeEnvelope(value)) {
    // A bare policy object is the likeliest mistake (or attempt): say plainly that it lacks a signature.
    refuse('The policy is not signed: only a DSSE envelope signed by the pinned policy key is accepted.');
  }
  if (!Array.isArray(value.signatures) || value.signatures.length === 0) refuse('The policy envelope carries no signature.');
  let payload: Uint8Array;
  try {
    const verified = verifyEnvelope(value, [ed25519PublicKey(pinnedKey)], { expectedPayloadType: POLICY_PAYLOAD_TYPE, maxSignatures: 4 });
    payload = verified.payload;
  } catch (error) {
    if (isRwError(error) && error.code === 'SIGNATURE_INVALID') refuse('The policy signature does not verify under the policy key pinned at enrollment.');
    if (isRwError(error) && error.message.includes('payload type')) refuse(`The envelope is not a policy (payload type must be ${POLICY_PAYLOAD_TYPE}).`);
    refuse('The policy envelope is malformed.');
  }
  let parsedPayload: unknown;
  try {
    parsedPayload = parseStrictJson(payload, { maxBytes: MAX_POLICY_BYTES, maxDepth: 8 });
  } catch {
    throw new RwError('INVALID_INPUT', `The signed policy is not valid JSON. ${KEEP}`);
  }
  const parsed = policySchema.safeParse(parsedPayload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'policy';
    throw new RwError('INVALID_INPUT', `The signed policy does not match the policy schema (${where}: ${issue?.message ?? 'invalid'}). ${KEEP}`, { field: where });
  }
  const policy = parsed.data;
  if (installed) {
    if (policy.version < installed.version) {
      refuse(`The policy is older (version ${policy.version}) than the one installed (version ${installed.version}).`, { installed: installed.version, offered: policy.version });
    }
    if (policy.version === installed.version && !bytesEqual(canonicalBytes(policy), canonicalBytes(installed))) {
      refuse(`The policy differs from the installed one under the same version number (${policy.version}).`, { version: policy.version });
    }
  }
  return { policy, envelope: value as DsseEnvelope, digest: policyDigest(policy) };
}

/** Where the pinned key and the installed signed policy live (audit.db's enrollment row in the app). */
export interface PolicyRecord {
  /** The pinned policy key (raw Ed25519), or null before enrollment. */
  pinnedKey(): Uint8Array | null;
  /** The installed signed policy, or null before enrollment. */
  installed(): Policy | null;
  /** Replace the installed policy (called only with a verified one). */
  write(verified: VerifiedPolicy): void;
}

/** The enrollment row of audit.db as a PolicyRecord (the attestation engineer's table; same columns). */
export function enrollmentPolicyRecord(audit: Database): PolicyRecord {
  return {
    pinnedKey: () => readEnrollment(audit)?.policyPublicKey ?? null,
    installed: () => readEnrollment(audit)?.policy ?? null,
    write(verified) {
      audit
        .prepare('UPDATE enrollment SET policy_version = ?, policy_json = ?, policy_envelope = ? WHERE id = 1')
        .run([verified.policy.version, JSON.stringify(verified.policy), JSON.stringify(verified.envelope)]);
    },
  };
}

export type PolicySource = 'default' | 'signed';

/**
 * The policy the app core reads (`policy()`): the installed signed policy once enrolled, the built-in
 * DEFAULT_POLICY before. Synchronous reads from memory; `load` refreshes from the record (at start
 * through the device slot, at every unlock), `install` verifies and replaces.
 */
export class PolicyStore {
  #policy: Policy = DEFAULT_POLICY;
  #source: PolicySource = 'default';
  readonly #listeners = new Set<(policy: Policy, source: PolicySource) => void>();

  current(): Policy {
    return this.#policy;
  }

  source(): PolicySource {
    return this.#source;
  }

  /** Reads the installed policy; a record that fails to verify keeps the current policy and throws. */
  load(record: PolicyRecord): Policy {
    const installed = record.installed();
    this.#set(installed ?? DEFAULT_POLICY, installed ? 'signed' : 'default');
    return this.#policy;
  }

  /** Verifies `bytes` against the pinned key and the installed policy; on success writes and applies it. */
  install(record: PolicyRecord, bytes: Uint8Array): VerifiedPolicy {
    const key = record.pinnedKey();
    if (!key) refuse('This workstation is not enrolled, so no policy key is pinned; a policy arrives with the enrollment approval.');
    const verified = verifySignedPolicy(bytes, key, record.installed());
    record.write(verified);
    this.#set(verified.policy, 'signed');
    return verified;
  }

  onChange(listener: (policy: Policy, source: PolicySource) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(policy: Policy, source: PolicySource): void {
    const changed = source !== this.#source || !bytesEqual(canonicalBytes(policy), canonicalBytes(this.#policy));
    this.#policy = policy;
    this.#source = source;
    if (changed) for (const listener of this.#listeners) listener(policy, source);
  }
}

/**
 * Loads into `store` the policy in force before anyone signs in: the installed signed policy, read and
 * re-verified through the device slot. The app does this at start (the lock screen shows its banner and
 * counts failed unlocks against its lockout thresholds) and rwctl before every unlock, so that the CLI
 * gives no more guesses than the app. Without a vault, or when it cannot be read, the default stays.
 */
export function loadPolicyBeforeSignIn(store: PolicyStore, dataDir: string, clock: () => number): Policy {
  if (!vaultExists(dataDir)) return store.current();
  try {
    const device = openDeviceAudit(dataDir, { clock });
    try {
      return store.load(enrollmentPolicyRecord(device.audit));
    } finally {
      device.close();
    }
  } catch {
    // DEFAULT_POLICY stays: nothing may leave, which is the safe direction.
    return store.current();
  }
}
