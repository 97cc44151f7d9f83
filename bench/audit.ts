/**
 * Access-log benchmark: `npm run -s bench -- audit [leaves] [--json] [--cache DIR]` (default 1 000 000 leaves).
 *
 * 1. Append rate on a real SQLCipher audit.db in WAL mode with synchronous=FULL (every commit is
 *    fsynced): one transaction per leaf, as the router writes them (append_per_s), and batched.
 * 2. The big log is written by bench/audit-seed.ts (or copied from what an earlier run with `--cache DIR`
 *    left there, made by the same sources), not by appendMany: the same rows (leaves, nodes,
 *    checkpoints signed where the policy calls for them, state, aggregates; a unit test compares the two
 *    table by table), with the secondary indexes and the aggregate trigger built after the load, because
 *    appendMany writes about 1 800 leaves/s here and a million would take ten minutes.
 * 3. The auditor console through the audit worker (as the app asks it): summaries and timeline
 *    (summary_ms), flags (flags_ms), pages; and the main thread's event-loop delay while the worker
 *    answers, against the same questions answered on the main thread.
 * 4. Verification from audit.db (verify_s: the integrity check, with the aggregates recomputed) against
 *    the raw work over the same rows in the same run (raw_s): one SQLCipher scan of the leaves and their
 *    stored hashes, one SHA-256 per leaf, one Ed25519 verification per stored checkpoint. The raw work
 *    runs on one thread; the verification, as the app runs it, hands the aggregates' recount and the
 *    checkpoints' signatures to a second thread, so where a core is free verify_ratio counts the
 *    verifying thread's path only (on a machine whose cores are taken, both threads' work).
 * Figures only; nothing here asserts a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Database } from '@signalapp/sqlcipher';
import { ed25519PublicFromSeed, randomBytes, sha256, sha256Binary } from '../src-shared/node/crypto';
import { toHex, utf8 } from '../src-shared/encoding';
import { AUDIT_MIGRATIONS } from '../src-main/vault/audit-db-schema';
import { logOrigin, openAccessLog, type AccessLog, type AccessLogEntry } from '../src-main/audit/access-log';
import { AuditQuery, DEFAULT_PACE_RULE, DEFAULT_WORKING_HOURS } from '../src-main/audit/audit-query';
import { AuditWorker } from '../src-main/audit/audit-worker-client';
import { openCheckpoint } from '../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../src-shared/node/signed-note';
import { databaseLogSource, verifyAccessLog } from '../src-main/audit/verify-access-log';
import { openEncryptedDb } from '../src-main/vault/encrypted-db';
import { runMigrations } from '../src-main/vault/migrations';
import { seedAccessLog } from './audit-seed';
import { printJsonResult } from './bench-result';

const positional = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const N = Number(positional ?? 1_000_000);
// --cache DIR: keep the seeded log there and start later runs from a copy of it (seeding a million
// leaves takes minutes on a loaded machine; nothing measured below reads anything but the copy).
const cacheAt = process.argv.indexOf('--cache');
const CACHE_DIR = cacheAt >= 0 ? process.argv[cacheAt + 1] : undefined;
if (cacheAt >= 0 && !CACHE_DIR) throw new Error('--cache needs a folder');
const WORKSTATION = 'bench0123456789';
const APP = 'rw-bench/0';

function freshLog(dir: string, name: string): { db: Database; log: AccessLog; path: string; key: Uint8Array; clock: { t: number } } {
  const file = path.join(dir, name);
  const key = randomBytes(32);
  const db = openEncryptedDb(file, Uint8Array.from(key), { create: true });
  runMigrations(db, AUDIT_MIGRATIONS, () => 0);
  const seed = randomBytes(32);
  db.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(seed), Buffer.from(ed25519PublicFromSeed(seed)), 0]);
  db.prepare("INSERT INTO vault_meta(key, value) VALUES ('workstation_id', ?)").run([WORKSTATION]);
  const clock = { t: Date.UTC(2026, 10, 24, 9, 0, 0) };
  const log = openAccessLog(db, { app: APP, clock: () => (clock.t += 250), monotonic: () => clock.t });
  return { db, log, path: file, key, clock };
}

/**
 * The seeded log: from the cache when it holds one made by the same code (the file names a digest of the
 * seeding sources, the entries and the size), else seeded now (and copied into the cache).
 */
