/**
 * Tamper matrix (issue 4 acceptance): a real vault, its audit.db opened outside the app with the key an
 * attacker with the laptop's device key recovers through the device slot, the triggers dropped as such an
 * attacker would, and then each kind of damage. `rwctl audit verify` must find each one and name the
 * sequence number; truncation, rollback and a re-signed fork are found against checkpoints exported before
 * the damage (without them a careful attacker's rewrite is indistinguishable from a clean log: that is
 * what witnessing off the laptop is for, and the test shows it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Database } from '@signalapp/sqlcipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint } from '../../src-shared/node/checkpoint';
import { randomBytes } from '../../src-shared/node/crypto';
import { fromUtf8, utf8 } from '../../src-shared/encoding';
import { leafHash } from '../../src-shared/node/merkle';
import { rwctlArgs } from '../helpers/rwctl-child';
import { parseNote } from '../../src-shared/node/signed-note';
import { canonicalize } from '../../src-shared/canonical-json';
import { openAccessLog, type AccessLog } from '../../src-main/audit/access-log';
import { leafColumns, parseLeaf } from '../../src-main/audit/log-leaf';
import { createAuditCommands } from '../../src-cli/audit-commands';
import type { CliIo } from '../../src-cli/command';
import { runCli } from '../../src-cli/main';
import { addUser, initVault, unlockVault, type VaultDeps } from '../../src-main/vault/vault';
import type { KdfParams } from '../../src-main/vault/kdf';
import { dropAppendOnlyTriggers, rebuildLogState } from '../helpers/audit-fixture';
import { verifyAccessLogSteps } from '../../src-main/audit/verify-access-log';
import { openProgressStore } from '../../src-main/audit/verify-progress';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASS = 'correct horse battery staple';
const AUDITOR_PASS = 'auditor passphrase 42';
const kdf: KdfParams = { algorithm: 'argon2id', version: 19, memoryKiB: 64 * 1024, iterations: 1, parallelism: 1 };
const deps: VaultDeps = { clock: () => Date.now(), random: randomBytes, kdf };

interface Run {
  code: number;
  out: string;
  err: string;
}

async function rwctl(argv: string[], env: Record<string, string> = { RW_PASSPHRASE: PASS }): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env,
    stdin: Readable.from([]) as CliIo['stdin'],
    cwd: repoRoot,
    clock: () => Date.now(),
  };
  const code = await runCli(argv, io, createAuditCommands());
  return { code, out, err };
}

function rwctlChild(argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, rwctlArgs(argv), { cwd: repoRoot, env: { ...process.env, RW_PASSPHRASE: PASS } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

let root: string;
let base: string;
let olderAudit: string;
let cpEarly: string;
let cpLate: string;
let earlySize: number;
let lateSize: number;

function appendSome(log: AccessLog, from: number, count: number): void {
  for (let i = from; i < from + count; i++) {
    const page = (i % 7) + 1;
    log.append({ actor: { user: 'alice', role: 'reviewer' }, session: 'sess-1', event: 'artifact.view', object: { kind: 'artifact', id: `art-${i % 3}` }, outcome: 'success', detail: { action: 'view', page, dwellMs: 1000 + i } });
  }
}

async function withLog(dir: string, fn: (log: AccessLog) => void): Promise<void> {
  const vault = await unlockVault(dir, 'alice', PASS, { clock: () => Date.now() });
  const log = openAccessLog(vault.audit, { app: 'rw-test/0', clock: () => Date.now(), monotonic: () => performance.now() });
  try {
    fn(log);
  } finally {
    log.close();
    vault.close();
  }
}

function copyVault(name: string): string {
  const dir = path.join(root, name);
  fs.cpSync(base, dir, { recursive: true });
  return dir;
}

/** The attacker: a user who knows a passphrase opens audit.db and drops the append-only triggers. */
async function attack(dir: string, fn: (db: Database) => void): Promise<void> {
  const device = await unlockVault(dir, 'alice', PASS, { clock: () => Date.now() });
  try {
    dropAppendOnlyTriggers(device.audit);
    fn(device.audit);
  } finally {
    device.close();
  }
}

function leafAt(db: Database, seq: number): Uint8Array {
  return db.prepare('SELECT leaf FROM log_leaves WHERE seq = ?').get([seq])!['leaf'] as Uint8Array;
}

/** Rewrites leaf `seq` with new bytes and (when thorough) its hash and indexed columns too. */
function rewriteLeaf(db: Database, seq: number, mutate: (leaf: Record<string, unknown>) => void, thorough: boolean): void {
  const value = JSON.parse(fromUtf8(leafAt(db, seq))) as Record<string, unknown>;
  mutate(value);
  const bytes = utf8(canonicalize(value)) as Uint8Array<ArrayBuffer>;
  if (!thorough) {
    db.prepare('UPDATE log_leaves SET leaf = ? WHERE seq = ?').run([bytes, seq]);
    return;
  }
  const parsed = parseLeaf(bytes);
  if (!parsed.ok) throw new Error(parsed.message);
  const c = leafColumns(parsed.leaf);
  db.prepare('UPDATE log_leaves SET leaf = ?, leaf_hash = ?, outcome = ?, event = ?, page = ?, dwell_ms = ? WHERE seq = ?').run([
    bytes,
    leafHash(bytes) as Uint8Array<ArrayBuffer>,
    c.outcome,
    c.event,
    c.page,
    c.dwellMs,
    seq,
  ]);
}

