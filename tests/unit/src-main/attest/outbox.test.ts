import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  type Statement,
} from '../../../../src-shared/attestation-types';
import { canonicalBytes } from '../../../../src-shared/canonical-json';
import { ed25519Sign, randomBytes, type Ed25519KeyPair } from '../../../../src-shared/node/crypto';
import { signEnvelope, type DsseEnvelope } from '../../../../src-shared/node/dsse';
import { toBase64, utf8 } from '../../../../src-shared/encoding';
import { admitToOutbox, listOutbox } from '../../../../src-main/attest/outbox';
import { buildReviewStatement, gatherReviewFacts, policyDigest } from '../../../../src-main/attest/review-attestation';
import { signCheckpointStatement } from '../../../../src-main/attest/checkpoint-statement';
import { readDeviceSigningKey, unlockSigningKey } from '../../../../src-main/vault/vault';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { codeOf, insertCase, openVaultFixture, PASS, type VaultFixture } from '../../../helpers/attest-fixture';

let f: VaultFixture;
let reviewer: Ed25519KeyPair;
let device: Ed25519KeyPair;
let statement: Statement;

// One vault per file: Argon2id at the 64 MiB floor makes each unlock cost a second.
beforeAll(async () => {
  f = await openVaultFixture();
  insertCase(f);
  reviewer = await unlockSigningKey(f.dir, f.vault, PASS, f.deps);
  device = readDeviceSigningKey(f.vault.audit);
  statement = buildReviewStatement(
    gatherReviewFacts(f.vault.content!, defaultRubric(), 'case-0001'),
    { caseId: 'case-0001', verdict: 'concerns', releaseSummary: 'Two medium findings; see the release notes.' },
    { reviewerId: 'alice', reviewerPublicKey: reviewer.publicKey, policyDigest: policyDigest(DEFAULT_POLICY), accessLogIndex: 3, sequence: 1 },
  );
});
afterAll(() => f.close());
beforeEach(() => f.vault.audit.exec('DELETE FROM outbox'));

const signedBy = (key: Ed25519KeyPair, payload: Uint8Array, payloadType = IN_TOTO_PAYLOAD_TYPE): DsseEnvelope =>
  signEnvelope(payloadType, payload, [{ sign: (m) => ed25519Sign(key.privateKey, m) }]);
const json = (value: unknown) => utf8(JSON.stringify(value));
const outboxCount = () => Number(f.vault.audit.prepare('SELECT count(*) AS n FROM outbox').get()?.n);

