/**
 * The console's aggregate tables (audit.db migrations 5 and 6) recomputed in JavaScript from the leaves
 * a verification reads anyway, so the check costs one pass over the log instead of a GROUP BY per table
 * over it (each of which decrypted and parsed the whole log again). Each table is computed exactly as
 * its SQL in src-main/vault/audit-aggregates.ts computes it, from the same indexed columns (which a
 * verification with leaf contents checks against the leaves); tests compare the two on the same logs.
 *
 * At the end the tables are read in one read transaction and compared row by row; leaves committed
 * after the verification's pass (the app keeps appending while the worker verifies) are folded in
 * first, inside that transaction, so the tables and the count describe the same moment.
 */
import type { Database } from '@signalapp/sqlcipher';
import { DWELL_BUCKETS, HOUR_MS } from '../vault/audit-aggregates';
import type { LeafColumns } from './log-leaf';

/** One differing table and how many of its rows differ (missing, extra or with other values). */
export interface AggregateDifference {
  table: string;
  rows: number;
}

type Row = Record<string, unknown>;

interface TableSpec {
  table: string;
  columns: string;
  /** The key columns (a row's identity) and the value columns, in the order of `columns`. */
  keys: number;
}

const USERS: TableSpec = { table: 'agg_users', columns: 'hour, ukey, role, user, events, denied, first, last', keys: 3 };
const ARTIFACTS: TableSpec = { table: 'agg_artifacts', columns: 'hour, object_id, ukey, user, events, dwell, opens', keys: 3 };
const DWELL: TableSpec = { table: 'agg_dwell', columns: 'hour, object_id, bucket, n', keys: 3 };
const SESSIONS: TableSpec = { table: 'agg_sessions', columns: 'hour, skey, first, n, last_ts', keys: 2 };
const HEADS: TableSpec = { table: 'agg_turn_heads', columns: 'skey, okey, seq, ts, page', keys: 2 };

/** Seqs per comparison of agg_turns (one statement returns the chunk as one string). */
const TURN_CHUNK = 65_536;

const OPEN = Buffer.from('"open"');
const ESCAPE = Buffer.from('\\u');

/**
 * AGG_OPEN's json_extract(leaf, '$.detail.action') = 'open', without parsing the leaves that cannot
 * hold it: canonical JSON writes the value as the bytes "open" (quotes inside strings are escaped), so
 * only a leaf with those bytes, or with a \u escape that could spell them, is parsed.
 */
function isOpen(leaf: Uint8Array): number {
  const bytes = Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf.buffer, leaf.byteOffset, leaf.length);
  if (bytes.indexOf(OPEN) < 0 && bytes.indexOf(ESCAPE) < 0) return 0;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { detail?: { action?: unknown } } | null;
    const detail = parsed?.detail;
    return detail !== null && typeof detail === 'object' && !Array.isArray(detail) && detail.action === 'open' ? 1 : 0;
  } catch {
    return 0; // json_valid fails: a damaged leaf is no open
  }
}

function bucketOf(dwellMs: number): number {
  for (let i = 0; i < DWELL_BUCKETS.length - 1; i++) if (dwellMs < DWELL_BUCKETS[i]!.max) return i;
  return DWELL_BUCKETS.length - 1;
}

const K = '\u0000';

export class AggregateTally {
  readonly #users = new Map<string, unknown[]>();
  readonly #artifacts = new Map<string, unknown[]>();
  readonly #dwell = new Map<string, unknown[]>();
  readonly #sessions = new Map<string, unknown[]>();
  /** Last turn per session and artifact: [skey, okey, seq, ts, page]. */
  readonly #heads = new Map<string, unknown[]>();
  /** Every turn in seq order: its seq, the turn before it (-1 for none) and the time since that one. */
  readonly #turnSeq: number[] = [];
  readonly #turnPrev: number[] = [];
  readonly #turnGap: number[] = [];
  #lastSeq = -1;

  /** The last seq folded in (-1 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Fold one leaf in, in log order. */
  push(seq: number, leaf: Uint8Array, c: LeafColumns): void {
    this.#lastSeq = seq;
    const hour = Math.trunc(c.ts / HOUR_MS);
    const ukey = c.user === null ? '' : `u:${c.user}`;
    {
      const key = hour + K + ukey + K + c.role;
      const r = this.#users.get(key);
      const denied = c.outcome === 'denied' ? 1 : 0;
      if (r) {
        (r[4] as number)++;
        (r[5] as number) += denied;
        if (c.ts < (r[6] as number)) r[6] = c.ts;
        if (c.ts > (r[7] as number)) r[7] = c.ts;
      } else this.#users.set(key, [hour, ukey, c.role, c.user, 1, denied, c.ts, c.ts]);
    }
    const view = c.event === 'artifact.view';
    if (c.objectKind === 'artifact' && c.objectId !== null) {
      const key = hour + K + c.objectId + K + ukey;
      const r = this.#artifacts.get(key);
      const dwell = c.dwellMs ?? 0;
      const open = view ? isOpen(leaf) : 0;
      if (r) {
        (r[4] as number)++;
        (r[5] as number) += dwell;
        (r[6] as number) += open;
      } else this.#artifacts.set(key, [hour, c.objectId, ukey, c.user, 1, dwell, open]);
    }
    if (view && c.dwellMs !== null && c.objectId !== null) {
      const bucket = bucketOf(c.dwellMs);
      const key = hour + K + c.objectId + K + bucket;
      const r = this.#dwell.get(key);
      if (r) (r[3] as number)++;
      else this.#dwell.set(key, [hour, c.objectId, bucket, 1]);
    }
    if (c.role === 'reviewer' || c.role === 'auditor') {
      const skey = c.session === null ? `u:${c.user ?? ''}` : `s:${c.session}`;
      const key = hour + K + skey;
      const r = this.#sessions.get(key);
      if (r) {
        (r[3] as number)++;
        if (c.ts > (r[4] as number)) r[4] = c.ts;
      } else this.#sessions.set(key, [hour, skey, seq, 1, c.ts]);
    }
    if (view && c.page !== null) {
      const skey = c.session ?? '';
      const okey = c.objectId ?? '';
      const key = skey + K + okey;
      const head = this.#heads.get(key);
      if (!head) {
        this.#turn(seq, -1, 0);
        this.#heads.set(key, [skey, okey, seq, c.ts, c.page]);
      } else if (head[4] !== c.page) {
        this.#turn(seq, head[2] as number, c.ts - (head[3] as number));
        head[2] = seq;
        head[3] = c.ts;
        head[4] = c.page;
      }
    }
  }

