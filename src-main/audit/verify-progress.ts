/**
 * A verification's progress, saved as it goes so that one stopped half way (the app closed, the vault
 * locked, rwctl interrupted) resumes where it stood instead of starting over (see ARCHITECTURE: access
 * log, "Resuming a verification"). One row in `audit-verify.db` beside audit.db, a SQLCipher database
 * under audit.db's own key: encrypted as the log is, and written on a connection of its own, so saving
 * never takes the log's write lock from the app appending leaves (whose connection does not wait).
 *
 * What is saved is where the run stood after a batch of leaves with nothing wrong so far: the leaf count
 * N, the compact range (frontier) of the tree rebuilt over leaves 0..N-1, the rebuilt root at each
 * checkpoint size below N, the last timestamp, and the console's aggregates counted so far. Whoever holds
 * audit.db's key can forge it; what that buys is stated in ARCHITECTURE and in every resumed report: the
 * root the run ends with is the frontier extended by leaves N.. as read now, so a forged frontier cannot
 * make it equal a signed or witnessed checkpoint, while leaves below N count as verified when the earlier
 * run read them. Anything that does not fit (another log, another size, a frontier the stored tree does
 * not hold, a shape that does not parse) means a full verification, and so does any problem the
 * resumed run finds.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as v8 from 'node:v8';
import type { Database } from '@signalapp/sqlcipher';
import { compactRangeNodes, type CompactRange } from '../../src-shared/node/compact-range';
import { bytesEqual } from '../../src-shared/encoding';
import { openEncryptedDb } from '../vault/encrypted-db';
import { isTallyState, type TallyState } from './aggregate-tally';
import type { ProgressPoint } from './verify-log';
import type { MerkleNodeSource } from '../../src-shared/node/merkle';

/**
 * Format of the saved value; another one is not read (a full verification instead). 2: the tally's
 * dwell counts a view's close only (audit migration 7), so a tally saved before would not match.
 */
const VERSION = 2;

export interface SavedProgress {
  point: ProgressPoint;
  /** The aggregates over leaves 0..N-1, when the run counted them. */
  tally: TallyState | null;
  /** When the run that saved it began (UTC ms): the time the report gives for leaves 0..N-1. */
  startedAt: number;
}

export interface ProgressStore {
  /** The saved progress, or null when there is none or it does not parse into the expected shape. */
  load(): SavedProgress | null;
  /**
   * Replaces what is saved. `turnsFrom`: the tally's turns are those from that turn on, the ones before
   * being what the store already holds from this run's previous save (or the save it resumed).
   */
  save(progress: SavedProgress, turnsFrom?: number): void;
  clear(): void;
  close(): void;
}

/** The file beside audit.db. */
export function progressPath(auditPath: string): string {
  return join(dirname(auditPath), 'audit-verify.db');
}

/**
 * The store for the audit.db at `auditPath`, keyed with its key (the caller keeps and zeroes `key`), or
 * null when it cannot be opened or created here (verification then simply saves nothing). A file that
 * does not open under the key (left from a key since changed, or damaged) is replaced: it only ever
 * held progress.
 */
export function openProgressStore(auditPath: string, key: Uint8Array): ProgressStore | null {
  const path = progressPath(auditPath);
  let db: Database;
  try {
    db = openOrReplace(path, key);
    // The turns go in chunks, each save adding those counted since the last: a million leaves can make
    // 24 MB of them, which a save every few seconds must not write again. Without an fsync per commit
    // (WAL keeps commits atomic): a power cut may lose the last save, which costs only a longer run.
    db.exec(`
      PRAGMA synchronous = NORMAL;
      CREATE TABLE IF NOT EXISTS verify_progress(id INTEGER PRIMARY KEY CHECK (id = 1), state BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS verify_turns(start INTEGER PRIMARY KEY, turns BLOB NOT NULL);
    `);
  } catch {
    return null;
  }
  const read = db.prepare('SELECT state FROM verify_progress WHERE id = 1');
  const readTurns = db.prepare('SELECT start, turns FROM verify_turns ORDER BY start');
  const write = db.prepare('INSERT OR REPLACE INTO verify_progress(id, state) VALUES (1, ?)');
  const dropTurns = db.prepare('DELETE FROM verify_turns WHERE start >= ?');
  const addTurns = db.prepare('INSERT INTO verify_turns(start, turns) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM verify_progress');
  return {
    load() {
      try {
        const bytes = read.get()?.['state'];
        if (!(bytes instanceof Uint8Array)) return null;
        const value: unknown = v8.deserialize(bytes);
        const turnCount = (value as { turnCount?: unknown } | null)?.turnCount;
        const turns = Number.isSafeInteger(turnCount) ? joinTurns(readTurns.all(), turnCount as number) : null;
        if (!turns) return null;
        const tally = (value as { tally?: unknown }).tally;
        if (typeof tally === 'object' && tally !== null) (tally as { turns: unknown }).turns = turns;
        return parseProgress(value);
      } catch {
        return null;
      }
    },
    save(progress, turnsFrom = 0) {
      const { point, tally, startedAt } = progress;
      const turnCount = tally ? turnsFrom + tally.turns.length / 3 : 0;
      const row = v8.serialize({ version: VERSION, startedAt, ...point, tally: tally ? { ...tally, turns: new Float64Array(0) } : null, turnCount });
      inTransaction(db, () => {
        dropTurns.run([tally ? turnsFrom : 0]);
        if (tally && tally.turns.length > 0) addTurns.run([turnsFrom, new Uint8Array(tally.turns.buffer as ArrayBuffer, tally.turns.byteOffset, tally.turns.byteLength)]);
        write.run([row]);
      });
    },
    clear() {
      inTransaction(db, () => {
        remove.run();
        dropTurns.run([0]);
      });
    },
    close() {
      db.close();
    },
  };
}

