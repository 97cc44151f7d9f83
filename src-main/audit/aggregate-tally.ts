/**
 * The console's aggregate tables (audit.db migrations 5 and 6) recomputed in JavaScript from the leaves
 * a verification reads anyway, so the check costs one pass over the log instead of a GROUP BY per table
 * over it (each of which decrypted and parsed the whole log again). Each table is computed exactly as
 * its SQL in src-main/vault/audit-aggregates.ts computes it from the indexed columns: from those columns
 * when the verification reads them (with leaf contents, which it then checks against the leaves), else
 * from the leaf bytes themselves (scanLeafFacts), so totals kept over columns that were rewritten to
 * match them still disagree with the leaves; tests compare the two counts on the same logs.
 *
 * At the end the tables are read in one read transaction and compared row by row; leaves committed
 * after the verification's pass (the app keeps appending while the worker verifies) are folded in
 * first, inside that transaction, so the tables and the count describe the same moment.
 */
import type { Database } from '@signalapp/sqlcipher';
import { DWELL_BUCKETS, HOUR_MS } from '../vault/audit-aggregates';
import { leafColumns, leafFactsScratch, parseLeaf, readLeafTail, scanLeafFacts, type LeafColumns } from './log-leaf';

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

/**
 * AGG_OPEN's json_extract(leaf, '$.detail.action') = 'open', without parsing the leaves that cannot
 * hold it: canonical JSON writes the value as the bytes "open" (quotes inside strings are escaped), so
 * only a leaf with those bytes is parsed. A leaf that spells it otherwise (escapes: not canonical, never
 * written by the app) would count as no open here and disagree with the table: reported, never hidden.
 */
function isOpen(leaf: Uint8Array): boolean {
  const bytes = Buffer.isBuffer(leaf) ? leaf : Buffer.from(leaf.buffer, leaf.byteOffset, leaf.length);
  if (bytes.indexOf(OPEN) < 0) return false;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { detail?: { action?: unknown } } | null;
    const detail = parsed?.detail;
    return detail !== null && typeof detail === 'object' && !Array.isArray(detail) && detail.action === 'open';
  } catch {
    return false; // json_valid fails: a damaged leaf is no open
  }
}

function bucketOf(dwellMs: number): number {
  for (let i = 0; i < DWELL_BUCKETS.length - 1; i++) if (dwellMs < DWELL_BUCKETS[i]!.max) return i;
  return DWELL_BUCKETS.length - 1;
}

const K = '\u0000';

/** Two-level map get-or-create, keyed by values straight from the row (no key strings built per leaf). */
function inner<A, B, V>(outer: Map<A, Map<B, V>>, a: A): Map<B, V> {
  let m = outer.get(a);
  if (!m) outer.set(a, (m = new Map()));
  return m;
}

/** One hour's totals: leaves come in time order, so a million leaves touch a few hundred of these. */
interface HourTotals {
  /** user → role → [events, denied, first, last] */
  users: Map<string | null, Map<string, number[]>>;
  /** object id → user → [events, dwell, opens] */
  artifacts: Map<string, Map<string | null, number[]>>;
  /** object id → count per dwell bucket */
  dwell: Map<string, number[]>;
  /** session (or, for none, user) → [first seq, n, last ts] */
  sessions: Map<string, number[]>;
  /** user ('' for none, as coalesce(user, '') merges them) → [first seq, n, last ts], for leaves without a session */
  sessionless: Map<string, number[]>;
}

/** AggregateTally's contents as structured-clonable values (see toState). */
export interface TallyState {
  hours: Map<number, HourTotals>;
  heads: Map<string, Map<string, number[]>>;
  /** seq, previous turn, gap; three per turn. */
  turns: Float64Array;
  lastSeq: number;
}

/** Whether `value` is a Map whose keys and values all pass the checks. */
function mapOf(value: unknown, key: (k: unknown) => boolean, item: (v: unknown) => boolean): boolean {
  if (!(value instanceof Map)) return false;
  for (const [k, v] of value) if (!key(k) || !item(v)) return false;
  return true;
}

const isString = (v: unknown): boolean => typeof v === 'string';
const isNumbers = (length: number) => (v: unknown): boolean => Array.isArray(v) && v.length === length && v.every((n) => typeof n === 'number');
const isHourTotals = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  const userKey = (k: unknown) => k === null || typeof k === 'string';
  return (
    mapOf(t['users'], userKey, (m) => mapOf(m, isString, isNumbers(4))) &&
    mapOf(t['artifacts'], isString, (m) => mapOf(m, userKey, isNumbers(3))) &&
    mapOf(t['dwell'], isString, isNumbers(DWELL_BUCKETS.length)) &&
    mapOf(t['sessions'], isString, isNumbers(3)) &&
    mapOf(t['sessionless'], isString, isNumbers(3))
  );
};

