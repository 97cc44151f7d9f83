/**
 * Access-log benchmark (issue 4): `npx tsx bench/audit.ts [leaves]` (default 1 000 000).
 *
 * 1. Append rate on a real SQLCipher audit.db in WAL mode with synchronous=FULL (every commit is
 *    fsynced): one transaction per leaf, as the router writes them, and batched (one transaction per
 *    1 000 leaves). Checkpoints are signed by the default policy (every 64 leaves) in both.
 * 2. Verification of N leaves against raw SHA-256 over the same leaf bytes, in the same run:
 *    - tree: leaf hashes plus the RFC 9162 tree rebuilt from them (the cryptographic part);
 *    - full: verifyAccessLog as `rwctl audit verify` runs it (reading the database, parsing and checking
 *      every leaf, signatures, checkpoint roots), with and without the page-HMAC pass.
 * Figures only; nothing here asserts a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { appendLeaf, emptyCompactRange } from '../src-shared/compact-range';
import { ed25519PublicFromSeed, randomBytes, sha256 } from '../src-shared/crypto';
import { leafHash } from '../src-shared/merkle';
import { AUDIT_MIGRATIONS } from '../src-main/audit/audit-schema';
import { openAccessLog, type AccessLog, type AccessLogEntry } from '../src-main/audit/access-log';
import { verifyAccessLog } from '../src-main/audit/verify-log';
import { openEncryptedDb } from '../src-main/vault/encrypted-db';
import { runMigrations } from '../src-main/vault/migrations';

const N = Number(process.argv[2] ?? 1_000_000);

function freshLog(dir: string, name: string): { db: Database; log: AccessLog; clock: { t: number } } {
  const db = openEncryptedDb(path.join(dir, name), randomBytes(32), { create: true });
  runMigrations(db, AUDIT_MIGRATIONS, () => 0);
  const seed = randomBytes(32);
  db.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(seed), Buffer.from(ed25519PublicFromSeed(seed)), 0]);
  db.prepare("INSERT INTO vault_meta(key, value) VALUES ('workstation_id', 'bench0123456789')").run();
  const clock = { t: Date.UTC(2026, 10, 24, 9, 0, 0) };
  const log = openAccessLog(db, { app: 'rw-bench/0', clock: () => (clock.t += 250), monotonic: () => clock.t });
  return { db, log, clock };
}

function entry(i: number): AccessLogEntry {
  return {
    actor: { user: `reviewer-${i % 5}`, role: 'reviewer' },
    session: 'f'.repeat(32),
    event: 'artifact.view',
    object: { kind: 'artifact', id: `art-${(i % 40).toString(16).padStart(32, '0')}`, name: 'evals/report.pdf', digest: `sha256:${'ab'.repeat(32)}` },
    outcome: 'success',
    detail: { action: 'view', page: (i % 300) + 1, dwellMs: 1000 + (i % 5000), channel: 'artifact.view' },
  };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-audit-'));
try {
  console.log(`Access-log benchmark: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
  console.log('Storage: SQLCipher 4 (AES-256, HMAC-SHA512 pages), WAL, synchronous=FULL (fsync per commit), temp_store=MEMORY.');

  // 1. Append rate.
  {
    const { db, log } = freshLog(dir, 'single.db');
    const count = 2000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) log.append(entry(i));
    const s = seconds(start);
    console.log(`append, one transaction per leaf (the router's way): ${count} leaves in ${s.toFixed(2)} s = ${Math.round(count / s)} leaves/s`);
    log.close();
    db.close();
  }
  {
    const { db, log } = freshLog(dir, 'batched.db');
    const count = 50_000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1000) log.appendMany(Array.from({ length: 1000 }, (_, j) => entry(i + j)));
    const s = seconds(start);
    console.log(`append, batched 1000 leaves per transaction: ${count} leaves in ${s.toFixed(2)} s = ${Math.round(count / s)} leaves/s`);
    log.close();
    db.close();
  }

  // 2. Verification of N leaves.
  const { db, log } = freshLog(dir, 'big.db');
  {
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i += 10_000) log.appendMany(Array.from({ length: Math.min(10_000, N - i) }, (_, j) => entry(i + j)));
    console.log(`built a log of ${N} leaves (batched) in ${seconds(start).toFixed(1)} s; ${log.checkpoints().length} signed checkpoints`);
  }
  const leaves = db.prepare('SELECT leaf FROM log_leaves ORDER BY seq').all().map((r) => r['leaf'] as Uint8Array);
  const bytes = leaves.reduce((n, l) => n + l.byteLength, 0);
  console.log(`leaf bytes: ${(bytes / 1e6).toFixed(1)} MB (${Math.round(bytes / leaves.length)} bytes per leaf on average)`);

  const raw = () => {
    const start = process.hrtime.bigint();
    let x = 0;
    for (const leaf of leaves) x ^= sha256(leaf)[0]!;
    return { s: seconds(start), x };
  };
  const tree = () => {
    const start = process.hrtime.bigint();
    let range = emptyCompactRange();
    for (const leaf of leaves) range = appendLeaf(range, leafHash(leaf));
    return { s: seconds(start), x: range.size };
  };
  // Warm up, then take the best of three of each, interleaved, so both see the same machine state.
  raw();
  tree();
  let rawBest = Infinity;
  let treeBest = Infinity;
  for (let i = 0; i < 3; i++) {
    rawBest = Math.min(rawBest, raw().s);
    treeBest = Math.min(treeBest, tree().s);
  }
  console.log(`raw SHA-256 over each leaf's bytes: ${rawBest.toFixed(2)} s (${(bytes / 1e6 / rawBest).toFixed(0)} MB/s)`);
  console.log(`tree verification (RFC 9162 leaf hashes + rebuilt tree): ${treeBest.toFixed(2)} s, ratio ${(treeBest / rawBest).toFixed(2)} (goal <= 1.5)`);

  for (const checkPages of [false, true]) {
    const start = process.hrtime.bigint();
    const report = verifyAccessLog(db, { checkPages });
    const s = seconds(start);
    if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.problems[0])}`);
    console.log(
      `full verifyAccessLog${checkPages ? ' + page HMAC pass' : ''} (database read, leaf parse and checks, ${report.checkpoints} checkpoint signatures and roots): ${s.toFixed(2)} s, ${Math.round(N / s)} leaves/s, ratio ${(s / rawBest).toFixed(2)} to raw SHA-256`,
    );
  }
  log.close();
  db.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
