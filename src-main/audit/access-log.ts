/**
 * The tamper-evident access log over audit.db (DESIGN §2, §5): canonical leaves in an RFC 9162 Merkle
 * tree, appended in O(log n) from the persisted compact range, with every interior node stored so that
 * inclusion and consistency proofs cost O(log n) lookups, and C2SP checkpoints signed with the device key.
 *
 * Each append is one IMMEDIATE transaction (leaf, its nodes, the new compact range and, when due, a
 * signed checkpoint), so a crash leaves the log at a whole leaf and two connections to the same file
 * (the signed-in user's and the device slot's) serialise instead of forking the tree. The state row is
 * re-read inside every transaction for the same reason: nothing about the tree is cached in memory.
 */
import type { Database } from '@signalapp/sqlcipher';
import { formatCheckpoint, signCheckpoint, type Checkpoint } from '../../src-shared/node/checkpoint';
import { appendLeaf, compactRangeRoot, parseCompactRange, serializeCompactRange, type CompactRange } from '../../src-shared/node/compact-range';
import { RwError } from '../../src-shared/errors';
import { zeroize } from '../../src-shared/encoding';
import { consistencyProofFrom, inclusionProofFrom, leafHash, rootFrom, type MerkleNodeSource } from '../../src-shared/node/merkle';
import { ed25519NoteSigner, ed25519NoteVerifier, type NoteSigner, type NoteVerifier } from '../../src-shared/node/signed-note';
import { readDeviceSigningKey } from '../vault/vault';
import { checkpointDue, DEFAULT_CHECKPOINT_POLICY, type CheckpointPolicy } from './checkpoint-policy';
import { logOrigin } from './log-origin';
import { storedNodeSource } from './stored-node-source';
import { encodeLeaf, leafColumns, LEAF_VERSION, type AccessLogLeaf, type LeafDetail, type LeafOutcome, type LeafRole } from './log-leaf';

// Its own file so that verification (the audit worker's code) does not load the vault to name the log.
export { logOrigin } from './log-origin';

/** What a caller states about an event; the log adds v, seq, ts, mono, device and app. */
export interface AccessLogEntry {
  actor: { user: string | null; role: LeafRole };
  session?: string | null;
  event: string;
  object?: { kind: string; id: string; name?: string | null; digest?: string | null } | null;
  outcome: LeafOutcome;
  detail?: LeafDetail;
  /** When the event happened, if earlier than the append (a pre-sign-in journal record keeps its own times). */
  at?: { ts: number; mono: number };
}

export interface StoredCheckpoint {
  id: number;
  size: number;
  ts: number;
  reason: string;
  /** The whole C2SP signed note. */
  note: string;
}

export interface AppendResult {
  seq: number;
  leafHash: Uint8Array;
  /** The checkpoint signed in the same transaction, when the policy called for one. */
  checkpoint: StoredCheckpoint | null;
}

export interface AccessLogOptions {
  /** Which program writes (`rw-app/0.1.0`, `rwctl/0.1.0`). */
  app: string;
  clock(): number;
  /** Monotonic milliseconds (performance.now in the app): recorded in each leaf. */
  monotonic(): number;
  checkpointPolicy?: CheckpointPolicy;
}

interface StateRow {
  size: number;
  range: CompactRange;
  lastTs: number;
  checkpointSize: number;
  checkpointTs: number;
}

function readMeta(db: Database, key: string): string | null {
  const row = db.prepare('SELECT value FROM vault_meta WHERE key = ?').get([key]);
  return typeof row?.value === 'string' ? row.value : null;
}

function asCheckpoint(row: Record<string, unknown>): StoredCheckpoint {
  return { id: Number(row['id']), size: Number(row['size']), ts: Number(row['ts']), reason: String(row['reason']), note: String(row['note']) };
}


/** The leaf an entry becomes at `seq` and `ts` (the bench's bulk generator builds its leaves with this too). */
export function buildLeaf(entry: AccessLogEntry, at: { seq: number; ts: number; mono: number; device: string; app: string }): AccessLogLeaf {
  return {
    v: LEAF_VERSION,
    seq: at.seq,
    ts: at.ts,
    mono: Math.max(0, Math.round(at.mono)),
    device: at.device,
    app: at.app,
    actor: { user: entry.actor.user, role: entry.actor.role },
    session: entry.session ?? null,
    event: entry.event,
    object: entry.object ? { kind: entry.object.kind, id: entry.object.id, name: entry.object.name ?? null, digest: entry.object.digest ?? null } : null,
    outcome: entry.outcome,
    detail: entry.detail ?? {},
  };
}