function bigLog(dir: string): ReturnType<typeof freshLog> {
  const sources = ['bench/audit-seed.ts', 'src-main/vault/audit-db-schema.ts', 'src-main/vault/audit-aggregates.ts', 'src-main/audit/access-log.ts', 'src-main/audit/log-leaf.ts', 'src-main/audit/checkpoint-policy.ts'];
  const digest = toHex(sha256(utf8([N, WORKSTATION, APP, entry.toString(), ...sources.map((f) => fs.readFileSync(f, 'utf8'))].join('\u0000')))).slice(0, 16);
  const cached = CACHE_DIR ? path.join(CACHE_DIR, `audit-${N}-${digest}.db`) : null;
  const file = path.join(dir, 'big.db');
  if (cached && fs.existsSync(cached) && fs.existsSync(`${cached}.key`)) {
    fs.copyFileSync(cached, file);
    const key = new Uint8Array(fs.readFileSync(`${cached}.key`));
    const db = openEncryptedDb(file, Uint8Array.from(key), {});
    const clock = { t: Number(db.prepare('SELECT last_ts FROM log_state WHERE id = 1').get()?.['last_ts']) };
    const log = openAccessLog(db, { app: APP, clock: () => (clock.t += 250), monotonic: () => clock.t });
    console.log(`the log of ${N} leaves copied from the bench cache (${path.basename(cached)}); ${log.checkpoints().length} signed checkpoints`);
    return { db, log, path: file, key, clock };
  }
  const big = freshLog(dir, 'big.db');
  const s = timed(() => seedAccessLog(big.db, N, entry, { app: APP, clock: () => (big.clock.t += 250), monotonic: () => big.clock.t })).s;
  console.log(`built a log of ${N} leaves with the bench's bulk writer (not appendMany) in ${s.toFixed(1)} s; ${big.log.checkpoints().length} signed checkpoints`);
  if (cached) {
    // A closed, checkpointed file: the copy must hold every page (WAL folded in).
    big.db.pragma('wal_checkpoint(TRUNCATE)');
    fs.mkdirSync(CACHE_DIR!, { recursive: true, mode: 0o700 });
    fs.copyFileSync(file, `${cached}.tmp`);
    fs.writeFileSync(`${cached}.key`, big.key, { mode: 0o600 });
    fs.renameSync(`${cached}.tmp`, cached);
  }
  return big;
}

function entry(i: number): AccessLogEntry {
  return {
    actor: { user: `reviewer-${i % 5}`, role: 'reviewer' },
    session: 'f'.repeat(32),
    event: 'artifact.view',
    object: { kind: 'artifact', id: `art-${(i % 40).toString(16).padStart(32, '0')}`, name: 'evals/report.pdf', digest: `sha256:${'ab'.repeat(32)}` },
    outcome: 'success',
    detail: { action: i % 50 === 0 ? 'open' : 'view', page: (i % 300) + 1, dwellMs: 1000 + (i % 5000) },
  };
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function timed<T>(work: () => T): { s: number; result: T } {
  const start = process.hrtime.bigint();
  const result = work();
  return { s: seconds(start), result };
}

async function timedAsync<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: seconds(start) * 1000, result };
}

/**
 * The main thread's longest stall between 5 ms ticks, split by the kernel's per-thread accounting
 * (/proc/thread-self/schedstat: time on a core, time runnable in the run queue) into work done on this
 * thread and time the machine gave to others; null where that file does not exist (not Linux).
 */
