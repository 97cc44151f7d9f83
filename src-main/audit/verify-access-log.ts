/**
 * The access log's verification over an open audit.db: the LogSource that reads leaves, nodes and
 * checkpoints in batches, the page-HMAC pass, and the checkpoints the central witness cosigned. The
 * steps themselves (verify-log.ts) know nothing of the database.
 */
import type { Database, Statement } from '@signalapp/sqlcipher';
import { compactRangeRoot, emptyCompactRange } from '../../src-shared/node/compact-range';
import { bytesEqual, toBase64, utf8 } from '../../src-shared/encoding';
import { storedNodeSource } from './stored-node-source';
import { hasAggregates } from './console-aggregates';
import { AggregateTally, type AggregateDifference } from './aggregate-tally';
import { runAll, runInTurns, type Steps } from './in-turns';
import { readLeafTail, type LeafColumns } from './log-leaf';
import { ParallelTally } from './parallel-tally';
import { stateAtPoint, verifySteps, type ExternalCheckpoint, type LeafRow, type LogSource, type Problem, type ProgressPoint, type Verified, type VerifiedState, type VerifyOptions, type VerifyReport } from './verify-log';
import { frontierIsStored, type ProgressStore, type SavedProgress } from './verify-progress';

const BATCH = 10_000;

/** The LogSource over an open audit.db. */
export function databaseLogSource(db: Database, batch = BATCH): LogSource {
  const meta = db.prepare("SELECT value FROM vault_meta WHERE key = 'workstation_id'").get();
  const key = db.prepare('SELECT public_key FROM device_keys ORDER BY id DESC LIMIT 1').get();
  const state = db.prepare('SELECT size FROM log_state WHERE id = 1').get();
  // Persistent statements: their rows are built from a cached shape, a quarter cheaper over a million leaves.
  const withColumns = db.prepare(
    `SELECT seq, leaf, leaf_hash, ${COLUMNS} FROM log_leaves WHERE seq > ? ORDER BY seq LIMIT ?`,
    { persistent: true },
  );
  // Named as LeafRow names them, so each row the statement builds is the LeafRow itself: a million
  // leaves make a million objects fewer for the collector.
  const leavesOnly = db.prepare('SELECT seq, leaf, leaf_hash AS leafHash, NULL AS columns FROM log_leaves WHERE seq > ? ORDER BY seq LIMIT ?', { persistent: true });
  // group_concat appends each blob's bytes as they are (NULs included) and the cast hands them back as
  // bytes: half the cost of the hex round trip over a million nodes.
  const span = db.prepare("SELECT count(*) AS n, CAST(group_concat(hash, '') AS BLOB) AS hashes, min(length(hash)) AS lo, max(length(hash)) AS hi FROM (SELECT hash FROM log_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx)");
  return {
    workstationId: typeof meta?.['value'] === 'string' ? meta['value'] : null,
    devicePublicKey: key?.['public_key'] instanceof Uint8Array ? new Uint8Array(key['public_key']) : null,
    stateSize: typeof state?.['size'] === 'number' ? state['size'] : null,
    nodes: storedNodeSource(db),
    *nodeBatches() {
      const stmt = db.prepare('SELECT level, idx, hash FROM log_nodes WHERE level > ? OR (level = ? AND idx > ?) ORDER BY level, idx LIMIT ?');
      let level = 0;
      let idx = -1;
      for (;;) {
        const rows = stmt.all([level, level, idx, BATCH]);
        if (rows.length === 0) return;
        yield rows.map((r) => ({ level: Number(r['level']), idx: Number(r['idx']), hash: r['hash'] instanceof Uint8Array ? r['hash'] : new Uint8Array(0) }));
        const last = rows[rows.length - 1]!;
        level = Number(last['level']);
        idx = Number(last['idx']);
      }
    },
    nodeSpan(level, from, to) {
      const r = span.get([level, from, to]);
      const hashes = r?.['hashes'];
      if (Number(r?.['n']) !== to - from || r?.['lo'] !== 32 || r?.['hi'] !== 32 || !(hashes instanceof Uint8Array)) return null;
      return hashes;
    },
    *leafBatches({ columns, from }) {
      let after = from === undefined ? Number.MIN_SAFE_INTEGER : from - 1;
      if (!columns) {
        for (;;) {
          const rows = leavesOnly.all([after, batch]);
          if (rows.length === 0) return;
          // Mended in place only where a damaged row holds something other than bytes.
          for (const r of rows) if (!(r['leaf'] instanceof Uint8Array && r['leafHash'] instanceof Uint8Array && typeof r['seq'] === 'number')) mendRow(r);
          yield rows as unknown as LeafRow[];
          after = Number(rows[rows.length - 1]!['seq']);
        }
      }
      for (;;) {
        const rows = withColumns.all([after, batch]);
        if (rows.length === 0) return;
        yield rows.map((r) => {
          const leaf = r['leaf'];
          const hash = r['leaf_hash'];
          return {
            seq: Number(r['seq']),
            leaf: leaf instanceof Uint8Array ? leaf : utf8(String(leaf)),
            leafHash: hash instanceof Uint8Array ? hash : new Uint8Array(0),
            columns: columnsOf(r),
          };
        });
        after = Number(rows[rows.length - 1]!['seq']);
      }
    },
    checkpoints() {
      return db
        .prepare('SELECT id, size, ts, note FROM log_checkpoints ORDER BY id')
        .all()
        .map((r) => ({ id: Number(r['id']), size: Number(r['size']), ts: Number(r['ts']), note: String(r['note']) }));
    },
  };
}

