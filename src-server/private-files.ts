/**
 * Secrets of the server (its Ed25519 key, the policy key, the config with the admin token's hash) live in
 * owner-only files, written atomically (write, fsync, rename) so a crash never leaves half a key behind,
 * and refused when another account could read them (like ssh with private keys).
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { RwError } from '../src-shared/errors';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

export function writePrivateFile(path: string, bytes: Uint8Array | string, options: { overwrite?: boolean } = {}): void {
  if (!options.overwrite && existsSync(path)) throw new RwError('CONFLICT', 'The file already exists; refusing to overwrite it.');
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    let offset = 0;
    while (offset < data.byteLength) offset += writeSync(fd, data, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, PRIVATE_FILE_MODE);
  renameSync(tmp, path);
}

/** Reads an owner-only file; refuses one that group or others can read (on platforms with POSIX modes). */
export function readPrivateFile(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new RwError('NOT_FOUND', `The server's ${what} is missing from the data folder.`);
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new RwError('DENIED', `The server's ${what} file is readable by other users; refusing to use it (chmod 600).`);
  }
  return new Uint8Array(readFileSync(path));
}
