/** The cases in content.db, newest import first, as `rwctl cases list` and the case picker show them. */
import type { Database } from '@signalapp/sqlcipher';
import { num, str } from './workspace-actor';

export interface CaseSummary {
  id: string;
  model: string;
  developer: string;
  version: string;
  releaseDate: string;
  reviewDeadline: string;
  packageDigest: string;
  importedAt: number;
  artifactCount: number;
}

export function listCases(db: Database): CaseSummary[] {
  return db
    .prepare(
      `SELECT c.id, c.model, c.developer, c.version, c.release_date, c.review_deadline, c.package_digest, c.imported_at,
              (SELECT count(*) FROM artifacts a WHERE a.case_id = c.id) AS artifact_count
       FROM cases c ORDER BY c.imported_at DESC, c.id`,
    )
    .all()
    .map((row) => ({
      id: str(row, 'id'),
      model: str(row, 'model'),
      developer: str(row, 'developer'),
      version: str(row, 'version'),
      releaseDate: str(row, 'release_date'),
      reviewDeadline: str(row, 'review_deadline'),
      packageDigest: str(row, 'package_digest'),
      importedAt: num(row, 'imported_at'),
      artifactCount: num(row, 'artifact_count'),
    }));
}
