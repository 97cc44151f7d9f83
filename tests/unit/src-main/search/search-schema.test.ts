import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_MIGRATIONS } from '../../../../src-main/vault/content-schema';
import { runMigrations } from '../../../../src-main/vault/migrations';
import { RANK_WINDOW, search } from '../../../../src-main/search/search-service';
import { UnitWriter } from '../../../../src-main/search/search-units';
import { syncNote } from '../../../../src-main/search/record-index';
import { openTestContentDb, tempDir } from '../../../helpers/package-fixtures';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { randomBytes } from '../../../../src-shared/node/crypto';
import path from 'node:path';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh encrypted content.db in a temporary folder (removed after the test), with `migrations` applied. */
function contentDbWith(prefix: string, migrations: typeof CONTENT_MIGRATIONS) {
  const dir = tempDir(prefix);
  dirs.push(dir);
  const db = openEncryptedDb(path.join(dir, 'content.db'), randomBytes(32), { create: true });
  runMigrations(db, migrations, () => 1);
  return db;
}

describe('search index migration', () => {
  it('indexes the live notes and findings of a vault written before the index existed', () => {
    const before = CONTENT_MIGRATIONS.filter((m) => m.name !== 'search-index');
    const db = contentDbWith('rw-search-mig-', before.slice(0, 3));
    db.prepare("INSERT INTO cases VALUES ('case-x', 'M', 'D', '1', 's', 'r', 'd', 'p', 'k', 1, '{}')").run();
    db.prepare("INSERT INTO notes(id, case_id, body, author, created_at, updated_at, revision) VALUES ('n1', 'case-x', 'a gallimaufry of notes', 'alice', 1, 1, 1)").run();
    db.prepare("INSERT INTO notes(id, case_id, body, author, created_at, updated_at, revision, deleted_at) VALUES ('n2', 'case-x', 'a deleted gallimaufry', 'alice', 1, 2, 2, 2)").run();
    db.prepare("INSERT INTO findings(id, case_id, title, severity, category, description, author, created_at, updated_at, revision) VALUES ('f1', 'case-x', 'Hullabaloo', 'low', 'c', '', 'alice', 1, 1, 1)").run();
    expect(runMigrations(db, CONTENT_MIGRATIONS, () => 2).applied).toContain(4);
    expect(search(db, { query: 'gallimaufry', limit: 10 }).hits.map((h) => h.sourceId)).toEqual(['n1']);
    expect(search(db, { query: 'hullabaloo', limit: 10 }).hits.map((h) => h.sourceId)).toEqual(['f1']);
    db.close();
  });

  it('upgrades an index written by the old insert trigger without losing or doubling an entry', () => {
    // Versions 1-7: the index tables with their insert trigger, as such a vault has them.
    const db = contentDbWith('rw-search-mig8-', CONTENT_MIGRATIONS.slice(0, 7));
    db.prepare("INSERT INTO cases VALUES ('case-x', 'M', 'D', '1', 's', 'r', 'd', 'p', 'k', 1, '{}')").run();
    db.prepare("INSERT INTO notes(id, case_id, body, author, created_at, updated_at, revision) VALUES ('n1', 'case-x', 'a gallimaufry of notes', 'alice', 1, 1, 1)").run();
    // As the trigger-era writer did: one insert, the trigger fills both indexes.
    db.prepare("INSERT INTO search_units(case_id, kind, source_id, body, idents) VALUES ('case-x', 'note', 'n1', 'a gallimaufry of notes', '')").run();
    expect(runMigrations(db, CONTENT_MIGRATIONS, () => 2).applied).toEqual([8, 9]);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'search_units_insert'").get()?.n).toBe(0);
    expect(search(db, { query: 'gallimaufry', limit: 10 }).hits.map((h) => h.sourceId)).toEqual(['n1']);
    // FTS5 compares each index with the units table: no stale or doubled entry.
    db.exec("INSERT INTO search_words(search_words, rank) VALUES ('integrity-check', 1); INSERT INTO search_idents(search_idents, rank) VALUES ('integrity-check', 1);");
    db.close();
  });

  it('rebuilds the word index with kind and case tags from the units a version-8 vault holds', () => {
    const db = contentDbWith('rw-search-mig9-', CONTENT_MIGRATIONS.slice(0, 8));
    for (const id of ['case-a1', 'case-b2']) db.prepare("INSERT INTO cases VALUES (?, 'M', 'D', '1', 's', 'r', 'd', 'p', 'k', 1, '{}')").run([id]);
    db.prepare("INSERT INTO notes(id, case_id, body, author, created_at, updated_at, revision) VALUES ('n1', 'case-a1', 'a quiddity in a note', 'alice', 1, 1, 1)").run();
    // As the version-8 writer wrote units: the row, then each index by hand (the word index had no tags).
    const unit = db.prepare('INSERT INTO search_units(case_id, kind, source_id, loc_kind, loc, body, idents) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const words = db.prepare('INSERT INTO search_words(rowid, body) VALUES (CAST(? AS INTEGER), ?)');
    const idents = db.prepare('INSERT INTO search_idents(rowid, idents) VALUES (CAST(? AS INTEGER), ?)');
    for (const [caseId, kind, source, body] of [['case-a1', 'pdf', 'art-1', 'quiddity on page one of cyber_ctf'], ['case-b2', 'md', 'art-2', 'another quiddity']] as const) {
      const id = unit.run([caseId, kind, source, 'page', 1, body, body.includes('_') ? 'cyber_ctf' : '']).lastInsertRowid;
      words.run([id, body]);
      idents.run([id, body.includes('_') ? 'cyber_ctf' : '']);
    }
    expect(runMigrations(db, CONTENT_MIGRATIONS, () => 2).applied).toEqual([9]);
    const found = (query: string, caseId?: string) => search(db, { query, limit: 10, ...(caseId ? { caseId } : {}) }).hits.map((h) => h.sourceId).sort();
    expect(found('quiddity')).toEqual(['art-1', 'art-2', 'n1']);
    expect(found('quiddity kind:pdf')).toEqual(['art-1']);
    expect(found('quiddity kind:note')).toEqual(['n1']);
    expect(found('quiddity case:case-b')).toEqual(['art-2']);
    expect(found('quiddity', 'case-a1')).toEqual(['art-1', 'n1']);
    expect(found('*ber_ct* kind:pdf')).toEqual(['art-1']);
    // The tags are not words: a search for a tag token finds nothing.
    expect(found('kpdf')).toEqual([]);
    db.exec("INSERT INTO search_words(search_words, rank) VALUES ('integrity-check', 1); INSERT INTO search_idents(search_idents, rank) VALUES ('integrity-check', 1);");
    // A removed note leaves the rebuilt index exactly (the delete trigger removes the tags it was indexed with).
    db.prepare("UPDATE notes SET deleted_at = 3 WHERE id = 'n1'").run();
    syncNote(db, 'n1');
    expect(found('quiddity')).toEqual(['art-1', 'art-2']);
    db.exec("INSERT INTO search_words(search_words, rank) VALUES ('integrity-check', 1)");
    db.close();
  });

  it('is fresh on a new vault', () => {
    const vault = openTestContentDb();
    dirs.push(vault.dir);
    expect(search(vault.db, { query: 'anything', limit: 10 })).toEqual({ hits: [], more: false });
    vault.db.close();
  });

  it('ranks a bounded window of the newest matches that pass the filters, and says there is more', () => {
    const vault = openTestContentDb();
    dirs.push(vault.dir);
    const { db } = vault;
    db.prepare("INSERT INTO cases VALUES ('case-w', 'M', 'D', '1', 's', 'r', 'd', 'p', 'k', 1, '{}')").run();
    const writer = new UnitWriter(db);
    const add = (kind: 'pdf' | 'text', sourceId: string, text: string) => writer.add({ caseId: 'case-w', kind, sourceId, artifactId: null }, { text });
    db.exec('BEGIN');
    // The oldest units: the best bm25 match of all, and the only pdf ones.
    add('text', 'oldest-best', 'windowword windowword windowword');
    add('pdf', 'old-pdf', 'windowword in a report');
    for (let i = 0; i < RANK_WINDOW; i++) add('text', `u${i}`, i === 500 ? 'windowword windowword and more' : `plain windowword filler ${i}`);
    db.exec('COMMIT');
    const page = search(db, { query: 'windowword', limit: 5 });
    expect(page.more).toBe(true);
    expect(page.hits[0]!.sourceId).toBe('u500');
    expect(page.hits.map((h) => h.sourceId)).not.toContain('oldest-best');
    // A filter applies before the window: the one pdf unit is found however old it is, exactly.
    expect(search(db, { query: 'windowword kind:pdf', limit: 5 })).toMatchObject({ more: false, hits: [{ sourceId: 'old-pdf', snippet: '**windowword** in a report' }] });
    db.close();
  });
});
