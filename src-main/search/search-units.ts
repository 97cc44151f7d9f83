/**
 * Writing and removing search units. A unit is the text of one place a hit opens; its identifiers are
 * extracted here so both indexes are filled by the one insert (the table's trigger feeds FTS5).
 */
import type { Database, Statement } from '@signalapp/sqlcipher';
import { identifiersIn } from '../../src-shared/search/identifiers';
import type { SearchKind } from '../../src-shared/search/search-kinds';

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
  private readonly deleteSource: Statement<object>;
  private readonly deleteUnits: Statement<object>;
  private readonly recordSource: Statement<object>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      'INSERT INTO search_units(case_id, kind, source_id, artifact_id, loc_kind, loc, label, body, idents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteUnits = db.prepare('DELETE FROM search_units WHERE source_id = ?');
    this.deleteSource = db.prepare('DELETE FROM search_sources WHERE source_id = ?');
    this.recordSource = db.prepare(
      'INSERT INTO search_sources(source_id, case_id, kind, units, text_bytes, status, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Adds one unit; returns the characters indexed. */
  add(source: SourceRef, unit: UnitDraft): number {
    const text = unitText(unit);
    if (text === null) return 0;
    this.insert.run([source.caseId, source.kind, source.sourceId, source.artifactId, unit.loc?.kind ?? null, unit.loc?.n ?? null, unit.label ?? null, text, identifiersIn(text)]);
    return text.length;
  }

  /** Forgets a source: its units (and their index entries, by trigger) and its status row. */
  remove(sourceId: string): void {
    this.deleteUnits.run([sourceId]);
    this.deleteSource.run([sourceId]);
  }

  finish(source: SourceRef, units: number, textBytes: number, status: SourceStatus, at: number): void {
    this.recordSource.run([source.sourceId, source.caseId, source.kind, units, textBytes, status, at]);
  }
}