describe('outbox gate', () => {
  it('admits a review Statement signed by the reviewer key, once, as pending', () => {
    const envelope = signedBy(reviewer, canonicalBytes(statement));
    const item = admitToOutbox(f.vault.audit, envelope, f.keys, () => f.clock.now);
    expect(item.state).toBe('pending');
    expect(item.label).toBe('Review of case case-0001: concerns');
    expect(admitToOutbox(f.vault.audit, envelope, f.keys, () => f.clock.now).id).toBe(item.id);
    expect(listOutbox(f.vault.audit, f.keys).map((i) => i.envelopeSha256)).toEqual([item.envelopeSha256]);
  });

  it('admits an audit-checkpoint Statement signed by the device key (subject = log origin and root)', () => {
    f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '1' }, outcome: 'success' });
    const { envelope, statement: cp } = signCheckpointStatement(f.vault.audit, f.log.origin, f.log.checkpoint('test').note);
    expect(cp.subject[0]?.name).toBe(f.log.origin);
    const item = admitToOutbox(f.vault.audit, envelope, f.keys, () => f.clock.now);
    expect(item.predicateType).toBe(AUDIT_CHECKPOINT_PREDICATE_TYPE);
  });

  it.each<[string, () => unknown, string]>([
    ['an unsigned envelope', () => ({ payload: toBase64(canonicalBytes(statement)), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [] }), 'INVALID_INPUT'],
    ['a garbage signature', () => ({ payload: toBase64(canonicalBytes(statement)), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig: toBase64(randomBytes(64)) }] }), 'SIGNATURE_INVALID'],
    ['a Statement signed by an unknown key', () => signedBy({ privateKey: randomBytes(32), publicKey: new Uint8Array(32) }, canonicalBytes(statement)), 'SIGNATURE_INVALID'],
    ['a changed payload under a valid signature', () => ({ ...signedBy(reviewer, canonicalBytes(statement)), payload: toBase64(canonicalBytes({ ...statement, subject: statement.subject.slice(1) })) }), 'SIGNATURE_INVALID'],
    ['a wrong payloadType', () => signedBy(reviewer, canonicalBytes(statement), 'application/json'), 'INVALID_INPUT'],
    ['our manifest payload type', () => signedBy(device, canonicalBytes(statement), 'application/vnd.reviewer-workstation.bundle-manifest+json'), 'INVALID_INPUT'],
    ['a payload that is not JSON', () => signedBy(reviewer, utf8('model card text, not JSON')), 'INVALID_INPUT'],
    ['JSON with duplicate keys', () => signedBy(reviewer, utf8(`{"_type":"${IN_TOTO_STATEMENT_TYPE}","_type":"x"}`)), 'INVALID_INPUT'],
    ['a note body wrapped in DSSE', () => signedBy(reviewer, json({ id: 'n1', caseId: 'case-0001', body: 'secret reviewer note' })), 'INVALID_INPUT'],
    ['an artifact wrapped in DSSE', () => signedBy(reviewer, utf8('%PDF-1.7 system card')), 'INVALID_INPUT'],
    ['a log leaf wrapped in DSSE', () => signedBy(device, json({ v: 1, seq: 0, ts: 1, event: 'artifact.open', object: { kind: 'artifact', id: 'a' } })), 'INVALID_INPUT'],
    ['a Statement of another version', () => signedBy(reviewer, canonicalBytes({ ...statement, _type: 'https://in-toto.io/Statement/v0.1' })), 'INVALID_INPUT'],
    ['a Statement without subjects', () => signedBy(reviewer, canonicalBytes({ ...statement, subject: [] })), 'INVALID_INPUT'],
    ['a disallowed predicate type (SLSA provenance)', () => signedBy(reviewer, canonicalBytes({ ...statement, predicateType: 'https://slsa.dev/provenance/v1' })), 'INVALID_INPUT'],
    ['a disallowed predicate type (OMS signature)', () => signedBy(reviewer, canonicalBytes({ ...statement, predicateType: 'https://model_signing/signature/v1.0' })), 'INVALID_INPUT'],
    ['a review predicate smuggling a note', () => signedBy(reviewer, canonicalBytes({ ...statement, predicate: { ...statement.predicate, notes: ['secret'] } })), 'INVALID_INPUT'],
    ['a Statement smuggling an extra top-level member', () => signedBy(reviewer, canonicalBytes({ ...statement, artifact: 'base64 content' })), 'INVALID_INPUT'],
    ['a review predicate without a verdict', () => signedBy(reviewer, json({ ...statement, predicate: { ...statement.predicate, verdict: undefined } })), 'INVALID_INPUT'],
    ['a review Statement signed by the device key', () => signedBy(device, canonicalBytes(statement)), 'SIGNATURE_INVALID'],
    [
      'a checkpoint Statement signed by the reviewer key',
      () => {
        f.port.logEvent({ event: 'test.event', object: { kind: 'test', id: '1' }, outcome: 'success' });
        const { statement: cp } = signCheckpointStatement(f.vault.audit, f.log.origin, f.log.checkpoint('test').note);
        return signedBy(reviewer, canonicalBytes(cp));
      },
      'SIGNATURE_INVALID',
    ],
    ['an oversized Statement', () => signedBy(reviewer, canonicalBytes({ ...statement, predicate: { ...statement.predicate, releaseSummary: 'x'.repeat(300 * 1024) } })), 'TOO_LARGE'],
    ['raw bytes', () => utf8('anything'), 'INVALID_INPUT'],
    ['a string', () => 'a note', 'INVALID_INPUT'],
    ['null', () => null, 'INVALID_INPUT'],
  ])('refuses %s and stores nothing', (_name, make, code) => {
    const value = make();
    expect(codeOf(() => admitToOutbox(f.vault.audit, value, f.keys, () => f.clock.now))).toBe(code);
    expect(outboxCount()).toBe(0);
  });

  it('re-verifies rows on read: a row rewritten in audit.db to carry a note never comes back out', () => {
    admitToOutbox(f.vault.audit, signedBy(reviewer, canonicalBytes(statement)), f.keys, () => f.clock.now);
    const forged = signedBy(reviewer, json({ body: 'secret reviewer note' }));
    f.vault.audit.prepare('UPDATE outbox SET envelope_json = ?').run([JSON.stringify(forged)]);
    expect(codeOf(() => listOutbox(f.vault.audit, f.keys))).toBe('INVALID_INPUT');
  });

  it('re-verifies rows on read: a row pointing at another envelope digest is damage', () => {
    admitToOutbox(f.vault.audit, signedBy(reviewer, canonicalBytes(statement)), f.keys, () => f.clock.now);
    const other = buildReviewStatement(
      gatherReviewFacts(f.vault.content!, defaultRubric(), 'case-0001'),
      { caseId: 'case-0001', verdict: 'objection', releaseSummary: '' },
      { reviewerId: 'alice', reviewerPublicKey: reviewer.publicKey, policyDigest: policyDigest(DEFAULT_POLICY), accessLogIndex: 4, sequence: 2 },
    );
    f.vault.audit.prepare('UPDATE outbox SET envelope_json = ?').run([JSON.stringify(signedBy(reviewer, canonicalBytes(other)))]);
    expect(codeOf(() => listOutbox(f.vault.audit, f.keys))).toBe('VAULT_DAMAGED');
  });
});
