/**
 * The claims ledger of a case: every numeric claim in its documentation (Markdown and plain-text
 * artifacts; a PDF's text when the caller can supply it), each with its status against the case's
 * checked evidence logs and the reviewer's decisions. The evidence checker is passed in, so the ledger
 * works with any reader that recomputes and tests can feed views directly.
 */
import type { Database } from '@signalapp/sqlcipher';
import { extractClaims, type ExtractedClaim } from '../../src-shared/claims/claim-extract';
import { claimStatus, countByStatus, type CheckedLogView, type ClaimResult, type ClaimStatus } from '../../src-shared/claims/claim-status';
import { RwError } from '../../src-shared/errors';
import { getCase, listArtifacts } from '../artifacts/case-queries';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { asClaimDecision, listClaimDecisions } from './claim-decisions';

/** Documentation the ledger reads: the card, reports and notes a submitter writes as text. */
export function isClaimDocument(a: Pick<ArtifactSummary, 'path' | 'mediaType'>): boolean {
  return /\.(md|markdown|txt)$/i.test(a.path) || a.mediaType === 'text/markdown' || a.mediaType === 'text/plain';
}

/** Largest document read for claims: a model card is kilobytes; this refuses a disguised blob. */
const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

export interface LedgerEntry extends ClaimResult {
  /** `<artifact id>@<offset>`: the key the reviewer's decisions are stored under. */
  key: string;
  artifactId: string;
}

export interface CaseLedger {
  caseId: string;
  entries: LedgerEntry[];
  counts: Record<ClaimStatus, number>;
  documents: Array<{ artifactId: string; path: string }>;
  logs: Array<{ artifactId: string; path: string; task: string; model: string | null; readable: boolean }>;
}

export interface LedgerDeps {
  /** The checked view of every evidence log of the case (ref = artifact id, evidence = artifact path). */
  checkLogs(caseId: string): Promise<CheckedLogView[]>;
  /** Whole-document text of an artifact (read from the encrypted store, never a temporary file). */
  readText(artifactId: string): string;
  now(): number;
}

export function readArtifactText(db: Database, artifactId: string): string {
  const rows = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? ORDER BY seq').all([artifactId]);
  let size = 0;
  const parts: Uint8Array[] = [];
  for (const row of rows) {
    if (!(row.data instanceof Uint8Array)) throw new RwError('INTERNAL', 'A stored chunk is missing.');
    size += row.data.byteLength;
    if (size > MAX_DOCUMENT_BYTES) throw new RwError('TOO_LARGE', 'The document is too large to read for claims.');
    parts.push(row.data);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

export async function caseLedger(db: Database, caseId: string, deps: LedgerDeps): Promise<CaseLedger> {
  const detail = getCase(db, caseId, deps.now());
  const artifacts = listArtifacts(db, caseId);
  const logs = await deps.checkLogs(caseId);
  const logIds = new Set(logs.map((l) => l.ref));
  const documents = artifacts.filter((a) => isClaimDocument(a) && !logIds.has(a.id));
  const tasks = [...new Set(logs.map((l) => l.task).filter((t) => t.length > 0))];
  const scorers = [...new Set(logs.flatMap((l) => l.scores.map((s) => s.scorer)))];
  const decisions = new Map(listClaimDecisions(db, caseId).map((d) => [d.claimKey, d]));
  const entries: LedgerEntry[] = [];
  for (const doc of documents) {
    const claims: ExtractedClaim[] = extractClaims({ file: doc.path, text: deps.readText(doc.id) }, { tasks, scorers });
    for (const claim of claims) {
      const key = `${doc.id}@${claim.offset}`;
      const result = claimStatus(claim, { logs, submissionModel: detail.model }, asClaimDecision(decisions.get(key)));
      entries.push({ ...result, key, artifactId: doc.id });
    }
  }
  return {
    caseId,
    entries,
    counts: countByStatus(entries),
    documents: documents.map((d) => ({ artifactId: d.id, path: d.path })),
    logs: logs.map((l) => ({ artifactId: l.ref, path: l.evidence, task: l.task, model: l.model, readable: l.readable })),
  };
}
