/**
 * Where a vault's files live and how they are written. The folder is 0700 and every file 0600 so that
 * another local account cannot even read the ciphertext (DESIGN §2: thief and other users of the
 * laptop). Small files are replaced atomically (write, fsync, rename) so a crash never leaves half a
 * key-slot file behind.
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RwError } from '../../src-shared/errors';

export interface VaultPaths {
  dir: string;
  slots: string;
  content: string;
  audit: string;
  deviceKey: string;
  unlockState: string;
}

export function vaultPaths(dir: string): VaultPaths {
  return {
    dir,
    slots: join(dir, 'slots.json'),
    content: join(dir, 'content.db'),
    audit: join(dir, 'audit.db'),
    deviceKey: join(dir, 'device.key'),
    unlockState: join(dir, 'unlock-state.json'),
  };
}

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates the folder (or tightens an existing, empty-enough one) with owner-only access. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  // mkdir honours the umask and leaves an existing folder alone: set the mode explicitly.
  chmodSync(dir, DIR_MODE);
}

/** Writes a whole file with owner-only permissions, replacing any previous version atomically. */
export function writePrivateFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  if (existsSync(tmp)) unlinkSync(tmp);
  const fd = openSync(tmp, 'wx', FILE_MODE);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, FILE_MODE);
  renameSync(tmp, path);
  syncDir(dirname(path));
}

/** Makes a rename durable: the new directory entry reaches the disk, not only the file's data. */
function syncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates an empty owner-only file; SQLite treats a zero-length file as a new database and gives its
 * -wal and -shm files the same permissions as the database file. */
export function createEmptyPrivateFile(path: string): void {
  const fd = openSync(path, 'wx', FILE_MODE);
  closeSync(fd);
  chmodSync(path, FILE_MODE);
}

export function readFileOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RwError('INTERNAL', 'A vault file could not be read.');
  }
}

/** True when group or others hold any permission on the file (POSIX only; Windows has no mode bits). */
export function isShared(path: string): boolean {
  if (process.platform === 'win32') return false;
  return (statSync(path).mode & 0o077) !== 0;
}
