/**
 * Enrollment (see ARCHITECTURE: attestations and sync): a workstation's DSSE-signed request (device key, reviewer keys, log origin),
 * approved by the administrator offline (`rwctl server enroll`) or over HTTP (`POST /v1/admin/enroll`
 * with the admin token). Approval records the keys and answers with an approval bundle: the server's
 * public key and name, the policy signed by the policy key, the trusted submitter keys, all DSSE-signed
 * by the server key.
 *
 * The request is self-signed, so its payload has to be read to learn the key that must have signed it:
 * that is safe only because the caller is already the authenticated administrator, and the signature
 * still proves the requester holds the device key (no enrolling someone else's public key by mistake).
 */
import { ed25519PublicKey, ed25519Sign } from '../src-shared/node/crypto';
import { canonicalBytes } from '../src-shared/canonical-json';
import { fromBase64, fromBase64Any, toBase64 } from '../src-shared/encoding';
import { isRwError } from '../src-shared/errors';
import { parseEnvelopeBytes, signEnvelope, verifyEnvelope, type DsseEnvelope } from '../src-shared/node/dsse';
import { parseStrictJson } from '../src-shared/strict-json';
import { parsePublicKeyPem } from '../src-shared/node/crypto';
import type { Policy } from '../src-shared/policy';
import {
  ENROLLMENT_APPROVAL_PAYLOAD_TYPE,
  ENROLLMENT_REQUEST_PAYLOAD_TYPE,
  enrollmentRequestSchema,
  POLICY_PAYLOAD_TYPE,
  type ApprovalBundle,
  type EnrollmentApproval,
  type EnrollmentRequest,
} from '../src-shared/attestation-types';
import { enrolledKeyId } from './key-id';
import { refuse } from './refusal';
import { openEnrollmentCheckpoint } from './witness';
import type { EnrolledKey, ServerStore } from './server-store';

export const ENROLLMENT_REQUEST_MAX_BYTES = 64 * 1024;

/** The approval schema's envelope shape: keyid present only when it is a string. */
function plainEnvelope(envelope: DsseEnvelope): { payload: string; payloadType: string; signatures: { keyid?: string; sig: string }[] } {
  return {
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map((s) => (typeof s.keyid === 'string' ? { keyid: s.keyid, sig: s.sig } : { sig: s.sig })),
  };
}

function ed25519Signer(seed: Uint8Array) {
  return { sign: (message: Uint8Array) => ed25519Sign(seed, message) };
}

/** Parse and check a request's self-signature; refusals carry reasons for the HTTP edge. */
export function verifyEnrollmentRequest(bytes: Uint8Array): EnrollmentRequest {
  let envelope: DsseEnvelope;
  try {
    envelope = parseEnvelopeBytes(bytes, { maxBytes: ENROLLMENT_REQUEST_MAX_BYTES });
  } catch (error) {
    refuse('malformed-envelope', `The enrollment request is not a DSSE envelope: ${isRwError(error) ? error.message : 'malformed'}`);
  }
  if (envelope.payloadType !== ENROLLMENT_REQUEST_PAYLOAD_TYPE) refuse('wrong-payload-type', `The enrollment request must be of type ${ENROLLMENT_REQUEST_PAYLOAD_TYPE}.`);
  let request: EnrollmentRequest;
  try {
    request = enrollmentRequestSchema.parse(parseStrictJson(fromBase64Any(envelope.payload), { maxBytes: ENROLLMENT_REQUEST_MAX_BYTES }));
  } catch (error) {
    refuse('bad-request', `The enrollment request is malformed: ${isRwError(error) ? error.message : 'it does not match the request schema'}`);
  }
  try {
    verifyEnvelope(envelope, [ed25519PublicKey(fromBase64(request.devicePublicKey))]);
  } catch {
    refuse('bad-signature', 'The enrollment request is not signed by the device key it names.');
  }
  return request;
}

function keysOf(request: EnrollmentRequest, at: number): EnrolledKey[] {
  const device = fromBase64(request.devicePublicKey);
  const keys: EnrolledKey[] = [
    {
      keyId: enrolledKeyId(device),
      publicKey: device,
      role: 'device',
      workstationId: request.workstationId,
      subject: request.workstationId,
      logOrigin: request.logOrigin,
      enrolledAt: at,
      revokedAt: null,
      lastSequence: 0,
    },
  ];
  for (const reviewer of request.reviewerPublicKeys) {
    const raw = fromBase64(reviewer.publicKey);
    keys.push({ keyId: enrolledKeyId(raw), publicKey: raw, role: 'reviewer', workstationId: request.workstationId, subject: reviewer.reviewerId, logOrigin: null, enrolledAt: at, revokedAt: null, lastSequence: 0 });
  }
  if (new Set(keys.map((k) => k.keyId)).size !== keys.length) refuse('enrollment-refused', 'The request lists the same key twice.');
  return keys;
}

