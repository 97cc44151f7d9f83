/**
 * The server's storage: enrolled keys, accepted attestations with their receipts, the RFC 6962 log
 * (every perfect-subtree node, so proofs cost O(log n) lookups), the log head, and what the witness last
 * cosigned per origin. One implementation over SqlDriver serves SQLite and PostgreSQL.
 *
 * Invariants the write methods keep:
 * - everything an accepted attestation writes (row, subjects, leaf and nodes, new head and checkpoint,
 *   the key's sequence) commits in one transaction, or nothing does;
 * - the log head row is read FOR UPDATE (PostgreSQL) / under BEGIN IMMEDIATE (SQLite) before an index is
 *   assigned, so indexes are dense and never duplicated; `attestations.log_index` is UNIQUE as a backstop.
 */
import { parseCompactRange, serializeCompactRange, type CompactRange } from '../src-shared/node/compact-range';
import { canonicalize } from '../src-shared/canonical-json';
import { receiptSchema, type Receipt } from '../src-shared/attestation-types';
import { parseStrictJson } from '../src-shared/strict-json';
import { checkpointJson, receiptText } from './receipt-json';
import { asBytes, asNumber, asString, type SqlConn, type SqlDriver, type SqlRow, type SqlValue, type TxConn } from './sql-driver';

export type KeyRole = 'device' | 'reviewer';

export interface EnrolledKey {
  /** sha256 hex of the raw Ed25519 public key (the reviewer.publicKeyId of the predicate). */
  keyId: string;
  publicKey: Uint8Array;
  role: KeyRole;
  workstationId: string;
  /** Reviewer id for reviewer keys, the workstation id for device keys. */
  subject: string;
  /** Device keys: the origin of the workstation's access-log checkpoints. */
  logOrigin: string | null;
  enrolledAt: number;
  revokedAt: number | null;
  lastSequence: number;
}

export interface NewAttestation {
  envelopeSha256: string;
  keyId: string;
  /**
   * sha256 hex of the signed payload bytes. (keyId, payloadSha256) is the replay key: however a relay
   * re-encodes an envelope, the same signer and payload are the same attestation.
   */
  payloadSha256: string;
  sequence: number;
  predicateType: string;
  /** The canonical envelope JSON (the log leaf's data). */
  envelope: string;
  subjects: string[];
  receivedAt: number;
  source: 'http' | 'bundle';
}

export interface LogHead {
  size: number;
  range: CompactRange;
  /** The compact range as stored (what setHeadIf compares). */
  rangeText: string;
  /** Signed note of the head, '' for the empty log (signed on demand). */
  checkpoint: string;
}

export interface WitnessState {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  checkpoint: string;
  updatedAt: number;
}

export interface StoreCounts {
  attestations: number;
  subjects: number;
  leaves: number;
  nodes: number;
  keys: number;
  revoked: number;
  witnessed: number;
}

export type NodeKey = readonly [level: number, index: number];

const SCHEMA = (bytes: string) => `
CREATE TABLE IF NOT EXISTS enrolled_keys(
  key_id TEXT PRIMARY KEY, public_key ${bytes} NOT NULL, role TEXT NOT NULL, workstation_id TEXT NOT NULL,
  subject TEXT NOT NULL, log_origin TEXT UNIQUE, enrolled_at BIGINT NOT NULL, revoked_at BIGINT,
  last_sequence BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS attestations(
  envelope_sha256 TEXT PRIMARY KEY, log_index BIGINT NOT NULL UNIQUE, key_id TEXT NOT NULL REFERENCES enrolled_keys(key_id),
  sequence BIGINT NOT NULL, predicate_type TEXT NOT NULL, envelope TEXT NOT NULL, receipt TEXT NOT NULL,
  received_at BIGINT NOT NULL, source TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS attestations_by_type ON attestations(predicate_type, log_index);
CREATE TABLE IF NOT EXISTS attestation_subjects(
  sha256 TEXT NOT NULL, envelope_sha256 TEXT NOT NULL REFERENCES attestations(envelope_sha256), PRIMARY KEY(sha256, envelope_sha256));
CREATE TABLE IF NOT EXISTS log_nodes(level INTEGER NOT NULL, idx BIGINT NOT NULL, hash ${bytes} NOT NULL, PRIMARY KEY(level, idx));
CREATE TABLE IF NOT EXISTS log_head(id INTEGER PRIMARY KEY, size BIGINT NOT NULL, compact_range TEXT NOT NULL, checkpoint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attestation_replay(
  key_id TEXT NOT NULL, payload_sha256 TEXT NOT NULL, envelope_sha256 TEXT NOT NULL REFERENCES attestations(envelope_sha256), PRIMARY KEY(key_id, payload_sha256));
CREATE TABLE IF NOT EXISTS read_tokens(
  token_sha256 TEXT PRIMARY KEY, role TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
CREATE TABLE IF NOT EXISTS witness_state(
  origin TEXT PRIMARY KEY, size BIGINT NOT NULL, root_hash ${bytes} NOT NULL, checkpoint TEXT NOT NULL, updated_at BIGINT NOT NULL);
INSERT INTO log_head(id, size, compact_range, checkpoint) VALUES (1, 0, '{"size":0,"hashes":[]}', '') ON CONFLICT DO NOTHING;
`;

