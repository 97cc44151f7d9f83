/**
 * Export of the findings document (CSAF 2.0, CSAF 2.1 or OpenVEX), gated like every export
 * (export-gate.ts): the policy must allow exports with a justification, a watermark session must be
 * active, the justification must be a sentence, and the passphrase is asked again. The document then
 * carries the visible watermark line and the session's text fingerprint, is validated, hashed and
 * written exclusively (never over an existing file, owner-only). The caller logs the outcome with the
 * returned detail: format, digest, size, count — never finding text.
 */
import type { Database } from '@signalapp/sqlcipher';
import { sha256 } from '../../src-shared/node/crypto';
import { toHex, utf8 } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { MAX_JUSTIFICATION_CHARS, MIN_JUSTIFICATION_CHARS } from '../../src-shared/ipc/channels-controls';
import type { Policy } from '../../src-shared/policy';
import { embedTextFingerprint } from '../../src-shared/watermark/text-fingerprint';
import { getCase } from '../artifacts/case-queries';
import { exportLine } from '../controls/export-gate';
import type { WatermarkSession } from '../controls/watermark-session';
import { buildFindingsDocument, type ExportableStatus, type FindingsFormat } from './findings-document';
import { listScoredFindings, type ScoredFinding } from './finding-evidence';
import { requireValidFindingsDocument } from './findings-validate';

export interface FindingsExportRequest {
  caseId: string;
  format: FindingsFormat;
  justification: string;
  passphrase: string;
}

export interface FindingsExportDeps {
  policy(): Policy;
  session(): WatermarkSession | null;
  stepUp(passphrase: string): Promise<void>;
  clock(): number;
  /** Writes the bytes as a new file and returns its name (the app's export folder, or rwctl's --out). */
  write(bytes: Uint8Array, suggestedName: string): string;
  publisher?: { name: string; namespace: string };
}

export interface FindingsExportOutcome {
  fileName: string;
  sha256: string;
  bytes: number;
  findings: number;
  checks: number;
  detail: Record<string, string | number | boolean>;
}

const DEFAULT_PUBLISHER = { name: 'Pre-release model review', namespace: 'urn:x-reviewer-workstation:review' };

export async function exportFindingsDocument(db: Database, request: FindingsExportRequest, deps: FindingsExportDeps): Promise<FindingsExportOutcome> {
  const policy = deps.policy();
  if (policy.printExportMode !== 'justify') throw new RwError('DENIED', 'The policy in force does not allow exports.', { mode: policy.printExportMode });
  const session = deps.session();
  if (!session) throw new RwError('VAULT_LOCKED', 'The workstation is locked.');
  const justification = request.justification.trim();
  if (justification.length < MIN_JUSTIFICATION_CHARS || justification.length > MAX_JUSTIFICATION_CHARS) {
    throw new RwError('INVALID_INPUT', `An export needs a justification of ${MIN_JUSTIFICATION_CHARS} to ${MAX_JUSTIFICATION_CHARS} characters.`);
  }
  await deps.stepUp(request.passphrase);

  const now = deps.clock();
  const detail = getCase(db, request.caseId, now);
  // A withdrawn finding is the reviewer's retraction: it is no claim about the model and does not leave.
  const findings = listScoredFindings(db, request.caseId).filter((f): f is ScoredFinding & { status: ExportableStatus } => f.status !== 'withdrawn');
  if (findings.length === 0) throw new RwError('INVALID_INPUT', 'The case has no findings to export.');
  const line = exportLine(session, policy, now);
  const publisher = deps.publisher ?? DEFAULT_PUBLISHER;
  const doc = buildFindingsDocument(request.format, findings, {
    caseId: request.caseId,
    model: detail.model,
    developer: detail.developer,
    modelVersion: detail.version,
    publisherName: publisher.name,
    publisherNamespace: publisher.namespace,
    watermarkLine: line,
    watermarkText: embedTextFingerprint(line, session.code),
    now,
  });
  const validation = await requireValidFindingsDocument(request.format, doc);
  const bytes = utf8(JSON.stringify(doc, null, 2) + '\n');
  const digest = toHex(sha256(bytes));
  const ext = request.format === 'openvex' ? 'openvex.json' : 'csaf.json';
  const fileName = deps.write(bytes, `rw-findings-${request.caseId.slice(0, 40)}-${digest.slice(0, 12)}.${ext}`);
  return {
    fileName,
    sha256: digest,
    bytes: bytes.byteLength,
    findings: findings.length,
    checks: validation.checks.length,
    detail: { decision: 'allowed', kind: `findings-${request.format}`, justification, sha256: digest, bytes: bytes.byteLength, findings: findings.length, fileName },
  };
}