/**
 * Records the request's keys and, for a log the witness does not know yet, the request's checkpoint as
 * the witness's starting state. Idempotent for keys already enrolled the same way; a revoked key is never
 * enrolled again (revocation is final), and a log origin belongs to one unrevoked device key. Re-keying:
 * once the administrator revoked a workstation's device key (say it leaked), a request with a new device
 * key for the same log takes the origin over; the witness keeps what it held, so the log must still
 * extend everything already cosigned.
 */
export async function enrollKeys(store: ServerStore, request: EnrollmentRequest, at: number): Promise<EnrolledKey[]> {
  const keys = keysOf(request, at);
  const device = keys[0]!;
  const checkpoint = openEnrollmentCheckpoint(request.checkpoint, request.logOrigin, device.publicKey);
  return store.transaction(async (tx) => {
    const byOrigin = await store.keyByOrigin(request.logOrigin);
    if (byOrigin && byOrigin.keyId !== device.keyId) {
      const holder = await tx.keyForUpdate(byOrigin.keyId);
      if (holder && holder.revokedAt === null) refuse('enrollment-refused', 'That log origin is enrolled for another device key; revoke that key first to re-key the workstation.');
      if (holder && holder.workstationId !== request.workstationId) refuse('enrollment-refused', 'That log origin belonged to another workstation.');
      await tx.releaseLogOrigin(byOrigin.keyId);
    }
    if (!(await tx.witnessState(request.logOrigin))) {
      await tx.setWitnessState({ origin: request.logOrigin, size: checkpoint.size, rootHash: checkpoint.rootHash, checkpoint: request.checkpoint, updatedAt: at });
    }
    const out: EnrolledKey[] = [];
    for (const key of keys) {
      const existing = await tx.keyForUpdate(key.keyId);
      if (existing) {
        if (existing.revokedAt !== null) refuse('enrollment-refused', 'A key in the request was revoked; revoked keys cannot be enrolled again.', { keyId: key.keyId });
        if (existing.role !== key.role || existing.workstationId !== key.workstationId) refuse('enrollment-refused', 'A key in the request is enrolled for another role or workstation.', { keyId: key.keyId });
        out.push(existing);
        continue;
      }
      await tx.insertKey(key);
      out.push(key);
    }
    return out;
  });
}

export async function revokeEnrolledKey(store: ServerStore, keyId: string, at: number): Promise<EnrolledKey> {
  if (!/^[0-9a-f]{64}$/.test(keyId)) refuse('bad-request', 'A key id is 64 lowercase hex digits.');
  return store.transaction(async (tx) => {
    const key = await tx.keyForUpdate(keyId);
    if (!key) refuse('not-found', 'No enrolled key has that id.');
    if (key.revokedAt === null) await tx.revokeKey(keyId, at);
    return { ...key, revokedAt: key.revokedAt ?? at };
  });
}

export interface ApprovalInputs {
  serverName: string;
  serverSeed: Uint8Array;
  serverPublicKey: Uint8Array;
  serverUrl?: string;
  policy: Policy;
  policySeed: Uint8Array;
  policyPublicKey: Uint8Array;
  /** SPKI PEM; each is parsed here so a typo never reaches a workstation. */
  trustedSubmitterKeys: readonly string[];
}

export function buildApprovalBundle(inputs: ApprovalInputs, request: EnrollmentRequest, at: number): ApprovalBundle {
  for (const pem of inputs.trustedSubmitterKeys) {
    const key = parsePublicKeyPem(pem);
    if (key.algorithm === 'ed25519') refuse('bad-request', 'Trusted submitter keys are ECDSA P-256 or P-384 (OMS key mode).');
  }
  const policyEnvelope = plainEnvelope(signEnvelope(POLICY_PAYLOAD_TYPE, canonicalBytes(inputs.policy), [ed25519Signer(inputs.policySeed)]));
  const approval: EnrollmentApproval = {
    workstationId: request.workstationId,
    devicePublicKey: request.devicePublicKey,
    serverPublicKey: toBase64(inputs.serverPublicKey),
    serverName: inputs.serverName,
    ...(inputs.serverUrl ? { serverUrl: inputs.serverUrl } : {}),
    policyEnvelope,
    policyPublicKey: toBase64(inputs.policyPublicKey),
    trustedSubmitterKeys: [...inputs.trustedSubmitterKeys],
    approvedAt: at,
  };
  const envelope = signEnvelope(ENROLLMENT_APPROVAL_PAYLOAD_TYPE, canonicalBytes(approval), [
    { keyid: enrolledKeyId(inputs.serverPublicKey), ...ed25519Signer(inputs.serverSeed) },
  ]);
  return { serverPublicKey: toBase64(inputs.serverPublicKey), envelope: plainEnvelope(envelope) };
}