function keyFromRow(row: SqlRow): EnrolledKey {
  return {
    keyId: asString(row.key_id),
    publicKey: asBytes(row.public_key),
    role: asString(row.role) as KeyRole,
    workstationId: asString(row.workstation_id),
    subject: asString(row.subject),
    logOrigin: row.log_origin === null ? null : asString(row.log_origin),
    enrolledAt: asNumber(row.enrolled_at),
    revokedAt: row.revoked_at === null ? null : asNumber(row.revoked_at),
    lastSequence: asNumber(row.last_sequence),
  };
}

/** A compact range as the log head stores it. */
export function compactRangeText(range: CompactRange): string {
  return canonicalize(serializeCompactRange(range));
}

function parseReceipt(text: string): Receipt {
  return receiptSchema.parse(parseStrictJson(text));
}

function headFromRow(row: SqlRow | undefined): LogHead {
  if (!row) throw new Error('The log head row is missing.');
  const rangeText = asString(row.compact_range);
  const range = parseCompactRange(parseStrictJson(rangeText));
  if (range.size !== asNumber(row.size)) throw new Error('The log head is inconsistent.');
  return { size: range.size, range, rangeText, checkpoint: asString(row.checkpoint) };
}

const KEY_COLUMNS = 'key_id, public_key, role, workstation_id, subject, log_origin, enrolled_at, revoked_at, last_sequence';

async function fetchNodes(conn: SqlConn, keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const unique = [...new Map(keys.map((k) => [nodeId(k[0], k[1]), k])).values()];
  for (let i = 0; i < unique.length; i += 64) {
    const chunk = unique.slice(i, i + 64);
    const where = chunk.map(() => '(level = ? AND idx = ?)').join(' OR ');
    const rows = await conn.all(`SELECT level, idx, hash FROM log_nodes WHERE ${where}`, chunk.flatMap(([l, x]) => [l, x]));
    for (const row of rows) out.set(nodeId(asNumber(row.level), asNumber(row.idx)), asBytes(row.hash));
  }
  return out;
}

async function witnessStateOf(conn: SqlConn, origin: string): Promise<WitnessState | null> {
  const rows = await conn.all('SELECT origin, size, root_hash, checkpoint, updated_at FROM witness_state WHERE origin = ?', [origin]);
  const row = rows[0];
  return row ? { origin: asString(row.origin), size: asNumber(row.size), rootHash: asBytes(row.root_hash), checkpoint: asString(row.checkpoint), updatedAt: asNumber(row.updated_at) } : null;
}

export function replayKey(keyId: string, payloadSha256: string): string {
  return `${keyId}:${payloadSha256}`;
}

export function nodeId(level: number, index: number): string {
  return `${level}:${index}`;
}

