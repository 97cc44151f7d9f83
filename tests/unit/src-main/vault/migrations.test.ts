import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { AUDIT_MIGRATIONS } from '../../../../src-main/vault/audit-db-schema';
import { CONTENT_MIGRATIONS } from '../../../../src-main/vault/content-schema';
import { openEncryptedDb } from '../../../../src-main/vault/encrypted-db';
import { currentSchemaVersion, runMigrations, type Migration } from '../../../../src-main/vault/migrations';

let dir: string;
let db: Database;
const key = randomBytes(32);
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-mig-'));
  db = openEncryptedDb(path.join(dir, 'x.db'), key, { create: true });
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const schema = (d: Database) => d.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();

describe('migrations', () => {
  it.each([
    ['content', CONTENT_MIGRATIONS],
    ['audit', AUDIT_MIGRATIONS],
  ])('apply the %s schema once; running them again changes nothing', (_name, list) => {
    const first = runMigrations(db, list, () => 5);
    expect(first).toEqual({ from: 0, to: list.length, applied: list.map((m) => m.version) });
    const snapshot = schema(db);
    const second = runMigrations(db, list, () => 6);
    expect(second).toEqual({ from: list.length, to: list.length, applied: [] });
    expect(schema(db)).toEqual(snapshot);
    expect(db.prepare('SELECT count(*) AS n FROM schema_version').get()?.n).toBe(list.length);
  });

  it('creates exactly the importer contract tables in content.db', () => {
    runMigrations(db, CONTENT_MIGRATIONS, () => 1);
    const cols = (t: string) => db.prepare(`PRAGMA table_info(${t})`).all().map((c) => `${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.pk ? ' PK' : ''}`);
    expect(cols('cases')).toEqual([
      'id TEXT PK',
      'model TEXT NOT NULL',
      'developer TEXT NOT NULL',
      'version TEXT NOT NULL',
      'submitted_at TEXT NOT NULL',
      'release_date TEXT NOT NULL',
      'review_deadline TEXT NOT NULL',
      'package_digest TEXT NOT NULL',
      'submitter_key TEXT NOT NULL',
      'imported_at INTEGER NOT NULL',
      'metadata_json TEXT NOT NULL',
    ]);
    expect(cols('artifacts')).toEqual(['id TEXT PK', 'case_id TEXT NOT NULL', 'path TEXT NOT NULL', 'size INTEGER NOT NULL', 'sha256 TEXT NOT NULL', 'media_type TEXT NOT NULL', 'chunk_count INTEGER NOT NULL']);
    expect(cols('artifact_chunks')).toEqual(['artifact_id TEXT NOT NULL PK', 'seq INTEGER NOT NULL PK', 'data BLOB NOT NULL']);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", { pluck: true }).all();
    expect(tables).toEqual(
      [
        'artifact_chunks', 'artifact_row_chunks', 'artifact_row_index', 'artifacts', 'cases', 'checklist_history', 'checklist_items', 'claim_decision_history', 'claim_decisions', 'finding_evidence', 'finding_artifacts', 'finding_history', 'findings', 'note_history', 'notes', 'reviewer_keys', 'schema_version',
        // The search index: units (external content, text stored once) and two FTS5 indexes with their shadow tables.
        'search_sources', 'search_units',
        ...['search_words', 'search_idents'].flatMap((t) => [t, `${t}_config`, `${t}_data`, `${t}_docsize`, `${t}_idx`]),
      ].sort(),
    );
  });

  it('applies only the migrations appended since the last run', () => {
    runMigrations(db, AUDIT_MIGRATIONS, () => 1);
    const extended: Migration[] = [...AUDIT_MIGRATIONS, { version: AUDIT_MIGRATIONS.length + 1, name: 'leaves', up: 'CREATE TABLE leaves(seq INTEGER PRIMARY KEY)' }];
    expect(runMigrations(db, extended, () => 2).applied).toEqual([AUDIT_MIGRATIONS.length + 1]);
    expect(currentSchemaVersion(db)).toBe(AUDIT_MIGRATIONS.length + 1);
  });

  it('rolls a failing migration back whole and leaves the version where it was', () => {
    const list: Migration[] = [
      { version: 1, name: 'a', up: 'CREATE TABLE a(x)' },
      { version: 2, name: 'b', up: 'CREATE TABLE b(x); CREATE TABLE a(y)' },
    ];
    expect(() => runMigrations(db, list, () => 1)).toThrow();
    expect(currentSchemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()?.n).toBe(0);
  });

  it.each([
    ['a list that does not start at 1', [{ version: 2, name: 'a', up: 'SELECT 1' }], 'INTERNAL'],
    ['a list with a gap', [{ version: 1, name: 'a', up: 'SELECT 1' }, { version: 3, name: 'c', up: 'SELECT 1' }], 'INTERNAL'],
  ])('refuses %s', (_name, list, code) => {
    expect(() => runMigrations(db, list as Migration[], () => 1)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a database written by a newer version, and one whose history names differ', () => {
    runMigrations(db, AUDIT_MIGRATIONS, () => 1);
    expect(() => runMigrations(db, [], () => 1)).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
    expect(() => runMigrations(db, [{ version: 1, name: 'something-else', up: 'SELECT 1' }], () => 1)).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
  });
});

describe('encrypted database', () => {
  it('refuses a wrong key as a damaged or swapped file, and a missing file', () => {
    runMigrations(db, AUDIT_MIGRATIONS, () => 1);
    db.close();
    expect(() => openEncryptedDb(path.join(dir, 'x.db'), randomBytes(32))).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
    expect(() => openEncryptedDb(path.join(dir, 'missing.db'), key)).toThrow(expect.objectContaining({ code: 'VAULT_DAMAGED' }));
    expect(() => openEncryptedDb(path.join(dir, 'x.db'), key, { create: true })).toThrow(expect.objectContaining({ code: 'VAULT_EXISTS' }));
    db = openEncryptedDb(path.join(dir, 'x.db'), key);
    expect(currentSchemaVersion(db)).toBe(AUDIT_MIGRATIONS.length);
  });

  it('writes a file that starts with random bytes, not the SQLite header', () => {
    db.exec('CREATE TABLE t(x); INSERT INTO t VALUES (1)');
    db.close();
    const head = fs.readFileSync(path.join(dir, 'x.db')).subarray(0, 16).toString('latin1');
    expect(head).not.toBe('SQLite format 3\0');
    db = openEncryptedDb(path.join(dir, 'x.db'), key);
  });
});