export class AccessLog {
  readonly workstationId: string;
  readonly origin: string;
  readonly devicePublicKey: Uint8Array;
  readonly #db: Database;
  readonly #options: AccessLogOptions;
  #seed: Uint8Array | null;
  /** Built once: deriving the public key per signature would double the cost of each checkpoint. */
  #signer: NoteSigner | null;

  constructor(db: Database, options: AccessLogOptions) {
    const workstationId = readMeta(db, 'workstation_id');
    if (!workstationId) throw new RwError('VAULT_DAMAGED', 'The audit store has no workstation id.');
    this.#db = db;
    this.#options = options;
    this.workstationId = workstationId;
    this.origin = logOrigin(workstationId);
    const key = readDeviceSigningKey(db);
    this.#seed = key.privateKey;
    this.devicePublicKey = key.publicKey;
    this.#signer = ed25519NoteSigner(this.origin, key.privateKey);
    // Another connection (the device slot logging a failed unlock) may hold the write lock briefly.
    db.exec('PRAGMA busy_timeout = 5000');
  }

  /** The note verifier for this device's checkpoints. */
  verifier(): NoteVerifier {
    return ed25519NoteVerifier(this.origin, this.devicePublicKey);
  }

  #prepared: { leaf: ReturnType<Database['prepare']>; node: ReturnType<Database['prepare']> } | null = null;

