/**
 * Import throughput and memory (issue 3, point 8). Run: npx tsx bench/import.ts [--mib 1024]
 *
 * Generates a package in a temp folder (one 512 MiB file plus many small files; 1 GiB in total by
 * default) with a fast PRNG, signs it, imports it into a fresh SQLCipher content.db, then measures the
 * raw limit in the same run: the same bytes inserted as 1 MiB chunk rows into a fresh SQLCipher database
 * in one transaction, with no reading, hashing or checking. Prints MiB/s for both, their ratio (target
 * >= 0.7) and the peak RSS (target <= 300 MB). Cleans up after itself. Figures only, no assertions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPair, publicKeyOf, randomBytes } from '../src-shared/crypto';
import { CHUNK_BYTES, importPackageDetailed } from '../src-main/artifacts/import-package';
import { signPackage } from '../src-main/artifacts/sign-package';
import { openEncryptedDb } from '../src-main/vault/encrypted-db';
import { runMigrations } from '../src-main/vault/migrations';
import { CONTENT_MIGRATIONS } from '../src-main/vault/content-schema';

const MiB = 1024 * 1024;
const argMib = process.argv.indexOf('--mib');
const totalMiB = argMib > 0 ? Number(process.argv[argMib + 1]) : 1024;
const bigMiB = Math.floor(totalMiB / 2);
const smallFileBytes = 256 * 1024;
const smallCount = Math.floor(((totalMiB - bigMiB) * MiB) / smallFileBytes);

/** xorshift128: a few ns per word, plenty for incompressible-looking test data. */
function prng(seed: number) {
  let x = seed | 0 || 1;
  let y = 362436069;
  let z = 521288629;
  let w = 88675123;
  return (out: Uint32Array) => {
    for (let i = 0; i < out.length; i++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      out[i] = w;
    }
  };
}

function writeRandomFile(file: string, bytes: number, fill: (out: Uint32Array) => void, buffer: Uint32Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let left = bytes;
    while (left > 0) {
      fill(buffer);
      const n = Math.min(left, buffer.byteLength);
      fs.writeSync(fd, new Uint8Array(buffer.buffer, 0, n));
      left -= n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function freshContentDb(dir: string) {
  const db = openEncryptedDb(path.join(dir, 'content.db'), randomBytes(32), { create: true });
  runMigrations(db, CONTENT_MIGRATIONS, () => Date.now());
  return db;
}

const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-import-'));
  try {
    const pkg = path.join(root, 'package');
    fs.mkdirSync(path.join(pkg, 'logs'), { recursive: true });
    const buffer = new Uint32Array(MiB / 4);
    const fill = prng(0x5eed);
    let t = performance.now();
    fs.writeFileSync(
      path.join(pkg, 'submission.json'),
      JSON.stringify({ model: 'Bench', developer: 'Bench Lab', version: '1', submitted_at: '2026-11-28T00:00:00Z', release_date: '2027-01-01', review_deadline: '2026-12-20' }),
    );
    writeRandomFile(path.join(pkg, 'weights-eval-dump.bin'), bigMiB * MiB, fill, buffer);
    for (let i = 0; i < smallCount; i++) writeRandomFile(path.join(pkg, 'logs', `run-${String(i).padStart(5, '0')}.bin`), smallFileBytes, fill, buffer);
    const totalBytes = bigMiB * MiB + smallCount * smallFileBytes;
    console.log(`generated ${(totalBytes / MiB).toFixed(0)} MiB (1 x ${bigMiB} MiB + ${smallCount} x ${smallFileBytes / 1024} KiB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const key = generateKeyPair('ecdsa-p384');
    t = performance.now();
    await signPackage(pkg, key);
    console.log(`signed (hashing every file) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const rssBefore = rssMiB();
    const vaultDir = path.join(root, 'vault');
    fs.mkdirSync(vaultDir);
    const db = freshContentDb(vaultDir);
    t = performance.now();
    const result = await importPackageDetailed({ contentDb: db, source: pkg, trustedKeys: [publicKeyOf(key)], clock: () => Date.now() });
    const importMs = performance.now() - t;
    db.close();
    const rssAfterImport = rssMiB();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    console.log(`import: ${result.artifactCount} artifacts, ${(result.totalBytes / MiB).toFixed(0)} MiB in ${(importMs / 1000).toFixed(1)} s = ${mibps(result.totalBytes, importMs).toFixed(1)} MiB/s`);
    console.log(`peak RSS: ${rssBefore.toFixed(0)} MiB before import, ${rssAfterImport.toFixed(0)} MiB after (target <= 300 MB)`);

    // Raw limit: the same number of bytes (same PRNG stream), same chunk size, same cipher, one transaction.
    const rawDir = path.join(root, 'raw');
    fs.mkdirSync(rawDir);
    const raw = freshContentDb(rawDir);
    const rawFill = prng(0x5eed);
    const chunk = new Uint32Array(CHUNK_BYTES / 4);
    raw.exec("INSERT INTO cases VALUES ('c', 'm', 'd', 'v', 's', 'r', 'x', 'p', 'k', 0, '{}')");
    raw.exec("INSERT INTO artifacts VALUES ('a', 'c', 'p', 0, 's', 'm', 0)");
    const insert = raw.prepare('INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (?, ?, ?)');
    const chunks = Math.ceil(totalBytes / CHUNK_BYTES);
    t = performance.now();
    raw.exec('BEGIN IMMEDIATE');
    for (let seq = 0; seq < chunks; seq++) {
      rawFill(chunk);
      insert.run(['a', seq, new Uint8Array(chunk.buffer)]);
    }
    raw.exec('COMMIT');
    const rawMs = performance.now() - t;
    raw.close();
    // The raw loop's PRNG fill is part of its time; subtract it (measured alone) so the raw figure is the database's.
    const fillStart = performance.now();
    for (let i = 0; i < chunks; i++) rawFill(chunk);
    const fillMs = performance.now() - fillStart;
    const rawNetMs = Math.max(1, rawMs - fillMs);
    const importRate = mibps(totalBytes, importMs);
    const rawRate = mibps(chunks * CHUNK_BYTES, rawNetMs);
    console.log(`raw SQLCipher chunked insert: ${chunks} x 1 MiB in ${(rawNetMs / 1000).toFixed(1)} s = ${rawRate.toFixed(1)} MiB/s (PRNG time ${(fillMs / 1000).toFixed(1)} s excluded)`);
    console.log(`ratio import / raw: ${(importRate / rawRate).toFixed(2)} (target >= 0.7)`);
    console.log(`peak RSS over the whole run: ${rssMiB().toFixed(0)} MiB`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