  #turn(seq: number, prev: number, gap: number): void {
    this.#turnSeq.push(seq);
    this.#turnPrev.push(prev);
    this.#turnGap.push(gap);
  }

  /** A turn as the comparison's SQL writes it: "seq,prev,gap", empty for none. */
  #turnText(i: number): string {
    const prev = this.#turnPrev[i]!;
    return prev < 0 ? `${this.#turnSeq[i]!},,` : `${this.#turnSeq[i]!},${prev},${this.#turnGap[i]!}`;
  }

  /**
   * The tables of `db` that differ from the tally. Runs in one read transaction (unless the caller's
   * connection is already in one); leaves after the last one folded in are read and folded in first.
   * `read` gives those leaves (seq, leaf, columns) after a seq, in order.
   */
  differences(db: Database, read: (afterSeq: number) => Iterable<{ seq: number; leaf: Uint8Array; columns: LeafColumns }>): AggregateDifference[] {
    let began = false;
    try {
      db.exec('BEGIN');
      began = true;
    } catch {
      // Already inside a transaction: what it reads is one moment already.
    }
    try {
      for (const row of read(this.#lastSeq)) this.push(row.seq, row.leaf, row.columns);
      const out: AggregateDifference[] = [];
      const exists = new Set(
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'agg\\_%' ESCAPE '\\'")
          .all()
          .map((r) => String(r['name'])),
      );
      const tables: [TableSpec, Map<string, unknown[]>][] = [
        [USERS, this.#users],
        [ARTIFACTS, this.#artifacts],
        [DWELL, this.#dwell],
        [SESSIONS, this.#sessions],
        [HEADS, this.#heads],
      ];
      for (const [spec, expected] of tables) {
        if (!exists.has(spec.table)) continue;
        const rows = compareTable(db, spec, expected);
        if (rows > 0) out.push({ table: spec.table, rows });
      }
      if (exists.has('agg_turns')) {
        const rows = this.#compareTurns(db);
        if (rows > 0) out.push({ table: 'agg_turns', rows });
      }
      return out;
    } finally {
      if (began) db.exec('COMMIT');
    }
  }

  /** agg_turns, one chunk of seqs per statement as one string; a chunk that differs is then read row by row. */
  #compareTurns(db: Database): number {
    const chunk = db.prepare(
      "SELECT count(*) AS n, coalesce(group_concat(t, ';'), '') AS s FROM (SELECT seq || ',' || coalesce(prev, '') || ',' || coalesce(gap, '') AS t FROM agg_turns WHERE seq >= ? AND seq < ? ORDER BY seq)",
    );
    const rows = db.prepare("SELECT seq || ',' || coalesce(prev, '') || ',' || coalesce(gap, '') AS t FROM agg_turns WHERE seq >= ? AND seq < ? ORDER BY seq");
    const seqs = this.#turnSeq;
    let differing = 0;
    let at = 0;
    const end = this.#lastSeq + 1;
    for (let from = 0; from < end; from += TURN_CHUNK) {
      const to = from + TURN_CHUNK;
      const expected: string[] = [];
      while (at < seqs.length && seqs[at]! < to) expected.push(this.#turnText(at++));
      const got = chunk.get([from, to]);
      if (String(got?.['s']) === expected.join(';') && Number(got?.['n']) === expected.length) continue;
      const stored = new Set(rows.all([from, to]).map((r) => String(r['t'])));
      for (const text of expected) if (!stored.delete(text)) differing++;
      differing += stored.size;
    }
    differing += Number(db.prepare('SELECT count(*) AS n FROM agg_turns WHERE seq < 0 OR seq >= ?').get([end])?.['n'] ?? 0);
    return differing;
  }
}

/** How many rows of `spec.table` differ from `expected` (keyed by its key columns). */
function compareTable(db: Database, spec: TableSpec, expected: Map<string, unknown[]>): number {
  const names = spec.columns.split(',').map((c) => c.trim());
  let differing = 0;
  // A key met twice (a table rebuilt without its primary key) counts as differing the second time.
  const matched = new Set<string>();
  for (const r of db.prepare(`SELECT ${spec.columns} FROM ${spec.table}`).all() as Row[]) {
    const values = names.map((n) => r[n]);
    const key = values.slice(0, spec.keys).join(K);
    const want = expected.get(key);
    if (want && !matched.has(key) && want.every((v, i) => v === values[i])) matched.add(key);
    else differing++;
  }
  return differing + (expected.size - matched.size);
}