/** A leaves-only row as leafBatches hands out every other: bytes where the store holds text or nothing. */
function mendRow(r: Record<string, unknown>): void {
  const leaf = r['leaf'];
  r['seq'] = Number(r['seq']);
  r['leaf'] = leaf instanceof Uint8Array ? leaf : utf8(String(leaf));
  if (!(r['leafHash'] instanceof Uint8Array)) r['leafHash'] = new Uint8Array(0);
}

/** verifyAccessLog(auditDb, …): the library entry point over an open audit.db. Never throws on damage. */
export interface VerifyAccessLogOptions extends VerifyOptions {
  /** Read every page's HMAC first (default true). */
  checkPages?: boolean;
  /** Also check the log extends every checkpoint the central witness cosigned (default true). */
  witnessed?: boolean;
  /**
   * Recompute the console's aggregates on a second thread when a full verification without leaf
   * contents covers at least this many leaves (default 50 000; below that, starting the thread costs
   * more than it saves).
   */
  parallelTallyFrom?: number;
  /**
   * Save the run's progress there every few seconds, and resume from what an earlier run saved
   * (verify-progress.ts). Without it, nothing is saved or resumed.
   */
  progressStore?: ProgressStore;
  /** Start from leaf 0 whatever progress was saved (it is replaced as this run goes). */
  fresh?: boolean;
  /** Milliseconds between saves of progress (default 5 000). */
  saveEveryMs?: number;
  /** Leaves read per batch (default 10 000; progress is reported and offered after each batch). */
  batch?: number;
}

const PARALLEL_TALLY_FROM = 50_000;

/** Checkpoints the central witness cosigned (the sync client stores them in witnessed_checkpoints). */
export function witnessedCheckpoints(db: Database): (ExternalCheckpoint & { size: number; ts: number })[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'witnessed_checkpoints'").get();
  if (!exists) return [];
  return db
    .prepare('SELECT size, cosigned_note, witnessed_at FROM witnessed_checkpoints ORDER BY size')
    .all()
    .map((r) => ({ label: `witnessed@${Number(r['size'])}`, note: String(r['cosigned_note']), size: Number(r['size']), ts: Number(r['witnessed_at']) }));
}

