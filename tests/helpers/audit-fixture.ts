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

export interface AuditFixture {
  dir: string;
  db: Database;
  log: AccessLog;
  /** The fake wall clock (UTC ms) and monotonic clock the log reads. */
  clock: { wall: number; mono: number };
  workstationId: string;
  devicePublicKey: Uint8Array;
  close(): void;
}

export function openAuditFixture(policy?: CheckpointPolicy): AuditFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-audit-'));
  const db = openEncryptedDb(path.join(dir, 'audit.db'), randomBytes(32), { create: true });
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
