/**
 * The wire types the workstation and the central server agree on (DESIGN §5; ARCHITECTURE: attestations and sync): in-toto Statement
 * v1 (github.com/in-toto/attestation spec/v1/statement.md) with our two predicate types, the enrollment
 * request and approval, the media-bundle manifest and the receipts the server answers with.
 *
 * Every one of these travels inside a DSSE envelope (or, for receipts, is proven by a server-signed
 * checkpoint): these schemas are applied to payload bytes only AFTER the envelope's signature verified
 * (DESIGN §2 "DSSE signature over PAE verified before parsing"). Objects are `.strict()`: a member nobody
 * expects is refused rather than carried along unsigned-in-meaning.
 *
 * Key encodings: Ed25519 keys (device, reviewer, server, policy) are base64 (standard alphabet) of the
 * 32 raw bytes; submitter keys (ECDSA P-256/P-384) are SPKI PEM.
 */
import { z } from 'zod';
import { canonicalBytes } from './canonical-json';
import { fromBase64 } from './encoding';

/** DSSE payloadType of every in-toto Statement (in-toto attestation spec, envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/** The review outcome a reviewer signs (reviewer key). */
export const REVIEW_OUTCOME_PREDICATE_TYPE = 'https://reviewer-workstation.dev/review-outcome/v1';
/** An access-log checkpoint leaving the laptop (device key). */
export const AUDIT_CHECKPOINT_PREDICATE_TYPE = 'https://reviewer-workstation.dev/audit-checkpoint/v1';

/** A case's findings with their CVSS v4.0 scores and evidence (reviewer key). */
export const FINDINGS_PREDICATE_TYPE = 'https://reviewer-workstation.dev/findings/v1';

/** The only predicate types that may leave a workstation or be accepted by the server. */
export const ALLOWED_PREDICATE_TYPES = [REVIEW_OUTCOME_PREDICATE_TYPE, AUDIT_CHECKPOINT_PREDICATE_TYPE, FINDINGS_PREDICATE_TYPE] as const;
export type AllowedPredicateType = (typeof ALLOWED_PREDICATE_TYPES)[number];

export function isAllowedPredicateType(value: string): value is AllowedPredicateType {
  return (ALLOWED_PREDICATE_TYPES as readonly string[]).includes(value);
}

/** DSSE payload types of our own documents: PAE binds them, so one can never be replayed as another. */
export const ENROLLMENT_REQUEST_PAYLOAD_TYPE = 'application/vnd.reviewer-workstation.enrollment-request+json';
export const ENROLLMENT_APPROVAL_PAYLOAD_TYPE = 'application/vnd.reviewer-workstation.enrollment-approval+json';
export const POLICY_PAYLOAD_TYPE = 'application/vnd.reviewer-workstation.policy+json';
/** A central-office release of a workstation's lockout (lockout-release.ts), signed by the policy key. */
export const LOCKOUT_RELEASE_PAYLOAD_TYPE = 'application/vnd.reviewer-workstation.lockout-release+json';
export const BUNDLE_MANIFEST_PAYLOAD_TYPE = 'application/vnd.reviewer-workstation.bundle-manifest+json';

/** Limits shared by both sides. */
export const RELEASE_SUMMARY_MAX_CHARS = 4000;
/** The server's body limit for POST /v1/attestations; the workstation refuses to queue anything larger. */
export const ATTESTATION_MAX_BYTES = 256 * 1024;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
function base64Length(text: string): number | null {
  try {
    return fromBase64(text).byteLength;
  } catch {
    return null;
  }
}
// One refine per schema, never throwing: zod 4 runs later checks even after one failed, so a second
// refine that decoded again would throw on the very input the first one refused.
const base64Std = z.string().refine((text) => base64Length(text) !== null, { message: 'must be standard base64' });
const base64Bytes = (length: number, what: string) => z.string().refine((text) => base64Length(text) === length, { message: `must be ${what} in standard base64` });
/** base64 of a raw 32-byte Ed25519 public key. */
export const ed25519KeyBase64Schema = base64Bytes(32, 'a 32-byte Ed25519 key');
const safeIndex = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const utcMs = z.number().int().min(0).max(8.64e15);
const shortText = z.string().min(1).max(200);

// ---------------------------------------------------------------------------------------------------
// in-toto Statement v1

/** ResourceDescriptor, restricted to what we emit: a name and at least one digest (sha256 hex). */
export const subjectSchema = z
  .object({
    name: z.string().min(1).max(1024),
    digest: z.record(z.string().regex(/^[a-z0-9-]{1,32}$/), z.string().regex(/^[0-9a-f]{1,256}$/)).refine((d) => typeof d.sha256 === 'string' && /^[0-9a-f]{64}$/.test(d.sha256), {
      message: 'must carry a sha256 digest',
    }),
  })
  .strict();
export type Subject = z.infer<typeof subjectSchema>;

