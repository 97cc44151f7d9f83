/**
 * Who is changing the workspace and with which clock and id source: passed in so services stay pure
 * over the database and tests drive time and ids.
 */
import { randomBytes } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';
import { isWellFormedUtf16 } from '../../src-shared/canonical-json';
import { RwError } from '../../src-shared/errors';
import type { Database } from '@signalapp/sqlcipher';

export interface WorkspaceActor {
  user: string;
  clock(): number;
  newId(): string;
}

/** 128-bit random ids, lower-case hex (recordIdSchema). */
export function randomRecordId(): string {
  return toHex(randomBytes(16));
}

export function actorFor(user: string, clock: () => number = () => Date.now(), newId: () => string = randomRecordId): WorkspaceActor {
  return { user, clock, newId };
}

/** Text that will later be canonicalised (attestations, audit leaves) must be well-formed UTF-16. */
export function checkText(value: string | null | undefined, field: string): void {
  if (value == null) return;
  if (!isWellFormedUtf16(value) || value.includes('\u0000')) throw new RwError('INVALID_INPUT', `The ${field} holds characters that cannot be stored.`);
}

export function requireCase(db: Database, caseId: string): void {
  if (!db.prepare('SELECT 1 FROM cases WHERE id = ?').get([caseId])) throw new RwError('NOT_FOUND', 'No such case.');
}

/** Refuses artifacts that do not exist or belong to another case (a link must not cross cases). */
export function requireArtifacts(db: Database, caseId: string, artifactIds: readonly string[]): void {
  const stmt = db.prepare('SELECT 1 FROM artifacts WHERE id = ? AND case_id = ?');
  for (const id of artifactIds) if (!stmt.get([id, caseId])) throw new RwError('NOT_FOUND', 'An artifact does not exist in this case.', { artifactId: id });
}

export function checkRevision(expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new RwError('CONFLICT', 'This item was changed since you opened it; reload and try again.', { revision: actual });
  }
}

interface KeptRecord {
  id: string;
  revision: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * Deletes a note or finding as its next revision: the row stays (its history and any attestation cite
 * it), marked deleted. `record` writes the history step and refreshes the search index.
 */
export function markDeleted<R extends KeptRecord>(db: Database, table: 'notes' | 'findings', current: R, now: number, record: (next: R) => void): R {
  const next: R = { ...current, deletedAt: now, updatedAt: now, revision: current.revision + 1 };
  db.prepare(`UPDATE ${table} SET deleted_at = ?, updated_at = ?, revision = ? WHERE id = ?`).run([now, now, next.revision, next.id]);
  record(next);
  return next;
}

type Row = Record<string, unknown>;

export function str(row: Row, key: string): string {
  const v = row[key];
  if (typeof v !== 'string') throw new RwError('INTERNAL', 'Unexpected value in the workspace store.');
  return v;
}

export function strOrNull(row: Row, key: string): string | null {
  const v = row[key];
  return v === null || v === undefined ? null : str(row, key);
}

export function num(row: Row, key: string): number {
  const v = row[key];
  if (typeof v !== 'number') throw new RwError('INTERNAL', 'Unexpected value in the workspace store.');
  return v;
}

export function numOrNull(row: Row, key: string): number | null {
  const v = row[key];
  return v === null || v === undefined ? null : num(row, key);
}
