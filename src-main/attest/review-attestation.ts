/**
 * The review attestation (DESIGN §5; ARCHITECTURE: attestations and sync): an in-toto Statement v1 whose subjects are the case's
 * artifacts (name + sha256) and the package's root digest, with the review-outcome predicate, in a DSSE
 * envelope signed by the reviewer's key over PAE.
 *
 * Signing is a step-up (DESIGN §2): the passphrase is asked again (unlockSigningKey, throttled like an
 * unlock), the `attestation.sign` event is written to the access log first and its leaf index goes into
 * the predicate, so the attestation points at the log record of its own signing. The release summary
 * leaves exactly as the reviewer typed it: no trimming or reformatting between preview and signature.
 */
import type { Database } from '@signalapp/sqlcipher';
import {
  IN_TOTO_PAYLOAD_TYPE,
  IN_TOTO_STATEMENT_TYPE,
  RELEASE_SUMMARY_MAX_CHARS,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  reviewOutcomePredicateSchema,
  statementSchema,
  type ReviewOutcomePredicate,
  type Statement,
  type Subject,
  type Verdict,
  VERDICTS,
} from '../../src-shared/attestation-types';
import { canonicalBytes, isWellFormedUtf16 } from '../../src-shared/canonical-json';
import { ed25519Sign, sha256 } from '../../src-shared/node/crypto';
import { signEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { toHex, zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import type { Policy } from '../../src-shared/policy';
import { deadlineMs } from '../artifacts/submission';
import { unlockSigningKey, type UnlockDeps, type UnlockedVault } from '../vault/vault';
import { caseProgress } from '../workspace/case-progress';
import type { Rubric } from '../workspace/rubric';
import type { LogEventFn } from './access-log-port';
import { admitToOutbox, type OutboxItem } from './outbox';
import { readOwnKeys } from './own-keys';
import { allocateSequence, peekSequence } from './signing-sequence';

export interface ReviewFacts {
  caseId: string;
  subjects: Subject[];
  findingCounts: ReviewOutcomePredicate['findingCounts'];
  checklist: ReviewOutcomePredicate['checklist'];
  reviewWindow: ReviewOutcomePredicate['reviewWindow'];
}

export interface ReviewInput {
  caseId: string;
  verdict: Verdict;
  releaseSummary: string;
}

/** Subject name of the package root digest; `:` after a word cannot start a package entry name as a drive. */
export function packageSubjectName(caseId: string): string {
  return `package:${caseId}`;
}

function isoUtc(text: string, what: string): string {
  const ms = text.length === 10 ? deadlineMs(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw new RwError('VAULT_DAMAGED', `The case's ${what} is not a date.`);
  return new Date(ms).toISOString();
}

/** What the case itself contributes to the predicate, read from content.db. */
export function gatherReviewFacts(content: Database, rubric: Rubric, caseId: string): ReviewFacts {
  const row = content.prepare('SELECT id, submitted_at, review_deadline, package_digest FROM cases WHERE id = ?').get([caseId]);
  if (!row) throw new RwError('NOT_FOUND', 'No such case.');
  const digest = /^sha256:([0-9a-f]{64})$/.exec(String(row.package_digest));
  if (!digest) throw new RwError('VAULT_DAMAGED', "The case's package digest is not a sha256 digest.");
  const artifacts = content.prepare('SELECT path, sha256 FROM artifacts WHERE case_id = ? ORDER BY path').all([caseId]);
  const subjects: Subject[] = [
    ...artifacts.map((a) => ({ name: String(a.path), digest: { sha256: String(a.sha256) } })),
    { name: packageSubjectName(caseId), digest: { sha256: digest[1] as string } },
  ];
  const progress = caseProgress(content, rubric, caseId);
  const bySeverity = progress.findings.bySeverity;
  return {
    caseId,
    subjects,
    findingCounts: { info: bySeverity.info, low: bySeverity.low, medium: bySeverity.medium, high: bySeverity.high, critical: bySeverity.critical },
    checklist: { completed: progress.checklist.reviewed, total: progress.checklist.total, rubricVersion: progress.rubricVersion },
    reviewWindow: { start: isoUtc(String(row.submitted_at), 'submission time'), end: isoUtc(String(row.review_deadline), 'review deadline') },
  };
}

/** sha256 hex of the RFC 8785 canonical JSON of the policy (the predicate's policyDigest). */
export function policyDigest(policy: Policy): string {
  return toHex(sha256(canonicalBytes(policy)));
}

/** The predicate's publicKeyId and the envelope's keyid hint: sha256 hex of the raw Ed25519 key. */
export function publicKeyId(publicKey: Uint8Array): string {
  return toHex(sha256(publicKey));
}

// Bidi overrides and C0 controls (other than newline and tab) would let the shown text differ from
// what a reader at the central office sees; refused instead of silently removed.
const SUMMARY_REFUSED = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/u;

export function checkReviewInput(input: ReviewInput): void {
  if (!(VERDICTS as readonly string[]).includes(input.verdict)) throw new RwError('INVALID_INPUT', `The verdict is one of ${VERDICTS.join(', ')}.`);
  checkReleaseSummary(input.releaseSummary);
}

export function checkReleaseSummary(summary: string): void {
  if ([...summary].length > RELEASE_SUMMARY_MAX_CHARS) throw new RwError('INVALID_INPUT', `The release summary may have at most ${RELEASE_SUMMARY_MAX_CHARS} characters.`);
  if (SUMMARY_REFUSED.test(summary)) throw new RwError('INVALID_INPUT', 'The release summary contains control or text-direction characters.');
  if (!isWellFormedUtf16(summary)) throw new RwError('INVALID_INPUT', 'The release summary is not well-formed text.');
}

export interface StatementContext {
  reviewerId: string;
  reviewerPublicKey: Uint8Array;
  policyDigest: string;
  accessLogIndex: number;
  sequence: number;
}

/** Pure: the Statement for these facts, input and context; validated against the shared schemas. */
export function buildReviewStatement(facts: ReviewFacts, input: ReviewInput, context: StatementContext): Statement {
  checkReviewInput(input);
  if (facts.caseId !== input.caseId) throw new RwError('INVALID_INPUT', 'The facts are for another case.');
  const predicate: ReviewOutcomePredicate = reviewOutcomePredicateSchema.parse({
    caseId: input.caseId,
    verdict: input.verdict,
    findingCounts: facts.findingCounts,
    checklist: facts.checklist,
    policyDigest: context.policyDigest,
    reviewWindow: facts.reviewWindow,
    reviewer: { id: context.reviewerId, publicKeyId: publicKeyId(context.reviewerPublicKey) },
    accessLogIndex: context.accessLogIndex,
    releaseSummary: input.releaseSummary,
    sequence: context.sequence,
  });
  return statementSchema.parse({ _type: IN_TOTO_STATEMENT_TYPE, subject: facts.subjects, predicateType: REVIEW_OUTCOME_PREDICATE_TYPE, predicate });
}

/** The payload bytes that are signed and leave: canonical JSON, so the preview text is the payload. */
export function statementPayload(statement: Statement): Uint8Array {
  return canonicalBytes(statement);
}

export interface ReviewDeps {
  vaultDir: string;
  vault: UnlockedVault;
  rubric: Rubric;
  policy: Policy;
  unlockDeps: UnlockDeps;
  logEvent: LogEventFn;
  clock(): number;
}

export interface ReviewPreview {
  statement: Statement;
  /** The exact JSON text that would leave (the canonical payload), with the two fields below predicted. */
  json: string;
  /** accessLogIndex and sequence are fixed at signing (the sign event's own leaf, the next sequence). */
  predictedFields: readonly ['accessLogIndex', 'sequence'];
}

function requireReviewer(vault: UnlockedVault): { content: Database; publicKey: Uint8Array } {
  if (vault.role !== 'reviewer' || vault.content === null || vault.signingPublicKey === null) throw new RwError('DENIED', 'Only a reviewer signs attestations.');
  return { content: vault.content, publicKey: vault.signingPublicKey };
}

export function previewReviewAttestation(deps: Pick<ReviewDeps, 'vault' | 'rubric' | 'policy'> & { nextLogIndex: number }, input: ReviewInput): ReviewPreview {
  const { content, publicKey } = requireReviewer(deps.vault);
  const facts = gatherReviewFacts(content, deps.rubric, input.caseId);
  const statement = buildReviewStatement(facts, input, {
    reviewerId: deps.vault.user,
    reviewerPublicKey: publicKey,
    policyDigest: policyDigest(deps.policy),
    accessLogIndex: deps.nextLogIndex,
    sequence: peekSequence(deps.vault.audit, publicKey),
  });
  return { statement, json: new TextDecoder().decode(statementPayload(statement)), predictedFields: ['accessLogIndex', 'sequence'] };
}

export interface SignedReview {
  envelope: DsseEnvelope;
  statement: Statement;
  item: OutboxItem;
}

/** Step-up, log, sign, queue. The passphrase is checked before anything is logged as signed. */
export async function signReviewAttestation(deps: ReviewDeps, input: ReviewInput, passphrase: string): Promise<SignedReview> {
  const { content, publicKey } = requireReviewer(deps.vault);
  checkReviewInput(input);
  const facts = gatherReviewFacts(content, deps.rubric, input.caseId);
  const key = await unlockSigningKey(deps.vaultDir, deps.vault, passphrase, deps.unlockDeps);
  try {
    const accessLogIndex = await deps.logEvent({
      event: 'attestation.sign',
      object: { kind: 'case', id: input.caseId },
      outcome: 'success',
      detail: { verdict: input.verdict, predicateType: REVIEW_OUTCOME_PREDICATE_TYPE },
    });
    // The sequence number is taken in the same transaction that queues the envelope: the server takes
    // each key's sequence only as the previous + 1, so a number spent on a Statement that never reached
    // the outbox would block every later one.
    return deps.vault.audit.transaction(() => {
      const statement = buildReviewStatement(facts, input, {
        reviewerId: deps.vault.user,
        reviewerPublicKey: publicKey,
        policyDigest: policyDigest(deps.policy),
        accessLogIndex,
        sequence: allocateSequence(deps.vault.audit, publicKey),
      });
      const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementPayload(statement), [{ keyid: publicKeyId(publicKey), sign: (message) => ed25519Sign(key.privateKey, message) }]);
      const item = admitToOutbox(deps.vault.audit, envelope, readOwnKeys(deps.vault.audit, content), deps.clock);
      return { envelope, statement, item };
    })();
  } finally {
    zeroize(key.privateKey);
  }
}
