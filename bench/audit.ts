/**
 * Access-log benchmark (issue 4): `npx tsx bench/audit.ts [leaves]` (default 1 000 000).
 *
 * 1. Append rate on a real SQLCipher audit.db in WAL mode with synchronous=FULL (every commit is
 *    fsynced): one transaction per leaf, as the router writes them, and batched (one transaction per
 *    1 000 leaves). Checkpoints are signed by the default policy (every 64 leaves) in both.
 * 2. Verification of N leaves against raw SHA-256 over the same leaf bytes, in the same run:
 *    - tree: leaf hashes plus the RFC 9162 tree rebuilt from them, as the verifier does it (TreeBuilder);
 *    - full: verifyAccessLog as `rwctl audit verify` runs it (reading the database, parsing and checking
 *      every leaf, signatures, checkpoint roots), with and without the page-HMAC pass.
 * Figures only; nothing here asserts a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { ed25519PublicFromSeed, randomBytes, sha256 } from '../src-shared/crypto';
import { AUDIT_MIGRATIONS } from '../src-main/audit/audit-schema';
import { openAccessLog, type AccessLog, type AccessLogEntry } from '../src-main/audit/access-log';
import { TreeBuilder } from '../src-main/audit/tree-builder';
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
    const builder = new TreeBuilder();
    for (const leaf of leaves) builder.push(builder.leafHash(leaf));
    return { s: seconds(start), x: builder.size };
  };
  // Warm up, then five interleaved pairs: the machine's load changes from second to second (other work
  // shares the CPUs), so each ratio compares runs made back to back and the median ratio is reported.
  raw();
  tree();
  const pairs: { raw: number; tree: number }[] = [];
  for (let i = 0; i < 5; i++) pairs.push({ raw: raw().s, tree: tree().s });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const rawBest = Math.min(...pairs.map((p) => p.raw));
  console.log(`raw SHA-256 over each leaf's bytes: best ${rawBest.toFixed(2)} s (${(bytes / 1e6 / rawBest).toFixed(0)} MB/s, ${((rawBest / leaves.length) * 1e9).toFixed(0)} ns per leaf)`);
  console.log(
    `tree verification (RFC 9162 leaf hashes + rebuilt tree): best ${Math.min(...pairs.map((p) => p.tree)).toFixed(2)} s; ratio to raw, median of 5 pairs ${median(pairs.map((p) => p.tree / p.raw)).toFixed(2)} (each pair: ${pairs.map((p) => (p.tree / p.raw).toFixed(2)).join(', ')}; goal <= 1.5)`,
  );

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
