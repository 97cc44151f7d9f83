/**
 * How an import relates to what the vault already holds, decided from content.db alone (no schema
 * change): the same signed manifest (package digest) is the same package and is refused, naming the
 * case that holds it; another package of the same model from the same developer is a new version,
 * linked to the one stored last before it. The link is derived, so a case removed later simply
 * stops being anyone's "previous" instead of leaving a dangling reference.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';

export interface CaseRef {
  caseId: string;
  model: string;
  version: string;
}

function ref(row: Record<string, unknown> | undefined): CaseRef | null {
  if (!row || typeof row.id !== 'string' || typeof row.model !== 'string' || typeof row.version !== 'string') return null;
  return { caseId: row.id, model: row.model, version: row.version };
}

/** The case already holding a package with this signed root digest, if any. */
export function caseWithPackage(db: Database, packageDigest: string): CaseRef | null {
  return ref(db.prepare('SELECT id, model, version FROM cases WHERE package_digest = ? ORDER BY imported_at LIMIT 1').get([packageDigest]));
}

/** Refuses a second import of the same signed package, naming the case that already holds it. */
export function refuseDuplicate(db: Database, packageDigest: string): void {
  const existing = caseWithPackage(db, packageDigest);
  if (existing) {
    throw new RwError('CONFLICT', `This package was already imported as ${existing.model} ${existing.version} (${existing.caseId}); nothing was changed.`, {
      reason: 'duplicate',
      caseId: existing.caseId,
    });
  }
}

/**
 * The case this one follows: the same model and developer, stored before it. Insertion order (rowid)
 * decides rather than imported_at, which follows a wall clock that can be set back.
 */
export function previousVersion(db: Database, caseId: string): CaseRef | null {
  const row = db
    .prepare(
      `SELECT p.id, p.model, p.version FROM cases c JOIN cases p
         ON p.model = c.model AND p.developer = c.developer AND p.rowid < c.rowid
       WHERE c.id = ? ORDER BY p.rowid DESC LIMIT 1`,
    )
    .get([caseId]);
  return ref(row);
}