function sizeOf(file: string): number {
  return parseCheckpoint(parseNote(fs.readFileSync(file, 'utf8')).text).size;
}

function firstProblem(run: Run): { seq: number; kind: string } {
  const report = JSON.parse(run.out) as { problems: { seq: number; kind: string }[] };
  return report.problems[0]!;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-tamper-'));
  base = path.join(root, 'base');
  await initVault(base, 'alice', PASS, deps);
  await addUser(base, { user: 'audrey', role: 'auditor', newPassphrase: AUDITOR_PASS }, { asUser: 'alice', asPassphrase: PASS }, deps);
  await withLog(base, (log) => appendSome(log, 0, 14));
  cpEarly = path.join(root, 'early.checkpoint');
  expect((await rwctl(['audit', 'checkpoint', '--vault', base, '--user', 'alice', '--out', cpEarly])).code).toBe(0);
  earlySize = sizeOf(cpEarly);
  await withLog(base, (log) => appendSome(log, 100, 6));
  // The copy an attacker will later restore (the vault is closed, so the WAL has been folded in).
  olderAudit = path.join(root, 'older-audit.db');
  fs.copyFileSync(path.join(base, 'audit.db'), olderAudit);
  await withLog(base, (log) => appendSome(log, 200, 12));
  cpLate = path.join(root, 'late.checkpoint');
  expect((await rwctl(['audit', 'checkpoint', '--vault', base, '--user', 'alice', '--out', cpLate])).code).toBe(0);
  lateSize = sizeOf(cpLate);
  await withLog(base, (log) => appendSome(log, 300, 10));
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('rwctl audit verify on an intact vault', () => {
  it('exits 0 for the reviewer and for the auditor, with and without exported checkpoints', async () => {
    expect(earlySize).toBe(15);
    expect(lateSize).toBeGreaterThan(earlySize);
    const plain = await rwctl(['audit', 'verify', '--vault', base, '--user', 'alice']);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/intact/);
    const asAuditor = await rwctl(['audit', 'verify', '--vault', base, '--user', 'audrey', '--checkpoint', cpEarly, '--checkpoint', cpLate], { RW_PASSPHRASE: AUDITOR_PASS });
    expect(asAuditor.code).toBe(0);
    expect(asAuditor.out).toContain(`extends checkpoint ${cpLate}`);
  });
});

