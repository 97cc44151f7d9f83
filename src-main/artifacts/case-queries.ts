/**
 * Read side of imported cases: summaries with days left to the deadline, one case in detail, its
 * artifacts, and artifact content one stored chunk at a time (never a whole file in memory, never a
 * path on disk).
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import type { ArtifactChunk, ArtifactSummary, CaseDetail, CaseSummary } from '../../src-shared/ipc/channels-cases';
import { daysLeft, deadlineMs } from './submission';

type Row = Record<string, unknown>;

function str(row: Row, key: string): string {
  const value = row[key];
  if (typeof value !== 'string') throw new RwError('INTERNAL', 'A stored case row is malformed.');
  return value;
}

function num(row: Row, key: string): number {
  const value = row[key];
  if (typeof value !== 'number') throw new RwError('INTERNAL', 'A stored case row is malformed.');
  return value;
}

const SUMMARY_SQL = `
  SELECT c.id, c.model, c.developer, c.version, c.submitted_at, c.release_date, c.review_deadline, c.imported_at,
         c.package_digest, c.submitter_key, c.metadata_json,
         (SELECT count(*) FROM artifacts a WHERE a.case_id = c.id) AS artifact_count,
         (SELECT coalesce(sum(a.size), 0) FROM artifacts a WHERE a.case_id = c.id) AS total_bytes
  FROM cases c`;

function summary(row: Row, now: number): CaseSummary {
  const deadline = str(row, 'review_deadline');
  return {
    id: str(row, 'id'),
    model: str(row, 'model'),
    developer: str(row, 'developer'),
    version: str(row, 'version'),
    submittedAt: str(row, 'submitted_at'),
    releaseDate: str(row, 'release_date'),
    reviewDeadline: deadline,
    daysLeft: daysLeft(deadline, now),
    overdue: deadlineMs(deadline) < now,
    importedAt: num(row, 'imported_at'),
    artifactCount: num(row, 'artifact_count'),
    totalBytes: num(row, 'total_bytes'),
  };
}

/** Nearest deadline first, then newest import. */
export function listCaseSummaries(db: Database, now: number): CaseSummary[] {
  return db
    .prepare(`${SUMMARY_SQL} ORDER BY c.imported_at DESC, c.id`)
    .all()
    .map((row) => summary(row, now))
    .sort((a, b) => a.daysLeft - b.daysLeft || b.importedAt - a.importedAt);
}

export function getCase(db: Database, caseId: string, now: number): CaseDetail {
  const row = db.prepare(`${SUMMARY_SQL} WHERE c.id = ?`).get([caseId]);
  if (!row) throw new RwError('NOT_FOUND', 'No such case.');
  const metadata = JSON.parse(str(row, 'metadata_json')) as Record<string, unknown>;
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) if (typeof v === 'string') flat[k] = v;
  return { ...summary(row, now), packageDigest: str(row, 'package_digest'), submitterKey: str(row, 'submitter_key'), metadata: flat };
}

function artifact(row: Row): ArtifactSummary {
  return {
    id: str(row, 'id'),
    caseId: str(row, 'case_id'),
    path: str(row, 'path'),
    size: num(row, 'size'),
    sha256: str(row, 'sha256'),
    mediaType: str(row, 'media_type'),
    chunkCount: num(row, 'chunk_count'),
  };
}

const ARTIFACT_SQL = 'SELECT id, case_id, path, size, sha256, media_type, chunk_count FROM artifacts';

export function listArtifacts(db: Database, caseId: string): ArtifactSummary[] {
  if (!db.prepare('SELECT 1 FROM cases WHERE id = ?').get([caseId])) throw new RwError('NOT_FOUND', 'No such case.');
  return db.prepare(`${ARTIFACT_SQL} WHERE case_id = ? ORDER BY path`).all([caseId]).map(artifact);
}

export function getArtifact(db: Database, artifactId: string): ArtifactSummary {
  const row = db.prepare(`${ARTIFACT_SQL} WHERE id = ?`).get([artifactId]);
  if (!row) throw new RwError('NOT_FOUND', 'No such artifact.');
  return artifact(row);
}

export function readArtifactChunk(db: Database, artifactId: string, chunk: number): { artifact: ArtifactSummary; chunk: ArtifactChunk } {
  const meta = getArtifact(db, artifactId);
  if (!Number.isInteger(chunk) || chunk < 0 || chunk >= meta.chunkCount) {
    throw new RwError('NOT_FOUND', `The artifact has ${meta.chunkCount} chunk(s); chunk ${chunk} does not exist.`, { chunkCount: meta.chunkCount });
  }
  const row = db.prepare('SELECT data FROM artifact_chunks WHERE artifact_id = ? AND seq = ?').get([artifactId, chunk]);
  const data = row?.data;
  if (!(data instanceof Uint8Array)) throw new RwError('INTERNAL', 'A stored chunk is missing.');
  // A plain Uint8Array (not a Buffer view into a pool) is what crosses the bridge.
  const copy = new Uint8Array(data.byteLength);
  copy.set(data);
  return { artifact: meta, chunk: { artifactId, chunk, chunkCount: meta.chunkCount, size: meta.size, data: copy } };
}
