/**
 * The search index inside content.db (DESIGN §4, §5): it is encrypted with the content it points at
 * and goes where the content goes. One row of search_units per place a hit can open (a PDF page, a
 * block of text lines, a table row, a log sample, a note, a finding); two FTS5 indexes over it as
 * external content, so the text is stored once:
 *   search_words    unicode61 with diacritics removed: words, phrases, prefixes, bm25 and snippet();
 *                   a 3-character prefix index, because `abc*` otherwise walks every term under it
 *                   (measured: 3-letter prefixes were the only queries far over 50 ms);
 *   search_idents   trigram over the unit's identifiers only (see identifiers.ts for the measured why).
 * The unit writer (search-units.ts) fills both indexes itself; a trigger only removes (see there why).
 * search_sources says which artifacts and records are indexed, so a later build (or an import of a
 * vault written before the index existed) can find what is missing.
 */
import type { Database } from '@signalapp/sqlcipher';
import { syncAllRecords } from './record-index';

export const SEARCH_SCHEMA_SQL = `
  CREATE TABLE search_sources(
    source_id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    units INTEGER NOT NULL,
    text_bytes INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('indexed', 'no-text', 'unreadable')),
    indexed_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX search_sources_case ON search_sources(case_id);
  CREATE TABLE search_units(
    id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    artifact_id TEXT REFERENCES artifacts(id),
    loc_kind TEXT CHECK (loc_kind IN ('page', 'line', 'row', 'sample')),
    loc INTEGER,
    label TEXT,
    body TEXT NOT NULL,
    idents TEXT NOT NULL
  );
  CREATE INDEX search_units_source ON search_units(source_id);
  CREATE INDEX search_units_case ON search_units(case_id);
  CREATE VIRTUAL TABLE search_words USING fts5(body, content='search_units', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3');
  CREATE VIRTUAL TABLE search_idents USING fts5(idents, content='search_units', content_rowid='id', tokenize='trigram remove_diacritics 1');
  CREATE TRIGGER search_units_insert AFTER INSERT ON search_units BEGIN
    INSERT INTO search_words(rowid, body) VALUES (new.id, new.body);
    INSERT INTO search_idents(rowid, idents) VALUES (new.id, new.idents);
  END;
  CREATE TRIGGER search_units_delete AFTER DELETE ON search_units BEGIN
    INSERT INTO search_words(search_words, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO search_idents(search_idents, rowid, idents) VALUES ('delete', old.id, old.idents);
  END;
`;

/**
 * The first search migration: the tables. The notes and findings already in the vault are indexed by
 * the next one (explicitIndexWrites), since the unit writer now expects the insert trigger gone.
 */
export function createSearchIndex(db: Database): void {
  db.exec(SEARCH_SCHEMA_SQL);
}

/**
 * The insert trigger goes (the unit writer fills both indexes; see search-units.ts), then every live
 * note and finding is indexed again by the writer: a vault indexed by the trigger keeps the same
 * entries, one written before the index existed gets them. Artifacts keep theirs (the importer's).
 */
export function explicitIndexWrites(db: Database): void {
  db.exec('DROP TRIGGER IF EXISTS search_units_insert');
  syncAllRecords(db);
}