/** Operations available inside one write transaction. */
export interface StoreTx {
  findReceipt(envelopeSha256: string): Promise<Receipt | null>;
  /** The receipts of those envelopes already stored, by envelope digest (one query for a whole batch). */
  findReceipts(envelopeSha256s: readonly string[]): Promise<Map<string, Receipt>>;
  /** Receipts by replay key (`${keyId}:${payloadSha256}`), for the pairs already stored. */
  findReplays(keys: readonly { keyId: string; payloadSha256: string }[]): Promise<Map<string, Receipt>>;
  /** The key row, locked until commit (its sequence is about to change). */
  keyForUpdate(keyId: string): Promise<EnrolledKey | null>;
  /** Several key rows, locked until commit, by key id. */
  keysForUpdate(keyIds: readonly string[]): Promise<Map<string, EnrolledKey>>;
  /** The log head, locked until commit: the next leaf index is head.size. */
  headForUpdate(): Promise<LogHead>;
  /** Writes log nodes (leaves are level 0); the caller then writes the head with setHead in the same transaction. */
  putNodes(nodes: readonly (readonly [level: number, index: number, hash: Uint8Array])[]): Promise<void>;
  getNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>>;
  setHead(range: CompactRange, checkpoint: string): Promise<void>;
  /**
   * setHead, only if the stored compact range is still `expected` (its text, as compactRangeText writes
   * it): the same leaves, not merely as many (another writer may have reached the same size with others).
   * Otherwise the statement fails, and with it the transaction, so a batch built on a remembered head
   * never lands on another.
   */
  setHeadIf(expected: string, range: CompactRange, checkpoint: string): Promise<void>;
  /**
   * Each key's sequence from `from` to `to`, only if it still is `from` and the key is unrevoked;
   * otherwise the statement fails (and with it the transaction).
   */
  advanceSequences(sequences: readonly (readonly [keyId: string, from: number, to: number])[]): Promise<void>;
  insertAttestation(row: NewAttestation, receipt: Receipt, logIndex: number): Promise<void>;
  /** Many rows (and their subjects) in a few multi-row statements. */
  insertAttestations(rows: readonly { row: NewAttestation; receipt: Receipt; logIndex: number }[]): Promise<void>;
  /** Several keys' sequences in one statement per 200 keys (a batch advances up to one per request). */
  setLastSequences(sequences: readonly (readonly [keyId: string, sequence: number])[]): Promise<void>;
  insertKey(key: EnrolledKey): Promise<void>;
  revokeKey(keyId: string, at: number): Promise<void>;
  /** A revoked device key gives up its log origin, so a re-enrolled key can take the log over. */
  releaseLogOrigin(keyId: string): Promise<void>;
  insertReadToken(tokenSha256: string, role: string, at: number): Promise<void>;
  witnessState(origin: string): Promise<WitnessState | null>;
  setWitnessState(state: WitnessState): Promise<void>;
  /**
   * COMMIT sent behind the writes already issued (see TxConn.commit): the write methods above issue all
   * their statements at once when called, so a batch's last writes and its COMMIT travel together.
   */
  commit(): Promise<void>;
}

