/** A real encrypted audit.db with the current schema, a device key and a workstation id, for access-log tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '@signalapp/sqlcipher';
import { ed25519PublicFromSeed, randomBytes } from '../../src-shared/node/crypto';
import { AUDIT_MIGRATIONS } from '../../src-main/vault/audit-db-schema';
import { openAccessLog, type AccessLog } from '../../src-main/audit/access-log';
import type { CheckpointPolicy } from '../../src-main/audit/checkpoint-policy';
import { openEncryptedDb } from '../../src-main/vault/encrypted-db';
import { runMigrations } from '../../src-main/vault/migrations';
import { ALL_AGG_EXPECTED } from '../../src-main/vault/audit-aggregates';
import { compactRangeFromLeaves, serializeCompactRange } from '../../src-shared/node/compact-range';

export interface AuditFixture {
  dir: string;
  db: Database;
  log: AccessLog;
  /** The fake wall clock (UTC ms) and monotonic clock the log reads. */
  clock: { wall: number; mono: number };
  workstationId: string;
  devicePublicKey: Uint8Array;
  /** audit.db's path and data key, for a second connection (the audit worker's). */
  path: string;
  key: Uint8Array;
  close(): void;
}

export function openAuditFixture(policy?: CheckpointPolicy): AuditFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-audit-'));
  const key = randomBytes(32);
  const db = openEncryptedDb(path.join(dir, 'audit.db'), Uint8Array.from(key), { create: true });
  runMigrations(db, AUDIT_MIGRATIONS, () => 1);
  const seed = randomBytes(32);
  const devicePublicKey = ed25519PublicFromSeed(seed);
  db.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(seed), Buffer.from(devicePublicKey), 1]);
  const workstationId = 'ws0123456789abcdef';
  db.prepare("INSERT INTO vault_meta(key, value) VALUES ('workstation_id', ?)").run([workstationId]);
  const clock = { wall: Date.UTC(2026, 10, 24, 9, 0, 0), mono: 0 };
  const log = openAccessLog(db, { app: 'rw-test/0', clock: () => clock.wall, monotonic: () => clock.mono, ...(policy ? { checkpointPolicy: policy } : {}) });
  return {
    dir,
    db,
    log,
    clock,
    workstationId,
    devicePublicKey,
    path: path.join(dir, 'audit.db'),
    key,
    close() {
      log.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Advance both clocks together (a wall clock that keeps pace). */
export function tick(f: AuditFixture, ms: number): void {
  f.clock.wall += ms;
  f.clock.mono += ms;
}

export const reviewer = { user: 'alice', role: 'reviewer' as const };

/** What a local root who knows a passphrase drops first: the triggers that keep the log append-only. */
export function dropAppendOnlyTriggers(db: Database): void {
  for (const t of ['log_leaves_no_update', 'log_leaves_no_delete', 'log_nodes_no_update', 'log_nodes_no_delete', 'log_checkpoints_no_update', 'log_checkpoints_no_delete']) db.exec(`DROP TRIGGER IF EXISTS ${t}`);
}

/**
 * Makes every local table agree with whatever leaves remain (a careful attacker covering a rewrite):
 * the tree, its state, the checkpoints above it and the console's aggregates (which a full
 * verification would otherwise name: aggregate-mismatch). Returns the log's new size.
 */
export function rebuildLogState(db: Database): number {
  const leaves = db.prepare('SELECT leaf_hash FROM log_leaves ORDER BY seq').all().map((r) => r['leaf_hash'] as Uint8Array);
  db.exec('DELETE FROM log_nodes');
  const insert = db.prepare('INSERT INTO log_nodes(level, idx, hash) VALUES (?, ?, ?)');
  const range = compactRangeFromLeaves(leaves, (level, index, hash) => {
    if (level > 0) insert.run([level, index, hash as Uint8Array<ArrayBuffer>]);
  });
  db.prepare('UPDATE log_state SET size = ?, compact = ?, checkpoint_size = 0, checkpoint_ts = 0 WHERE id = 1').run([range.size, JSON.stringify(serializeCompactRange(range))]);
  db.prepare('DELETE FROM log_checkpoints WHERE size > ?').run([range.size]);
  for (const [table, expected] of ALL_AGG_EXPECTED) db.exec(`DELETE FROM ${table}; INSERT INTO ${table} ${expected};`);
  return range.size;
}
