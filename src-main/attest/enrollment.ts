/**
 * Enrollment (DESIGN §4; ARCHITECTURE: attestations and sync): the workstation asks the central office to enroll its device and
 * reviewer keys, and installs what the office answers: the server key to pin, the signed policy and the
 * key that signs policies, and the trusted submitter keys.
 *
 * Threats: an unsigned or forged approval redirecting sync to another server or swapping the submitter
 * keys (so a forged package imports as genuine); a rollback to an older, laxer policy. So: the approval
 * is a DSSE envelope verified with the key it names before its payload is parsed (the administrator
 * carries the first one by hand: trust on first use), a later approval must be signed by the key already
 * pinned, the policy must verify under the policy key, and a policy older than the installed one is
 * refused. Nothing is installed unless every check passes.
 */
import type { Database } from '@signalapp/sqlcipher';
import {
  approvalBundleSchema,
  ENROLLMENT_APPROVAL_PAYLOAD_TYPE,
  ENROLLMENT_REQUEST_PAYLOAD_TYPE,
  enrollmentApprovalSchema,
  enrollmentRequestSchema,
  POLICY_PAYLOAD_TYPE,
  type EnrollmentApproval,
  type EnrollmentRequest,
} from '../../src-shared/attestation-types';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { ed25519PublicKey, ed25519Sign, parsePublicKeyPem, type PublicKey } from '../../src-shared/node/crypto';
import { signEnvelope, verifyEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { bytesEqual, fromBase64, toBase64, utf8, zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { DEFAULT_POLICY, policySchema, type Policy } from '../../src-shared/policy';
import { parseStrictJson } from '../../src-shared/strict-json';
import type { z } from 'zod';
import { readDeviceSigningKey } from '../vault/vault';
import { devicePublicKey } from './own-keys';

const MAX_APPROVAL_BYTES = 512 * 1024;

function refuse(message: string, detail: Record<string, string | number> = {}): never {
  throw new RwError('POLICY_REFUSED', message, detail);
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RwError('INVALID_INPUT', `The ${what} is malformed: ${issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'invalid'}.`);
  }
  return result.data;
}

/** The DSSE-signed request (device key signs) an administrator takes to the central office. */
export function createEnrollmentRequest(
  audit: Database,
  input: {
    workstationId: string;
    logOrigin: string;
    reviewers: readonly { reviewerId: string; publicKey: Uint8Array }[];
    /** The access log's device-signed checkpoint now: the witness starts from it (no first checkpoint out of nowhere). */
    checkpoint: string;
    clock(): number;
  },
): DsseEnvelope {
  const device = readDeviceSigningKey(audit);
  try {
    const request: EnrollmentRequest = parseWith(
      enrollmentRequestSchema,
      {
        workstationId: input.workstationId,
        devicePublicKey: toBase64(device.publicKey),
        logOrigin: input.logOrigin,
        reviewerPublicKeys: input.reviewers.map((r) => ({ reviewerId: r.reviewerId, publicKey: toBase64(r.publicKey) })),
        requestedAt: input.clock(),
        checkpoint: input.checkpoint,
      },
      'enrollment request',
    );
    return signEnvelope(ENROLLMENT_REQUEST_PAYLOAD_TYPE, canonicalBytes(request), [{ sign: (m) => ed25519Sign(device.privateKey, m) }]);
  } finally {
    zeroize(device.privateKey);
  }
}

/** Server side and tests: verify a request with the device key it names (self-signed proof of possession). */
export function openEnrollmentRequest(value: unknown): EnrollmentRequest {
  const envelope = parseWith(approvalBundleSchema.shape.envelope, value, 'enrollment request');
  // The payload is read twice: once, unverified, only for the key to verify it with; the typed result
  // comes from the second parse of the verified bytes.
  const claimed = parseWith(enrollmentRequestSchema, parseStrictJson(fromBase64(envelope.payload), { maxDepth: 8 }), 'enrollment request');
  const verified = verifyEnvelope(envelope, [ed25519PublicKey(fromBase64(claimed.devicePublicKey))], { expectedPayloadType: ENROLLMENT_REQUEST_PAYLOAD_TYPE });
  return parseWith(enrollmentRequestSchema, parseStrictJson(verified.payload, { maxDepth: 8 }), 'enrollment request');
}

export interface Enrollment {
  workstationId: string;
  serverPublicKey: Uint8Array;
  serverName: string;
  serverUrl: string | null;
  policyPublicKey: Uint8Array;
  policy: Policy;
  policyEnvelope: DsseEnvelope;
  trustedSubmitterKeys: string[];
  installedAt: number;
}

/** Verify a policy envelope under the policy key; the policy's own schema is applied to verified bytes only. */
export function openPolicyEnvelope(envelope: unknown, policyPublicKey: Uint8Array): Policy {
  const verified = verifyEnvelope(envelope, [ed25519PublicKey(policyPublicKey)], { expectedPayloadType: POLICY_PAYLOAD_TYPE });
  return parseWith(policySchema, parseStrictJson(verified.payload, { maxDepth: 8 }), 'policy');
}

export interface VerifiedApproval {
  approval: EnrollmentApproval;
  policy: Policy;
  submitterKeys: PublicKey[];
}

/**
 * Verify an approval bundle file for this workstation. Pure apart from its inputs; throws INVALID_INPUT
 * (malformed), SIGNATURE_INVALID (a signature fails) or POLICY_REFUSED (valid, but not acceptable here).
 */
export function verifyApprovalBundle(bytes: Uint8Array, own: { workstationId: string; devicePublicKey: Uint8Array }, pinned: Enrollment | null): VerifiedApproval {
  const bundle = parseWith(approvalBundleSchema, parseStrictJson(bytes, { maxBytes: MAX_APPROVAL_BYTES, maxDepth: 8 }), 'approval bundle');
  const serverKey = fromBase64(bundle.serverPublicKey);
  if (pinned && !bytesEqual(pinned.serverPublicKey, serverKey)) refuse('The approval names a different server key than the one pinned at enrollment.');
  const verified = verifyEnvelope(bundle.envelope, [ed25519PublicKey(serverKey)], { expectedPayloadType: ENROLLMENT_APPROVAL_PAYLOAD_TYPE });
  const approval = parseWith(enrollmentApprovalSchema, parseStrictJson(verified.payload, { maxDepth: 8 }), 'approval');
  if (approval.serverPublicKey !== bundle.serverPublicKey) refuse('The approval is signed by a key other than the server key it names.');
  if (approval.workstationId !== own.workstationId) refuse('The approval is for another workstation.', { workstationId: approval.workstationId.slice(0, 80) });
  if (!bytesEqual(fromBase64(approval.devicePublicKey), own.devicePublicKey)) refuse('The approval is for another device key.');
  const policyKey = fromBase64(approval.policyPublicKey);
  if (pinned && !bytesEqual(pinned.policyPublicKey, policyKey)) refuse('The approval names a different policy key than the one pinned at enrollment.');
  const policy = openPolicyEnvelope(approval.policyEnvelope, policyKey);
  if (policy.server !== null) {
    // The sync client takes its host only from the policy; the approval must agree with it.
    if (policy.server.publicKey !== approval.serverPublicKey) refuse("The policy's server key is not the approving server's key.");
    if (approval.serverUrl !== undefined && approval.serverUrl !== policy.server.url) refuse("The approval's server URL differs from the policy's.");
  } else if (approval.serverUrl !== undefined) {
    refuse('The approval names a server URL that the signed policy does not.');
  }
  if (pinned) {
    if (policy.version < pinned.policy.version) refuse('The approval carries an older policy than the one installed.', { installed: pinned.policy.version, offered: policy.version });
    if (policy.version === pinned.policy.version && !bytesEqual(canonicalBytes(policy), canonicalBytes(pinned.policy))) {
      refuse('The approval carries a different policy under the installed version number.', { version: policy.version });
    }
  }
  const submitterKeys = approval.trustedSubmitterKeys.map((pem) => {
    const key = parsePublicKeyPem(pem);
    if (key.algorithm === 'ed25519') refuse('Submitter keys are ECDSA P-256 or P-384.');
    return key;
  });
  return { approval, policy, submitterKeys };
}

/** Install a verified approval into audit.db (one row; replaced by a newer approval). */
export function installApproval(audit: Database, verified: VerifiedApproval, clock: () => number): Enrollment {
  const { approval, policy } = verified;
  audit
    .prepare(
      `INSERT INTO enrollment(id, workstation_id, server_public_key, server_name, server_url, policy_public_key, policy_version, policy_json, policy_envelope, submitter_keys_json, approval_json, installed_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET workstation_id = excluded.workstation_id, server_public_key = excluded.server_public_key, server_name = excluded.server_name,
         server_url = excluded.server_url, policy_public_key = excluded.policy_public_key, policy_version = excluded.policy_version, policy_json = excluded.policy_json,
         policy_envelope = excluded.policy_envelope, submitter_keys_json = excluded.submitter_keys_json, approval_json = excluded.approval_json, installed_at = excluded.installed_at`,
    )
    .run([
      approval.workstationId,
      Buffer.from(fromBase64(approval.serverPublicKey)),
      approval.serverName,
      policy.server?.url ?? null,
      Buffer.from(fromBase64(approval.policyPublicKey)),
      policy.version,
      JSON.stringify(policy),
      JSON.stringify(approval.policyEnvelope),
      JSON.stringify(approval.trustedSubmitterKeys),
      JSON.stringify(approval),
      clock(),
    ]);
  const installed = readEnrollment(audit);
  if (!installed) throw new RwError('INTERNAL', 'The enrollment was not stored.');
  return installed;
}

/** Verify and install in one step; the vault's own workstation id and device key are the reference. */
export function importApproval(audit: Database, workstationId: string, bytes: Uint8Array, clock: () => number): Enrollment {
  const verified = verifyApprovalBundle(bytes, { workstationId, devicePublicKey: devicePublicKey(audit) }, readEnrollment(audit));
  return installApproval(audit, verified, clock);
}

/**
 * The pinned enrollment, or null before enrollment. The stored policy envelope is re-verified under the
 * pinned policy key on every read: a row edited in audit.db cannot loosen the policy.
 */
export function readEnrollment(audit: Database): Enrollment | null {
  const row = audit.prepare('SELECT * FROM enrollment WHERE id = 1').get();
  if (!row) return null;
  if (!(row.server_public_key instanceof Uint8Array) || !(row.policy_public_key instanceof Uint8Array)) throw new RwError('VAULT_DAMAGED', 'The enrollment record is damaged.');
  const policyKey = new Uint8Array(row.policy_public_key);
  const policyEnvelope = JSON.parse(String(row.policy_envelope)) as DsseEnvelope;
  let policy: Policy;
  try {
    policy = openPolicyEnvelope(policyEnvelope, policyKey);
  } catch {
    throw new RwError('VAULT_DAMAGED', 'The installed policy no longer verifies under the pinned policy key.');
  }
  return {
    workstationId: String(row.workstation_id),
    serverPublicKey: new Uint8Array(row.server_public_key),
    serverName: String(row.server_name),
    serverUrl: policy.server?.url ?? null,
    policyPublicKey: policyKey,
    policy,
    policyEnvelope,
    trustedSubmitterKeys: (JSON.parse(String(row.submitter_keys_json)) as unknown[]).map(String),
    installedAt: Number(row.installed_at),
  };
}

/** The policy in force: the signed one once enrolled, else the built-in default (nothing leaves). */
export function currentPolicy(audit: Database): Policy {
  return readEnrollment(audit)?.policy ?? DEFAULT_POLICY;
}

/** Submitter keys from the signed policy (for the package importer), empty before enrollment. */
export function trustedSubmitterKeys(audit: Database): PublicKey[] {
  return (readEnrollment(audit)?.trustedSubmitterKeys ?? []).map((pem) => parsePublicKeyPem(pem));
}

/** For the central office and tests: a policy envelope signed with a policy seed. */
export function signPolicy(policy: Policy, policySeed: Uint8Array): DsseEnvelope {
  const checked = parseWith(policySchema, policy, 'policy');
  return signEnvelope(POLICY_PAYLOAD_TYPE, utf8(JSON.stringify(checked)), [{ sign: (m) => ed25519Sign(policySeed, m) }]);
}
