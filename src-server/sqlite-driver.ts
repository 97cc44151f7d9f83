/**
 * Embedded SQLite backend (the default: `npm run server` needs nothing else). The SQLCipher driver opened
 * without a key is plain SQLite; the server's data are signed attestations and public log nodes, not
 * secrets, so encryption at rest would protect nothing an attacker could not already read from receipts.
 *
 * WAL with synchronous=FULL: a commit is on disk before the 201 leaves, so an attestation that got a
 * receipt survives SIGKILL or power loss. Two connections: the writer runs transactions (serialised
 * in-process by a promise chain, and across processes by BEGIN IMMEDIATE), the reader serves GETs and
 * only ever sees committed data, even while a write transaction is open between awaits.
 */
import { Database } from '@signalapp/sqlcipher';
import type { SqlConn, SqlDriver, SqlValue } from './sql-driver';

function toParams(params: readonly SqlValue[] = []): (string | number | Uint8Array<ArrayBuffer> | null)[] {
  return params.map((p) => (p instanceof Uint8Array ? new Uint8Array(p) : p));
}

function connOf(db: Database): SqlConn {
  return {
    async all(sql, params) {
      return db.prepare(sql).all(toParams(params));
    },
    async run(sql, params) {
      return db.prepare(sql).run(toParams(params)).changes;
    },
  };
}

function open(path: string): Database {
  const db = new Database(path, { cacheStatements: true });
  db.pragma('busy_timeout = 10000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

export function openSqliteDriver(path: string): SqlDriver {
  const writer = open(path);
  let reader: Database | null = null;
  const readerDb = (): Database => (reader ??= open(path));
  let queue: Promise<unknown> = Promise.resolve();
  const writerConn = connOf(writer);
  return {
    dialect: 'sqlite',
    forUpdate: '',
    reader: {
      all: (sql, params) => connOf(readerDb()).all(sql, params),
      run: (sql, params) => connOf(readerDb()).run(sql, params),
    },
    transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
      const result = queue.then(async () => {
        writer.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn(writerConn);
          writer.exec('COMMIT');
          return value;
        } catch (error) {
          writer.exec('ROLLBACK');
          throw error;
        }
      });
      queue = result.catch(() => undefined);
      return result;
    },
    async exec(sql) {
      writer.exec(sql);
    },
    async close() {
      await queue;
      reader?.close();
      writer.close();
    },
  };
}
