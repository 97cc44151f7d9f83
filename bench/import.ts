/**
 * Import throughput and memory. Run: npx tsx bench/import.ts [--mib 1024] [--json]
 *
 * Generates a package in a temp folder (one 512 MiB file plus many small files; 1 GiB in total by
 * default) with the OS random generator, signs it, imports it into a fresh SQLCipher content.db, then measures the
 * raw limit in the same run: as many bytes inserted as 1 MiB chunk rows into a fresh SQLCipher content.db
 * in one transaction, with no reading, hashing or checking (half before the import, half after). Prints MiB/s for both, their ratio (target
 * >= 0.8), the import's phases (storing, search indexing, commit) and the peak RSS (target <= 300 MB).
 * With --text the small files are JSON Lines evaluation transcripts instead of random bytes (half the
 * package is then text that gets a row index and search units in the import's transaction), to show
 * what indexing costs; the default package has no text, so its ratio is about storing.
 * Cleans up after itself. Figures only, no assertions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPair, publicKeyOf, randomBytes } from '../src-shared/node/crypto';
import { CHUNK_BYTES, importPackageDetailed } from '../src-main/artifacts/import-package';
import { signPackage } from '../src-main/artifacts/sign-package';
import { openEncryptedDb } from '../src-main/vault/encrypted-db';
import { runMigrations } from '../src-main/vault/migrations';
import { CONTENT_MIGRATIONS } from '../src-main/vault/content-schema';
import { numberOption, printJsonResult } from './bench-result';

const MiB = 1024 * 1024;
const totalMiB = numberOption('mib', 1024);
const bigMiB = Math.floor(totalMiB / 2);
const smallFileBytes = 256 * 1024;
const smallCount = Math.floor(((totalMiB - bigMiB) * MiB) / smallFileBytes);
const textLogs = process.argv.includes('--text');

/** Random fill from the OS DRBG (AES/ChaCha in OpenSSL): far faster than a JS PRNG, and incompressible. */
function fill(out: Uint8Array): void {
  out.set(randomBytes(out.byteLength));
}