/**
 * Whether a value read back from elsewhere (a saved verification's tally) has TallyState's shape down to
 * every row, so that folding leaves into it can only count, never throw.
 */
export function isTallyState(value: unknown): value is TallyState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    mapOf(s['hours'], (k) => Number.isSafeInteger(k), isHourTotals) &&
    mapOf(s['heads'], isString, (m) => mapOf(m, isString, isNumbers(3))) &&
    s['turns'] instanceof Float64Array &&
    s['turns'].length % 3 === 0 &&
    Number.isSafeInteger(s['lastSeq'])
  );
}

export class AggregateTally {
  readonly #hours = new Map<number, HourTotals>();
  #hour = Number.NaN;
  #current: HourTotals | null = null;
  /** Last turn per session and artifact ('' for none): [seq, ts, page]. */
  readonly #heads = new Map<string, Map<string, number[]>>();
  /**
   * Every turn in seq order, three numbers each: its seq, the turn before it (-1 for none) and the time
   * since that one. One typed array, grown by doubling: a million turns are no work for the collector.
   */
  #turns: Float64Array = new Float64Array(3 * 4096);
  #turnCount = 0;
  #lastSeq = -1;
  /** What scanLeafFacts read from the leaf being folded in (one object for every leaf). */
  readonly #facts = leafFactsScratch();