export function verifyAccessLog(db: Database, options: VerifyAccessLogOptions = {}): VerifyReport {
  return verifyAccessLogFrom(db, options).report;
}

/**
 * verifyAccessLog, resumable as verifyLogFrom is. A resumed run skips the page-HMAC pass: pages written
 * since were written by this process, and the full run at the start of the session read every page.
 */
export function verifyAccessLogFrom(db: Database, options: VerifyAccessLogOptions = {}, resume?: VerifiedState): Verified {
  return runAll(accessLogSteps(db, options, resume));
}

/**
 * verifyAccessLogFrom that lets the main process answer other calls between batches of leaves. It covers
 * the leaves the log's state counted when it began; leaves appended meanwhile wait for the next check.
 */
export function verifyAccessLogInTurns(db: Database, options: VerifyAccessLogOptions = {}, resume?: VerifiedState): Promise<Verified> {
  return runInTurns(verifyAccessLogSteps(db, options, resume));
}

/** The steps of verifyAccessLogInTurns, for a caller that runs them its own way (the audit worker). */
export function verifyAccessLogSteps(db: Database, options: VerifyAccessLogOptions = {}, resume?: VerifiedState): Steps<Verified> {
  return accessLogSteps(db, { ...options, upToSeq: options.upToSeq ?? logStateSize(db) }, resume);
}

/** The size log_state records, or undefined when it cannot be read (verification then reports why). */
function logStateSize(db: Database): number | undefined {
  try {
    const size = db.prepare('SELECT size FROM log_state WHERE id = 1').get()?.['size'];
    return typeof size === 'number' ? size : undefined;
  } catch {
    return undefined;
  }
}

