/**
 * Writing and removing search units. A unit is the text of one place a hit opens; its identifiers are
 * extracted here, and the unit row and both FTS5 indexes are written by three plain inserts. Not by
 * an insert trigger: a statement whose trigger writes two FTS5 tables runs under a statement
 * savepoint, and FTS5 flushes its pending terms to a new segment at every savepoint, so each unit
 * became its own segment and the index spent its time merging them (measured: 2.2x the CPU of the
 * three inserts). Removal still goes through the delete trigger (it is rare and needs the old text).
 */
import type { Database, Statement } from '@signalapp/sqlcipher';
import { identifiersIn } from '../../src-shared/search/identifiers';
import type { SearchKind } from '../../src-shared/search/search-kinds';
import { tagsSql } from './search-tags';

export type LocKind = 'page' | 'line' | 'row' | 'sample';

/** One place in a source, as an indexer yields it. */
export interface UnitDraft {
  text: string;
  loc?: { kind: LocKind; n: number };
  /** A heading (Markdown section) or a sample id: shown with the hit, used to open it. */
  label?: string;
}

export interface SourceRef {
  caseId: string;
  kind: SearchKind;
  /** The artifact id, or the note/finding/claim id. */
  sourceId: string;
  /** The artifact a hit opens (the artifact itself, or the one a note is anchored to). */
  artifactId: string | null;
}

export type SourceStatus = 'indexed' | 'no-text' | 'unreadable';

/** Longest unit body: a longer unit is cut by the indexer (a line of a minified file, a huge cell). */
export const MAX_UNIT_CHARS = 16_384;

/** The text a unit is indexed with (cut at MAX_UNIT_CHARS), or null when it has none. */
export function unitText(unit: UnitDraft): string | null {
  const text = unit.text.length > MAX_UNIT_CHARS ? unit.text.slice(0, MAX_UNIT_CHARS) : unit.text;
  return text.trim().length === 0 ? null : text;
}

export class UnitWriter {
  private readonly insert: Statement<object>;
  private readonly insertWords: Statement<object>;
  private readonly insertIdents: Statement<object>;
  private readonly deleteSource: Statement<object>;
  private readonly hasUnits: Statement<object>;
  private readonly deleteUnits: Statement<object>;
  private readonly recordSource: Statement<object>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      'INSERT INTO search_units(case_id, kind, source_id, artifact_id, loc_kind, loc, label, body, idents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // CAST: the driver binds JavaScript numbers as REAL; FTS5 wants an INTEGER rowid.
    this.insertWords = db.prepare(`INSERT INTO search_words(rowid, body, tags) VALUES (CAST(? AS INTEGER), ?, ${tagsSql('?', '?')})`);
    this.insertIdents = db.prepare('INSERT INTO search_idents(rowid, idents) VALUES (CAST(? AS INTEGER), ?)');
    this.deleteUnits = db.prepare('DELETE FROM search_units WHERE source_id = ?');
    this.hasUnits = db.prepare('SELECT 1 FROM search_units WHERE source_id = ? LIMIT 1');
    this.deleteSource = db.prepare('DELETE FROM search_sources WHERE source_id = ?');
    this.recordSource = db.prepare(
      'INSERT INTO search_sources(source_id, case_id, kind, units, text_bytes, status, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Adds one unit; returns the characters indexed. */
  add(source: SourceRef, unit: UnitDraft): number {
    const text = unitText(unit);
    if (text === null) return 0;
    const idents = identifiersIn(text);
    const { lastInsertRowid: id } = this.insert.run([source.caseId, source.kind, source.sourceId, source.artifactId, unit.loc?.kind ?? null, unit.loc?.n ?? null, unit.label ?? null, text, idents]);
    this.insertWords.run([id, text, source.kind, source.caseId]);
    this.insertIdents.run([id, idents]);
    return text.length;
  }

  /** Forgets a source: its units (and their index entries, by trigger) and its status row. */
  remove(sourceId: string): void {
    // Only when there is something to delete: the delete statement's trigger writes FTS5 under a
    // statement savepoint, and FTS5 writes its pending terms out as a segment at every savepoint, so an
    // import calling this for each new artifact cut its in-memory batch into a segment per artifact.
    if (this.hasUnits.get([sourceId])) this.deleteUnits.run([sourceId]);
    this.deleteSource.run([sourceId]);
  }

  finish(source: SourceRef, units: number, textBytes: number, status: SourceStatus, at: number): void {
    this.recordSource.run([source.sourceId, source.caseId, source.kind, units, textBytes, status, at]);
  }
}