/** A Statement whose predicate is not yet interpreted (the predicate schema is chosen by predicateType). */
export const statementSchema = z
  .object({
    _type: z.literal(IN_TOTO_STATEMENT_TYPE),
    subject: z.array(subjectSchema).min(1).max(10_000),
    predicateType: z.string().min(1).max(512),
    predicate: z.record(z.string(), z.unknown()),
  })
  .strict();
export type Statement = z.infer<typeof statementSchema>;

export const VERDICTS = ['no-objection', 'concerns', 'objection'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

const count = z.number().int().min(0).max(1_000_000);

export const reviewOutcomePredicateSchema = z
  .object({
    caseId: shortText,
    verdict: z.enum(VERDICTS),
    findingCounts: z.object({ info: count, low: count, medium: count, high: count, critical: count }).strict(),
    checklist: z.object({ completed: count, total: count, rubricVersion: shortText }).strict().refine((c) => c.completed <= c.total, {
      message: 'completed must not exceed total',
    }),
    /** sha256 (hex) of the RFC 8785 canonical JSON of the policy in force when signing. */
    policyDigest: hex64,
    /** The review window the package allowed (ISO 8601 UTC). */
    reviewWindow: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }).strict(),
    /** publicKeyId = sha256 hex of the reviewer's raw Ed25519 public key. */
    reviewer: z.object({ id: shortText, publicKeyId: hex64 }).strict(),
    /** Index of the `attestation.sign` leaf in the workstation's access log. */
    accessLogIndex: safeIndex,
    /** Written by the reviewer for release; leaves exactly as shown. */
    releaseSummary: z.string().max(RELEASE_SUMMARY_MAX_CHARS),
    /** Per signing key, strictly increasing: the server refuses a stale one (replay protection). */
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    /**
     * The claims ledger's counts by status when signing (optional: workstations before the ledger
     * sent none, and their attestations stay acceptable).
     */
    claims: z.object({ supported: count, contradicted: count, unverifiable: count, unlinked: count }).strict().optional(),
    /** Rubric criteria the documentation should answer that the reviewer did not confirm an answer for. */
    unansweredCriteria: z.array(z.string().regex(/^[a-z0-9.-]{1,100}$/)).max(200).optional(),
  })
  .strict();
export type ReviewOutcomePredicate = z.infer<typeof reviewOutcomePredicateSchema>;

