/**
 * Open a DSSE envelope that should carry one of our Statements: the signature over PAE is checked
 * against the given keys first, then the payload type, then (strict JSON, no duplicate keys) the
 * Statement and its predicate by the schema its predicateType selects (DESIGN §2: verify before parse;
 * predicate allowlist). The outbox, `rwctl attest verify` and receipt matching all use this one path.
 */
import type { z } from 'zod';
import {
  ATTESTATION_MAX_BYTES,
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  FINDINGS_PREDICATE_TYPE,
  type FindingsPredicate,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  attestationLeafData,
  IN_TOTO_PAYLOAD_TYPE,
  isAllowedPredicateType,
  PREDICATE_SCHEMAS,
  statementSchema,
  type AllowedPredicateType,
  type AuditCheckpointPredicate,
  type ReviewOutcomePredicate,
  type Statement,
} from '../../src-shared/attestation-types';
import { sha256, type PublicKey } from '../../src-shared/node/crypto';
import { parseEnvelope, verifyEnvelope, type DsseEnvelope } from '../../src-shared/node/dsse';
import { toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { parseStrictJson } from '../../src-shared/strict-json';

export type OpenedStatement =
  | { predicateType: typeof REVIEW_OUTCOME_PREDICATE_TYPE; statement: Statement; predicate: ReviewOutcomePredicate }
  | { predicateType: typeof AUDIT_CHECKPOINT_PREDICATE_TYPE; statement: Statement; predicate: AuditCheckpointPredicate }
  | { predicateType: typeof FINDINGS_PREDICATE_TYPE; statement: Statement; predicate: FindingsPredicate };

export interface OpenedEnvelope {
  envelope: DsseEnvelope;
  /** sha256 hex of attestationLeafData(envelope): the outbox and server replay key. */
  envelopeSha256: string;
  /** The trusted key whose signature verified. */
  signer: PublicKey;
  opened: OpenedStatement;
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'value'} ${issue.message}` : 'malformed';
}

export function envelopeSha256(envelope: DsseEnvelope): string {
  return toHex(sha256(attestationLeafData(envelope)));
}

/**
 * Throws SIGNATURE_INVALID (no trusted key signed), INVALID_INPUT (not an envelope, wrong payload type,
 * not a Statement, predicate type not allowed, predicate malformed) or TOO_LARGE.
 */
export function openStatementEnvelope(value: unknown, trustedKeys: readonly PublicKey[]): OpenedEnvelope {
  const envelope = parseEnvelope(value);
  const leaf = attestationLeafData(envelope);
  if (leaf.byteLength > ATTESTATION_MAX_BYTES) throw new RwError('TOO_LARGE', `An attestation may not exceed ${ATTESTATION_MAX_BYTES} bytes.`, { limit: ATTESTATION_MAX_BYTES });
  const verified = verifyEnvelope(envelope, trustedKeys, { maxSignatures: 4 });
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new RwError('INVALID_INPUT', `Only in-toto Statements (${IN_TOTO_PAYLOAD_TYPE}) may leave.`, { payloadType: verified.payloadType.slice(0, 100) });
  }
  let json: unknown;
  try {
    json = parseStrictJson(verified.payload, { maxBytes: ATTESTATION_MAX_BYTES, maxDepth: 16 });
  } catch (error) {
    throw new RwError('INVALID_INPUT', `The payload is not strict JSON: ${error instanceof RwError ? error.message : 'unreadable'}`);
  }
  const statement = statementSchema.safeParse(json);
  if (!statement.success) throw new RwError('INVALID_INPUT', `The payload is not an in-toto Statement v1: ${issueText(statement.error)}.`);
  const predicateType = statement.data.predicateType;
  if (!isAllowedPredicateType(predicateType)) {
    throw new RwError('INVALID_INPUT', 'This predicate type may not leave the workstation.', { predicateType: predicateType.slice(0, 200) });
  }
  const signer = verified.verifiedKeys[0] as PublicKey;
  const sha = toHex(sha256(leaf));
  const type: AllowedPredicateType = predicateType;
  if (type === REVIEW_OUTCOME_PREDICATE_TYPE) {
    const predicate = PREDICATE_SCHEMAS[type].safeParse(statement.data.predicate);
    if (!predicate.success) throw new RwError('INVALID_INPUT', `The review-outcome predicate is invalid: ${issueText(predicate.error)}.`);
    return { envelope, envelopeSha256: sha, signer, opened: { predicateType: type, statement: statement.data, predicate: predicate.data } };
  }
  if (type === FINDINGS_PREDICATE_TYPE) {
    const predicate = PREDICATE_SCHEMAS[type].safeParse(statement.data.predicate);
    if (!predicate.success) throw new RwError('INVALID_INPUT', `The findings predicate is invalid: ${issueText(predicate.error)}.`);
    return { envelope, envelopeSha256: sha, signer, opened: { predicateType: type, statement: statement.data, predicate: predicate.data } };
  }
  const predicate = PREDICATE_SCHEMAS[type].safeParse(statement.data.predicate);
  if (!predicate.success) throw new RwError('INVALID_INPUT', `The audit-checkpoint predicate is invalid: ${issueText(predicate.error)}.`);
  return { envelope, envelopeSha256: sha, signer, opened: { predicateType: type, statement: statement.data, predicate: predicate.data } };
}
