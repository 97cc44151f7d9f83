/**
 * The audit bench's bulk writer: fills a fresh audit.db with the rows AccessLog.appendMany would write for
 * the same entries (the same leaf builder and encoding, leaf hashes, every interior node, checkpoints
 * signed with the device key where the checkpoint policy calls for them, the state row, the console's
 * aggregates and flag tables), but fast enough to build a million leaves in a bench: the secondary indexes
 * and the aggregate triggers are dropped while the rows go in, then recreated from their own stored SQL,
 * and the aggregates are computed with the migrations' backfill. tests/unit/bench/audit-seed.test.ts shows that
 * the result equals appendMany's table by table. The app never uses this: its every leaf goes through
 * AccessLog's transaction.
 */
import type { Database } from '@signalapp/sqlcipher';
import { signCheckpoint } from '../src-shared/node/checkpoint';
import { appendLeaf, compactRangeRoot, emptyCompactRange, serializeCompactRange } from '../src-shared/node/compact-range';
import { leafHash } from '../src-shared/node/merkle';
import { ed25519NoteSigner } from '../src-shared/node/signed-note';
import { buildLeaf, logOrigin, type AccessLogEntry } from '../src-main/audit/access-log';
import { checkpointDue, DEFAULT_CHECKPOINT_POLICY } from '../src-main/audit/checkpoint-policy';
import { encodeLeaf, leafColumns } from '../src-main/audit/log-leaf';
import { ALL_AGG_EXPECTED } from '../src-main/vault/audit-aggregates';
import { readDeviceSigningKey } from '../src-main/vault/vault';

export interface SeedOptions {
  app: string;
  /** Called once per leaf, as AccessLog's clock and monotonic clock are. */
  clock(): number;
  monotonic(): number;
  /** Rows per transaction. */
  batch?: number;
}

/**
 * Appends `count` leaves, `entry(i)` each, to an empty log. Entries must not go back in time (appendMany
 * would insert clock.jump leaves; this writer refuses instead).
 */
export function seedAccessLog(db: Database, count: number, entry: (i: number) => AccessLogEntry, options: SeedOptions): void {
  const size = Number(db.prepare('SELECT size FROM log_state WHERE id = 1').get()?.['size']);
  if (size !== 0) throw new Error('seedAccessLog fills an empty log only');
  const device = String(db.prepare("SELECT value FROM vault_meta WHERE key = 'workstation_id'").get()?.['value']);
  const origin = logOrigin(device);
  const key = readDeviceSigningKey(db);
  const signer = ed25519NoteSigner(origin, key.privateKey);
  // Secondary indexes and triggers that fire on insert: dropped for the load, recreated from their SQL.
  const deferred = db
    .prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'log_leaves' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND sql LIKE '%AFTER INSERT%'))")
    .all()
    .map((r) => ({ type: String(r['type']), name: String(r['name']), sql: String(r['sql']) }));
  for (const d of deferred) db.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} ${d.name}`);
  const leafStmt = db.prepare(
    'INSERT INTO log_leaves(seq, leaf, leaf_hash, ts, event, user, role, session, object_kind, object_id, outcome, page, dwell_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const nodeStmt = db.prepare('INSERT INTO log_nodes(level, idx, hash) VALUES (?, ?, ?)');
  const checkpointStmt = db.prepare('INSERT INTO log_checkpoints(size, ts, reason, note) VALUES (?, ?, ?, ?)');
  const batch = options.batch ?? 50_000;
  let state = { size: 0, range: emptyCompactRange(), lastTs: 0, checkpointSize: 0, checkpointTs: 0 };
  for (let start = 0; start < count; start += batch) {
    db.exec('BEGIN IMMEDIATE');
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const e = entry(i);
      const ts = options.clock();
      if (state.size > 0 && ts < state.lastTs) throw new Error('seedAccessLog: entries must not go back in time');
      const leaf = buildLeaf(e, { seq: state.size, ts, mono: options.monotonic(), device, app: options.app });
      const bytes = encodeLeaf(leaf);
      const hash = leafHash(bytes);
      const c = leafColumns(leaf);
      leafStmt.run([leaf.seq, bytes as Uint8Array<ArrayBuffer>, hash as Uint8Array<ArrayBuffer>, c.ts, c.event, c.user, c.role, c.session, c.objectKind, c.objectId, c.outcome, c.page, c.dwellMs]);
      const range = appendLeaf(state.range, hash, (level, index, node) => {
        if (level > 0) nodeStmt.run([level, index, node as Uint8Array<ArrayBuffer>]);
      });
      state = { ...state, size: range.size, range, lastTs: Math.max(state.lastTs, ts) };
      const reason = checkpointDue(e.event, e.outcome, state, ts, DEFAULT_CHECKPOINT_POLICY);
      if (reason) {
        const note = signCheckpoint({ origin, size: state.size, rootHash: compactRangeRoot(state.range), extensions: [] }, [signer]);
        checkpointStmt.run([state.size, ts, reason, note]);
        state = { ...state, checkpointSize: state.size, checkpointTs: ts };
      }
    }
    db.prepare('UPDATE log_state SET size = ?, compact = ?, last_ts = ?, checkpoint_size = ?, checkpoint_ts = ? WHERE id = 1').run([
      state.size,
      JSON.stringify(serializeCompactRange(state.range)),
      state.lastTs,
      state.checkpointSize,
      state.checkpointTs,
    ]);
    db.exec('COMMIT');
  }
  db.exec('BEGIN IMMEDIATE');
  for (const [table, select] of ALL_AGG_EXPECTED) db.exec(`INSERT INTO ${table} ${select}`);
  for (const d of deferred) db.exec(d.sql);
  db.exec('COMMIT');
  key.privateKey.fill(0);
}
