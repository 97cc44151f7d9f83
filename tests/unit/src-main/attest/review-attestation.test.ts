import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IN_TOTO_PAYLOAD_TYPE, REVIEW_OUTCOME_PREDICATE_TYPE, type ReviewOutcomePredicate } from '../../../../src-shared/attestation-types';
import { ed25519PublicKey, sha256 } from '../../../../src-shared/node/crypto';
import { verifyEnvelope } from '../../../../src-shared/node/dsse';
import { fromUtf8, toHex } from '../../../../src-shared/encoding';
import { DEFAULT_POLICY } from '../../../../src-shared/policy';
import { listOutbox } from '../../../../src-main/attest/outbox';
import { checkReleaseSummary, packageSubjectName, policyDigest, previewReviewAttestation, signReviewAttestation, type ReviewDeps } from '../../../../src-main/attest/review-attestation';
import { createFinding } from '../../../../src-main/workspace/findings-service';
import { actorFor } from '../../../../src-main/workspace/workspace-actor';
import { defaultRubric } from '../../../../src-main/workspace/rubric';
import { asyncCodeOf, codeOf, insertCase, openVaultFixture, PASS, type TestCase, type VaultFixture } from '../../../helpers/attest-fixture';

let f: VaultFixture;
let testCase: TestCase;
let deps: ReviewDeps;

beforeAll(async () => {
  f = await openVaultFixture();
  testCase = insertCase(f);
  createFinding(f.vault.content!, actorFor('alice', () => f.clock.now), { caseId: testCase.caseId, title: 'Eval gap', severity: 'medium', category: 'evaluation', description: 'Missing eval.', artifactIds: [] });
  deps = {
    vaultDir: f.dir,
    vault: f.vault,
    rubric: defaultRubric(),
    policy: DEFAULT_POLICY,
    unlockDeps: f.deps,
    logEvent: f.port.logEvent,
    clock: () => f.clock.now,
  };
}, 60_000);
afterAll(() => f.close());
beforeEach(() => f.vault.audit.exec('DELETE FROM outbox'));

const input = { caseId: 'case-0001', verdict: 'concerns' as const, releaseSummary: 'One medium finding.\n\tSee §3 — “evaluation gap”.' };