function inTransaction(db: Database, fn: () => void): void {
  db.exec('BEGIN');
  try {
    fn();
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

/** The saved turns, chunk after chunk from turn 0 with no gap, exactly `count` of them; else null. */
function joinTurns(rows: Record<string, unknown>[], count: number): Float64Array | null {
  const turns = new Float64Array(3 * count);
  const bytes = new Uint8Array(turns.buffer);
  let at = 0;
  for (const r of rows) {
    const chunk = r['turns'];
    if (Number(r['start']) !== at / 24 || !(chunk instanceof Uint8Array) || chunk.byteLength % 24 !== 0 || at + chunk.byteLength > bytes.byteLength) return null;
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return at === bytes.byteLength ? turns : null;
}

function openOrReplace(path: string, key: Uint8Array): Database {
  if (existsSync(path)) {
    try {
      return openEncryptedDb(path, key);
    } catch {
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) unlinkSync(path + suffix);
    }
  }
  return openEncryptedDb(path, key, { create: true });
}

const isHash = (v: unknown): v is Uint8Array => v instanceof Uint8Array && v.byteLength === 32;

function isRange(v: unknown): v is CompactRange {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const size = r['size'];
  const hashes = r['hashes'];
  if (!Number.isSafeInteger(size) || (size as number) < 0 || !Array.isArray(hashes) || !hashes.every(isHash)) return false;
  let bits = 0;
  for (let n = size as number; n > 0; n = Math.floor(n / 2)) bits += n % 2;
  return hashes.length === bits;
}

/** The saved value back, only when every part has the shape verification relies on. */
function parseProgress(value: unknown): SavedProgress | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const roots = v['roots'];
  const ok =
    v['version'] === VERSION &&
    Number.isSafeInteger(v['startedAt']) &&
    typeof v['workstationId'] === 'string' &&
    isHash(v['devicePublicKey']) &&
    typeof v['leafContents'] === 'boolean' &&
    isRange(v['range']) &&
    typeof v['prevTs'] === 'number' &&
    roots instanceof Map &&
    [...roots].every(([size, root]) => Number.isSafeInteger(size) && size >= 0 && size <= (v['range'] as CompactRange).size && isHash(root)) &&
    (v['tally'] === null || isTallyState(v['tally']));
  if (!ok) return null;
  return {
    point: {
      workstationId: v['workstationId'] as string,
      devicePublicKey: v['devicePublicKey'] as Uint8Array,
      leafContents: v['leafContents'] as boolean,
      range: v['range'] as CompactRange,
      prevTs: v['prevTs'] as number,
      roots: roots as Map<number, Uint8Array>,
    },
    tally: v['tally'] as TallyState | null,
    startedAt: v['startedAt'] as number,
  };
}

/**
 * Whether the log's stored tree holds the saved frontier: each of its perfect subtrees is a stored node
 * (a leaf hash for the smallest). Cheap (one lookup per set bit of N), and it turns away a state saved
 * for another log, for another size, or before the stored tree was rewritten. It does not prove the
 * leaves below N unchanged since: reading them is what resuming saves.
 */
export function frontierIsStored(range: CompactRange, nodes: MerkleNodeSource): boolean {
  try {
    return compactRangeNodes(range).every(([level, index, hash]) => bytesEqual(nodes.getNode(level, index), hash));
  } catch {
    return false;
  }
}
