/**
 * Opens a SQLCipher 4 database under a raw 256-bit data key. The key comes from a key slot (our own
 * Argon2id sits in front of it), so `PRAGMA key = "x'<hex>'"` skips SQLCipher's PBKDF2 (DESIGN §4).
 * Reading sqlite_master proves the key before anything else runs.
 */
import { existsSync } from 'node:fs';
import { Database } from '@signalapp/sqlcipher';
import { toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { createEmptyPrivateFile } from './vault-files';

export interface OpenOptions {
  /** Create a new, empty database (refused if the file exists). */
  create?: boolean;
  /**
   * A second, read-only connection beside the writer's (the audit worker's): query_only refuses every
   * write, and the journal mode is left as the writer set it.
   */
  readOnly?: boolean;
  /** Page cache in KiB (SQLite's default is 2 MiB); see CONTENT_CACHE_KIB. */
  cacheKiB?: number;
}

/**
 * The content database's page cache. SQLCipher decrypts and authenticates every page it reads that is
 * not in the cache, and a search walks long FTS5 doclists (a common word is in a third of the units):
 * with the default 2 MiB each query decrypted the same pages again (measured, 100 queries on a 200 MB
 * corpus, CPU time: p95 48 ms with 2 MiB, 33-35 with 64 MiB, 30 with 128 MiB, 27 with 256 MiB). It
 * fills only as pages are read, so a small vault uses little of it. The cache is memory of the main
 * process, which holds the plaintext it shows anyway; nothing more reaches the disk.
 */
export const CONTENT_CACHE_KIB = 128 * 1024;

export function openEncryptedDb(path: string, key: Uint8Array, options: OpenOptions = {}): Database {
  if (key.byteLength !== 32) throw new RwError('INTERNAL', 'A database key is 32 bytes.');
  if (options.create) {
    if (existsSync(path)) throw new RwError('VAULT_EXISTS', 'The database already exists.');
    createEmptyPrivateFile(path);
  } else if (!existsSync(path)) {
    throw new RwError('VAULT_DAMAGED', 'A vault database is missing.');
  }
  const db = new Database(path);
  try {
    // The hex string cannot be zeroed (JS strings are immutable); it lives only for this statement.
    db.exec(`PRAGMA key = "x'${toHex(key)}'"`);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch {
    db.close();
    // The key came out of an authenticated slot, so a refusal here means the file was damaged or swapped.
    throw new RwError('VAULT_DAMAGED', 'A vault database cannot be opened with its key; it is damaged or was replaced.');
  }
  if (options.readOnly) {
    try {
      // temp_store MEMORY as for the writer: sorts and groups over a million leaves spill no plaintext.
      db.exec('PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA trusted_schema = OFF;');
    } catch {
      db.close();
      throw new RwError('INTERNAL', 'The vault database could not be configured.');
    }
    return db;
  }
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') throw new Error('journal mode');
    // FULL: a committed note or log entry survives power loss. secure_delete: freed pages are zeroed
    // (defence in depth under the page encryption). temp_store MEMORY: no plaintext temp files.
    db.exec('PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;');
    if (options.cacheKiB !== undefined) db.exec(`PRAGMA cache_size = -${Math.floor(options.cacheKiB)}`);
  } catch {
    db.close();
    throw new RwError('INTERNAL', 'The vault database could not be configured.');
  }
  return db;
}
