/**
 * Embedded SQLite backend (the default: `npm run server` needs nothing else). The SQLCipher driver opened
 * without a key is plain SQLite; the server's data are signed attestations and public log nodes, not
 * secrets, so encryption at rest would protect nothing an attacker could not already read from receipts.
 *
 * WAL with synchronous=FULL: a commit is on disk before the 201 leaves, so an attestation that got a
 * receipt survives SIGKILL or power loss. Two connections: the writer runs transactions (serialised
 * in-process by a promise chain, and across processes by BEGIN IMMEDIATE), the reader serves GETs and
 * only ever sees committed data, even while a write transaction is open between awaits.
 *
 * A running server opens the writer in a worker thread (`writerThread`): each statement is a message, and
 * the durable COMMIT (an fsync, milliseconds on a real disk) then blocks that thread only, while the event
 * loop goes on reading, parsing and verifying the next batch's requests. The answer to a request still
 * waits for the COMMIT's reply. rwctl commands that open the store for one change keep the writer on
 * their own thread (no thread to start for one statement).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Database } from '@signalapp/sqlcipher';
import { RwError } from '../src-shared/errors';
import type { SqlConn, SqlDriver, SqlValue } from './sql-driver';

const PRAGMAS = ['busy_timeout = 10000', 'journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON'];

// Plain JavaScript run with `eval`, so the same source works under tsx, in the bundled rwctl and in tests.
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Database } = require(workerData.module);
const db = new Database(workerData.path, { cacheStatements: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
parentPort.on('message', ({ id, op, sql, params }) => {
  try {
    let result = null;
    if (op === 'all') result = db.prepare(sql).all(params);
    else if (op === 'run') result = db.prepare(sql).run(params).changes;
    else if (op === 'exec') db.exec(sql);
    else if (op === 'close') db.close();
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

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
  for (const pragma of PRAGMAS) db.pragma(pragma);
  return db;
}

/** The writer connection as the driver uses it: statements, and BEGIN/COMMIT/ROLLBACK through exec. */
interface Writer {
  conn: SqlConn;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function writerOnThisThread(path: string): Writer {
  const db = open(path);
  return {
    conn: connOf(db),
    async exec(sql) {
      db.exec(sql);
    },
    async close() {
      db.close();
    },
  };
}

type Op = { op: 'all' | 'run'; sql: string; params: SqlValue[] } | { op: 'exec'; sql: string } | { op: 'close' };

/**
 * The writer in a worker thread. The thread is unref'd (it never keeps a process alive) and ends with
 * close. If it dies, every statement it held fails (the transaction rolls back with its connection) and
 * the next statement starts a fresh thread.
 */
function writerOnWorker(path: string): Writer {
  const module = createRequire(import.meta.url).resolve('@signalapp/sqlcipher');
  let worker: Worker | null = null;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 0;

  function failAll(why: string): void {
    const held = [...pending.values()];
    pending.clear();
    for (const p of held) p.reject(new RwError('INTERNAL', `The database writer stopped (${why}).`));
  }

  function started(): Worker {
    if (worker) return worker;
    const w = new Worker(WRITER_SOURCE, { eval: true, workerData: { module, path, pragmas: PRAGMAS } });
    w.unref();
    w.on('message', ({ id, ok, result, message }: { id: number; ok: boolean; result: unknown; message?: string }) => {
      const p = pending.get(id);
      if (!p) return;
      pending.delete(id);
      if (ok) p.resolve(result);
      else p.reject(new Error(message));
    });
    const gone = (why: string) => {
      if (worker === w) worker = null;
      failAll(why);
    };
    w.on('error', () => gone('error'));
    w.on('exit', (code) => gone(`exit ${code}`));
    worker = w;
    return w;
  }

  function call<T>(message: Op): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      started().postMessage({ id, ...message });
    });
  }

  return {
    conn: {
      all: (sql, params = []) => call({ op: 'all', sql, params: [...params] }),
      run: (sql, params = []) => call({ op: 'run', sql, params: [...params] }),
    },
    exec: (sql) => call({ op: 'exec', sql }),
    async close() {
      if (!worker) return;
      const w = worker;
      await call({ op: 'close' }).catch(() => undefined);
      await w.terminate();
    },
  };
}

export function openSqliteDriver(path: string, options: { writerThread?: boolean } = {}): SqlDriver {
  // The file, its WAL mode and the schema are set up on this thread first (a bad path fails here, at once).
  let writer: Writer = writerOnThisThread(path);
  if (options.writerThread) {
    void writer.close();
    writer = writerOnWorker(path);
  }
  let reader: Database | null = null;
  const readerDb = (): Database => (reader ??= open(path));
  let queue: Promise<unknown> = Promise.resolve();
  const writerConn = writer.conn;
  return {
    dialect: 'sqlite',
    forUpdate: '',
    reader: {
      all: (sql, params) => connOf(readerDb()).all(sql, params),
      run: (sql, params) => connOf(readerDb()).run(sql, params),
    },
    transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T> {
      const result = queue.then(async () => {
        await writer.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn(writerConn);
          await writer.exec('COMMIT');
          return value;
        } catch (error) {
          // A writer thread that died took its transaction with it; there is nothing to roll back then.
          await writer.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
      queue = result.catch(() => undefined);
      return result;
    },
    exec: (sql) => writer.exec(sql),
    async close() {
      await queue;
      reader?.close();
      await writer.close();
    },
  };
}
