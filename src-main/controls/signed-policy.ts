/**
 * The signed policy (DESIGN §4 "policy key (Ed25519, signs the policy)"; ARCHITECTURE: insider-risk controls): a policy is a DSSE envelope
 * (POLICY_PAYLOAD_TYPE) that must verify under a key of the trust root — a file outside the vault folder
 * (controls/trust-root.ts) — never under a key read from the vault itself: whoever can write audit.db's
 * enrollment row could otherwise pin a key of their own and install a laxer policy with no
 * `policy.change` on the record.
 *
 * Threats: a reviewer (or malware with file access) hands the app a laxer policy — unsigned, signed by
 * some other key, or an older genuine one (rollback to a version that allowed copying) — or rewrites the
 * installed one in audit.db or the pre-sign-in copy in the vault folder. Each is refused with a message
 * that says which; the last good policy (or the strictest defaults) stays, and the refusal is logged as
 * `policy.invalid`. The envelope is verified on its exact bytes before its payload is parsed.
 */
import { join } from 'node:path';
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
import { readFileOrNull, writePrivateFileAtomic } from '../vault/vault-files';
import { processTrustRoot, type TrustRoot } from './trust-root';

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
 * Verify a signed policy file against the trust root's policy keys and the installed policy.
 * Refusals (all RwError, the installed policy untouched):
 * - POLICY_REFUSED: not JSON / not an envelope ("not signed"), no signatures, signed by another key or
 *   badly signed, another payload type, an older version, or a different policy under the same version;
 * - INVALID_INPUT: a genuine signature over a payload that is not a valid policy (schema);
 * - TOO_LARGE: more than MAX_POLICY_BYTES.
 * An identical re-install of the installed policy is accepted (idempotent).
 */
