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
 *
 * Since content migration 9 the word index has a second column, `tags`: the unit's kind and case as
 * two tokens (search-tags.ts), read through the view search_unit_words so they
 * are not stored a second time. A `kind:` or `case:` filter is then a doclist intersection inside
 * FTS5, not a walk over units joined to their rows (measured at 200 MB: a common word with kind:pdf
 * took 3.3 s that way). SEARCH_SCHEMA_SQL stays as migration 4 created it; TAGGED_WORDS_SQL is what
 * migration 9 makes of it.
 */
import type { Database } from '@signalapp/sqlcipher';
import { syncAllRecords } from './record-index';
import { tagsSql } from './search-tags';

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
 * How much an FTS5 index gathers in memory before it writes a segment (the default is 1 MiB). A large
 * import then writes a few large segments instead of hundreds of small ones that FTS5 spends its time
 * merging (measured, 50 MB of text, word index alone: 2.4-2.6 s of CPU against 3.4 s; 64 MiB did no
 * better); a small write (a note) still writes its segment at commit. Bounded: the pending terms of
 * both indexes hold about 32 MiB at most.
 */
export const FTS_HASH_BYTES = 16 * 1024 * 1024;

export const TAGGED_WORDS_SQL = `
  DROP TRIGGER search_units_delete;
  DROP TABLE search_words;
  CREATE VIEW search_unit_words AS SELECT id, body, ${tagsSql('kind', 'case_id')} AS tags FROM search_units;
  CREATE VIRTUAL TABLE search_words USING fts5(body, tags, content='search_unit_words', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='3');
  INSERT INTO search_words(search_words, rank) VALUES ('hashsize', ${FTS_HASH_BYTES});
  INSERT INTO search_idents(search_idents, rank) VALUES ('hashsize', ${FTS_HASH_BYTES});
  CREATE TRIGGER search_units_delete AFTER DELETE ON search_units BEGIN
    INSERT INTO search_words(search_words, rowid, body, tags) VALUES ('delete', old.id, old.body, ${tagsSql('old.kind', 'old.case_id')});
    INSERT INTO search_idents(search_idents, rowid, idents) VALUES ('delete', old.id, old.idents);
  END;
`;

/**
 * The word index gains its tags column (see above): it is dropped (secure_delete zeroes its pages)
 * and rebuilt from the units, which keep every indexed text, so no artifact is read or parsed again
 * and no unit is lost. The identifier index keeps its entries and gets the larger flush size. Then
 * every live note and finding is indexed again by the writer: a vault indexed by the old insert
 * trigger keeps the same entries, one written before the index existed gets them.
 */
export function tagWordIndex(db: Database): void {
  db.exec(TAGGED_WORDS_SQL);
  db.exec("INSERT INTO search_words(search_words) VALUES ('rebuild')");
  syncAllRecords(db);
}

/**
 * The first search migration: the tables. The notes and findings already in the vault are indexed by
 * migration 9 (tagWordIndex), with the unit writer of the current schema.
 */
export function createSearchIndex(db: Database): void {
  db.exec(SEARCH_SCHEMA_SQL);
}

/**
 * The insert trigger goes (the unit writer fills both indexes; see search-units.ts). This migration
 * also indexed every live note and finding again; migration 9 does that now, since the writer it
 * would call writes the tags column this schema does not have yet.
 */
export function explicitIndexWrites(db: Database): void {
  db.exec('DROP TRIGGER IF EXISTS search_units_insert');
}