export interface ServerStore {
  readonly kind: 'sqlite' | 'postgres';
  keysById(keyIds: readonly string[]): Promise<EnrolledKey[]>;
  /** Every enrolled key, revoked or not (the fallback when no keyid hint names one; bounded by the admin). */
  allKeys(): Promise<EnrolledKey[]>;
  keyByOrigin(origin: string): Promise<EnrolledKey | null>;
  /** The role of an unrevoked read token, by the SHA-256 hex of the token. */
  readTokenRole(tokenSha256: string): Promise<string | null>;
  witnessState(origin: string): Promise<WitnessState | null>;
  findReceipt(envelopeSha256: string): Promise<Receipt | null>;
  attestationsBySubject(sha256Hex: string, limit: number): Promise<{ envelope: string; receipt: Receipt }[]>;
  /** Attestations of one predicate type, oldest first, from log index `after` (exclusive; -1 for all). */
  attestationsByType(predicateType: string, after: number, limit: number): Promise<{ envelope: string; receipt: Receipt; receivedAt: number }[]>;
  head(): Promise<LogHead>;
  getNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>>;
  counts(): Promise<StoreCounts>;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// A batch's multi-row statements come in few shapes: their VALUES lists are built once per shape.
const valuesLists = new Map<number, string>();

/** `(?, ?), (?, ?)…`: `rows` rows of `columns` placeholders. */
function valuesList(rows: number, columns: number): string {
  const shape = rows * 64 + columns;
  let text = valuesLists.get(shape);
  if (text === undefined) {
    text = Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');
    if (valuesLists.size < 4096) valuesLists.set(shape, text);
  }
  return text;
}

/**
 * One statement per chunk of `size` items, all issued before any answer: the connection runs them in
 * order (behind the transaction's earlier statements) and the caller waits for them together.
 */
async function runInChunks<T>(conn: SqlConn, items: readonly T[], size: number, statement: (chunk: T[]) => [sql: string, params: SqlValue[]]): Promise<void> {
  const runs: Promise<number>[] = [];
  for (let i = 0; i < items.length; i += size) runs.push(conn.run(...statement(items.slice(i, i + size))));
  await Promise.all(runs);
}

/** One UPDATE of `last_sequence` for many keys: `then` is the value for a key, its `?` bound by the key's entry after its id. */
function sequenceUpdate(chunk: readonly (readonly [keyId: string, ...values: number[]])[], then: string): [string, SqlValue[]] {
  return [
    `UPDATE enrolled_keys SET last_sequence = CASE key_id ${chunk.map(() => `WHEN ? THEN ${then}`).join(' ')} END WHERE key_id IN (${chunk.map(() => '?').join(', ')})`,
    [...chunk.flat(), ...chunk.map(([keyId]) => keyId)],
  ];
}

function txOf(conn: TxConn, forUpdate: string): StoreTx {
  return {
    commit: () => conn.commit(),
    async findReceipt(envelopeSha256) {
      const rows = await conn.all('SELECT receipt FROM attestations WHERE envelope_sha256 = ?', [envelopeSha256]);
      return rows[0] ? parseReceipt(asString(rows[0].receipt)) : null;
    },
    async findReceipts(envelopeSha256s) {
      const out = new Map<string, Receipt>();
      const unique = [...new Set(envelopeSha256s)];
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = await conn.all(`SELECT envelope_sha256, receipt FROM attestations WHERE envelope_sha256 IN (${chunk.map(() => '?').join(', ')})`, chunk);
        for (const row of rows) out.set(asString(row.envelope_sha256), parseReceipt(asString(row.receipt)));
      }
      return out;
    },
    async findReplays(keys) {
      const out = new Map<string, Receipt>();
      const unique = [...new Map(keys.map((k) => [replayKey(k.keyId, k.payloadSha256), k])).values()];
      for (let i = 0; i < unique.length; i += 250) {
        const chunk = unique.slice(i, i + 250);
        const rows = await conn.all(
          `SELECT r.key_id, r.payload_sha256, a.receipt FROM attestation_replay r JOIN attestations a ON a.envelope_sha256 = r.envelope_sha256 WHERE ${chunk.map(() => '(r.key_id = ? AND r.payload_sha256 = ?)').join(' OR ')}`,
          chunk.flatMap((k) => [k.keyId, k.payloadSha256]),
        );
        for (const row of rows) out.set(replayKey(asString(row.key_id), asString(row.payload_sha256)), parseReceipt(asString(row.receipt)));
      }
      return out;
    },
    async keysForUpdate(keyIds) {
      const out = new Map<string, EnrolledKey>();
      // Sorted so that two transactions lock rows in the same order (no deadlock between them).
      const unique = [...new Set(keyIds)].sort();
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = await conn.all(`SELECT ${KEY_COLUMNS} FROM enrolled_keys WHERE key_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY key_id${forUpdate}`, chunk);
        for (const row of rows) out.set(asString(row.key_id), keyFromRow(row));
      }
      return out;
    },
    async keyForUpdate(keyId) {
      const rows = await conn.all(`SELECT ${KEY_COLUMNS} FROM enrolled_keys WHERE key_id = ?${forUpdate}`, [keyId]);
      return rows[0] ? keyFromRow(rows[0]) : null;
    },
    async headForUpdate() {
      const rows = await conn.all(`SELECT size, compact_range, checkpoint FROM log_head WHERE id = 1${forUpdate}`);
      return headFromRow(rows[0]);
    },
    async putNodes(nodes) {
      // 3 parameters per row: well under SQLite's 32766 and PostgreSQL's 65535 bound parameters.
      await runInChunks(conn, nodes, 500, (chunk) => [`INSERT INTO log_nodes(level, idx, hash) VALUES ${valuesList(chunk.length, 3)}`, chunk.flat()]);
    },
    getNodes: (keys) => fetchNodes(conn, keys),
    async setHead(range, checkpoint) {
      await conn.run('UPDATE log_head SET size = ?, compact_range = ?, checkpoint = ? WHERE id = 1', [range.size, compactRangeText(range), checkpoint]);
    },
    async setHeadIf(expected, range, checkpoint) {
      // A mismatch sets NULL, which the NOT NULL column refuses: the failure is the database's own, in
      // the same round trip, whatever else was sent behind it.
      await conn.run('UPDATE log_head SET size = CASE WHEN compact_range = ? THEN CAST(? AS BIGINT) END, compact_range = ?, checkpoint = ? WHERE id = 1', [
        expected,
        range.size,
        compactRangeText(range),
        checkpoint,
      ]);
    },
    async advanceSequences(sequences) {
      // As in setHeadIf: a key whose row moved on (or was revoked) gets NULL, which NOT NULL refuses.
      await runInChunks(conn, sequences, 200, (chunk) => sequenceUpdate(chunk, '(CASE WHEN last_sequence = CAST(? AS BIGINT) AND revoked_at IS NULL THEN CAST(? AS BIGINT) END)'));
    },
    async insertAttestation(row, receipt, logIndex) {
      await conn.run(
        'INSERT INTO attestations(envelope_sha256, log_index, key_id, sequence, predicate_type, envelope, receipt, received_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [row.envelopeSha256, logIndex, row.keyId, row.sequence, row.predicateType, row.envelope, receiptText(receipt), row.receivedAt, row.source],
      );
      const subjects = [...new Set(row.subjects)];
      if (subjects.length > 0) {
        await conn.run(`INSERT INTO attestation_subjects(sha256, envelope_sha256) VALUES ${subjects.map(() => '(?, ?)').join(', ')}`, subjects.flatMap((s) => [s, row.envelopeSha256]));
      }
      await conn.run('INSERT INTO attestation_replay(key_id, payload_sha256, envelope_sha256) VALUES (?, ?, ?)', [row.keyId, row.payloadSha256, row.envelopeSha256]);
    },
    async insertAttestations(items) {
      // The statements go out together (one connection runs them in this order: rows, then what
      // references them). 9 parameters per row: 100 rows stay far below both engines' limits.
      const subjects: (readonly [string, string])[] = [];
      for (const { row } of items) for (const s of new Set(row.subjects)) subjects.push([s, row.envelopeSha256]);
      const checkpoint = checkpointJson();
      await Promise.all([
        runInChunks(conn, items, 100, (chunk) => {
          const params: SqlValue[] = [];
          for (const { row, receipt, logIndex } of chunk) {
            params.push(row.envelopeSha256, logIndex, row.keyId, row.sequence, row.predicateType, row.envelope, receiptText(receipt, checkpoint(receipt.checkpoint)), row.receivedAt, row.source);
          }
          return [`INSERT INTO attestations(envelope_sha256, log_index, key_id, sequence, predicate_type, envelope, receipt, received_at, source) VALUES ${valuesList(chunk.length, 9)}`, params];
        }),
        runInChunks(conn, items, 300, (chunk) => {
          const params: SqlValue[] = [];
          for (const { row } of chunk) params.push(row.keyId, row.payloadSha256, row.envelopeSha256);
          return [`INSERT INTO attestation_replay(key_id, payload_sha256, envelope_sha256) VALUES ${valuesList(chunk.length, 3)}`, params];
        }),
        runInChunks(conn, subjects, 500, (chunk) => [`INSERT INTO attestation_subjects(sha256, envelope_sha256) VALUES ${valuesList(chunk.length, 2)}`, chunk.flat()]),
      ]);
    },
    async setLastSequences(sequences) {
      // CAST: PostgreSQL types a bare CASE of parameters as text, which a BIGINT column refuses.
      await runInChunks(conn, sequences, 200, (chunk) => sequenceUpdate(chunk, 'CAST(? AS BIGINT)'));
    },
    async insertKey(key) {
      await conn.run(`INSERT INTO enrolled_keys(${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        key.keyId,
        key.publicKey,
        key.role,
        key.workstationId,
        key.subject,
        key.logOrigin,
        key.enrolledAt,
        key.revokedAt,
        key.lastSequence,
      ]);
    },
    async revokeKey(keyId, at) {
      await conn.run('UPDATE enrolled_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL', [at, keyId]);
    },
    async releaseLogOrigin(keyId) {
      await conn.run('UPDATE enrolled_keys SET log_origin = NULL WHERE key_id = ? AND revoked_at IS NOT NULL', [keyId]);
    },
    async insertReadToken(tokenSha256, role, at) {
      await conn.run('INSERT INTO read_tokens(token_sha256, role, created_at, revoked_at) VALUES (?, ?, ?, NULL)', [tokenSha256, role, at]);
    },
    witnessState: (origin) => witnessStateOf(conn, origin),
    async setWitnessState(state) {
      await conn.run(
        'INSERT INTO witness_state(origin, size, root_hash, checkpoint, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root_hash = excluded.root_hash, checkpoint = excluded.checkpoint, updated_at = excluded.updated_at',
        [state.origin, state.size, state.rootHash, state.checkpoint, state.updatedAt],
      );
    },
  };
}

export async function createServerStore(driver: SqlDriver): Promise<ServerStore> {
  await driver.exec(SCHEMA(driver.dialect === 'postgres' ? 'BYTEA' : 'BLOB'));
  const reader = driver.reader;
  const count = async (sql: string) => asNumber((await reader.all(sql))[0]?.n ?? 0);
  return {
    kind: driver.dialect,
    async keysById(keyIds) {
      if (keyIds.length === 0) return [];
      const rows = await reader.all(`SELECT ${KEY_COLUMNS} FROM enrolled_keys WHERE key_id IN (${keyIds.map(() => '?').join(', ')})`, [...keyIds]);
      return rows.map(keyFromRow);
    },
    async allKeys() {
      return (await reader.all(`SELECT ${KEY_COLUMNS} FROM enrolled_keys ORDER BY enrolled_at, key_id`)).map(keyFromRow);
    },
    async keyByOrigin(origin) {
      const rows = await reader.all(`SELECT ${KEY_COLUMNS} FROM enrolled_keys WHERE log_origin = ?`, [origin]);
      return rows[0] ? keyFromRow(rows[0]) : null;
    },
    async readTokenRole(tokenSha256) {
      const rows = await reader.all('SELECT role FROM read_tokens WHERE token_sha256 = ? AND revoked_at IS NULL', [tokenSha256]);
      return rows[0] ? asString(rows[0].role) : null;
    },
    witnessState: (origin) => witnessStateOf(reader, origin),
    async findReceipt(envelopeSha256) {
      const rows = await reader.all('SELECT receipt FROM attestations WHERE envelope_sha256 = ?', [envelopeSha256]);
      return rows[0] ? parseReceipt(asString(rows[0].receipt)) : null;
    },
    async attestationsBySubject(sha256Hex, limit) {
      const rows = await reader.all(
        'SELECT a.envelope, a.receipt FROM attestation_subjects s JOIN attestations a ON a.envelope_sha256 = s.envelope_sha256 WHERE s.sha256 = ? ORDER BY a.log_index LIMIT ?',
        [sha256Hex, limit],
      );
      return rows.map((r) => ({ envelope: asString(r.envelope), receipt: parseReceipt(asString(r.receipt)) }));
    },
    async attestationsByType(predicateType, after, limit) {
      const rows = await reader.all('SELECT envelope, receipt, received_at FROM attestations WHERE predicate_type = ? AND log_index > ? ORDER BY log_index LIMIT ?', [predicateType, after, limit]);
      return rows.map((r) => ({ envelope: asString(r.envelope), receipt: parseReceipt(asString(r.receipt)), receivedAt: asNumber(r.received_at) }));
    },
    async head() {
      return headFromRow((await reader.all('SELECT size, compact_range, checkpoint FROM log_head WHERE id = 1'))[0]);
    },
    getNodes: (keys) => fetchNodes(reader, keys),
    async counts() {
      return {
        attestations: await count('SELECT COUNT(*) AS n FROM attestations'),
        subjects: await count('SELECT COUNT(*) AS n FROM attestation_subjects'),
        leaves: await count('SELECT COUNT(*) AS n FROM log_nodes WHERE level = 0'),
        nodes: await count('SELECT COUNT(*) AS n FROM log_nodes'),
        keys: await count('SELECT COUNT(*) AS n FROM enrolled_keys'),
        revoked: await count('SELECT COUNT(*) AS n FROM enrolled_keys WHERE revoked_at IS NOT NULL'),
        witnessed: await count('SELECT COUNT(*) AS n FROM witness_state'),
      };
    },
    transaction: (fn) => driver.transaction((conn) => fn(txOf(conn, driver.forUpdate))),
    close: () => driver.close(),
  };
}