function* accessLogSteps(db: Database, options: VerifyAccessLogOptions, resume?: VerifiedState): Steps<Verified> {
  let source: LogSource;
  let external: ExternalCheckpoint[] = [...(options.externalCheckpoints ?? [])];
  let tally: AggregateTally | null = null;
  // A run resumed in memory (the console's re-check) neither reads nor saves progress: it is short, and
  // its state already covers what this process verified.
  const store = resume ? undefined : options.progressStore;
  const contents = options.leafContents !== false;
  let saved: SavedProgress | null = null;
  try {
    if (options.witnessed !== false) external = [...external, ...witnessedCheckpoints(db).map(({ label, note }) => ({ label, note }))];
    source = databaseLogSource(db, options.batch);
    const aggregates = hasAggregates(db);
    if (store && !options.fresh) {
      saved = usableProgress(store.load(), source, options, aggregates);
      if (saved) resume = stateAtPoint(saved.point);
    }
    // SQLCipher checks each page's HMAC only when the page is read; this reads them all, so a flipped
    // byte in an index page nobody queries is found too. Resumed from saved progress, it still runs:
    // pages may have been damaged since the earlier run read them.
    if ((!resume || saved) && options.checkPages !== false) {
      const errors = db.pragma('cipher_integrity_check');
      if (errors.length > 0) throw new Error(`${errors.length} page(s) fail their HMAC`);
    }
    // A full run also recomputes the console's aggregates, in the same pass over the leaves; a run
    // resumed in memory trusts them as it trusts the leaves this session has already checked, one
    // resumed from saved progress goes on from the totals saved with it.
    if (saved?.tally) tally = AggregateTally.fromState(saved.tally);
    else if (!resume && aggregates) tally = new AggregateTally();
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : 'unreadable';
    return {
      report: {
        ok: false,
        size: 0,
        root: toBase64(compactRangeRoot(emptyCompactRange())),
        verifiedSize: 0,
        checkpoints: 0,
        lastCheckpoint: null,
        external: [],
        problems: [{ seq: 0, kind: 'database-damaged', message: `the audit database is damaged (${detail})` }],
      },
      state: null,
    };
  }
  let one: Statement | undefined;
  const stored = (seq: number) => {
    const r = (one ??= db.prepare(`SELECT ${COLUMNS} FROM log_leaves WHERE seq = ?`)).get([seq]);
    return r ? columnsOf(r) : null;
  };
  // Without leaf contents the tally reads every leaf's bytes itself: that goes to a second thread,
  // unless progress is saved (the totals are saved with it, and the thread's cannot be read half way).
  const covers = (options.upToSeq ?? source.stateSize ?? 0) - (resume?.range.size ?? 0);
  // The same thread opens the stored checkpoints in the time the tally leaves it.
  let parallel = tally && !contents && !store && covers >= (options.parallelTallyFrom ?? PARALLEL_TALLY_FROM) ? ParallelTally.start() : null;
  let counted = tally;
  let lastSeq = -1;
  const onLeaf = counted
    ? (row: LeafRow, tail: { seq: number; ts: number } | null) => {
        if (parallel) {
          lastSeq = row.seq;
          parallel.push(row.seq, row.leaf, tail);
        } else counted!.pushLeaf(row.seq, row.leaf, row.columns, stored, tail);
      }
    : undefined;
  const saving = store ? progressSaver(store, saved?.startedAt ?? Date.now(), options.saveEveryMs ?? SAVE_EVERY_MS, () => counted, counted?.turnCount ?? 0) : undefined;
  const hooks: VerifyOptions = {
    ...(onLeaf ? { onLeaf } : {}),
    ...(saving ? { offerProgress: saving } : {}),
    ...(parallel ? { openCheckpointsAside: (notes: string[], origin: string, key: Uint8Array) => parallel?.openCheckpoints(notes, origin, key) ?? null } : {}),
    onRestart() {
      // The saved state could not answer after all (a checkpoint below it whose root it lacks), or the
      // checkpoints opened aside were not all intact: the steps start over from leaf 0, and so do the
      // totals, counted on this thread.
      saved = null;
      parallel?.close();
      parallel = null;
      if (counted) counted = new AggregateTally();
    },
  };
  let verified: Verified | null = null;
  try {
    verified = yield* verifySteps(source, { ...options, externalCheckpoints: external, ...hooks }, resume);
  } finally {
    // Steps dropped half way (never by runAll or runInTurns): the thread is ended, not left waiting.
    if (!verified) parallel?.close();
  }
  if (parallel) {
    const done = parallel.finish();
    // A leaf the tally thread could not read: count again here, where the stored columns are at hand.
    counted = done && done.unreadable === 0 ? done.tally : yield* tallyHere(source, lastSeq, stored);
  }
  let result = verified;
  if (counted) {
    yield;
    const final = counted;
    let differing: AggregateDifference[];
    try {
      differing = final.differences(db, (after) => laterLeaves(source, after));
    } catch (error) {
      differing = [{ table: error instanceof Error ? error.message.split('\n')[0]! : 'unreadable', rows: 0 }];
    }
    if (differing.length > 0) {
      const problem: Problem = {
        seq: 0,
        kind: 'aggregate-mismatch',
        message: `the console's totals disagree with the leaves (${differing.map((d) => `${d.table}: ${d.rows} row(s)`).join(', ')})`,
      };
      // No state to resume from: the next check is a full one again, so the banner cannot turn intact.
      result = { report: { ...verified.report, ok: false, problems: [...verified.report.problems, problem] }, state: null };
    }
  }
  if (!store) return result;
  // Finished either way: what was saved is spent (the next request verifies in full, unless this process
  // keeps the intact state in memory).
  forget(store);
  // Any doubt about a resumed run (damage found, totals that disagree) is settled by a full verification.
  if (saved && !result.report.ok) return yield* accessLogSteps(db, { ...options, fresh: true });
  if (saved) result = { ...result, report: { ...result.report, resumed: { from: saved.point.range.size, verifiedAt: saved.startedAt } } };
  return result;
}

/** Milliseconds between two saves of a verification's progress: at most that much work is lost to an interruption. */
const SAVE_EVERY_MS = 5000;