function stallWatch(): { stop(): { gapMs: number; waitMs: number; runMs: number; over20: number } | null } {
  const read = (): [number, number] | null => {
    try {
      const [run, wait] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
      return [run! / 1e6, wait! / 1e6];
    } catch {
      return null;
    }
  };
  if (!read()) return { stop: () => null };
  let last = performance.now();
  let lastStat = read()!;
  let worst = { gapMs: 0, waitMs: 0, runMs: 0 };
  let over20 = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const stat = read()!;
    const gap = now - last;
    if (gap > 20) over20++;
    if (gap > worst.gapMs) worst = { gapMs: gap, runMs: stat[0] - lastStat[0], waitMs: stat[1] - lastStat[1] };
    last = now;
    lastStat = stat;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return { ...worst, over20 };
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-bench-audit-'));
let worker: AuditWorker | null = null;
try {
  console.log(`Access-log benchmark: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('Storage: SQLCipher 4 (AES-256, HMAC-SHA512 pages), WAL, synchronous=FULL (fsync per commit), temp_store=MEMORY.');

  // 1. Append rate.
  let appendPerSecond = 0;
  {
    const { db, log } = freshLog(dir, 'single.db');
    const count = 1000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) log.append(entry(i));
    const s = seconds(start);
    appendPerSecond = count / s;
    console.log(`append, one transaction per leaf (the router's way): ${count} leaves in ${s.toFixed(2)} s = ${Math.round(appendPerSecond)} leaves/s`);
    const batched = timed(() => {
      for (let i = 0; i < 10_000; i += 1000) log.appendMany(Array.from({ length: 1000 }, (_, j) => entry(count + i + j)));
    }).s;
    console.log(`append, batched 1000 leaves per transaction: 10000 leaves in ${batched.toFixed(2)} s = ${Math.round(10_000 / batched)} leaves/s`);
    log.close();
    db.close();
  }

  // 2. The big log, by the bench's bulk writer (see the header: the same rows appendMany writes), or a
  // copy of the one an earlier run with the same writer, schema and entries left in --cache.
  const big = bigLog(dir);
  const { db } = big;
  const source = databaseLogSource(db);
  const checkpoints = source.checkpoints();

  // 3. The auditor console through the worker, with the main thread's event-loop delay watched. Before
  // the main-thread verifications below: their garbage on this thread's heap is not the app's (its
  // main process never verifies), and collecting it would stall this loop for reasons of the bench's own.
  worker = new AuditWorker({ path: big.path, key: Uint8Array.from(big.key) });
  const artifact = entry(3).object!.id;
  const day = Date.UTC(2026, 10, 24);
  const questions: Record<string, () => Promise<unknown>> = {
    summary: () => worker!.ask({ op: 'summary', filter: {} }),
    summaryDay: () => worker!.ask({ op: 'summary', filter: { from: day, to: day + 86_400_000 } }),
    flags: () => worker!.ask({ op: 'flags', filter: {}, hours: DEFAULT_WORKING_HOURS, pace: DEFAULT_PACE_RULE }),
    // The bench's views turn a page every 10 s per artifact, slower than the default rule: with the
    // slowest rule an auditor may set, every turn is fast (the fast-paging flag's worst case).
    flagsEveryTurnFast: () => worker!.ask({ op: 'flags', filter: {}, hours: DEFAULT_WORKING_HOURS, pace: { minMsPerPage: 600_000, minPages: 5 } }),
    lastPage: () => worker!.ask({ op: 'query', filter: {}, offset: N - 100, limit: 100 }),
    artifactPage: () => worker!.ask({ op: 'query', filter: { objectId: artifact }, offset: 9_900, limit: 100 }),
    whoSaw: () => worker!.ask({ op: 'whoSaw', artifactId: artifact, page: 4, from: day, to: day + 86_400_000 }),
  };
  await questions['summary']!(); // the worker's start and first statements, not counted
  const ms: Record<string, number[]> = {};
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const stalls = stallWatch();
  for (let round = 0; round < 3; round++) {
    for (const [name, ask] of Object.entries(questions)) (ms[name] ??= []).push((await timedAsync(ask)).ms);
  }
  let ticks = 0;
  const integrity = await timedAsync(() => worker!.ask({ op: 'integrity', now: Date.now() }, () => (ticks += 1)));
  delay.disable();
  const stall = stalls.stop();
  if (!integrity.result.ok) throw new Error('the worker found the log damaged');
  const blockedMs = delay.max / 1e6;
  console.log(`auditor console over ${N} leaves, through the audit worker (median of 3):`);
  for (const [name, xs] of Object.entries(ms)) console.log(`  ${name}: ${median(xs).toFixed(1)} ms (${xs.map((x) => x.toFixed(1)).join(', ')})`);
  console.log(`  integrity banner (full verification, contents and page HMACs, in the worker): ${(integrity.ms / 1000).toFixed(2)} s, ${ticks} progress ticks`);
  console.log(
    `main thread event-loop delay meanwhile: max ${blockedMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, mean ${(delay.mean / 1e6).toFixed(1)} ms (goal: no call blocks more than 50 ms)`,
  );
  if (stall) {
    console.log(
      `  its longest stall: ${stall.gapMs.toFixed(1)} ms, of which ${stall.waitMs.toFixed(1)} ms runnable but waiting for a core and ${stall.runMs.toFixed(1)} ms running (the rest asleep); stalls over 20 ms: ${stall.over20} (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
  }
  {
    // The same questions on the main thread, as before the worker: how long each would hold the loop.
    const q = new AuditQuery(db);
    const summary = timed(() => q.summary({})).s * 1000;
    const flags = timed(() => [q.offHours({}), q.fastPaging({})]).s * 1000;
    console.log(`  for comparison, on the main thread: summary ${summary.toFixed(1)} ms, flags ${flags.toFixed(1)} ms, each holding the event loop for all of it`);
  }
  await worker.close();
  worker = null;
  // 4. Raw work against verification, interleaved pairs (the machine's load changes from second to
  // second, so each ratio compares runs made back to back; the median pair is reported).
  const verifier = ed25519NoteVerifier(logOrigin(WORKSTATION), source.devicePublicKey!);
  // A persistent statement, as verification's own scan: the raw work gets the same cheaper rows.
  const scan = db.prepare('SELECT seq, leaf, leaf_hash FROM log_leaves WHERE seq > ? ORDER BY seq LIMIT 10000', { persistent: true });
  const raw = () => {
    const read = timed(() => {
      let x = 0;
      let after = -1;
      for (;;) {
        const rows = scan.all([after]);
        if (rows.length === 0) return x;
        for (const r of rows) x ^= sha256Binary(r['leaf'] as Uint8Array).charCodeAt(0) ^ (r['leaf_hash'] as Uint8Array)[0]!;
        after = Number(rows[rows.length - 1]!['seq']);
      }
    }).s;
    const signatures = timed(() => checkpoints.forEach((c) => openCheckpoint(c.note, [verifier], { origin: verifier.name }))).s;
    return { read, signatures, total: read + signatures };
  };
  const verify = () => {
    const run = timed(() => verifyAccessLog(db, { checkPages: false, leafContents: false }));
    if (!run.result.ok) throw new Error(`verification failed: ${JSON.stringify(run.result.problems[0])}`);
    return run.s;
  };
  const pairs: { raw: ReturnType<typeof raw>; verify: number }[] = [];
  for (let i = 0; i < 2; i++) pairs.push({ raw: raw(), verify: verify() });
  pairs.sort((a, b) => a.verify / a.raw.total - b.verify / b.raw.total);
  const pair = pairs[Math.floor(pairs.length / 2)]!;
  console.log(
    `raw work over the same rows: SQLCipher scan of ${N} leaves and their stored hashes + SHA-256 of each ${pair.raw.read.toFixed(2)} s, ${checkpoints.length} Ed25519 checkpoint verifications ${pair.raw.signatures.toFixed(2)} s`,
  );
  console.log(
    `verify from audit.db (tree rebuilt from the leaf bytes, stored hashes and nodes, seq and time order, every checkpoint, the aggregates recomputed): ${pair.verify.toFixed(2)} s, ratio ${(pair.verify / pair.raw.total).toFixed(2)} to the raw work (pairs: ${pairs.map((p) => (p.verify / p.raw.total).toFixed(2)).join(', ')}; goal <= 1.5)`,
  );
  {
    const full = timed(() => verifyAccessLog(db));
    if (!full.result.ok) throw new Error(`verification failed: ${JSON.stringify(full.result.problems[0])}`);
    console.log(`  everything rwctl audit verify and the integrity banner do (plus each leaf's contents and the page-HMAC pass): ${full.s.toFixed(2)} s, ratio ${(full.s / pair.raw.total).toFixed(2)}`);
  }

  big.log.close();
  db.close();
  printJsonResult('audit', {
    leaves: N,
    verify_s: pair.verify,
    raw_s: pair.raw.total,
    verify_ratio: pair.verify / pair.raw.total,
    summary_ms: Math.max(median(ms['summary']!), median(ms['summaryDay']!)),
    flags_ms: median(ms['flags']!),
    append_per_s: appendPerSecond,
  });
} finally {
  await worker?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
