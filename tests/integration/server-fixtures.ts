/**
 * Test fixtures for the central server: workstations with real Ed25519 keys, enrollment requests,
 * review-outcome and audit-checkpoint attestations in DSSE envelopes, and witness requests, all built
 * with the shared wire types so the tests speak exactly what the workstation side sends.
 */
import { ed25519PublicFromSeed, ed25519Sign, randomBytes, sha256 } from '../../src-shared/node/crypto';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { signEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { toBase64, toHex, utf8 } from '../../src-shared/encoding';
import { signCheckpoint } from '../../src-shared/node/checkpoint';
import { ed25519NoteSigner } from '../../src-shared/node/signed-note';
import { compactRangeFromLeaves, compactRangeRoot } from '../../src-shared/node/compact-range';
import { consistencyProof, leafHash } from '../../src-shared/node/merkle';
import { formatAddCheckpointRequest } from '../../src-shared/node/tlog-witness';
import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  auditCheckpointSubject,
  ENROLLMENT_REQUEST_PAYLOAD_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  type EnrollmentRequest,
  type ReviewOutcomePredicate,
} from '../../src-shared/attestation-types';

export interface TestKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  keyId: string;
}

export function testKey(): TestKey {
  const seed = randomBytes(32);
  const publicKey = ed25519PublicFromSeed(seed);
  return { seed, publicKey, keyId: toHex(sha256(publicKey)) };
}

export interface TestWorkstation {
  workstationId: string;
  logOrigin: string;
  device: TestKey;
  reviewers: { reviewerId: string; key: TestKey }[];
}

export function testWorkstation(reviewerCount = 1): TestWorkstation {
  const workstationId = toHex(randomBytes(16));
  return {
    workstationId,
    logOrigin: `rw.test/audit/${workstationId}`,
    device: testKey(),
    reviewers: Array.from({ length: reviewerCount }, (_, i) => ({ reviewerId: `reviewer-${i + 1}`, key: testKey() })),
  };
}

export function signerOf(key: TestKey, keyid: string | undefined = key.keyId) {
  return { ...(keyid === undefined ? {} : { keyid }), sign: (message: Uint8Array) => ed25519Sign(key.seed, message) };
}

/** The workstation's request; its access log (testAuditLog) stood at `logSize` leaves when it was made. */
export function enrollmentRequest(ws: TestWorkstation, logSize = 0, requestedAt = 1_700_000_000_000): EnrollmentRequest {
  return {
    workstationId: ws.workstationId,
    devicePublicKey: toBase64(ws.device.publicKey),
    logOrigin: ws.logOrigin,
    reviewerPublicKeys: ws.reviewers.map((r) => ({ reviewerId: r.reviewerId, publicKey: toBase64(r.key.publicKey) })),
    requestedAt,
    checkpoint: testAuditLog(ws, logSize).checkpointAt(logSize).note,
  };
}

export function enrollmentRequestBytes(ws: TestWorkstation, signWith: TestKey = ws.device, logSize = 0): Uint8Array {
  return utf8(JSON.stringify(signEnvelope(ENROLLMENT_REQUEST_PAYLOAD_TYPE, canonicalBytes(enrollmentRequest(ws, logSize)), [signerOf(signWith)])));
}

export function reviewPredicate(reviewer: TestKey, sequence: number, overrides: Partial<ReviewOutcomePredicate> = {}): ReviewOutcomePredicate {
  return {
    caseId: 'case-1',
    verdict: 'concerns',
    findingCounts: { info: 1, low: 0, medium: 2, high: 0, critical: 0 },
    checklist: { completed: 10, total: 12, rubricVersion: 'rubric-2026.1' },
    policyDigest: toHex(sha256(utf8('policy'))),
    reviewWindow: { start: '2026-11-01T00:00:00Z', end: '2026-11-30T00:00:00Z' },
    reviewer: { id: 'reviewer-1', publicKeyId: reviewer.keyId },
    accessLogIndex: 42,
    releaseSummary: 'Reviewed; two medium findings shared with the developer.',
    sequence,
    ...overrides,
  };
}

export function statementBytesOf(predicateType: string, predicate: unknown, subjects: { name: string; digest: Record<string, string> }[] = [{ name: 'model-card.md', digest: { sha256: toHex(sha256(utf8('model card'))) } }]): Uint8Array {
  return canonicalBytes({ _type: IN_TOTO_STATEMENT_TYPE, subject: subjects, predicateType, predicate });
}

export function envelopeBytes(envelope: DsseEnvelope | unknown): Uint8Array {
  return utf8(JSON.stringify(envelope));
}

/** A valid review-outcome attestation by `reviewer` with `sequence`. */
export function reviewAttestation(reviewer: TestKey, sequence: number, subjectText = `artifact-${sequence}`): Uint8Array {
  const subjects = [{ name: `${subjectText}.md`, digest: { sha256: toHex(sha256(utf8(subjectText))) } }];
  return envelopeBytes(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(REVIEW_OUTCOME_PREDICATE_TYPE, reviewPredicate(reviewer, sequence), subjects), [signerOf(reviewer)]));
}

/** A workstation's access log of `size` leaves, with its signed checkpoints at any size. */
export function testAuditLog(ws: TestWorkstation, size: number) {
  const leaves = Array.from({ length: size }, (_, i) => leafHash(utf8(`leaf ${i} of ${ws.workstationId}`)));
  const checkpointAt = (n: number) => {
    const rootHash = compactRangeRoot(compactRangeFromLeaves(leaves.slice(0, n)));
    return { rootHash, note: signCheckpoint({ origin: ws.logOrigin, size: n, rootHash, extensions: [] }, [ed25519NoteSigner(ws.logOrigin, ws.device.seed)]) };
  };
  const witnessRequest = (oldSize: number, newSize: number) =>
    formatAddCheckpointRequest({ oldSize, proof: oldSize === 0 ? [] : consistencyProof(leaves, oldSize, newSize), checkpoint: utf8(checkpointAt(newSize).note) });
  return { leaves, checkpointAt, witnessRequest };
}

export function auditCheckpointAttestation(ws: TestWorkstation, size: number, sequence: number): Uint8Array {
  const { rootHash, note } = testAuditLog(ws, size).checkpointAt(size);
  const predicate = { origin: ws.logOrigin, size, rootHash: toBase64(rootHash), checkpoint: note, sequence };
  return envelopeBytes(signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementBytesOf(AUDIT_CHECKPOINT_PREDICATE_TYPE, predicate, [auditCheckpointSubject(ws.logOrigin, rootHash)]), [signerOf(ws.device)]));
}
