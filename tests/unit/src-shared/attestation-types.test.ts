import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PREDICATE_TYPES,
  approvalBundleSchema,
  attestationLeafData,
  auditCheckpointPredicateSchema,
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  bundleManifestSchema,
  enrollmentRequestSchema,
  isAllowedPredicateType,
  receiptSchema,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  FINDINGS_PREDICATE_TYPE,
  reviewOutcomePredicateSchema,
  statementSchema,
  type ReviewOutcomePredicate,
} from '../../../src-shared/attestation-types';
import { fromUtf8, toBase64 } from '../../../src-shared/encoding';

const hex = 'a'.repeat(64);
const key = toBase64(new Uint8Array(32).fill(1));

const predicate: ReviewOutcomePredicate = {
  caseId: 'case-1',
  verdict: 'concerns',
  findingCounts: { info: 0, low: 1, medium: 0, high: 0, critical: 0 },
  checklist: { completed: 3, total: 4, rubricVersion: '1.0' },
  policyDigest: hex,
  reviewWindow: { start: '2026-11-01T00:00:00Z', end: '2026-11-30T00:00:00Z' },
  reviewer: { id: 'alice', publicKeyId: hex },
  accessLogIndex: 0,
  releaseSummary: '',
  sequence: 1,
};

describe('predicate types', () => {
  it('allows exactly the three predicate types of our own', () => {
    expect([...ALLOWED_PREDICATE_TYPES]).toEqual([REVIEW_OUTCOME_PREDICATE_TYPE, AUDIT_CHECKPOINT_PREDICATE_TYPE, FINDINGS_PREDICATE_TYPE]);
    expect(isAllowedPredicateType('https://slsa.dev/provenance/v1')).toBe(false);
    expect(isAllowedPredicateType(`${REVIEW_OUTCOME_PREDICATE_TYPE}/`)).toBe(false);
  });
});

describe('review-outcome predicate', () => {
  it('accepts a complete predicate, with or without claim counts and unanswered criteria', () => {
    expect(reviewOutcomePredicateSchema.safeParse(predicate).success).toBe(true);
    const withLedger = { ...predicate, claims: { supported: 1, contradicted: 1, unverifiable: 1, unlinked: 0 }, unansweredCriteria: ['baselines.human'] };
    expect(reviewOutcomePredicateSchema.safeParse(withLedger).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown verdict', { verdict: 'approve' }],
    ['a missing severity', { findingCounts: { info: 0, low: 0, medium: 0, high: 0 } }],
    ['an extra severity', { findingCounts: { ...predicate.findingCounts, severe: 1 } }],
    ['a negative count', { findingCounts: { ...predicate.findingCounts, low: -1 } }],
    ['more completed than total', { checklist: { completed: 5, total: 4, rubricVersion: '1' } }],
    ['an uppercase policy digest', { policyDigest: 'A'.repeat(64) }],
    ['a review window with an offset', { reviewWindow: { start: '2026-11-01T00:00:00+01:00', end: '2026-11-30T00:00:00Z' } }],
    ['a summary over 4000 characters', { releaseSummary: 'x'.repeat(4001) }],
    ['sequence 0', { sequence: 0 }],
    ['a fractional index', { accessLogIndex: 1.5 }],
    ['an extra member', { notes: 'secret' }],
    ['a negative claim count', { claims: { supported: -1, contradicted: 0, unverifiable: 0, unlinked: 0 } }],
    ['a claim status nobody defined', { claims: { supported: 1, contradicted: 0, unverifiable: 0, unlinked: 0, plausible: 2 } }],
    ['a missing claim status', { claims: { supported: 1, contradicted: 0, unverifiable: 0 } }],
    ['an unanswered criterion that is not an item id', { unansweredCriteria: ['Human baseline!'] }],
  ])('refuses %s', (_name, change) => {
    expect(reviewOutcomePredicateSchema.safeParse({ ...predicate, ...change }).success).toBe(false);
  });
});

describe('audit-checkpoint predicate', () => {
  const cp = { origin: 'rw-workstation/x', size: 3, rootHash: toBase64(new Uint8Array(32)), checkpoint: 'note', sequence: 1 };
  it.each<[string, Record<string, unknown>]>([
    ['a 31-byte root', { rootHash: toBase64(new Uint8Array(31)) }],
    ['a URL-safe root', { rootHash: '-'.repeat(43) + '=' }],
    ['a negative size', { size: -1 }],
    ['an extra member', { leaves: [] }],
  ])('refuses %s', (_name, change) => {
    expect(auditCheckpointPredicateSchema.safeParse(cp).success).toBe(true);
    expect(auditCheckpointPredicateSchema.safeParse({ ...cp, ...change }).success).toBe(false);
  });
});

describe('Statement', () => {
  const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'a', digest: { sha256: hex } }], predicateType: REVIEW_OUTCOME_PREDICATE_TYPE, predicate };
  it.each<[string, Record<string, unknown>]>([
    ['another _type', { _type: 'https://in-toto.io/Statement/v0.1' }],
    ['no subjects', { subject: [] }],
    ['a subject without sha256', { subject: [{ name: 'a', digest: { sha512: hex } }] }],
    ['a subject with an uppercase digest', { subject: [{ name: 'a', digest: { sha256: hex.toUpperCase() } }] }],
    ['a predicate that is not an object', { predicate: 'text' }],
    ['an extra top-level member', { content: 'x' }],
  ])('refuses %s', (_name, change) => {
    expect(statementSchema.safeParse(statement).success).toBe(true);
    expect(statementSchema.safeParse({ ...statement, ...change }).success).toBe(false);
  });
});

