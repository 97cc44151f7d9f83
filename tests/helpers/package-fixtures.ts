/**
 * Test fixtures for submission packages: temp folders, a real keyed content.db (vault API), signed
 * packages, and a hand-written zip writer for archives yazl refuses to produce (encrypted flag, symlink
 * modes, duplicate names, lying sizes, overlapping entries, truncation).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Database } from '@signalapp/sqlcipher';
import { randomBytes, sha256, type PrivateKey } from '../../src-shared/node/crypto';
import { toHex, utf8 } from '../../src-shared/encoding';
import { buildSignatureBundle, DEFAULT_IGNORE_PATHS } from '../../src-main/artifacts/oms-signature';
import { openEncryptedDb } from '../../src-main/vault/encrypted-db';
import { runMigrations } from '../../src-main/vault/migrations';
import { CONTENT_MIGRATIONS } from '../../src-main/vault/content-schema';

// Captured once: tests point TMPDIR at a watched, empty folder while importing, and their own fixtures
// must not land there.
const BASE_TMP = os.tmpdir();

export function tempDir(prefix = 'rw-pkg-'): string {
  return fs.mkdtempSync(path.join(BASE_TMP, prefix));
}

export interface TestContentDb {
  db: Database;
  dir: string;
  file: string;
  key: Uint8Array;
  reopen(): Database;
}

/** A real SQLCipher content.db with the vault's schema, in its own folder (the "vault folder"). */
export function openTestContentDb(dir = tempDir('rw-vault-')): TestContentDb {
  const key = randomBytes(32);
  const file = path.join(dir, 'content.db');
  const db = openEncryptedDb(file, key, { create: true });
  runMigrations(db, CONTENT_MIGRATIONS, () => 0);
  return { db, dir, file, key, reopen: () => openEncryptedDb(file, key) };
}

export function countRows(db: Database, table: 'cases' | 'artifacts' | 'artifact_chunks'): number {
  const row = db.prepare(`SELECT count(*) AS n FROM ${table}`).get();
  return Number(row?.n);
}

export const SUBMISSION = {
  model: 'Test-1',
  developer: 'Example Lab',
  version: '1.0.0',
  submitted_at: '2026-11-20T09:00:00Z',
  release_date: '2026-12-30',
  review_deadline: '2026-12-20',
};

export function submissionBytes(overrides: Record<string, unknown> = {}): Uint8Array {
  return utf8(JSON.stringify({ ...SUBMISSION, ...overrides }, null, 2));
}

export type FileMap = Record<string, string | Uint8Array>;

export function asBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? utf8(content) : content;
}

export function digestOf(content: string | Uint8Array): string {
  return toHex(sha256(asBytes(content)));
}

/** model.sig bytes listing exactly these names and contents (names unchecked: hostile ones too). */
export function signatureFor(files: FileMap, key: PrivateKey, ignorePaths: readonly string[] = DEFAULT_IGNORE_PATHS): Uint8Array {
  const resources = Object.entries(files).map(([name, content]) => ({ name, sha256: digestOf(content) }));
  return buildSignatureBundle({ modelName: 'test-package', resources, ignorePaths, privateKey: key });
}

/** Writes the files into `dir` (creating folders) without signing. */
export function writeFiles(dir: string, files: FileMap): void {
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, asBytes(content));
  }
}

// ---- Hand-written zip archives (APPNOTE.TXT 4.3) ----

export interface HandEntry {
  name: string | Uint8Array;
  data?: Uint8Array | string;
  /** 0 stored (default), 8 deflate. */
  method?: 0 | 8;
  flags?: number;
  /** Unix mode (type and permission bits) stored in the external attributes' high 16 bits. */
  mode?: number;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
  extra?: Uint8Array;
  /** Point this central record at another entry's local header (overlapping entries). */
  sameDataAs?: number;
  /** Write this compression method number in the headers (data stays stored). */
  methodNumber?: number;
  /** A different name in the local header only (central/local name confusion). */
  localName?: string;
  /** Flags for the local header only. */
  localFlags?: number;
}

const S_IFREG = 0o100000;

export function handZip(entries: HandEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  entries.forEach((entry, index) => {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : Buffer.from(entry.name);
    const data = Buffer.from(asBytes(entry.data ?? ''));
    const method = entry.method ?? 0;
    const packed = method === 8 ? zlib.deflateRawSync(data) : data;
    // Traditional PKWARE encryption prefixes a 12-byte header to the (here unencrypted) data.
    const body = (entry.flags ?? 0) & 0x1 ? Buffer.concat([Buffer.alloc(12, 0x5a), packed]) : packed;
    const crc = zlib.crc32(data);
    const usize = entry.declaredSize ?? data.byteLength;
    const csize = method === 0 && entry.declaredSize !== undefined ? entry.declaredSize : body.byteLength;

    const extra = Buffer.from(entry.extra ?? new Uint8Array(0));
    const flags = (entry.flags ?? 0) | 0x800;
    const methodNumber = entry.methodNumber ?? method;
    let localOffset = offset;
    if (entry.sameDataAs !== undefined) {
      localOffset = offsets[entry.sameDataAs] as number;
    } else {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE((entry.localFlags ?? 0) | flags, 6);
      local.writeUInt16LE(methodNumber, 8);
      local.writeUInt16LE(0, 10);
      local.writeUInt16LE(0x21, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(csize, 18);
      local.writeUInt32LE(usize, 22);
      const localName = entry.localName === undefined ? name : Buffer.from(entry.localName, 'utf8');
      local.writeUInt16LE(localName.byteLength, 26);
      local.writeUInt16LE(extra.byteLength, 28);
      const chunk = Buffer.concat([local, localName, extra, body]);
      locals.push(chunk);
      offset += chunk.byteLength;
    }
    offsets[index] = localOffset;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(methodNumber, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(csize, 20);
    central.writeUInt32LE(usize, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt16LE(extra.byteLength, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(((entry.mode ?? S_IFREG | 0o644) << 16) >>> 0, 38);
    central.writeUInt32LE(localOffset, 42);
    centrals.push(Buffer.concat([central, name, extra]));
  });
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.byteLength, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Every file under `dir`, recursively (for "nothing written outside the vault" checks). */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** True when any file under `dir` contains `marker` (as raw bytes). */
export function anyFileContains(dir: string, marker: string): string | null {
  const needle = Buffer.from(marker, 'utf8');
  for (const file of listFilesRecursive(dir)) {
    if (fs.readFileSync(file).includes(needle)) return file;
  }
  return null;
}