  #statements() {
    this.#prepared ??= {
      leaf: this.#db.prepare(
        'INSERT INTO log_leaves(seq, leaf, leaf_hash, ts, event, user, role, session, object_kind, object_id, outcome, page, dwell_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      node: this.#db.prepare('INSERT INTO log_nodes(level, idx, hash) VALUES (?, ?, ?)'),
    };
    return this.#prepared;
  }

  #readState(): StateRow {
    const row = this.#db.prepare('SELECT size, compact, last_ts, checkpoint_size, checkpoint_ts FROM log_state WHERE id = 1').get();
    if (!row) throw new RwError('LOG_DAMAGED', 'The access-log state is missing.');
    let range: CompactRange;
    try {
      range = parseCompactRange(JSON.parse(String(row['compact'])));
    } catch {
      throw new RwError('LOG_DAMAGED', 'The access-log state is damaged.');
    }
    if (range.size !== Number(row['size'])) throw new RwError('LOG_DAMAGED', 'The access-log state is inconsistent.');
    return { size: range.size, range, lastTs: Number(row['last_ts']), checkpointSize: Number(row['checkpoint_size']), checkpointTs: Number(row['checkpoint_ts']) };
  }

  #immediate<T>(fn: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // The transaction may already be gone (SQLite rolls back on some errors); the first error matters.
      }
      throw error;
    }
  }

  #insertLeaf(state: StateRow, entry: AccessLogEntry, ts: number): { state: StateRow; hash: Uint8Array } {
    const mono = entry.at ? entry.at.mono : this.#options.monotonic();
    const leaf = buildLeaf(entry, { seq: state.size, ts, mono, device: this.workstationId, app: this.#options.app });
    const bytes = encodeLeaf(leaf);
    const hash = leafHash(bytes);
    const c = leafColumns(leaf);
    this.#statements()
      .leaf.run([leaf.seq, bytes as Uint8Array<ArrayBuffer>, hash as Uint8Array<ArrayBuffer>, c.ts, c.event, c.user, c.role, c.session, c.objectKind, c.objectId, c.outcome, c.page, c.dwellMs]);
    const nodeStmt = this.#statements().node;
    const range = appendLeaf(state.range, hash, (level, index, node) => {
      if (level > 0) nodeStmt.run([level, index, node as Uint8Array<ArrayBuffer>]);
    });
    return { state: { ...state, size: range.size, range, lastTs: Math.max(state.lastTs, ts) }, hash };
  }

  #writeState(state: StateRow): void {
    this.#db
      .prepare('UPDATE log_state SET size = ?, compact = ?, last_ts = ?, checkpoint_size = ?, checkpoint_ts = ? WHERE id = 1')
      .run([state.size, JSON.stringify(serializeCompactRange(state.range)), state.lastTs, state.checkpointSize, state.checkpointTs]);
  }

  #sign(state: StateRow, reason: string, now: number): { state: StateRow; checkpoint: StoredCheckpoint } {
    if (!this.#signer) throw new RwError('VAULT_LOCKED', 'The access log is closed.');
    const checkpoint: Checkpoint = { origin: this.origin, size: state.size, rootHash: compactRangeRoot(state.range), extensions: [] };
    const note = signCheckpoint(checkpoint, [this.#signer]);
    const result = this.#db.prepare('INSERT INTO log_checkpoints(size, ts, reason, note) VALUES (?, ?, ?, ?)').run([state.size, now, reason, note]);
    return {
      state: { ...state, checkpointSize: state.size, checkpointTs: now },
      checkpoint: { id: result.lastInsertRowid, size: state.size, ts: now, reason, note },
    };
  }

  /**
   * Append one leaf (and a `clock.jump` leaf before it when the wall clock went backwards since the last
   * leaf, so the order of timestamps is explained on the record). Returns its sequence number and hash.
   */
  append(entry: AccessLogEntry): AppendResult {
    const results = this.appendMany([entry]);
    return results[0]!;
  }

  /**
   * Append several leaves in one transaction (one fsync): for bulk writers such as an import's per-file
   * events. The checkpoint policy is applied after each leaf as for single appends.
   */
  appendMany(entries: readonly AccessLogEntry[], alsoInTransaction?: () => void): AppendResult[] {
    if (!this.#seed) throw new RwError('VAULT_LOCKED', 'The access log is closed.');
    const policy = this.#options.checkpointPolicy ?? DEFAULT_CHECKPOINT_POLICY;
    return this.#immediate(() => {
      let state = this.#readState();
      const results: AppendResult[] = [];
      for (const entry of entries) {
        const ts = entry.at ? entry.at.ts : this.#options.clock();
        if (state.size > 0 && ts < state.lastTs) {
          state = this.#insertLeaf(
            state,
            { actor: { user: null, role: 'system' }, event: 'clock.jump', outcome: 'success', detail: { from: state.lastTs, to: ts, driftMs: ts - state.lastTs, source: entry.at ? 'journal' : 'order' } },
            ts,
          ).state;
        }
        const inserted = this.#insertLeaf(state, entry, ts);
        state = inserted.state;
        let checkpoint: StoredCheckpoint | null = null;
        const reason = checkpointDue(entry.event, entry.outcome, state, ts, policy);
        if (reason) ({ state, checkpoint } = this.#sign(state, reason, ts));
        results.push({ seq: state.size - 1, leafHash: inserted.hash, checkpoint });
      }
      this.#writeState(state);
      alsoInTransaction?.();
      return results;
    });
  }

  /** Sign a checkpoint at the current size (returns the latest one when it already covers every leaf). */
  checkpoint(reason: string): StoredCheckpoint {
    const now = this.#options.clock();
    return this.#immediate(() => {
      const state = this.#readState();
      const latest = this.latestCheckpoint();
      if (latest && latest.size === state.size) return latest;
      const signed = this.#sign(state, reason, now);
      this.#writeState(signed.state);
      return signed.checkpoint;
    });
  }

  latestCheckpoint(): StoredCheckpoint | null {
    const row = this.#db.prepare('SELECT id, size, ts, reason, note FROM log_checkpoints ORDER BY id DESC LIMIT 1').get();
    return row ? asCheckpoint(row) : null;
  }

  checkpoints(): StoredCheckpoint[] {
    return this.#db.prepare('SELECT id, size, ts, reason, note FROM log_checkpoints ORDER BY id').all().map(asCheckpoint);
  }

  size(): number {
    return this.#readState().size;
  }

  root(): Uint8Array {
    return compactRangeRoot(this.#readState().range);
  }

  /** The current tree as an unsigned checkpoint text (for diagnostics and tests). */
  checkpointText(): string {
    const state = this.#readState();
    return formatCheckpoint({ origin: this.origin, size: state.size, rootHash: compactRangeRoot(state.range), extensions: [] });
  }

  nodeSource(): MerkleNodeSource {
    return storedNodeSource(this.#db);
  }

  rootAt(size: number): Uint8Array {
    return rootFrom(this.nodeSource(), size);
  }

  inclusionProof(seq: number, size: number): Uint8Array[] {
    return inclusionProofFrom(this.nodeSource(), seq, size);
  }

  consistencyProof(size1: number, size2: number): Uint8Array[] {
    return consistencyProofFrom(this.nodeSource(), size1, size2);
  }

  /** Drops the device key from memory; the database handle belongs to the vault and stays open. */
  close(): void {
    if (this.#seed) zeroize(this.#seed);
    this.#seed = null;
    this.#signer = null;
  }
}

export function openAccessLog(db: Database, options: AccessLogOptions): AccessLog {
  return new AccessLog(db, options);
}