describe('enrollment, manifest and receipt documents', () => {
  it.each<[string, () => boolean]>([
    ['a request with a 31-byte device key', () => enrollmentRequestSchema.safeParse({ workstationId: 'w', devicePublicKey: toBase64(new Uint8Array(31)), logOrigin: 'o', reviewerPublicKeys: [], requestedAt: 1 }).success],
    ['a request with a reviewer key as a bare string', () => enrollmentRequestSchema.safeParse({ workstationId: 'w', devicePublicKey: key, logOrigin: 'o', reviewerPublicKeys: [key], requestedAt: 1 }).success],
    ['an approval bundle with an extra member', () => approvalBundleSchema.safeParse({ serverPublicKey: key, envelope: { payload: '', payloadType: 'x', signatures: [{ sig: '' }] }, policy: {} }).success],
    ['a manifest naming a path', () => bundleManifestSchema.safeParse({ workstationId: 'w', createdAt: 1, files: [{ name: '../etc/passwd', sha256: hex, size: 1 }] }).success],
    ['a receipt with a non-hex digest', () => receiptSchema.safeParse({ envelopeSha256: 'z'.repeat(64), logIndex: 0, treeSize: 1, inclusionProof: [], checkpoint: 'c' }).success],
  ])('refuses %s', (_name, parse) => {
    expect(parse()).toBe(false);
  });
});

describe('server log leaf of an envelope', () => {
  it('is the canonical JSON of the signed members, whatever order or null keyid they came in', () => {
    const a = attestationLeafData({ payloadType: 't', payload: 'cA==', signatures: [{ sig: 'c2ln', keyid: null }] });
    const b = attestationLeafData({ signatures: [{ sig: 'c2ln' }], payload: 'cA==', payloadType: 't' });
    expect(fromUtf8(a)).toBe('{"payload":"cA==","payloadType":"t","signatures":[{"sig":"c2ln"}]}');
    expect(b).toEqual(a);
    expect(attestationLeafData({ payloadType: 't', payload: 'cA==', signatures: [{ sig: 'c2ln', keyid: 'k' }] })).not.toEqual(a);
  });
});
