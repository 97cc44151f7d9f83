/**
 * Notes and findings in the index, kept current by their services: every create, edit and delete
 * rewrites the record's one unit in the same transaction as the change, so a search never shows a
 * deleted note or an old wording. Claims (and any other record kind) plug in through indexRecord.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { SearchKind } from '../../src-shared/search/search-kinds';
import { UnitWriter } from './search-units';

export interface RecordText {
  caseId: string;
  kind: SearchKind;
  id: string;
  /** The artifact a hit opens, if the record points at one. */
  artifactId: string | null;
  text: string;
  /** When the record last changed (UTC ms). */
  at: number;
}

/** Replaces a record's unit (text null: the record was deleted, or has none). */
export function indexRecord(db: Database, record: RecordText | null, id: string): void {
  const writer = new UnitWriter(db);
  writer.remove(id);
  if (!record) return;
  const source = { caseId: record.caseId, kind: record.kind, sourceId: record.id, artifactId: record.artifactId };
  const chars = writer.add(source, { text: record.text });
  writer.finish(source, chars > 0 ? 1 : 0, chars, chars > 0 ? 'indexed' : 'no-text', record.at);
}

function noteText(row: Record<string, unknown>): RecordText {
  const excerpt = typeof row.excerpt === 'string' ? `${row.excerpt}\n` : '';
  return { caseId: String(row.case_id), kind: 'note', id: String(row.id), artifactId: typeof row.artifact_id === 'string' ? row.artifact_id : null, text: `${excerpt}${String(row.body)}`, at: Number(row.updated_at) };
}

function findingText(row: Record<string, unknown>): RecordText {
  const parts = [row.title, row.category, row.description, row.cvss_vector].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return { caseId: String(row.case_id), kind: 'finding', id: String(row.id), artifactId: null, text: parts.join('\n'), at: Number(row.updated_at) };
}

export function syncNote(db: Database, noteId: string): void {
  const row = db.prepare('SELECT * FROM notes WHERE id = ? AND deleted_at IS NULL').get([noteId]);
  indexRecord(db, row ? noteText(row) : null, noteId);
}

export function syncFinding(db: Database, findingId: string): void {
  const row = db.prepare('SELECT * FROM findings WHERE id = ? AND deleted_at IS NULL').get([findingId]);
  indexRecord(db, row ? findingText(row) : null, findingId);
}

/** Every live note and finding (the migration that creates the index). */
export function syncAllRecords(db: Database): void {
  for (const row of db.prepare('SELECT * FROM notes WHERE deleted_at IS NULL').all()) indexRecord(db, noteText(row), String(row.id));
  for (const row of db.prepare('SELECT * FROM findings WHERE deleted_at IS NULL').all()) indexRecord(db, findingText(row), String(row.id));
}