describe('tamper matrix', () => {
  it('an edited leaf (bytes only) is named by its sequence number', async () => {
    const dir = copyVault('edit-bytes');
    await attack(dir, (db) => rewriteLeaf(db, 9, (leaf) => ((leaf['outcome'] as string) = 'denied'), false));
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('first bad sequence number 9 (leaf-hash)');
  });

  it('an edited leaf with its hash and index rewritten is pinned by the stale tree node above it', async () => {
    const dir = copyVault('edit-thorough');
    await attack(dir, (db) => rewriteLeaf(db, 9, (leaf) => ((leaf['detail'] as Record<string, unknown>)['dwellMs'] = 1), true));
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--json']);
    expect(run.code).toBe(1);
    // Leaves 8 and 9 share a level-1 node; the signed checkpoint covering them no longer matches either.
    expect(firstProblem(run)).toMatchObject({ seq: 8, kind: 'nodes-damaged' });
    expect(run.out).toContain('checkpoint-mismatch');
  });

  it('an edited leaf with hash, index and every tree node rebuilt is caught by the signed checkpoint covering it', async () => {
    const dir = copyVault('edit-rebuilt');
    await attack(dir, (db) => {
      rewriteLeaf(db, 9, (leaf) => ((leaf['detail'] as Record<string, unknown>)['dwellMs'] = 1), true);
      rebuildLogState(db);
    });
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--json']);
    expect(run.code).toBe(1);
    const first = firstProblem(run);
    expect(first.kind).toBe('checkpoint-mismatch');
    // Without a signature per leaf only a range can be known: it starts after the last good checkpoint.
    expect(first.seq).toBeLessThanOrEqual(9);
    expect(run.out).toMatch(/a leaf from \d+ to \d+ was altered/);
  });

  it('a deleted leaf is named by its sequence number', async () => {
    const dir = copyVault('delete');
    await attack(dir, (db) => db.exec('DELETE FROM log_leaves WHERE seq = 12'));
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('first bad sequence number 12 (missing-leaf)');
  });

  it('two swapped leaves are named by the first position', async () => {
    const dir = copyVault('swap');
    await attack(dir, (db) => {
      const a = leafAt(db, 10);
      const b = leafAt(db, 16);
      rewriteLeaf(db, 10, (leaf) => Object.assign(leaf, JSON.parse(fromUtf8(b))), true);
      rewriteLeaf(db, 16, (leaf) => Object.assign(leaf, JSON.parse(fromUtf8(a))), true);
    });
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--json']);
    expect(run.code).toBe(1);
    expect(firstProblem(run)).toMatchObject({ seq: 10, kind: 'seq-mismatch' });
  });

  it('a truncated tail, covered up, is found against a checkpoint exported before (and only then)', async () => {
    const dir = copyVault('truncate');
    let size = 0;
    await attack(dir, (db) => {
      db.prepare('DELETE FROM log_leaves WHERE seq >= ?').run([lateSize - 4]);
      size = rebuildLogState(db);
    });
    expect(size).toBe(lateSize - 4);
    const blind = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(blind.code).toBe(0);
    // The blind check logs itself (one leaf at `size`), like any use after an unseen cover-up: the log
    // the checkpoint is then held against ends one leaf later.
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--checkpoint', cpEarly, '--checkpoint', cpLate]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`first bad sequence number ${size + 1} (truncated)`);
  });

  it('an older copy of audit.db restored over the current one is found against a later checkpoint', async () => {
    const dir = copyVault('rollback');
    fs.copyFileSync(olderAudit, path.join(dir, 'audit.db'));
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--checkpoint', cpLate, '--json']);
    expect(run.code).toBe(1);
    // rwctl's sign-in first records that the pre-sign-in journal is not the one this (older) audit.db
    // expects (journal.replaced): one leaf more, so the gap to the later checkpoint starts one further on.
    expect(firstProblem(run)).toMatchObject({ seq: earlySize + 7, kind: 'truncated' });
  });

  it('a forked history re-signed with the device key is found against the checkpoints exported before, in a child process too', async () => {
    const dir = copyVault('fork');
    const forkAt = earlySize + 3;
    await attack(dir, (db) => {
      db.prepare('DELETE FROM log_leaves WHERE seq >= ?').run([forkAt]);
      rebuildLogState(db);
      // The attacker writes a different history with the genuine device key, checkpoints and all.
      const forged = openAccessLog(db, { app: 'rw-app/0.1.0', clock: () => Date.now(), monotonic: () => performance.now() });
      for (let i = 0; i < 40; i++) forged.append({ actor: { user: 'alice', role: 'reviewer' }, event: 'search', outcome: 'success', detail: { query: 'nothing to see' } });
      forged.checkpoint('lock');
      forged.close();
    });
    const blind = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(blind.code).toBe(0);
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--checkpoint', cpEarly, '--checkpoint', cpLate]);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`first bad sequence number ${earlySize} (fork)`);
    const child = await rwctlChild(['audit', 'verify', '--vault', dir, '--user', 'alice', '--checkpoint', cpEarly, '--checkpoint', cpLate]);
    expect(child.code).toBe(1);
    expect(child.out).toContain(`first bad sequence number ${earlySize} (fork)`);
  }, 60_000);

  it.each([
    ['in the first page', (size: number) => Math.min(100, size - 1)],
    ['in the middle', (size: number) => Math.floor(size / 2)],
    ['in the last page', (size: number) => size - 200],
  ])('one flipped byte %s of audit.db is reported as damage, not a crash', async (_where, offset) => {
    const dir = copyVault(`flip-${offset(100_000)}`);
    const file = path.join(dir, 'audit.db');
    const bytes = fs.readFileSync(file);
    bytes[offset(bytes.length)]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const run = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('the audit database is damaged');
  });
});

describe('rwctl audit verify resumes an interrupted verification', () => {
  /** A verification stopped after two batches of ten leaves, as a killed rwctl or a closed app leaves it. */
  async function interrupted(dir: string, edit?: (db: Database) => void): Promise<void> {
    const vault = await unlockVault(dir, 'alice', PASS, { clock: () => Date.now() });
    const reader = vault.auditReader!();
    const store = openProgressStore(reader.path, reader.key)!;
    try {
      const steps = verifyAccessLogSteps(vault.audit, { batch: 10, saveEveryMs: 0, progressStore: store });
      steps.next();
      steps.next();
      steps.return(undefined as never);
      if (edit) {
        dropAppendOnlyTriggers(vault.audit);
        edit(vault.audit);
      }
    } finally {
      store.close();
      vault.close();
    }
  }

  it('goes on from the saved point and says which leaves it did not read again; --fresh reads them and finds an edit there', async () => {
    const dir = copyVault('resume');
    // Leaf 5 rewritten (hash and columns too) after the save: the resumed run does not read it and says so.
    await interrupted(dir, (db) => rewriteLeaf(db, 5, (leaf) => ((leaf['outcome'] as string) = 'denied'), true));
    const resumed = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice']);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('leaves 0-19 were verified by an interrupted run begun');
    expect(resumed.out).toContain('resumed at leaf 20');
    await interrupted(dir);
    const fresh = await rwctl(['audit', 'verify', '--vault', dir, '--user', 'alice', '--fresh', '--json']);
    expect(fresh.code).toBe(1);
    expect(firstProblem(fresh).seq).toBeLessThanOrEqual(5);
    expect((JSON.parse(fresh.out) as { resumed?: unknown }).resumed).toBeUndefined();
  });
});
