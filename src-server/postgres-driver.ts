/**
 * PostgreSQL backend (`--database postgres://…`, the production choice: replication, backups and point-in-
 * time recovery are PostgreSQL's own). Transactions run on one pooled client at READ COMMITTED; the
 * store takes row locks (SELECT … FOR UPDATE on the log head) so that concurrent requests, in this
 * process or in another server process on the same database, never assign the same leaf index.
 * Transactions are also queued in-process so that requests wait here rather than holding pool clients
 * blocked on the row lock.
 *
 * Transactions run on a connection in pipeline mode: the statements issued together (BEGIN and a batch's
 * reads; a batch's writes and COMMIT) go out in one write, without a round trip between them. A failed
 * statement aborts the transaction on the server, which then turns the COMMIT behind it into a
 * ROLLBACK: the driver counts a transaction only when every statement and the COMMIT itself succeeded.
 */
import pg from 'pg';
import { RwError } from '../src-shared/errors';
import { runTransaction, transactionQueue, type SqlConn, type SqlDriver, type SqlRow, type SqlValue, type TxConn, type TxWire } from './sql-driver';

const renumbered = new Map<string, string>();

/**
 * `?` → `$1, $2, …` (the store's SQL never contains a literal question mark). Remembered per text: a
 * batch's multi-row statements are a few texts repeated, some thousands of characters long.
 */
function numbered(sql: string): string {
  let text = renumbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${++n}`);
    // The texts come from the store's code (at most one per row count of each statement), never from input.
    if (renumbered.size >= 2048) renumbered.clear();
    renumbered.set(sql, text);
  }
  return text;
}

function toParams(params: readonly SqlValue[] = []): unknown[] {
  return params.map((p) => (p instanceof Uint8Array ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
}

// BIGINT (oid 20) arrives as a string by default; every integer we store is a safe integer.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const statementNames = new Map<string, string>();

/**
 * The writer connection's statements are named, so PostgreSQL parses and plans each text once per
 * connection rather than once per batch: the database's own CPU per attestation fell by about a third,
 * on the cores the server shares with it. node-postgres prepares a name on its first use on a client and
 * forgets it if that statement failed; a name whose preparation fails inside a transaction that already
 * failed can only fail a batch sent behind it on the same connection, which was built on the failed one
 * and is retried the read way anyway (append-batcher.ts). Bounded: the texts come from the store's code.
 */
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < 4096) statementNames.set(text, (name = `rw_${statementNames.size}`));
  return name;
}

function connOf(client: pg.Pool | pg.ClientBase, prepared = false): SqlConn {
  const query = (sql: string, params?: readonly SqlValue[]) => {
    const text = numbered(sql);
    const name = prepared ? statementName(text) : undefined;
    return client.query<SqlRow>({ text, values: toParams(params), ...(name ? { name } : {}) });
  };
  return {
    async all(sql, params) {
      return (await query(sql, params)).rows;
    },
    async run(sql, params) {
      return (await query(sql, params)).rowCount ?? 0;
    },
  };
}

/**
 * Holds the connection's writes until the current turn's statements are all issued, then sends them in
 * one write. node-postgres writes each statement as it is issued (one system call each, a dozen per
 * batch), and on a loaded machine every call also wakes the database: the pipelined statements of a
 * batch cost more in writes than in their execution.
 */
function corkedPerTurn(client: pg.Client): () => void {
  let corked = false;
  return () => {
    const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection?.stream;
    if (corked || !stream?.cork || !stream.uncork) return;
    corked = true;
    stream.cork();
    process.nextTick(() => {
      corked = false;
      stream.uncork!();
    });
  };
}

export async function openPostgresDriver(url: string, options: { maxConnections?: number } = {}): Promise<SqlDriver> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new RwError('USAGE', '--database must be a postgres:// URL.');
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 8, types });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch {
    await pool.end().catch(() => undefined);
    throw new RwError('NOT_FOUND', 'Cannot connect to the PostgreSQL database.');
  }
  // One connection for every write transaction (they are queued in-process anyway), kept open so that
  // the next transaction's BEGIN can follow the previous COMMIT on it; a broken one is replaced.
  let writer: Promise<pg.Client> | null = null;
  const writerClient = (): Promise<pg.Client> => {
    if (writer) return writer;
    const client = new pg.Client({ connectionString: url, types, pipeline: true } as pg.ClientConfig);
    const connecting = client.connect().then(() => client);
    const drop = () => {
      if (writer === connecting) writer = null;
    };
    client.on('error', drop);
    client.on('end', drop);
    connecting.catch(drop);
    writer = connecting;
    return connecting;
  };
  const wireOf = (client: pg.Client): TxWire => {
    const batched = corkedPerTurn(client);
    const conn = connOf(client, true);
    return {
      all: (sql, params) => (batched(), conn.all(sql, params)),
      run: (sql, params) => (batched(), conn.run(sql, params)),
      async begin() {
        batched();
        await client.query('BEGIN');
      },
      async commit() {
        batched();
        const result = await client.query('COMMIT');
        if (result.command !== 'COMMIT') throw new RwError('INTERNAL', 'The transaction did not commit (a statement of it failed).');
      },
      async rollback() {
        await client.query('ROLLBACK');
      },
    };
  };
  const queue = transactionQueue();
  return {
    dialect: 'postgres',
    forUpdate: ' FOR UPDATE',
    reader: connOf(pool),
    transaction<T>(fn: (conn: TxConn) => Promise<T>): Promise<T> {
      return queue.run(async (committing) => runTransaction(wireOf(await writerClient()), fn, committing));
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await queue.settled();
      const client = writer ? await writer.catch(() => null) : null;
      await Promise.all([pool.end(), client?.end()]);
    },
  };
}
