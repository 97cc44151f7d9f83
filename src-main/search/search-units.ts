/**
 * Writing and removing search units. A unit is the text of one place a hit opens; its identifiers are
 * extracted here, and the unit row and both FTS5 indexes are written by three plain inserts (an
 * import's writer gathers a batch of units and writes them table by table, see IMPORT_BATCH_UNITS). Not by
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

interface PendingUnit {
  source: SourceRef;
  unit: UnitDraft;
  text: string;
  /** Already extracted (by the extraction thread), or extracted at the flush. */
  idents: string | null;
}

/**
 * How many units an import's writer gathers before writing them table by table (all unit rows, then
 * the word index, then the identifier index). One unit at a time through all three cost ~20 % more CPU
 * (measured, 50 MB of text: 6.1-6.6 s against 5.0-5.1 s): the work alternates between two FTS5 hash
 * tables and the units b-tree, and every switch starts from cold caches.
 */
export const IMPORT_BATCH_UNITS = 500;

export class UnitWriter {
  private pending: PendingUnit[] = [];
  private readonly insert: Statement<object>;
  private readonly insertWords: Statement<object>;
  private readonly insertIdents: Statement<object>;
  private readonly deleteSource: Statement<object>;
  private readonly hasUnits: Statement<object>;
  private readonly deleteUnits: Statement<object>;
  private readonly recordSource: Statement<object>;

  /** `batchUnits`: units gathered before they are written (1: each is written as it is added). */
  constructor(
    private readonly db: Database,
    private readonly batchUnits = 1,
  ) {
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

  /** Adds one unit (written now, or with its batch); returns the characters indexed. */
  add(source: SourceRef, unit: UnitDraft): number {
    const text = unitText(unit);
    if (text === null) return 0;
    this.gather({ source, unit, text, idents: null });
    return text.length;
  }

  /** Adds a unit the extraction thread already cut (`unit.text`) and extracted the identifiers of. */
  addExtracted(source: SourceRef, unit: UnitDraft, idents: string): void {
    this.gather({ source, unit, text: unit.text, idents });
  }

  private gather(unit: PendingUnit): void {
    this.pending.push(unit);
    if (this.pending.length >= this.batchUnits) this.flush();
  }

  /** Writes the units gathered so far (remove and finish call it first). */
  flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const idents = batch.map((p) => p.idents ?? identifiersIn(p.text));
    const ids = batch.map(({ source, unit, text }, i) => this.insert.run([source.caseId, source.kind, source.sourceId, source.artifactId, unit.loc?.kind ?? null, unit.loc?.n ?? null, unit.label ?? null, text, idents[i]!]).lastInsertRowid);
    batch.forEach((p, i) => this.insertWords.run([ids[i]!, p.text, p.source.kind, p.source.caseId]));
    batch.forEach((_p, i) => this.insertIdents.run([ids[i]!, idents[i]!]));
  }

  /** Forgets a source: its units (and their index entries, by trigger) and its status row. */
  remove(sourceId: string): void {
    this.flush();
    // Only when there is something to delete: the delete statement's trigger writes FTS5 under a
    // statement savepoint, and FTS5 writes its pending terms out as a segment at every savepoint, so an
    // import calling this for each new artifact cut its in-memory batch into a segment per artifact.
    if (this.hasUnits.get([sourceId])) this.deleteUnits.run([sourceId]);
    this.deleteSource.run([sourceId]);
  }

  finish(source: SourceRef, units: number, textBytes: number, status: SourceStatus, at: number): void {
    this.flush();
    this.recordSource.run([source.sourceId, source.caseId, source.kind, units, textBytes, status, at]);
  }
}
