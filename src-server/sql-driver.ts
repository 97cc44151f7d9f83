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

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** ' FOR UPDATE' on PostgreSQL, '' on SQLite. */
  readonly forUpdate: string;
  /** Reads outside any transaction: they see committed data only. */
  readonly reader: SqlConn;
  transaction<T>(fn: (conn: SqlConn) => Promise<T>): Promise<T>;
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
