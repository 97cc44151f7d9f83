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
import { runTransaction, transactionQueue, type SqlConn, type SqlDriver, type SqlValue, type TxConn, type TxWire } from './sql-driver';

const PRAGMAS = ['busy_timeout = 10000', 'journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON'];
// The running server's writer: a batch's inserts land on random pages of the digest-keyed indexes, which
// SQLite's default cache (2 MiB) soon stops holding, so each re-read them from the file. 32 MiB holds the
// indexes of a few hundred thousand attestations.
const WRITER_THREAD_PRAGMAS = [...PRAGMAS, 'cache_size = -32768'];

// Plain JavaScript run with `eval`, so the same source works under tsx, in the bundled rwctl and in tests.
// A message carries every statement issued in one turn of the caller's event loop; they run in order, and
// once one fails the rest of that message is skipped (so a failed BEGIN never lets the statements sent
// with it run outside a transaction). The thread also keeps the transaction's own rules, whatever the
// messages: a statement outside a transaction is refused (none autocommits), and a COMMIT after any
// failed statement of its transaction is refused (it rolls back instead of committing part of it).
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Database } = require(workerData.module);
const db = new Database(workerData.path, { cacheStatements: true });
for (const pragma of workerData.pragmas) db.pragma(pragma);
let open = false;
let failure = null;
function step(op, sql, params) {
  try {
    if (op === 'begin') {
      db.exec('BEGIN IMMEDIATE');
      open = true;
      failure = null;
      return null;
    }
    if (op === 'rollback') {
      open = false;
      try { db.exec('ROLLBACK'); } catch {}
      return null;
    }
    if (op === 'exec') {
      db.exec(sql);
      return null;
    }
    if (op === 'close') {
      db.close();
      return null;
    }
    if (!open) throw new Error('No transaction is open.');
    if (op === 'commit') {
      // A COMMIT ends its transaction whether it succeeds or not: the driver may already have sent the
      // next transaction's BEGIN behind it, and sends no ROLLBACK after a COMMIT.
      open = false;
      try {
        if (failure !== null) throw new Error('Not committed: a statement of this transaction failed (' + failure + ').');
        db.exec('COMMIT');
      } catch (error) {
        try { db.exec('ROLLBACK'); } catch {}
        throw error;
      }
      return null;
    }
    return op === 'all' ? db.prepare(sql).all(params) : db.prepare(sql).run(params).changes;
  } catch (error) {
    if (open && failure === null) failure = error instanceof Error ? error.message : String(error);
    throw error;
  }
}
parentPort.on('message', (ops) => {
  const answers = [];
  let failed = null;
  for (const { op, sql, params } of ops) {
    if (failed !== null) {
      answers.push({ ok: false, message: 'Not run: an earlier statement failed (' + failed + ').' });
      continue;
    }
    try {
      answers.push({ ok: true, result: step(op, sql, params) });
    } catch (error) {
      failed = error instanceof Error ? error.message : String(error);
      answers.push({ ok: false, message: failed });
    }
  }
  // A transaction whose statement failed here is over: its COMMIT may have been among those skipped,
  // and no ROLLBACK follows a COMMIT once sent, so it is rolled back now (its later statements are refused).
  if (failed !== null && open) step('rollback');
  parentPort.postMessage(answers);
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

/** The writer connection as the driver uses it: a transaction's wire, and DDL through exec. */
interface Writer {
  wire: TxWire;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** The writer thread's rules (WRITER_SOURCE) on the calling thread, for rwctl commands that change one thing. */
function writerOnThisThread(path: string): Writer {
  const db = open(path);
  let inTransaction = false;
  let failure: string | null = null;
  const step = <T>(statement: () => T): Promise<T> => {
    try {
      return Promise.resolve(statement());
    } catch (error) {
      if (inTransaction) failure ??= error instanceof Error ? error.message : String(error);
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const inside = <T>(statement: () => T) =>
    step(() => {
      if (!inTransaction) throw new Error('No transaction is open.');
      return statement();
    });
  return {
    wire: {
      all: (sql, params) => inside(() => db.prepare(sql).all(toParams(params))),
      run: (sql, params) => inside(() => db.prepare(sql).run(toParams(params)).changes),
      begin: () =>
        step(() => {
          db.exec('BEGIN IMMEDIATE');
          inTransaction = true;
          failure = null;
        }),
      commit: () =>
        inside(() => {
          // As on the writer thread: a COMMIT ends its transaction, committed or rolled back.
          inTransaction = false;
          try {
            if (failure !== null) throw new Error(`Not committed: a statement of this transaction failed (${failure}).`);
            db.exec('COMMIT');
          } catch (error) {
            try {
              db.exec('ROLLBACK');
            } catch {
              // Already rolled back by SQLite.
            }
            throw error;
          }
        }),
      rollback: () =>
        step(() => {
          inTransaction = false;
          try {
            db.exec('ROLLBACK');
          } catch {
            // Nothing was open (a failed BEGIN or COMMIT already ended it).
          }
        }),
    },
    exec: (sql) => step(() => db.exec(sql)),
    async close() {
      db.close();
    },
  };
}

type Op = { op: 'all' | 'run'; sql: string; params: SqlValue[] } | { op: 'exec'; sql: string } | { op: 'begin' | 'commit' | 'rollback' | 'close' };
/**
 * The writer in a worker thread. Statements issued in the same turn (a batch's reads sent together, say)
 * travel in one message, answered in one: a message between threads costs more than a small statement.
 * The thread is unref'd (it never keeps a process alive) and ends with close. If it dies, every statement
 * it held fails (the transaction dies with its connection) and the next statement starts a fresh thread.
 */
function writerOnWorker(path: string): Writer {
  const module = createRequire(import.meta.url).resolve('@signalapp/sqlcipher');
  let worker: Worker | null = null;
  type Waiting = { resolve(value: unknown): void; reject(error: unknown): void };
  // Messages sent and not yet answered, oldest first (the thread answers them in order).
  const sent: Waiting[][] = [];
  let outbox: { op: Op; waiting: Waiting }[] = [];

  function failAll(why: string): void {
    const held = sent.splice(0).flat();
    for (const w of held) w.reject(new RwError('INTERNAL', `The database writer stopped (${why}).`));
  }

  function started(): Worker {
    if (worker) return worker;
    const w = new Worker(WRITER_SOURCE, { eval: true, workerData: { module, path, pragmas: WRITER_THREAD_PRAGMAS } });
    w.unref();
    w.on('message', (answers: { ok: boolean; result?: unknown; message?: string }[]) => {
      const waiting = sent.shift() ?? [];
      answers.forEach((a, i) => (a.ok ? waiting[i]?.resolve(a.result) : waiting[i]?.reject(new Error(a.message))));
    });
    const gone = (why: string) => {
      if (worker !== w) return;
      worker = null;
      failAll(why);
    };
    w.on('error', () => gone('error'));
    w.on('exit', (code) => gone(`exit ${code}`));
    worker = w;
    return w;
  }

  function send(): void {
    const batch = outbox;
    outbox = [];
    sent.push(batch.map((b) => b.waiting));
    started().postMessage(batch.map((b) => b.op));
  }

  function call<T>(op: Op): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (outbox.length === 0) queueMicrotask(send);
      outbox.push({ op, waiting: { resolve: resolve as (value: unknown) => void, reject } });
    });
  }

  return {
    wire: {
      all: (sql, params = []) => call({ op: 'all', sql, params: toParams(params) }),
      run: (sql, params = []) => call({ op: 'run', sql, params: toParams(params) }),
      begin: () => call({ op: 'begin' }),
      commit: () => call({ op: 'commit' }),
      rollback: () => call({ op: 'rollback' }),
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
  const queue = transactionQueue();
  return {
    dialect: 'sqlite',
    forUpdate: '',
    reader: {
      all: (sql, params) => connOf(readerDb()).all(sql, params),
      run: (sql, params) => connOf(readerDb()).run(sql, params),
    },
    transaction<T>(fn: (conn: TxConn) => Promise<T>): Promise<T> {
      return queue.run((committing) => runTransaction(writer.wire, fn, committing));
    },
    exec: (sql) => writer.exec(sql),
    async close() {
      await queue.settled();
      reader?.close();
      await writer.close();
    },
  };
}