function writeRandomFile(file: string, bytes: number, buffer: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    let left = bytes;
    while (left > 0) {
      fill(buffer);
      const n = Math.min(left, buffer.byteLength);
      fs.writeSync(fd, buffer.subarray(0, n));
      left -= n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

const WORDS = ['model', 'evaluation', 'refusal', 'jailbreak', 'score', 'benchmark', 'capability', 'uplift', 'sample', 'transcript', 'assistant', 'tool', 'policy', 'harm'];

/** `bytes` of JSON Lines (one transcript per line, words drawn at random; the last line padded to fit). */
function transcriptLog(bytes: number): string {
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join(' ');
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${JSON.stringify({ id: i, input: words(20), output: words(40), score: Math.random() })}\n`;
  const cut = text.lastIndexOf('\n', bytes - 1) + 1;
  return text.slice(0, cut).padEnd(bytes - 1, ' ') + '\n';
}

function freshContentDb(dir: string) {
  const db = openEncryptedDb(path.join(dir, 'content.db'), randomBytes(32), { create: true });
  runMigrations(db, CONTENT_MIGRATIONS, () => Date.now());
  return db;
}

/**
 * The raw limit: `chunks` 1 MiB rows into artifact_chunks of a fresh content.db (same driver, cipher,
 * pragmas and schema as the vault), one transaction, no reading, hashing or checking. Random chunks are
 * made before the clock starts. Returns milliseconds.
 */
function rawInsert(root: string, chunks: number): number {
  const dir = fs.mkdtempSync(path.join(root, 'raw-'));
  const raw = freshContentDb(dir);
  try {
    const pool = Array.from({ length: 8 }, () => randomBytes(CHUNK_BYTES) as Uint8Array<ArrayBuffer>);
    raw.exec("INSERT INTO cases VALUES ('c', 'm', 'd', 'v', 's', 'r', 'x', 'p', 'k', 0, '{}')");
    raw.exec("INSERT INTO artifacts VALUES ('a', 'c', 'p', 0, 's', 'm', 0)");
    const insert = raw.prepare('INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (?, ?, ?)');
    const t = performance.now();
    raw.exec('BEGIN IMMEDIATE');
    for (let seq = 0; seq < chunks; seq++) insert.run(['a', seq, pool[seq % pool.length] as Uint8Array<ArrayBuffer>]);
    raw.exec('COMMIT');
    return performance.now() - t;
  } finally {
    raw.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mibps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-import-'));
  try {
    const pkg = path.join(root, 'package');
    fs.mkdirSync(path.join(pkg, 'logs'), { recursive: true });
    const buffer = new Uint8Array(MiB);
    let t = performance.now();
    fs.writeFileSync(
      path.join(pkg, 'submission.json'),
      JSON.stringify({ model: 'Bench', developer: 'Bench Lab', version: '1', submitted_at: '2026-11-28T00:00:00Z', release_date: '2027-01-01', review_deadline: '2026-12-20' }),
    );
    writeRandomFile(path.join(pkg, 'weights-eval-dump.bin'), bigMiB * MiB, buffer);
    for (let i = 0; i < smallCount; i++) {
      const name = path.join(pkg, 'logs', `run-${String(i).padStart(5, '0')}`);
      if (textLogs) fs.writeFileSync(`${name}.jsonl`, transcriptLog(smallFileBytes));
      else writeRandomFile(`${name}.bin`, smallFileBytes, buffer);
    }
    const totalBytes = bigMiB * MiB + smallCount * smallFileBytes;
    console.log(`generated ${(totalBytes / MiB).toFixed(0)} MiB (1 x ${bigMiB} MiB + ${smallCount} x ${smallFileBytes / 1024} KiB${textLogs ? ' of JSON Lines' : ''}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const key = generateKeyPair('ecdsa-p384');
    t = performance.now();
    await signPackage(pkg, key);
    console.log(`signed (hashing every file) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const totalChunks = Math.ceil(totalBytes / CHUNK_BYTES);
    // The raw limit is measured in two halves, before and after the import, so a change in machine load
    // during the run weighs on both figures alike.
    const rawFirst = rawInsert(root, Math.floor(totalChunks / 2));

    const rssBefore = rssMiB();
    const vaultDir = path.join(root, 'vault');
    fs.mkdirSync(vaultDir);
    const db = freshContentDb(vaultDir);
    // Phase boundaries from the progress events: the first indexing event, and the last (all bytes
    // indexed), after which only the commit (with SQLite's checkpoint of the WAL) remains.
    let indexingFrom = 0;
    let indexedAt = 0;
    t = performance.now();
    const result = await importPackageDetailed({
      contentDb: db,
      source: pkg,
      trustedKeys: [publicKeyOf(key)],
      clock: () => Date.now(),
      onProgress: (p) => {
        if (p.phase !== 'indexing') return;
        if (indexingFrom === 0) indexingFrom = performance.now();
        if (p.bytesDone === p.bytesTotal) indexedAt = performance.now();
      },
    });
    const importMs = performance.now() - t;
    db.close();
    const rssAfterImport = rssMiB();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    const importRate = mibps(result.totalBytes, importMs);
    console.log(`import: ${result.artifactCount} artifacts, ${(result.totalBytes / MiB).toFixed(0)} MiB in ${(importMs / 1000).toFixed(1)} s = ${importRate.toFixed(1)} MiB/s`);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`import phases: verifying and storing ${seconds(indexingFrom - t)}, search indexing ${seconds(indexedAt - indexingFrom)}, commit ${seconds(t + importMs - indexedAt)}`);
    console.log(`peak RSS: ${rssBefore.toFixed(0)} MiB before import, ${rssAfterImport.toFixed(0)} MiB after (target <= 300 MB)`);

    const rawSecond = rawInsert(root, totalChunks - Math.floor(totalChunks / 2));
    const rawMs = rawFirst + rawSecond;
    const rawRate = mibps(totalChunks * CHUNK_BYTES, rawMs);
    console.log(`raw SQLCipher chunked insert: ${totalChunks} x 1 MiB in ${(rawMs / 1000).toFixed(1)} s = ${rawRate.toFixed(1)} MiB/s (two halves: ${(rawFirst / 1000).toFixed(1)} s before, ${(rawSecond / 1000).toFixed(1)} s after the import)`);
    console.log(`ratio import / raw: ${(importRate / rawRate).toFixed(2)} (target >= 0.8)`);
    console.log(`peak RSS over the whole run: ${rssMiB().toFixed(0)} MiB`);
    printJsonResult('import', { raw_mb_s: rawRate, import_mb_s: importRate, ratio: importRate / rawRate, peak_rss_mib: rssAfterImport });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
