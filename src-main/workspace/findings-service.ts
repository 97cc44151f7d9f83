/**
 * Findings: what the review concluded, with a severity, a status (open, confirmed, mitigated,
 * withdrawn), a category, an optional CVSS v4.0 vector, a description, the artifacts that support it
 * and references to the evidence (claims, samples, pages). Findings belong to the case (any reviewer
 * may edit); every change appends a full snapshot to finding_history in the same transaction, so the
 * history says who changed what when, and delete is soft.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import {
  SEVERITY_VALUES,
  findingStatusSchema,
  severitySchema,
  type Finding,
  type FindingCreate,
  type FindingEdit,
  type FindingHistoryEntry,
  type Severity,
} from '../../src-shared/ipc/channels-workspace';
import { checkCvss4Vector } from './cvss4-vector';
import { listFindingEvidence, writeFindingEvidence } from './evidence-refs';
import { syncFinding } from '../search/record-index';
import { checkRevision, checkText, markDeleted, num, numOrNull, requireArtifacts, requireCase, str, strOrNull, type WorkspaceActor } from './workspace-actor';

type Row = Record<string, unknown>;

function artifactIdsOf(db: Database, findingId: string): string[] {
  return db
    .prepare('SELECT artifact_id FROM finding_artifacts WHERE finding_id = ? ORDER BY artifact_id', { pluck: true })
    .all([findingId])
    .map(String);
}

function toFinding(db: Database, row: Row): Finding {
  const id = str(row, 'id');
  return {
    id,
    caseId: str(row, 'case_id'),
    title: str(row, 'title'),
    severity: severitySchema.parse(str(row, 'severity')),
    status: findingStatusSchema.parse(str(row, 'status')),
    category: str(row, 'category'),
    cvssVector: strOrNull(row, 'cvss_vector'),
    description: str(row, 'description'),
    artifactIds: artifactIdsOf(db, id),
    evidence: listFindingEvidence(db, id),
    author: str(row, 'author'),
    createdAt: num(row, 'created_at'),
    updatedAt: num(row, 'updated_at'),
    revision: num(row, 'revision'),
    deletedAt: numOrNull(row, 'deleted_at'),
  };
}

export function listFindings(db: Database, query: { caseId: string; includeDeleted?: boolean }): Finding[] {
  requireCase(db, query.caseId);
  return db
    .prepare('SELECT * FROM findings WHERE case_id = $caseId AND ($all = 1 OR deleted_at IS NULL) ORDER BY created_at, id')
    .all({ caseId: query.caseId, all: query.includeDeleted ? 1 : 0 })
    .map((row) => toFinding(db, row));
}

export function getFinding(db: Database, id: string): Finding | null {
  const row = db.prepare('SELECT * FROM findings WHERE id = ?').get([id]);
  return row ? toFinding(db, row) : null;
}

function checkFields(f: { title?: string; category?: string; description?: string; cvssVector?: string | null }): void {
  checkText(f.title, 'title');
  checkText(f.category, 'category');
  checkText(f.description, 'description');
  if (f.cvssVector != null) checkCvss4Vector(f.cvssVector);
}

function uniqueIds(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

function writeLinks(db: Database, findingId: string, artifactIds: readonly string[]): void {
  db.prepare('DELETE FROM finding_artifacts WHERE finding_id = ?').run([findingId]);
  const insert = db.prepare('INSERT INTO finding_artifacts(finding_id, artifact_id) VALUES (?, ?)');
  for (const artifactId of artifactIds) insert.run([findingId, artifactId]);
}

function appendHistory(db: Database, f: Finding, action: 'create' | 'edit' | 'delete', author: string, at: number): void {
  db.prepare(
    'INSERT INTO finding_history(finding_id, revision, action, title, severity, status, category, cvss_vector, description, artifact_ids_json, evidence_json, author, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run([f.id, f.revision, action, f.title, f.severity, f.status, f.category, f.cvssVector, f.description, JSON.stringify(f.artifactIds), JSON.stringify(f.evidence), author, at]);
}

export function createFinding(db: Database, actor: WorkspaceActor, input: FindingCreate): Finding {
  checkFields(input);
  const artifactIds = uniqueIds(input.artifactIds ?? []);
  return db.transaction(() => {
    requireCase(db, input.caseId);
    requireArtifacts(db, input.caseId, artifactIds);
    const now = actor.clock();
    const id = actor.newId();
    const finding: Finding = {
      id,
      caseId: input.caseId,
      title: input.title,
      severity: input.severity,
      status: input.status ?? 'open',
      category: input.category,
      cvssVector: input.cvssVector ?? null,
      description: input.description ?? '',
      artifactIds,
      evidence: [],
      author: actor.user,
      createdAt: now,
      updatedAt: now,
      revision: 1,
      deletedAt: null,
    };
    db.prepare(
      'INSERT INTO findings(id, case_id, title, severity, status, category, cvss_vector, description, author, created_at, updated_at, revision, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
    ).run([id, finding.caseId, finding.title, finding.severity, finding.status, finding.category, finding.cvssVector, finding.description, finding.author, now, now, 1]);
    writeLinks(db, id, artifactIds);
    finding.evidence = writeFindingEvidence(db, id, input.caseId, input.evidence ?? []);
    appendHistory(db, finding, 'create', actor.user, now);
    syncFinding(db, finding.id);
    return finding;
  })();
}

function requireLiveFinding(db: Database, id: string, revision: number | undefined): Finding {
  const finding = getFinding(db, id);
  if (!finding || finding.deletedAt !== null) throw new RwError('NOT_FOUND', 'No such finding.');
  checkRevision(revision, finding.revision);
  return finding;
}

export function editFinding(db: Database, actor: WorkspaceActor, input: FindingEdit): Finding {
  checkFields(input);
  return db.transaction(() => {
    const current = requireLiveFinding(db, input.id, input.revision);
    const artifactIds = input.artifactIds === undefined ? current.artifactIds : uniqueIds(input.artifactIds);
    requireArtifacts(db, current.caseId, artifactIds);
    const next: Finding = {
      ...current,
      title: input.title ?? current.title,
      severity: input.severity ?? current.severity,
      status: input.status ?? current.status,
      category: input.category ?? current.category,
      cvssVector: input.cvssVector === undefined ? current.cvssVector : input.cvssVector,
      description: input.description ?? current.description,
      artifactIds,
      evidence: input.evidence === undefined ? current.evidence : writeFindingEvidence(db, current.id, current.caseId, input.evidence),
      updatedAt: actor.clock(),
      revision: current.revision + 1,
    };
    db.prepare('UPDATE findings SET title = ?, severity = ?, status = ?, category = ?, cvss_vector = ?, description = ?, updated_at = ?, revision = ? WHERE id = ?').run([
      next.title,
      next.severity,
      next.status,
      next.category,
      next.cvssVector,
      next.description,
      next.updatedAt,
      next.revision,
      next.id,
    ]);
    writeLinks(db, next.id, artifactIds);
    appendHistory(db, next, 'edit', actor.user, next.updatedAt);
    syncFinding(db, next.id);
    return next;
  })();
}

export function deleteFinding(db: Database, actor: WorkspaceActor, input: { id: string; revision?: number }): Finding {
  return db.transaction(() =>
    markDeleted(db, 'findings', requireLiveFinding(db, input.id, input.revision), actor.clock(), (next) => {
      appendHistory(db, next, 'delete', actor.user, next.updatedAt);
      syncFinding(db, next.id);
    }),
  )();
}

export function findingHistory(db: Database, id: string): FindingHistoryEntry[] {
  if (!getFinding(db, id)) throw new RwError('NOT_FOUND', 'No such finding.');
  return db
    .prepare('SELECT * FROM finding_history WHERE finding_id = ? ORDER BY revision')
    .all([id])
    .map((row) => ({
      revision: num(row, 'revision'),
      action: str(row, 'action') as FindingHistoryEntry['action'],
      title: str(row, 'title'),
      severity: severitySchema.parse(str(row, 'severity')),
      status: findingStatusSchema.parse(str(row, 'status')),
      category: str(row, 'category'),
      cvssVector: strOrNull(row, 'cvss_vector'),
      description: str(row, 'description'),
      artifactIds: (JSON.parse(str(row, 'artifact_ids_json')) as unknown[]).map(String),
      evidence: jsonList(strOrNull(row, 'evidence_json')),
      author: str(row, 'author'),
      at: num(row, 'at'),
    }));
}

function jsonList(json: string | null): string[] | null {
  return json === null ? null : (JSON.parse(json) as unknown[]).map(String);
}

/**
 * Live findings by severity (the attestation predicate's finding counts, DESIGN §5). A withdrawn
 * finding is the reviewer's own retraction and is not counted; mitigated ones still are (they were found).
 */
export function findingCounts(db: Database, caseId: string): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITY_VALUES.map((s) => [s, 0])) as Record<Severity, number>;
  const rows = db.prepare("SELECT severity, count(*) AS n FROM findings WHERE case_id = ? AND deleted_at IS NULL AND status <> 'withdrawn' GROUP BY severity").all([caseId]);
  for (const row of rows) counts[severitySchema.parse(row.severity)] = Number(row.n);
  return counts;
}