export function verifySignedPolicy(bytes: Uint8Array, trustedKeys: Uint8Array | readonly Uint8Array[], installed: Policy | null): VerifiedPolicy {
  const keys = trustedKeys instanceof Uint8Array ? [trustedKeys] : trustedKeys;
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
    const verified = verifyEnvelope(value, keys.map(ed25519PublicKey), { expectedPayloadType: POLICY_PAYLOAD_TYPE, maxSignatures: 4 });
    payload = verified.payload;
  } catch (error) {
    if (isRwError(error) && error.code === 'SIGNATURE_INVALID') refuse('The policy signature does not verify under the policy keys of the trust root.');
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

/** Where the installed signed policy lives (audit.db's enrollment row in the app). */
export interface PolicyRecord {
  /** The installed policy envelope's bytes, or null before enrollment. Verified by the store, not trusted. */
  installedEnvelope(): Uint8Array | null;
  /** Replace the installed policy (called only with a verified one). */
  write(verified: VerifiedPolicy): void;
}

/** The enrollment row of audit.db as a PolicyRecord (the attestation engineer's table; same columns). */
export function enrollmentPolicyRecord(audit: Database): PolicyRecord {
  return {
    installedEnvelope() {
      const row = audit.prepare('SELECT policy_envelope FROM enrollment WHERE id = 1').get();
      return typeof row?.policy_envelope === 'string' ? new TextEncoder().encode(row.policy_envelope) : null;
    },
    write(verified) {
      audit
        .prepare('UPDATE enrollment SET policy_version = ?, policy_json = ?, policy_envelope = ? WHERE id = 1')
        .run([verified.policy.version, JSON.stringify(verified.policy), JSON.stringify(verified.envelope)]);
    },
  };
}

export type PolicySource = 'default' | 'signed';

/** Why an installed policy was not put in force (logged as `policy.invalid`). */
export interface PolicyInvalid {
  reason: 'no-trust-root' | 'trust-root-unreadable' | 'not-verified';
  /** Where the refused policy came from: audit.db's enrollment row, or the pre-sign-in copy. */
  where: 'installed' | 'pre-sign-in-copy';
  message: string;
}

export interface PolicyStoreOptions {
  /** The trust root, read again at every verification (an administrator may rotate it); null when none. */
  trustRoot?(): TrustRoot | null;
}

/**
 * The policy the app core reads (`policy()`): the installed signed policy once enrolled and verified
 * under the trust root, the built-in DEFAULT_POLICY before (the strictest: nothing leaves). Synchronous
 * reads from memory; `load` refreshes from the record (at every unlock), `install` verifies and replaces.
 */
export class PolicyStore {
  #policy: Policy = DEFAULT_POLICY;
  #source: PolicySource = 'default';
  #lastInvalid: PolicyInvalid | null = null;
  #envelope: DsseEnvelope | null = null;
  readonly #trustRoot: () => TrustRoot | null;
  readonly #listeners = new Set<(policy: Policy, source: PolicySource) => void>();

  constructor(options: PolicyStoreOptions = {}) {
    this.#trustRoot = options.trustRoot ?? (() => processTrustRoot());
  }

  current(): Policy {
    return this.#policy;
  }

  source(): PolicySource {
    return this.#source;
  }

  /** The signed envelope of the policy in force, or null while the defaults are. */
  envelope(): DsseEnvelope | null {
    return this.#source === 'signed' ? this.#envelope : null;
  }

  /** The refusal of the last load, or null when it put a policy in force (or found none installed). */
  lastInvalid(): PolicyInvalid | null {
    return this.#lastInvalid;
  }

  #keys(): Uint8Array[] | PolicyInvalid {
    let root: TrustRoot | null;
    try {
      root = this.#trustRoot();
    } catch (error) {
      return { reason: 'trust-root-unreadable', where: 'installed', message: isRwError(error) ? error.message : 'The trust root could not be read.' };
    }
    if (!root) return { reason: 'no-trust-root', where: 'installed', message: 'No trust root is installed on this machine, so no signed policy can be accepted.' };
    return root.policyKeys;
  }

  /**
   * Verifies `envelope` under the trust root and puts it in force. A policy that fails keeps the last
   * good one (or the strictest defaults) and is returned as PolicyInvalid for the caller to log.
   */
  #loadEnvelope(envelope: Uint8Array | null, where: PolicyInvalid['where'], installed: Policy | null): VerifiedPolicy | null {
    this.#lastInvalid = null;
    if (envelope === null) return null;
    const keys = this.#keys();
    if (!Array.isArray(keys)) {
      this.#lastInvalid = { ...keys, where };
      return null;
    }
    try {
      const verified = verifySignedPolicy(envelope, keys, installed);
      this.#set(verified.policy, 'signed');
      this.#envelope = verified.envelope;
      return verified;
    } catch (error) {
      this.#lastInvalid = { reason: 'not-verified', where, message: isRwError(error) ? error.message : 'The policy could not be verified.' };
      return null;
    }
  }

  /** Reads the installed policy from the record and verifies it under the trust root (see lastInvalid). */
  load(record: PolicyRecord): Policy {
    const before = this.#source === 'signed' ? this.#policy : null;
    // A rollback below the last good policy this process saw is refused like any other bad policy.
    this.#loadEnvelope(record.installedEnvelope(), 'installed', before);
    return this.#policy;
  }

  /** The pre-sign-in copy (policy.json in the vault folder): verified the same way, no rollback reference. */
  loadEnvelope(envelope: Uint8Array | null): VerifiedPolicy | null {
    return this.#loadEnvelope(envelope, 'pre-sign-in-copy', null);
  }

  /** Verifies `bytes` under the trust root and the installed policy; on success writes and applies it. */
  install(record: PolicyRecord, bytes: Uint8Array): VerifiedPolicy {
    const keys = this.#keys();
    if (!Array.isArray(keys)) refuse(keys.message);
    const installedBytes = record.installedEnvelope();
    let installed: Policy | null = null;
    if (installedBytes) {
      try {
        installed = verifySignedPolicy(installedBytes, keys, null).policy;
      } catch {
        // The installed one no longer verifies (edited, or the root changed): the in-memory one is the reference.
        installed = this.#source === 'signed' ? this.#policy : null;
      }
    }
    const verified = verifySignedPolicy(bytes, keys, installed);
    record.write(verified);
    this.#set(verified.policy, 'signed');
    this.#envelope = verified.envelope;
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

/** The policy in force for a signed-in rwctl command: the installed one if it verifies under the trust root, else the defaults. */
export function policyInForce(audit: Database, trustRoot?: () => TrustRoot | null): Policy {
  return new PolicyStore(trustRoot ? { trustRoot } : {}).load(enrollmentPolicyRecord(audit));
}

/** The copy of the policy in force that the lock screen reads before anyone signs in (not secret: it is signed). */
export function preSignInPolicyPath(dataDir: string): string {
  return join(dataDir, 'policy.json');
}

/** Keeps the pre-sign-in copy equal to the verified policy in force (written at sign-in and on install). */
export function writePreSignInPolicy(dataDir: string, envelope: DsseEnvelope): void {
  writePrivateFileAtomic(preSignInPolicyPath(dataDir), JSON.stringify(envelope) + '\n');
}

/**
 * Writes the pre-sign-in copy from audit.db's installed policy, if it verifies under the trust root
 * (at lock and after an enrollment: the next lock screen then runs under it). Returns that policy.
 */
export function refreshPreSignInPolicy(dataDir: string, audit: Database, trustRoot?: () => TrustRoot | null): Policy | null {
  const probe = new PolicyStore(trustRoot ? { trustRoot } : {});
  probe.load(enrollmentPolicyRecord(audit));
  const envelope = probe.envelope();
  if (envelope) writePreSignInPolicy(dataDir, envelope);
  return envelope ? probe.current() : null;
}

/**
 * Loads into `store` the policy in force before anyone signs in: the pre-sign-in copy in the vault
 * folder, verified under the trust root like any other (the folder holds no key that opens audit.db).
 * The app does this at start (the lock screen shows its banner and counts failed unlocks against its
 * lockout thresholds) and rwctl before every unlock, so that the CLI gives no more guesses than the app.
 * Without a copy, or when it does not verify, the strictest default stays (see store.lastInvalid()).
 */
export function loadPolicyBeforeSignIn(store: PolicyStore, dataDir: string): Policy {
  const bytes = readFileOrNull(preSignInPolicyPath(dataDir));
  store.loadEnvelope(bytes === null ? null : new Uint8Array(bytes));
  return store.current();
}
