/**
 * What an auditor asks of the access log (see ARCHITECTURE: access log): filtered pages of leaves (offset + limit, so the
 * console can virtualise over a million rows), summaries per user and per artifact, events per hour,
 * dwell-time distributions, "who saw page X of artifact Y between T1 and T2", and the highlights: access
 * outside working hours and pages turned faster than a person reads.
 *
 * Queries use the indexed copies of leaf fields; the leaf bytes are parsed only for the rows returned.
 * The verifier checks those copies against the leaves, so an answer here is as good as the integrity
 * banner says.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { AGG_DWELL_BUCKET, AGG_VIEW_DWELL } from '../vault/audit-aggregates';
import { dwellSummary, hasAggregates, summaryFromAggregates } from './console-aggregates';
import { runAll, type Steps } from './in-turns';
import { parseLeaf, type AccessLogLeaf } from './log-leaf';

export interface LeafFilter {
  /** Inclusive lower bound, UTC ms. */
  from?: number;
  /** Exclusive upper bound, UTC ms. */
  to?: number;
  user?: string;
  event?: string;
  /** Object id (artifact, case, note…). */
  objectId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  page?: number;
  session?: string;
  /** Only what happened before anyone signed in (no user on the leaf: journaled and system events). */
  beforeSignIn?: boolean;
}

export interface LeafView extends AccessLogLeaf {
  /** True when the stored bytes no longer parse (shown, flagged, never hidden). */
  damaged?: boolean;
}

export interface QueryPage {
  total: number;
  offset: number;
  rows: LeafView[];
}

export const MAX_PAGE = 1000;

function where(filter: LeafFilter): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (clause: string, value: string | number | undefined) => {
    if (value === undefined) return;
    clauses.push(clause);
    params.push(value);
  };
  add('ts >= ?', filter.from);
  add('ts < ?', filter.to);
  add('user = ?', filter.user);
  add('event = ?', filter.event);
  add('object_id = ?', filter.objectId);
  add('outcome = ?', filter.outcome);
  add('page = ?', filter.page);
  add('session = ?', filter.session);
  if (filter.beforeSignIn) clauses.push('user IS NULL');
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function toView(seq: number, bytes: unknown): LeafView {
  const parsed = bytes instanceof Uint8Array ? parseLeaf(bytes) : null;
  if (parsed?.ok) return parsed.leaf;
  return {
    v: 1,
    seq,
    ts: 0,
    mono: 0,
    device: '?',
    app: '?',
    actor: { user: null, role: 'system' },
    session: null,
    event: 'damaged',
    object: null,
    outcome: 'failure',
    detail: {},
    damaged: true,
  };
}