/**
 * Offered a progress point after each batch, saves one every `everyMs` (and stops saving once a save
 * fails). The page turns (a million leaves can make a million, 24 MB) go out as only those counted since
 * the last save; `written` are those the store already holds for this run (a resumed run's, or none).
 */
function progressSaver(store: ProgressStore, startedAt: number, everyMs: number, tally: () => AggregateTally | null, written: number): (point: () => ProgressPoint) => void {
  let last = Date.now();
  let failed = false;
  let counted = tally();
  return (point) => {
    if (failed || Date.now() - last < everyMs) return;
    try {
      const t = tally();
      // Totals begun again (the run started over from leaf 0): the stored turns are not theirs.
      if (t !== counted) [counted, written] = [t, 0];
      store.save({ point: point(), tally: t ? t.stateFrom(written) : null, startedAt }, written);
      written = t?.turnCount ?? 0;
    } catch {
      failed = true; // a full disk, say: the verification goes on, only unsaved
    }
    last = Date.now();
  };
}

function forget(store: ProgressStore): void {
  try {
    store.clear();
  } catch {
    // A stale row is harmless: it is checked before use, and any doubt means a full run.
  }
}

/**
 * The saved progress when it fits this log and this request; null (a full verification) otherwise. What
 * is checked here is what can be checked without reading the leaves below the saved point.
 */
function usableProgress(saved: SavedProgress | null, source: LogSource, options: VerifyAccessLogOptions, aggregates: boolean): SavedProgress | null {
  if (!saved || !source.nodes) return null;
  const { point, tally } = saved;
  const key = options.devicePublicKey ?? source.devicePublicKey;
  const size = point.range.size;
  const end = options.upToSeq ?? source.stateSize;
  const fits =
    point.workstationId === source.workstationId &&
    key !== null &&
    bytesEqual(point.devicePublicKey, key) &&
    point.leafContents === (options.leafContents !== false) &&
    size > 0 &&
    end !== null &&
    size <= end &&
    (tally ? aggregates && tally.lastSeq === size - 1 : !aggregates) &&
    frontierIsStored(point.range, source.nodes);
  return fits ? saved : null;
}

const COLUMNS = 'ts, event, user, role, session, object_kind, object_id, outcome, page, dwell_ms';

function columnsOf(r: Record<string, unknown>): LeafColumns {
  return {
    ts: Number(r['ts']),
    event: String(r['event']),
    user: r['user'] === null ? null : String(r['user']),
    role: String(r['role']),
    session: r['session'] === null ? null : String(r['session']),
    objectKind: r['object_kind'] === null ? null : String(r['object_kind']),
    objectId: r['object_id'] === null ? null : String(r['object_id']),
    outcome: String(r['outcome']),
    page: r['page'] === null ? null : Number(r['page']),
    dwellMs: r['dwell_ms'] === null ? null : Number(r['dwell_ms']),
  };
}

/** The aggregates counted on this thread over the leaves up to `lastSeq` (the pass's last). */
function* tallyHere(source: LogSource, lastSeq: number, stored: (seq: number) => LeafColumns | null): Steps<AggregateTally> {
  const tally = new AggregateTally();
  for (const batch of source.leafBatches({ columns: false })) {
    for (const row of batch) {
      if (row.seq > lastSeq) return tally;
      tally.pushLeaf(row.seq, row.leaf, null, stored, readLeafTail(row.leaf));
    }
    yield;
  }
  return tally;
}

/** Leaves after `after` with their columns: those appended since the verification's pass. */
function* laterLeaves(source: LogSource, after: number): Iterable<{ seq: number; leaf: Uint8Array; columns: LeafColumns }> {
  for (const batch of source.leafBatches({ columns: true, from: after + 1 })) {
    for (const row of batch) if (row.columns) yield { seq: row.seq, leaf: row.leaf, columns: row.columns };
  }
}
