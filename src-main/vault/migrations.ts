/**
 * Versioned schema migrations. Each database keeps a `schema_version` table; a migration list is an
 * ordered array numbered 1..n, applied one transaction each, so running it twice changes nothing and a
 * crash leaves the database at a whole version. A database written by a newer build (a version we do
 * not know) is refused rather than half-understood.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';

export interface Migration {
  version: number;
  name: string;
  /** SQL text (may hold several statements) or a function for data migrations. */
  up: string | ((db: Database) => void);
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

function checkList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new RwError('INTERNAL', `Migration list out of order at position ${i + 1}.`);
  });
}

export function currentSchemaVersion(db: Database): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!exists) return 0;
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get();
  return typeof row?.v === 'number' ? row.v : 0;
}

export function runMigrations(db: Database, migrations: readonly Migration[], clock: () => number): MigrationResult {
  checkList(migrations);
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const from = currentSchemaVersion(db);
  if (from > migrations.length) throw new RwError('VAULT_DAMAGED', 'This vault was written by a newer version of the application.');
  // The names of applied migrations must match ours: a different history means a different schema.
  const applied = db.prepare('SELECT version, name FROM schema_version ORDER BY version').all();
  for (const row of applied) {
    const known = migrations[Number(row.version) - 1];
    if (!known || known.name !== row.name) throw new RwError('VAULT_DAMAGED', 'The vault schema history does not match this application.');
  }
  const done: number[] = [];
  for (const migration of migrations.slice(from)) {
    const step = db.transaction(() => {
      if (typeof migration.up === 'string') db.exec(migration.up);
      else migration.up(db);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run([migration.version, migration.name, clock()]);
    });
    step();
    done.push(migration.version);
  }
  return { from, to: migrations.length, applied: done };
}
