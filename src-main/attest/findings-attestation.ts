/**
 * The findings document as an attestation (DESIGN §5 formats; ARCHITECTURE: claims and findings): an
 * in-toto Statement v1 over the case's artifacts and package root whose predicate (our own type,
 * FINDINGS_PREDICATE_TYPE) is the case's findings with their CVSS v4.0 vectors, scores and evidence —
 * what the CSAF and OpenVEX exports say, signed by the reviewer so the central office can tell who said
 * it and list it to auditors. Signing is a step-up like the review attestation: the passphrase is asked
 * again, the `findings.attest` leaf is written first and its index goes into the predicate, then the
 * envelope is queued in the outbox with the key's next sequence number.
 */
import type { Database } from '@signalapp/sqlcipher';
import { FINDINGS_PREDICATE_TYPE, findingsPredicateSchema, IN_TOTO_PAYLOAD_TYPE, IN_TOTO_STATEMENT_TYPE, statementSchema, type FindingsPredicate, type Statement } from '../../src-shared/attestation-types';
import { ed25519Sign } from '../../src-shared/node/crypto';
import { signEnvelope } from '../../src-shared/node/dsse';
import { zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { getCase } from '../artifacts/case-queries';
import { listScoredFindings } from '../findings/finding-evidence';
import { unlockSigningKey } from '../vault/vault';
import { admitToOutbox } from './outbox';
import { readOwnKeys } from './own-keys';
import { caseSubjects, publicKeyId, requireReviewer, statementPayload, type ReviewDeps, type SignedReview } from './review-attestation';
import { allocateSequence } from './signing-sequence';

export const FINDINGS_ATTEST_EVENT = 'findings.attest';

/** The findings of a case as the predicate carries them (the live findings, in their stored order). */
export function findingsOf(content: Database, caseId: string, now: number): Pick<FindingsPredicate, 'product' | 'findings'> {
  const detail = getCase(content, caseId, now);
  const findings = listScoredFindings(content, caseId);
  if (findings.length === 0) throw new RwError('INVALID_INPUT', 'The case has no findings to attest.');
  return {
    product: { model: detail.model, developer: detail.developer, version: detail.version },
    findings: findings.map((f) => ({
      id: f.id,
      title: f.title,
      description: f.description,
      severity: f.severity,
      cvss: f.cvss ? { vector: f.cvss.vector, score: f.cvss.score, severity: f.cvss.severity } : null,
      evidence: f.evidence,
    })),
  };
}

/** Pure over its inputs: the Statement, validated against the shared schemas. */
export function buildFindingsStatement(
  content: Database,
  caseId: string,
  context: { reviewerId: string; reviewerPublicKey: Uint8Array; accessLogIndex: number; sequence: number; now: number },
): Statement {
  const { subjects } = caseSubjects(content, caseId);
  const predicate = findingsPredicateSchema.parse({
    caseId,
    ...findingsOf(content, caseId, context.now),
    reviewer: { id: context.reviewerId, publicKeyId: publicKeyId(context.reviewerPublicKey) },
    accessLogIndex: context.accessLogIndex,
    sequence: context.sequence,
  });
  return statementSchema.parse({ _type: IN_TOTO_STATEMENT_TYPE, subject: subjects, predicateType: FINDINGS_PREDICATE_TYPE, predicate });
}

/** Step-up, log, sign, queue. Nothing is logged as signed, or queued, unless the passphrase checks. */
export async function signFindingsAttestation(deps: Omit<ReviewDeps, 'rubric' | 'policy' | 'claimCounts'>, caseId: string, passphrase: string): Promise<SignedReview> {
  const { content, publicKey } = requireReviewer(deps.vault);
  // Refused before the step-up when there is nothing to sign (no case, no findings).
  const count = findingsOf(content, caseId, deps.clock()).findings.length;
  const key = await unlockSigningKey(deps.vaultDir, deps.vault, passphrase, deps.unlockDeps);
  try {
    const accessLogIndex = await deps.logEvent({
      event: FINDINGS_ATTEST_EVENT,
      object: { kind: 'case', id: caseId },
      outcome: 'success',
      detail: { findings: count, predicateType: FINDINGS_PREDICATE_TYPE },
    });
    // As for the review: the sequence is taken in the transaction that queues the envelope.
    return deps.vault.audit.transaction(() => {
      const statement = buildFindingsStatement(content, caseId, {
        reviewerId: deps.vault.user,
        reviewerPublicKey: publicKey,
        accessLogIndex,
        sequence: allocateSequence(deps.vault.audit, publicKey),
        now: deps.clock(),
      });
      const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, statementPayload(statement), [{ keyid: publicKeyId(publicKey), sign: (message) => ed25519Sign(key.privateKey, message) }]);
      const item = admitToOutbox(deps.vault.audit, envelope, readOwnKeys(deps.vault.audit, content), deps.clock);
      return { envelope, statement, item };
    })();
  } finally {
    zeroize(key.privateKey);
  }
}