export interface WorkingHours {
  /** First working hour (local), 0-23. */
  startHour: number;
  /** First hour after work (local), 1-24. */
  endHour: number;
  /** Local time = UTC + offset; ignored when timeZone is given. */
  utcOffsetMinutes: number;
  /** IANA time zone (the signed policy's): local time follows its daylight-saving rules. */
  timeZone?: string;
  /** Saturdays and Sundays count as off-hours. */
  weekendsOff: boolean;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { startHour: 7, endHour: 19, utcOffsetMinutes: 0, weekendsOff: true };

export interface PaceRule {
  /** A page shown for less than this was not read (2 s). */
  minMsPerPage: number;
  /** How many fast pages in a row make a flag (5). */
  minPages: number;
}

export const DEFAULT_PACE_RULE: PaceRule = { minMsPerPage: 2000, minPages: 5 };

export interface PageView {
  seq: number;
  ts: number;
  user: string | null;
  session: string | null;
  artifactId: string;
  page: number;
}

export interface FastPagingFlag {
  user: string | null;
  session: string | null;
  artifactId: string;
  fromSeq: number;
  toSeq: number;
  pages: number;
  startTs: number;
  endTs: number;
  msPerPage: number;
}

/**
 * Runs of page views in one session and artifact where each new page followed the previous one in under
 * `minMsPerPage`, at least `minPages` pages long, fed one view at a time in log order (so a million views
 * can be read in batches). `finish` returns the flags in log order.
 */
export function fastPagingDetector(rule: PaceRule = DEFAULT_PACE_RULE): { push(view: PageView): void; finish(): FastPagingFlag[] } {
  const flags: FastPagingFlag[] = [];
  const runs = new Map<string, PageView[]>();
  const close = (run: PageView[]) => {
    if (run.length >= rule.minPages) {
      const first = run[0]!;
      const last = run[run.length - 1]!;
      flags.push({
        user: first.user,
        session: first.session,
        artifactId: first.artifactId,
        fromSeq: first.seq,
        toSeq: last.seq,
        pages: run.length,
        startTs: first.ts,
        endTs: last.ts,
        msPerPage: Math.round((last.ts - first.ts) / Math.max(1, run.length - 1)),
      });
    }
  };
  return {
    push(view) {
      const key = `${view.session ?? ''}\u0000${view.artifactId}`;
      const run = runs.get(key);
      const previous = run?.[run.length - 1];
      if (previous && view.page === previous.page) return; // the same page reported again is not a turn
      if (run && previous && view.ts - previous.ts < rule.minMsPerPage) {
        run.push(view);
      } else {
        if (run) close(run);
        runs.set(key, [view]);
      }
    },
    finish() {
      for (const run of runs.values()) close(run);
      runs.clear();
      return flags.sort((a, b) => a.fromSeq - b.fromSeq);
    },
  };
}

/**
 * Runs of consecutive whole UTC hours that fall outside working hours and saw signed-in activity, from
 * the per-hour aggregates; null when the log has none (an old copy), so the caller reads the leaves.
 */
function activeOffHours(db: Database, hours: WorkingHours): [number, number][] | null {
  if (!hasAggregates(db)) return null;
  const runs: [number, number][] = [];
  for (const r of db.prepare("SELECT DISTINCT hour FROM agg_users WHERE role IN ('reviewer', 'auditor') ORDER BY hour").all()) {
    const start = Number(r['hour']) * 3_600_000;
    if (!isOffHours(start, hours)) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === start) last[1] = start + 3_600_000;
    else runs.push([start, start + 3_600_000]);
  }
  return runs;
}

/** Below this many fast turns the gap index finds them quicker than a read of every turn. */
const FEW_FAST_TURNS = 20_000;
/** Seqs per statement when every turn is read. */
const TURN_CHUNK = 65_536;

/** Each "seq,prev" pair of "seq,prev;seq,prev;…" (non-negative integers), read without splitting. */
function readPairs(text: string, pair: (a: number, b: number) => void): void {
  let a = 0;
  let b = 0;
  let second = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x3b;
    if (c === 0x2c) second = true;
    else if (c === 0x3b) {
      if (i > 0) pair(a, b);
      a = 0;
      b = 0;
      second = false;
    } else if (second) b = b * 10 + (c - 0x30);
    else a = a * 10 + (c - 0x30);
  }
}

function isEmpty(filter: LeafFilter): boolean {
  return Object.values(filter).every((v) => v === undefined || v === false);
}

function hasTable(db: Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get([name]) !== undefined;
}

/** Pure: the fast-paging flags over views in log order. */
export function findFastPaging(views: readonly PageView[], rule: PaceRule = DEFAULT_PACE_RULE): FastPagingFlag[] {
  const detector = fastPagingDetector(rule);
  for (const view of views) detector.push(view);
  return detector.finish();
}

