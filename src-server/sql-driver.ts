/**
 * The little SQL surface both storage backends share, so the store's logic (serialised leaf indexes, one
 * transaction per accepted attestation) is written once. Statements use `?` placeholders; the
 * PostgreSQL driver renumbers them. `transaction` runs `fn` on one connection between BEGIN and COMMIT
 * and rolls back on any error; callers take row locks with `forUpdate` (empty for SQLite, whose
 * BEGIN IMMEDIATE already holds the database's single write lock).
 */
export type SqlValue = string | number | Uint8Array | null;
export type SqlRow = Record<string, unknown>;

export interface SqlConn {
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** A connection inside a transaction. */
export interface TxConn extends SqlConn {
  /**
   * Sends COMMIT now, behind the statements already issued (those of this turn travel with it: one
   * message to the SQLite writer thread, one pipelined write to PostgreSQL), instead of after their
   * answers. Nothing may be issued after it (refused). The transaction still counts as committed only
   * if every statement issued in it and the COMMIT succeeded; without this call the driver commits once
   * the transaction's function returns.
   */
  commit(): Promise<void>;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** ' FOR UPDATE' on PostgreSQL, '' on SQLite. */
  readonly forUpdate: string;
  /** Reads outside any transaction: they see committed data only. */
  readonly reader: SqlConn;
  transaction<T>(fn: (conn: TxConn) => Promise<T>): Promise<T>;
  /** Runs several DDL statements separated by semicolons. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export function asNumber(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : (value as number);
  if (!Number.isSafeInteger(n)) throw new Error('Expected an integer column.');
  return n;
}

export function asBytes(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new Error('Expected a bytes column.');
  return new Uint8Array(value);
}

export function asString(value: unknown): string {
  if (typeof value !== 'string') throw new Error('Expected a text column.');
  return value;
}

/** One transaction's connection as a driver provides it: statements, and the transaction's own verbs. */
export interface TxWire extends SqlConn {
  begin(): Promise<void>;
  /** Rejects unless the transaction committed (not, say, a COMMIT the database turned into a rollback). */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const ignore = () => undefined;

/**
 * BEGIN, `fn`, COMMIT (or ROLLBACK on a failure before the COMMIT), without a round trip of its own for
 * BEGIN: the statements `fn` issues at once go out behind it. A statement is refused once the transaction
 * is over (failed, committing or done), so nothing `fn` still has running can reach the connection
 * outside its transaction: after a failed BEGIN, or in the next transaction. The result counts only when
 * BEGIN, every statement issued and COMMIT succeeded; anything else rejects.
 *
 * `committing` is called once the COMMIT is sent (or the transaction failed before it): the driver may
 * then send the next transaction's BEGIN behind that COMMIT on the same connection. So once a COMMIT is
 * sent, no ROLLBACK follows it (it would reach the next transaction): a COMMIT ends its transaction
 * whether it succeeds or not (PostgreSQL turns the COMMIT of a failed transaction into a rollback, and
 * the SQLite writer rolls back at once when a COMMIT fails).
 */
export async function runTransaction<T>(wire: TxWire, fn: (conn: TxConn) => Promise<T>, committing: () => void = ignore): Promise<T> {
  let open = true;
  const issued: Promise<unknown>[] = [];
  let committed: Promise<void> | null = null;
  const guard = () => {
    if (!open || committed) throw new Error('A statement was issued outside its transaction.');
  };
  const track = <R>(statement: Promise<R>): Promise<R> => {
    issued.push(statement);
    statement.catch(ignore);
    return statement;
  };
  const conn: TxConn = {
    all(sql, params) {
      guard();
      return track(wire.all(sql, params));
    },
    run(sql, params) {
      guard();
      return track(wire.run(sql, params));
    },
    commit() {
      guard();
      committed = wire.commit();
      committed.catch(ignore);
      committing();
      return committed;
    },
  };
  // A failed BEGIN closes the transaction before the answers to the statements sent behind it arrive.
  const begun = track(wire.begin());
  begun.catch(() => (open = false));
  try {
    const value = await fn(conn);
    await Promise.all([...issued, committed ?? conn.commit()]);
    open = false;
    return value;
  } catch (error) {
    open = false;
    // A writer that died took its transaction with it; there is nothing to roll back then.
    if (!committed) await wire.rollback().catch(ignore);
    throw error;
  } finally {
    committing();
  }
}

/**
 * The order of one connection's transactions: each starts once the one before it has sent its COMMIT
 * (its statements then queue behind that COMMIT on the connection) or failed. `settled` is every
 * transaction's end, for close.
 */
export function transactionQueue(): { run<T>(start: (committing: () => void) => Promise<T>): Promise<T>; settled(): Promise<void> } {
  let turn: Promise<void> = Promise.resolve();
  let all: Promise<unknown> = Promise.resolve();
  return {
    run(start) {
      const previous = turn;
      let release: () => void = ignore;
      turn = new Promise<void>((resolve) => (release = resolve));
      const result = previous.then(() => start(release));
      result.then(release, release);
      all = Promise.all([all, result.catch(ignore)]);
      return result;
    },
    async settled() {
      await all;
    },
  };
}