  /** The last seq folded in (-1 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  #totals(hour: number): HourTotals {
    if (hour === this.#hour) return this.#current!;
    let t = this.#hours.get(hour);
    if (!t) this.#hours.set(hour, (t = { users: new Map(), artifacts: new Map(), dwell: new Map(), sessions: new Map(), sessionless: new Map() }));
    this.#hour = hour;
    this.#current = t;
    return t;
  }

  /**
   * Fold one leaf in, in log order: from its columns when the pass read them, else from its canonical
   * bytes (scanLeafFacts, or for a leaf whose strings hold escapes the parsed leaf), else (a leaf that
   * is not canonical) from the columns stored beside it.
   */
  pushLeaf(seq: number, leaf: Uint8Array, columns: LeafColumns | null, stored: (seq: number) => LeafColumns | null, tail: { seq: number; ts: number } | null = readLeafTail(leaf)): void {
    if (columns) return this.push(seq, columns, columns.event === 'artifact.view' && isOpen(leaf));
    if (tail && scanLeafFacts(leaf, 0, leaf.length, tail.seq, tail.ts, this.#facts)) return this.push(seq, this.#facts, this.#facts.open);
    this.#pushParsed(seq, leaf, stored);
  }

  /**
   * pushLeaf for leaf bytes[from, end), read in place, with the seq and ts of its tail (NaN ts: it has
   * none). What the tally thread runs on every leaf of the batches it is handed.
   */
  pushLeafAt(seq: number, bytes: Uint8Array, from: number, end: number, tailSeq: number, tailTs: number, stored: (seq: number) => LeafColumns | null): void {
    if (!Number.isNaN(tailTs) && scanLeafFacts(bytes, from, end, tailSeq, tailTs, this.#facts)) return this.push(seq, this.#facts, this.#facts.open);
    this.#pushParsed(seq, bytes.subarray(from, end), stored);
  }

  /** A leaf the scan cannot read (escapes in a string it reads, or not canonical): parsed, else its stored columns. */
  #pushParsed(seq: number, leaf: Uint8Array, stored: (seq: number) => LeafColumns | null): void {
    const parsed = parseLeaf(leaf);
    const c = parsed.ok ? leafColumns(parsed.leaf) : stored(seq);
    if (c) this.push(seq, c, c.event === 'artifact.view' && isOpen(leaf));
  }

  /** Everything tallied, as plain values a worker thread can post (the turns as transferable arrays). */
  toState(): TallyState {
    return {
      hours: this.#hours,
      heads: this.#heads,
      turns: this.#turns.slice(0, 3 * this.#turnCount),
      lastSeq: this.#lastSeq,
    };
  }

  /**
   * The tally as toState gives it, but with only the turns from turn `first` on, as a view (no copy):
   * a verification's saved progress writes the turns added since its last save (verify-progress.ts).
   */
  stateFrom(first: number): TallyState {
    return { hours: this.#hours, heads: this.#heads, turns: this.#turns.subarray(3 * first, 3 * this.#turnCount), lastSeq: this.#lastSeq };
  }

  /** Turns counted so far. */
  get turnCount(): number {
    return this.#turnCount;
  }

  /** The tally another thread made (toState there). */
  static fromState(state: TallyState): AggregateTally {
    const tally = new AggregateTally();
    for (const [hour, totals] of state.hours) tally.#hours.set(hour, totals);
    for (const [skey, byObject] of state.heads) tally.#heads.set(skey, byObject);
    tally.#turns = state.turns.length > 0 ? state.turns : new Float64Array(3 * 4096);
    tally.#turnCount = state.turns.length / 3;
    tally.#lastSeq = state.lastSeq;
    return tally;
  }

  /** Fold one leaf's columns in, in log order; `open` whether it records an artifact open. */
  push(seq: number, c: LeafColumns, open: boolean): void {
    this.#lastSeq = seq;
    const t = this.#totals(Math.trunc(c.ts / HOUR_MS));
    const ts = c.ts;
    {
      const byRole = inner(t.users, c.user);
      const r = byRole.get(c.role);
      const denied = c.outcome === 'denied' ? 1 : 0;
      if (r) {
        r[0]!++;
        r[1]! += denied;
        if (ts < r[2]!) r[2] = ts;
        if (ts > r[3]!) r[3] = ts;
      } else byRole.set(c.role, [1, denied, ts, ts]);
    }
    const view = c.event === 'artifact.view';
    if (c.objectKind === 'artifact' && c.objectId !== null) {
      const byUser = inner(t.artifacts, c.objectId);
      const r = byUser.get(c.user);
      // A view's dwell is its close's; a page view's is for that page alone (AGG_VIEW_DWELL).
      const dwell = c.page === null ? (c.dwellMs ?? 0) : 0;
      const opens = view && open ? 1 : 0;
      if (r) {
        r[0]!++;
        r[1]! += dwell;
        r[2]! += opens;
      } else byUser.set(c.user, [1, dwell, opens]);
    }
    if (view && c.dwellMs !== null && c.page === null && c.objectId !== null) {
      let buckets = t.dwell.get(c.objectId);
      if (!buckets) t.dwell.set(c.objectId, (buckets = DWELL_BUCKETS.map(() => 0)));
      buckets[bucketOf(c.dwellMs)]!++;
    }
    if (c.role === 'reviewer' || c.role === 'auditor') {
      const map = c.session === null ? t.sessionless : t.sessions;
      const key = c.session === null ? (c.user ?? '') : c.session;
      const r = map.get(key);
      if (r) {
        r[1]!++;
        if (ts > r[2]!) r[2] = ts;
      } else map.set(key, [seq, 1, ts]);
    }
    if (view && c.page !== null) {
      const bySession = inner(this.#heads, c.session ?? '');
      const okey = c.objectId ?? '';
      const head = bySession.get(okey);
      if (!head) {
        this.#turn(seq, -1, 0);
        bySession.set(okey, [seq, ts, c.page]);
      } else if (head[2] !== c.page) {
        this.#turn(seq, head[0]!, ts - head[1]!);
        head[0] = seq;
        head[1] = ts;
        head[2] = c.page;
      }
    }
  }

  /** The tally as rows of each table, keyed as compareTable keys them. */
  #expected(): Map<string, Map<string, unknown[]>> {
    const users = new Map<string, unknown[]>();
    const artifacts = new Map<string, unknown[]>();
    const dwell = new Map<string, unknown[]>();
    const sessions = new Map<string, unknown[]>();
    const heads = new Map<string, unknown[]>();
    const row = (into: Map<string, unknown[]>, keys: number, values: unknown[]) => into.set(values.slice(0, keys).join(K), values);
    for (const [hour, t] of this.#hours) {
      for (const [user, byRole] of t.users) {
        const ukey = user === null ? '' : `u:${user}`;
        for (const [role, r] of byRole) row(users, 3, [hour, ukey, role, user, ...r]);
      }
      for (const [objectId, byUser] of t.artifacts) {
        for (const [user, r] of byUser) row(artifacts, 3, [hour, objectId, user === null ? '' : `u:${user}`, user, ...r]);
      }
      for (const [objectId, buckets] of t.dwell) buckets.forEach((n, bucket) => n > 0 && row(dwell, 3, [hour, objectId, bucket, n]));
      for (const [session, r] of t.sessions) row(sessions, 2, [hour, `s:${session}`, ...r]);
      for (const [user, r] of t.sessionless) row(sessions, 2, [hour, `u:${user}`, ...r]);
    }
    for (const [skey, byObject] of this.#heads) for (const [okey, r] of byObject) row(heads, 2, [skey, okey, ...r]);
    return new Map([
      [USERS.table, users],
      [ARTIFACTS.table, artifacts],
      [DWELL.table, dwell],
      [SESSIONS.table, sessions],
      [HEADS.table, heads],
    ]);
  }

  #turn(seq: number, prev: number, gap: number): void {
    let turns = this.#turns;
    const at = 3 * this.#turnCount++;
    if (at + 3 > turns.length) {
      turns = new Float64Array(turns.length * 2);
      turns.set(this.#turns);
      this.#turns = turns;
    }
    turns[at] = seq;
    turns[at + 1] = prev;
    turns[at + 2] = gap;
  }

  /** A turn as the comparison's SQL writes it: "seq,prev,gap", empty for none. */
  #turnText(i: number): string {
    const turns = this.#turns;
    const prev = turns[3 * i + 1]!;
    return prev < 0 ? `${turns[3 * i]!},,` : `${turns[3 * i]!},${prev},${turns[3 * i + 2]!}`;
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
      for (const row of read(this.#lastSeq)) this.push(row.seq, row.columns, row.columns.event === 'artifact.view' && isOpen(row.leaf));
      const out: AggregateDifference[] = [];
      const exists = new Set(
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'agg\\_%' ESCAPE '\\'")
          .all()
          .map((r) => String(r['name'])),
      );
      const expected = this.#expected();
      for (const spec of [USERS, ARTIFACTS, DWELL, SESSIONS, HEADS]) {
        if (!exists.has(spec.table)) continue;
        const rows = compareTable(db, spec, expected.get(spec.table)!);
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

  /** Whether `text` is exactly turns [first, end) as #turnText writes them, joined by ';'. */
  #turnsSpell(text: string, first: number, end: number): boolean {
    const turns = this.#turns;
    let at = 0;
    // One non-negative integer at `at` equal to `value`, then `next` (or the end for the last turn).
    const number = (value: number): boolean => {
      const start = at;
      let n = 0;
      while (at < text.length) {
        const c = text.charCodeAt(at);
        if (c < 0x30 || c > 0x39) break;
        n = n * 10 + (c - 0x30);
        at++;
      }
      return at > start && at - start < 16 && (at - start === 1 || text.charCodeAt(start) !== 0x30) && n === value;
    };
    const char = (c: number): boolean => text.charCodeAt(at++) === c;
    for (let i = first; i < end; i++) {
      if (i > first && !char(0x3b)) return false;
      const prev = turns[3 * i + 1]!;
      if (!number(turns[3 * i]!) || !char(0x2c)) return false;
      if (prev < 0) {
        if (!char(0x2c)) return false;
      } else if (!number(prev) || !char(0x2c) || !number(turns[3 * i + 2]!)) return false;
    }
    return at === text.length;
  }

  /** agg_turns, one chunk of seqs per statement as one string; a chunk that differs is then read row by row. */
  #compareTurns(db: Database): number {
    const chunk = db.prepare(
      "SELECT count(*) AS n, coalesce(group_concat(t, ';'), '') AS s FROM (SELECT seq || ',' || coalesce(prev, '') || ',' || coalesce(gap, '') AS t FROM agg_turns WHERE seq >= ? AND seq < ? ORDER BY seq)",
    );
    const rows = db.prepare("SELECT seq || ',' || coalesce(prev, '') || ',' || coalesce(gap, '') AS t FROM agg_turns WHERE seq >= ? AND seq < ? ORDER BY seq");
    const turns = this.#turns;
    const count = this.#turnCount;
    let differing = 0;
    let at = 0;
    const end = this.#lastSeq + 1;
    for (let from = 0; from < end; from += TURN_CHUNK) {
      const to = from + TURN_CHUNK;
      const first = at;
      while (at < count && turns[3 * at]! < to) at++;
      const got = chunk.get([from, to]);
      // Read against the tally as it stands, without writing a string per turn.
      if (Number(got?.['n']) === at - first && this.#turnsSpell(String(got?.['s']), first, at)) continue;
      const expected: string[] = [];
      for (let i = first; i < at; i++) expected.push(this.#turnText(i));
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