describe('review attestation', () => {
  it('signs a Statement over every artifact and the package root, with the predicate facts, and queues it', async () => {
    const { envelope, statement, item } = await signReviewAttestation(deps, input, PASS);
    const verified = verifyEnvelope(envelope, [ed25519PublicKey(f.vault.signingPublicKey!)], { expectedPayloadType: IN_TOTO_PAYLOAD_TYPE });
    expect(JSON.parse(fromUtf8(verified.payload))).toEqual(statement);
    expect(statement.predicateType).toBe(REVIEW_OUTCOME_PREDICATE_TYPE);
    expect(statement.subject).toEqual([
      ...testCase.artifacts.map((a) => ({ name: a.path, digest: { sha256: a.sha256 } })).sort((a, b) => (a.name < b.name ? -1 : 1)),
      { name: packageSubjectName('case-0001'), digest: { sha256: testCase.packageDigest.slice('sha256:'.length) } },
    ]);
    const p = statement.predicate as ReviewOutcomePredicate;
    expect(p.releaseSummary).toBe(input.releaseSummary);
    expect(p.findingCounts).toEqual({ info: 0, low: 0, medium: 1, high: 0, critical: 0 });
    expect(p.checklist.rubricVersion).toBe(defaultRubric().version);
    expect(p.policyDigest).toBe(policyDigest(DEFAULT_POLICY));
    expect(p.reviewWindow).toEqual({ start: '2026-11-20T09:00:00.000Z', end: '2026-12-20T23:59:59.999Z' });
    expect(p.reviewer).toEqual({ id: 'alice', publicKeyId: toHex(sha256(f.vault.signingPublicKey!)) });
    expect(item.state).toBe('pending');
    expect(listOutbox(f.vault.audit, f.keys)).toHaveLength(1);
    // No ledger given: no claim counts; every documentation criterion is unanswered until confirmed.
    expect(p.claims).toBeUndefined();
    expect(p.unansweredCriteria).toContain('baselines.human');
  });

  it("carries the claims ledger's counts by status when the caller gives them", async () => {
    const claims = { supported: 1, contradicted: 1, unverifiable: 1, unlinked: 0 };
    const { statement } = await signReviewAttestation({ ...deps, claimCounts: async () => claims }, input, PASS);
    expect((statement.predicate as ReviewOutcomePredicate).claims).toEqual(claims);
  });

  it('records the signing in the access log and points at that leaf', async () => {
    const { statement } = await signReviewAttestation(deps, input, PASS);
    const p = statement.predicate as ReviewOutcomePredicate;
    const row = f.vault.audit.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([p.accessLogIndex]);
    const leaf = JSON.parse(fromUtf8(row!.leaf as Uint8Array));
    expect(leaf.event).toBe('attestation.sign');
    expect(leaf.object.id).toBe('case-0001');
  });

  it('gives each signature a larger sequence number', async () => {
    const a = (await signReviewAttestation(deps, input, PASS)).statement.predicate as ReviewOutcomePredicate;
    const b = (await signReviewAttestation(deps, { ...input, verdict: 'objection' }, PASS)).statement.predicate as ReviewOutcomePredicate;
    expect(b.sequence).toBeGreaterThan(a.sequence);
  });

  it('previews exactly what leaves, apart from the two fields fixed at signing', async () => {
    const preview = await previewReviewAttestation({ vault: f.vault, rubric: deps.rubric, policy: deps.policy, nextLogIndex: 0 }, input);
    const { statement } = await signReviewAttestation(deps, input, PASS);
    const strip = (s: unknown) => {
      const copy = JSON.parse(JSON.stringify(s));
      delete copy.predicate.accessLogIndex;
      delete copy.predicate.sequence;
      return copy;
    };
    expect(strip(JSON.parse(preview.json))).toEqual(strip(statement));
    expect(preview.predictedFields).toEqual(['accessLogIndex', 'sequence']);
  });

  it('asks for the passphrase again: a wrong one signs nothing, logs no signing and queues nothing', async () => {
    const before = Number(f.vault.audit.prepare("SELECT count(*) AS n FROM log_leaves WHERE event = 'attestation.sign'").get()?.n);
    expect(await asyncCodeOf(signReviewAttestation(deps, input, 'wrong passphrase!!'))).toBe('AUTH_FAILED');
    expect(Number(f.vault.audit.prepare("SELECT count(*) AS n FROM log_leaves WHERE event = 'attestation.sign'").get()?.n)).toBe(before);
    expect(listOutbox(f.vault.audit, f.keys)).toHaveLength(0);
  });

  it.each<[string, Partial<typeof input>, string]>([
    ['an unknown case', { caseId: 'case-nope' }, 'NOT_FOUND'],
    ['a summary over 4000 characters', { releaseSummary: 'x'.repeat(4001) }, 'INVALID_INPUT'],
    ['a summary with a bidi override', { releaseSummary: 'approve\u202Eevorppa' }, 'INVALID_INPUT'],
    ['a summary with a control character', { releaseSummary: 'a\u0007b' }, 'INVALID_INPUT'],
    ['a summary with a lone surrogate', { releaseSummary: 'a\uD800b' }, 'INVALID_INPUT'],
    ['an unknown verdict', { verdict: 'maybe' as never }, 'INVALID_INPUT'],
  ])('refuses %s before asking for the key', async (_name, change, code) => {
    expect(await asyncCodeOf(signReviewAttestation(deps, { ...input, ...change }, PASS))).toBe(code);
    expect(listOutbox(f.vault.audit, f.keys)).toHaveLength(0);
  });

  it('accepts a summary of exactly 4000 characters, counted as characters', () => {
    expect(codeOf(() => checkReleaseSummary('é'.repeat(4000)))).toBe('ok');
    expect(codeOf(() => checkReleaseSummary('😀'.repeat(4000)))).toBe('ok');
  });

  it('refuses an auditor (no signing key)', async () => {
    const auditor = { ...f.vault, role: 'auditor', content: null, signingPublicKey: null } as unknown as ReviewDeps['vault'];
    expect(await asyncCodeOf(signReviewAttestation({ ...deps, vault: auditor }, input, PASS))).toBe('DENIED');
  });
});