/** Pure: whether a moment falls outside working hours. */
/** Offset of `zone` from UTC at `ts`, in minutes, from Intl (no table of our own); cached per zone and hour. */
const zoneOffsets = new Map<string, { format: Intl.DateTimeFormat; byHour: Map<number, number> }>();
export function zoneOffsetMinutes(zone: string, ts: number): number {
  let entry = zoneOffsets.get(zone);
  if (!entry) {
    entry = { format: new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }), byHour: new Map() };
    zoneOffsets.set(zone, entry);
  }
  // Zones change offset on whole quarter hours at most once an hour: one lookup per UTC hour.
  const hourKey = Math.floor(ts / 3_600_000);
  const known = entry.byHour.get(hourKey);
  if (known !== undefined) return known;
  const parts = Object.fromEntries(entry.format.formatToParts(new Date(hourKey * 3_600_000)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']));
  const offset = Math.round((asUtc - hourKey * 3_600_000) / 60_000);
  if (entry.byHour.size > 100_000) entry.byHour.clear();
  entry.byHour.set(hourKey, offset);
  return offset;
}

export function isOffHours(ts: number, hours: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const offset = hours.timeZone ? zoneOffsetMinutes(hours.timeZone, ts) : hours.utcOffsetMinutes;
  const local = ts + offset * 60_000;
  const hour = Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
  // 1970-01-01 was a Thursday: day 0 → 4 (Sunday = 0).
  const weekday = (((Math.floor(local / 86_400_000) + 4) % 7) + 7) % 7;
  if (hours.weekendsOff && (weekday === 0 || weekday === 6)) return true;
  return hour < hours.startHour || hour >= hours.endHour;
}

/** The bucket index of dwell_ms, from DWELL_BUCKETS (numbers only: nothing user-supplied). */
const DWELL_BUCKET_SQL = AGG_DWELL_BUCKET('dwell_ms');
/** The dwell a leaf adds to its view's time: a close's, not a page view's (see AGG_VIEW_DWELL). */
const VIEW_DWELL_SQL = AGG_VIEW_DWELL('log_leaves');

/** Exactly the condition of the partial index log_leaves_opens (audit-schema.ts), so SQLite can use it. */
const OPENS = `event = 'artifact.view' AND CASE WHEN json_valid(CAST(leaf AS TEXT)) THEN json_extract(CAST(leaf AS TEXT), '$.detail.action') END = 'open' AND object_kind = 'artifact'`;

export interface AuditSummary {
  perUser: { user: string | null; role: string; events: number; denied: number; first: number; last: number }[];
  perArtifact: { artifactId: string; name: string | null; events: number; users: number; opens: number; dwellMs: number }[];
  perHour: { hour: number; events: number }[];
  dwell: { artifactId: string; buckets: number[] }[];
  dwellBuckets: string[];
}

/** Off-hours activity, one per session (a session's every unlock and view is one flag, not one each). */
export interface OffHoursLeaf {
  seq: number;
  ts: number;
  user: string | null;
  event: string;
  objectId: string | null;
  session: string | null;
  /** Leaves of this session outside working hours, and the time of the last. */
  count: number;
  lastTs: number;
}

export interface WhoSaw {
  user: string | null;
  session: string | null;
  views: number;
  first: number;
  last: number;
  dwellMs: number;
}

/** How the whole-log fast-paging flag reads agg_turns (tests set both low to take the chunked read). */
export interface TurnReading {
  /** Below this many fast turns the gap index finds them. */
  fewFastTurns: number;
  /** Seqs per statement otherwise. */
  turnChunk: number;
}

export class AuditQuery {
  readonly #db: Database;
  readonly #turns: TurnReading;

  constructor(db: Database, turns: TurnReading = { fewFastTurns: FEW_FAST_TURNS, turnChunk: TURN_CHUNK }) {
    this.#db = db;
    this.#turns = turns;
  }

  query(filter: LeafFilter, offset = 0, limit = 100): QueryPage {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new RwError('INVALID_INPUT', `Pages are 1-${MAX_PAGE} rows from a non-negative offset.`);
    }
    const w = where(filter);
    const total = Number(this.#db.prepare(`SELECT count(*) AS n FROM log_leaves ${w.sql}`).get(w.params)?.['n'] ?? 0);
    let rows;
    if (w.params.length === 0 && total === Number(this.#db.prepare('SELECT coalesce(max(seq), -1) + 1 AS n FROM log_leaves').get()?.['n'])) {
      // Unfiltered over a log with no gaps, row k is leaf k: seek instead of stepping over `offset` rows.
      rows = this.#db.prepare('SELECT seq, leaf FROM log_leaves WHERE seq >= ? ORDER BY seq LIMIT ?').all([offset, limit]);
    } else {
      // Step over `offset` matches in an index (sequence numbers only), then read just the page's leaves.
      rows = this.#db
        .prepare(`SELECT seq, leaf FROM log_leaves WHERE seq IN (SELECT seq FROM log_leaves ${w.sql} ORDER BY seq LIMIT ? OFFSET ?) ORDER BY seq`)
        .all([...w.params, limit, offset]);
    }
    return { total, offset, rows: rows.map((r) => toView(Number(r['seq']), r['leaf'])) };
  }

  /** Leaves after `afterSeq` in order, for exports and `rwctl audit list`. */
  *scan(filter: LeafFilter, batch = 1000): Iterable<LeafView> {
    const w = where(filter);
    const cond = w.sql ? `${w.sql} AND seq > ?` : 'WHERE seq > ?';
    const stmt = this.#db.prepare(`SELECT seq, leaf FROM log_leaves ${cond} ORDER BY seq LIMIT ?`);
    let after = -1;
    for (;;) {
      const rows = stmt.all([...w.params, after, batch]);
      if (rows.length === 0) return;
      for (const r of rows) yield toView(Number(r['seq']), r['leaf']);
      after = Number(rows[rows.length - 1]!['seq']);
    }
  }

  summary(filter: LeafFilter = {}): AuditSummary {
    // The whole log or whole hours of it: from the per-hour aggregates, not the leaves.
    if (Object.entries(filter).every(([k, v]) => v === undefined || k === 'from' || k === 'to')) {
      const fast = summaryFromAggregates(this.#db, filter.from, filter.to);
      if (fast) return { ...fast, perArtifact: this.#named(fast.perArtifact) };
    }
    const w = where(filter);
    const and = w.sql ? `${w.sql} AND` : 'WHERE';
    const perUser = this.#db
      .prepare(`SELECT user, role, count(*) AS n, sum(outcome = 'denied') AS denied, min(ts) AS first, max(ts) AS last FROM log_leaves ${w.sql} GROUP BY user, role ORDER BY n DESC`)
      .all(w.params)
      .map((r) => ({ user: r['user'] === null ? null : String(r['user']), role: String(r['role']), events: Number(r['n']), denied: Number(r['denied']), first: Number(r['first']), last: Number(r['last']) }));
    // INDEXED BY: the partial index answers this without parsing a single leaf; the planner, lacking
    // statistics, would otherwise parse every artifact.view leaf.
    const opens = new Map(
      this.#db
        .prepare(`SELECT object_id, count(*) AS n FROM log_leaves INDEXED BY log_leaves_opens ${and} ${OPENS} GROUP BY object_id`)
        .all(w.params)
        .map((r) => [String(r['object_id']), Number(r['n'])]),
    );
    const perArtifact = this.#db
      .prepare(`SELECT object_id, count(*) AS n, count(DISTINCT user) AS users, coalesce(sum(${VIEW_DWELL_SQL}), 0) AS dwell FROM log_leaves ${and} object_kind = 'artifact' GROUP BY object_id ORDER BY n DESC`)
      .all(w.params)
      .map((r) => ({ artifactId: String(r['object_id']), events: Number(r['n']), users: Number(r['users']), opens: opens.get(String(r['object_id'])) ?? 0, dwellMs: Number(r['dwell']) }));
    const perHour = this.#db
      .prepare(`SELECT ts / 3600000 AS hour, count(*) AS n FROM log_leaves ${w.sql} GROUP BY hour ORDER BY hour`)
      .all(w.params)
      .map((r) => ({ hour: Number(r['hour']) * 3_600_000, events: Number(r['n']) }));
    // Bucketed in SQL: a million views would otherwise cross into JavaScript one row at a time.
    const dwellRows = this.#db
      .prepare(`SELECT object_id, ${DWELL_BUCKET_SQL} AS bucket, count(*) AS n FROM log_leaves ${and} event = 'artifact.view' AND dwell_ms IS NOT NULL AND page IS NULL GROUP BY object_id, bucket`)
      .all(w.params);
    return { perUser, perArtifact: this.#named(perArtifact), perHour, ...dwellSummary(dwellRows) };
  }

  /** Names, not ids, for the auditor: looked up once per artifact listed, not per leaf. */
  #named<T extends { artifactId: string }>(rows: T[]): (T & { name: string | null })[] {
    const names = this.objectNames(rows.map((a) => a.artifactId));
    return rows.map((a) => ({ ...a, name: names.get(a.artifactId) ?? null }));
  }

  /** Who had page `page` (any page when omitted) of an artifact in view between from and to. */
  whoSaw(artifactId: string, page: number | undefined, from: number, to: number): WhoSaw[] {
    const w = where({ objectId: artifactId, event: 'artifact.view', from, to, ...(page === undefined ? {} : { page }) });
    // For one page: how often and how long it was in view. For the artifact: how often it was opened
    // (its page views and closes are not more views) and the time of its views (closes).
    const dwell = page === undefined ? VIEW_DWELL_SQL : 'dwell_ms';
    const key = (r: Record<string, unknown>) => JSON.stringify([r['user'], r['session']]);
    let opens: Map<string, number> | null = null;
    if (page === undefined) {
      const o = where({ objectId: artifactId, from, to });
      opens = new Map(
        this.#db
          .prepare(`SELECT user, session, count(*) AS n FROM log_leaves INDEXED BY log_leaves_opens ${o.sql} AND ${OPENS} GROUP BY user, session`)
          .all(o.params)
          .map((r) => [key(r), Number(r['n'])]),
      );
    }
    return this.#db
      .prepare(`SELECT user, session, count(*) AS n, min(ts) AS first, max(ts) AS last, coalesce(sum(${dwell}), 0) AS dwell FROM log_leaves ${w.sql} GROUP BY user, session ORDER BY first`)
      .all(w.params)
      .map((r) => ({
        user: r['user'] === null ? null : String(r['user']),
        session: r['session'] === null ? null : String(r['session']),
        views: opens ? (opens.get(key(r)) ?? 0) : Number(r['n']),
        first: Number(r['first']),
        last: Number(r['last']),
        dwellMs: Number(r['dwell']),
      }));
  }

  /** Signed-in activity outside working hours (unlocks and artifact views), at most `limit` leaves. */
  offHours(filter: LeafFilter, hours: WorkingHours = DEFAULT_WORKING_HOURS, limit = 1000): OffHoursLeaf[] {
    return runAll(this.offHoursSteps(filter, hours, limit));
  }

  /** offHours, yielding after each batch of leaves it reads. */
  *offHoursSteps(filter: LeafFilter, hours: WorkingHours = DEFAULT_WORKING_HOURS, limit = 1000): Steps<OffHoursLeaf[]> {
    const out: OffHoursLeaf[] = [];
    // A session's repeated activity collapses into its first flag (leaves without a session: one per user).
    const bySession = new Map<string, OffHoursLeaf>();
    const flag = (r: Record<string, unknown>, ts: number, count = 1, lastTs = ts): void => {
      const user = r['user'] === null ? null : String(r['user']);
      const session = r['session'] === null ? null : String(r['session']);
      const key = session === null ? `user:${user ?? ''}` : `session:${session}`;
      const seen = bySession.get(key);
      if (seen) {
        seen.count += count;
        seen.lastTs = Math.max(seen.lastTs, lastTs);
        return;
      }
      if (out.length >= limit) return;
      const first: OffHoursLeaf = { seq: Number(r['seq']), ts, user, event: String(r['event']), objectId: r['object_id'] === null ? null : String(r['object_id']), session, count, lastTs };
      bySession.set(key, first);
      out.push(first);
    };
    const wholeHours = hours.utcOffsetMinutes % 60 === 0;
    if (wholeHours && isEmpty(filter) && hasTable(this.#db, 'agg_sessions')) {
      // The whole log: the per-hour, per-session totals say everything the flag needs (each session's
      // first leaf, how many and the last time), so only the flagged sessions' first leaves are read.
      const sessions = new Map<string, { first: number; n: number; last: number }>();
      for (const r of this.#db.prepare('SELECT hour, skey, first, n, last_ts FROM agg_sessions').all()) {
        if (!isOffHours(Number(r['hour']) * 3_600_000, hours)) continue;
        const key = String(r['skey']);
        const seen = sessions.get(key);
        const first = Number(r['first']);
        const last = Number(r['last_ts']);
        if (!seen) sessions.set(key, { first, n: Number(r['n']), last });
        else {
          seen.first = Math.min(seen.first, first);
          seen.n += Number(r['n']);
          seen.last = Math.max(seen.last, last);
        }
      }
      const leaf = this.#db.prepare('SELECT seq, ts, user, session, event, object_id FROM log_leaves WHERE seq = ?');
      for (const g of [...sessions.values()].sort((a, b) => a.first - b.first)) {
        if (out.length >= limit) break;
        const r = leaf.get([g.first]);
        if (r) flag(r, Number(r['ts']), g.n, g.last);
      }
      return out;
    }
    const offHours = wholeHours ? activeOffHours(this.#db, hours) : null;
    if (offHours) {
      // Whole hours are either in or out of working hours here, and the aggregates say which hours saw
      // any signed-in activity: only those hours' leaves are read (by the ts index), and SQLite collapses
      // them per session (its first leaf, how many, the last time), so half a million off-hours leaves
      // never cross into JavaScript one by one. Groups come in order of their first leaf, as a scan
      // would meet them.
      const w = where(filter);
      const stmt = this.#db.prepare(
        `SELECT l.seq, l.ts, l.user, l.session, l.event, l.object_id, g.n, g.last_ts FROM (SELECT min(seq) AS first, count(*) AS n, max(ts) AS last_ts FROM log_leaves ${w.sql ? `${w.sql} AND` : 'WHERE'} role IN ('reviewer', 'auditor') AND ts >= ? AND ts < ? GROUP BY CASE WHEN session IS NULL THEN 'u:' || coalesce(user, '') ELSE 's:' || session END) g JOIN log_leaves l ON l.seq = g.first ORDER BY g.first`,
      );
      for (const [from, to] of offHours) {
        for (const r of stmt.all([...w.params, from, to])) flag(r, Number(r['ts']), Number(r['n']), Number(r['last_ts']));
        yield;
      }
      return out;
    }
    for (const rows of this.#batches(filter, "role IN ('reviewer', 'auditor')", 'seq, ts, user, session, event, object_id')) {
      for (const r of rows) {
        const ts = Number(r['ts']);
        if (isOffHours(ts, hours)) flag(r, ts);
      }
      yield;
    }
    return out;
  }

  /** The names the log gives these objects (the object.name of a leaf about each), for showing names, not ids. */
  objectNames(ids: readonly string[]): Map<string, string> {
    // The latest leaf by time, walked backwards in the (object_id, ts) index, so the first named leaf ends
    // the search; by seq it would sort every leaf of the artifact first (a second per artifact on a million
    // leaves). The two orders differ only across a recorded clock jump.
    const stmt = this.#db.prepare(
      "SELECT CAST(leaf AS TEXT) AS leaf FROM log_leaves INDEXED BY log_leaves_object_ts WHERE object_id = ? AND json_valid(CAST(leaf AS TEXT)) AND json_extract(CAST(leaf AS TEXT), '$.object.name') IS NOT NULL ORDER BY ts DESC, seq DESC LIMIT 1",
    );
    const names = new Map<string, string>();
    for (const id of new Set(ids)) {
      const row = stmt.get([id]);
      if (typeof row?.leaf !== 'string') continue;
      const name = (JSON.parse(row.leaf) as { object?: { name?: unknown } }).object?.name;
      if (typeof name === 'string') names.set(id, name);
    }
    return names;
  }

  fastPaging(filter: LeafFilter, rule: PaceRule = DEFAULT_PACE_RULE): FastPagingFlag[] {
    return runAll(this.fastPagingSteps(filter, rule));
  }

  /** fastPaging, yielding after each batch of page views it reads. */
  *fastPagingSteps(filter: LeafFilter, rule: PaceRule = DEFAULT_PACE_RULE): Steps<FastPagingFlag[]> {
    if (isEmpty(filter) && hasTable(this.#db, 'agg_turns')) return this.#fastPagingFromTurns(rule);
    const detector = fastPagingDetector(rule);
    // The whole log reads the page-view index (literal condition, so the partial index applies).
    const whole = Object.values(filter).every((v) => v === undefined) && hasAggregates(this.#db);
    const batches = whole
      ? this.#batches({}, "event = 'artifact.view' AND page IS NOT NULL", 'seq, ts, user, session, object_id, page', 'INDEXED BY log_leaves_page_views')
      : this.#batches({ ...filter, event: 'artifact.view' }, 'page IS NOT NULL', 'seq, ts, user, session, object_id, page');
    for (const rows of batches) {
      for (const r of rows) {
        detector.push({
          seq: Number(r['seq']),
          ts: Number(r['ts']),
          user: r['user'] === null ? null : String(r['user']),
          session: r['session'] === null ? null : String(r['session']),
          artifactId: String(r['object_id']),
          page: Number(r['page']),
        });
      }
      yield;
    }
    return detector.finish();
  }

  /**
   * fastPaging over the whole log from agg_turns: only the turns faster than the rule are read, and the
   * leaves only at the ends of the runs it flags. A run is a turn followed by fast turns each naming the one before as its previous turn,
   * exactly the runs fastPagingDetector finds in the page views.
   */
  #fastPagingFromTurns(rule: PaceRule): FastPagingFlag[] {
    // Only agg_turns' narrow rows: the leaves are read for the flags found, not for every fast turn.
    // INDEXED BY: by the gap index only the fast turns are read; the planner, lacking statistics, would
    // walk every turn in seq order to save the sort.
    const open = new Map<number, { fromSeq: number; toSeq: number; pages: number }>();
    const runs: { fromSeq: number; toSeq: number; pages: number }[] = [];
    const turn = (seq: number, prev: number) => {
      let run = open.get(prev);
      if (run) open.delete(prev);
      else runs.push((run = { fromSeq: prev, toSeq: prev, pages: 1 }));
      run.pages++;
      run.toSeq = seq;
      open.set(seq, run);
    };
    // Few fast turns: the gap index finds them. Many (a strict rule, or a log of fast readers): the
    // table is read in seq order, a chunk of seqs per statement as one "seq,prev;…" string, so neither
    // a sort of the index's rows nor a million rows crossing into JavaScript one by one.
    const few = Number(this.#db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM agg_turns INDEXED BY agg_turns_gap WHERE gap < ? LIMIT ?)').get([rule.minMsPerPage, this.#turns.fewFastTurns])?.['n']);
    if (few < this.#turns.fewFastTurns) {
      for (const r of this.#db.prepare('SELECT seq, prev FROM agg_turns INDEXED BY agg_turns_gap WHERE gap < ? ORDER BY seq').all([rule.minMsPerPage])) turn(Number(r['seq']), Number(r['prev']));
    } else {
      const end = Number(this.#db.prepare('SELECT coalesce(max(seq), -1) + 1 AS n FROM agg_turns').get()?.['n']);
      const chunk = this.#db.prepare("SELECT coalesce(group_concat(t, ';'), '') AS s FROM (SELECT seq || ',' || prev AS t FROM agg_turns WHERE seq >= ? AND seq < ? AND gap < ? ORDER BY seq)");
      const step = this.#turns.turnChunk;
      for (let from = 0; from < end; from += step) readPairs(String(chunk.get([from, from + step, rule.minMsPerPage])?.['s'] ?? ''), turn);
    }
    const leaf = this.#db.prepare('SELECT ts, user, session, object_id FROM log_leaves WHERE seq = ?');
    const flags: FastPagingFlag[] = [];
    for (const run of runs) {
      if (run.pages < rule.minPages) continue;
      const first = leaf.get([run.fromSeq]);
      const last = leaf.get([run.toSeq]);
      if (!first || !last) continue; // a missing leaf: the verification reports it
      const startTs = Number(first['ts']);
      const endTs = Number(last['ts']);
      flags.push({
        user: first['user'] === null ? null : String(first['user']),
        session: first['session'] === null ? null : String(first['session']),
        artifactId: String(first['object_id']),
        fromSeq: run.fromSeq,
        toSeq: run.toSeq,
        pages: run.pages,
        startTs,
        endTs,
        msPerPage: Math.round((endTs - startTs) / Math.max(1, run.pages - 1)),
      });
    }
    // Runs were met by their first fast turn; a run that started earlier may have turned fast later.
    return flags.sort((a, b) => a.fromSeq - b.fromSeq);
  }

  /** The filtered leaves' `columns` in log order, 5 000 rows at a time. */
  *#batches(filter: LeafFilter, condition: string, columns: string, indexedBy = ''): Iterable<Record<string, unknown>[]> {
    const w = where(filter);
    const stmt = this.#db.prepare(`SELECT ${columns} FROM log_leaves ${indexedBy} ${w.sql ? `${w.sql} AND` : 'WHERE'} ${condition} AND seq > ? ORDER BY seq LIMIT 5000`);
    let after = -1;
    for (;;) {
      const rows = stmt.all([...w.params, after]);
      if (rows.length === 0) return;
      yield rows;
      after = Number(rows[rows.length - 1]!['seq']);
    }
  }
}
