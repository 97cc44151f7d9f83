/**
 * Removes a case and everything recorded about it from content.db in one transaction: artifacts and
 * their chunks and table-row index, notes, findings (with their evidence), checklist, claim decisions,
 * and its search index rows. The connection runs with
 * secure_delete on (freed pages are overwritten with zeros); the FTS5 indexes are then merged, so
 * the removed text's tokens do not linger in old index segments, and the WAL is checkpointed and
 * truncated so no page image of the removed rows stays in it. Foreign keys refuse the removal if a
 * table not listed here still points at the case: nothing is half-removed.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';

const STATEMENTS = [
  'DELETE FROM search_units WHERE case_id = $id',
  'DELETE FROM search_sources WHERE case_id = $id',
  'DELETE FROM claim_decision_history WHERE case_id = $id',
  'DELETE FROM claim_decisions WHERE case_id = $id',
  'DELETE FROM finding_evidence WHERE finding_id IN (SELECT id FROM findings WHERE case_id = $id)',
  'DELETE FROM finding_artifacts WHERE finding_id IN (SELECT id FROM findings WHERE case_id = $id)',
  'DELETE FROM finding_history WHERE finding_id IN (SELECT id FROM findings WHERE case_id = $id)',
  'DELETE FROM findings WHERE case_id = $id',
  'DELETE FROM note_history WHERE note_id IN (SELECT id FROM notes WHERE case_id = $id)',
  'DELETE FROM notes WHERE case_id = $id',
  'DELETE FROM checklist_history WHERE case_id = $id',
  'DELETE FROM checklist_items WHERE case_id = $id',
  'DELETE FROM artifact_row_chunks WHERE artifact_id IN (SELECT id FROM artifacts WHERE case_id = $id)',
  'DELETE FROM artifact_row_index WHERE artifact_id IN (SELECT id FROM artifacts WHERE case_id = $id)',
  'DELETE FROM artifact_chunks WHERE artifact_id IN (SELECT id FROM artifacts WHERE case_id = $id)',
  'DELETE FROM artifacts WHERE case_id = $id',
  'DELETE FROM cases WHERE id = $id',
];

export function removeCase(db: Database, caseId: string): void {
  if (!db.prepare('SELECT 1 FROM cases WHERE id = ?').get([caseId])) throw new RwError('NOT_FOUND', 'No such case.');
  if (Number(db.pragma('secure_delete', { simple: true })) !== 1) throw new RwError('INTERNAL', 'Secure delete is not on for this database.');
  try {
    db.transaction(() => {
      for (const sql of STATEMENTS) db.prepare(sql).run({ id: caseId });
      db.exec("INSERT INTO search_words(search_words) VALUES ('optimize'); INSERT INTO search_idents(search_idents) VALUES ('optimize');");
    })();
  } catch {
    throw new RwError('CONFLICT', 'The case could not be removed; nothing was changed.');
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
}