export const auditCheckpointPredicateSchema = z
  .object({
    origin: shortText,
    size: safeIndex,
    /** base64 of the 32-byte RFC 6962 root. */
    rootHash: base64Bytes(32, 'a 32-byte hash'),
    /** The device-signed C2SP checkpoint note, verbatim. */
    checkpoint: z.string().min(1).max(64 * 1024),
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type AuditCheckpointPredicate = z.infer<typeof auditCheckpointPredicateSchema>;

export const CVSS4_SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;

/**
 * The findings document as an attestation: what `rwctl findings export` writes as CSAF or OpenVEX, in
 * our own predicate so the central office can verify who signed it and when, and list it to auditors.
 */
export const findingsPredicateSchema = z
  .object({
    caseId: shortText,
    /** The submission the findings are about, as its package names it. */
    product: z.object({ model: shortText, developer: shortText, version: shortText }).strict(),
    findings: z
      .array(
        z
          .object({
            id: z.string().regex(/^[0-9a-f]{32}$/),
            title: z.string().min(1).max(300),
            description: z.string().max(20_000),
            severity: z.enum(SEVERITIES),
            /** CVSS v4.0 (FIRST): the vector and the score and rating it gives; null when the finding has none. */
            cvss: z.object({ vector: z.string().min(1).max(400), score: z.number().min(0).max(10), severity: z.enum(CVSS4_SEVERITIES) }).strict().nullable(),
            /** claim:…, sample:…, artifact:… references into the case's evidence. */
            evidence: z.array(z.string().min(1).max(500)).max(50),
          })
          .strict(),
      )
      .min(1)
      .max(500),
    reviewer: z.object({ id: shortText, publicKeyId: hex64 }).strict(),
    /** Index of the `findings.attest` leaf in the workstation's access log. */
    accessLogIndex: safeIndex,
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type FindingsPredicate = z.infer<typeof findingsPredicateSchema>;

export const PREDICATE_SCHEMAS = {
  [REVIEW_OUTCOME_PREDICATE_TYPE]: reviewOutcomePredicateSchema,
  [AUDIT_CHECKPOINT_PREDICATE_TYPE]: auditCheckpointPredicateSchema,
  [FINDINGS_PREDICATE_TYPE]: findingsPredicateSchema,
} as const;

/** Subject of an audit-checkpoint Statement: the log origin, digest = the root hash (hex). */
export function auditCheckpointSubject(origin: string, rootHash: Uint8Array): Subject {
  return { name: origin, digest: { sha256: Array.from(rootHash, (b) => b.toString(16).padStart(2, '0')).join('') } };
}

// ---------------------------------------------------------------------------------------------------
// Enrollment (DSSE: request signed by the device key, approval by the server key, policy by the policy key)

export const enrollmentRequestSchema = z
  .object({
    workstationId: shortText,
    devicePublicKey: ed25519KeyBase64Schema,
    /** The origin line of this workstation's access-log checkpoints (the witness maps it to the device key). */
    logOrigin: shortText,
    reviewerPublicKeys: z.array(z.object({ reviewerId: shortText, publicKey: ed25519KeyBase64Schema }).strict()).max(100),
    requestedAt: utcMs,
    /**
     * The access log's checkpoint when the request was made (C2SP signed note by the device key). The
     * witness starts from it, so it never cosigns a first checkpoint it has no reason to believe.
     */
    checkpoint: z.string().min(1).max(8 * 1024),
  })
  .strict();
export type EnrollmentRequest = z.infer<typeof enrollmentRequestSchema>;

const dsseEnvelopeShape = z
  .object({
    payload: z.string(),
    payloadType: z.string(),
    signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() }).strict()).min(1),
  })
  .strict();

export const enrollmentApprovalSchema = z
  .object({
    workstationId: shortText,
    /** The device key this approval is for: an approval for another laptop is refused. */
    devicePublicKey: ed25519KeyBase64Schema,
    serverPublicKey: ed25519KeyBase64Schema,
    /** C2SP note key name of the server: its checkpoints' origin and its witness cosignature name. */
    serverName: shortText,
    serverUrl: z.string().url().optional(),
    /** DSSE (POLICY_PAYLOAD_TYPE) of the policy JSON, signed by policyPublicKey. */
    policyEnvelope: dsseEnvelopeShape,
    policyPublicKey: ed25519KeyBase64Schema,
    trustedSubmitterKeys: z.array(z.string().min(1).max(4096)).max(100),
    approvedAt: utcMs,
  })
  .strict();
export type EnrollmentApproval = z.infer<typeof enrollmentApprovalSchema>;

/**
 * The approval file: the server key travels beside the envelope so the workstation can verify before it
 * parses; the payload must then name the same key (trust on first use, carried by the administrator).
 */
export const approvalBundleSchema = z.object({ serverPublicKey: ed25519KeyBase64Schema, envelope: dsseEnvelopeShape }).strict();
export type ApprovalBundle = z.infer<typeof approvalBundleSchema>;

// ---------------------------------------------------------------------------------------------------
// Media bundle and receipts

export const MEDIA_BUNDLE_FILES = {
  /** One DSSE envelope (compact JSON) per line, each ending in \n. */
  attestations: 'attestations.intoto.jsonl',
  /** C2SP tlog-witness add-checkpoint request body; absent when there is no checkpoint to witness. */
  witnessRequest: 'witness-request.txt',
  /** DSSE (BUNDLE_MANIFEST_PAYLOAD_TYPE) signed by the device key, listing every other file. */
  manifest: 'manifest.dsse.json',
} as const;

export const RECEIPTS_BUNDLE_FILES = {
  /** One receiptSchema JSON per line. */
  receipts: 'receipts.jsonl',
  /** add-checkpoint response body (cosignature lines) when the witness cosigned. */
  witnessResponse: 'witness-response.txt',
  /** add-checkpoint 409 body (`<size>\n`) when the witness holds another size. */
  witnessConflict: 'witness-conflict.txt',
} as const;

export const bundleManifestSchema = z
  .object({
    workstationId: shortText,
    createdAt: utcMs,
    files: z
      .array(z.object({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/), sha256: hex64, size: safeIndex }).strict())
      .max(16),
  })
  .strict();
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/**
 * The server's answer for one accepted envelope: its leaf in the server's RFC 6962 log and the
 * server-signed checkpoint the inclusion proof leads to. Verified offline: the checkpoint by the pinned
 * server key, the proof from attestationLeafData(envelope) to the checkpoint's root.
 */
export const receiptSchema = z
  .object({
    /** sha256 hex of attestationLeafData(envelope). */
    envelopeSha256: hex64,
    logIndex: safeIndex,
    treeSize: safeIndex,
    inclusionProof: z.array(base64Std).max(64),
    /** Signed note of the server's checkpoint (origin = serverName), verbatim. */
    checkpoint: z.string().min(1).max(64 * 1024),
  })
  .strict();
export type Receipt = z.infer<typeof receiptSchema>;

/**
 * The server log's leaf for an envelope: RFC 8785 canonical JSON of the envelope's signed members
 * (payload, payloadType, signatures with keyid/sig). Canonical so that the same envelope arriving by
 * network or by media, re-serialised or not, is one leaf and one replay key.
 */
export function attestationLeafData(envelope: { payload: string; payloadType: string; signatures: readonly { keyid?: string | null | undefined; sig: string }[] }): Uint8Array {
  return canonicalBytes({
    payload: envelope.payload,
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map((s) => (s.keyid === undefined || s.keyid === null ? { sig: s.sig } : { keyid: s.keyid, sig: s.sig })),
  });
}

/** HTTP paths of the central server (all under the policy's server URL). */
export const SERVER_PATHS = {
  attestations: '/v1/attestations',
  witnessAddCheckpoint: '/v1/witness/add-checkpoint',
  checkpoint: '/v1/checkpoint',
} as const;
