/**
 * A version 1 vault exactly as the earlier code wrote it (tests only): the audit key wrapped for a device
 * slot under `device.key`, a 0600 file of 32 raw bytes beside slots.json, and the attempt record MACed
 * under that key. The migration at first sign-in must convert it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AUDIT_MIGRATIONS } from '../../src-main/vault/audit-db-schema';
import { CONTENT_MIGRATIONS } from '../../src-main/vault/content-schema';
import { openEncryptedDb } from '../../src-main/vault/encrypted-db';
import { deriveKey, MIN_KDF_PARAMS } from '../../src-main/vault/kdf';
import { slotAad, wrapKey } from '../../src-main/vault/key-slots';
import { runMigrations } from '../../src-main/vault/migrations';
import { createReviewerKey } from '../../src-main/vault/reviewer-keys';
import { initialUnlockState, writeUnlockState } from '../../src-main/vault/unlock-throttle';
import { ensurePrivateDir, writePrivateFileAtomic } from '../../src-main/vault/vault-files';
import { ed25519PublicFromSeed, randomBytes } from '../../src-shared/node/crypto';
import { toBase64, toHex } from '../../src-shared/encoding';

export async function makeLegacyVault(dir: string, user: string, passphrase: string, now: number): Promise<{ workstationId: string; auditKey: Uint8Array }> {
  ensurePrivateDir(dir);
  const content = randomBytes(32);
  const audit = randomBytes(32);
  const signing = randomBytes(32);
  const deviceKey = randomBytes(32);
  const workstationId = toHex(randomBytes(16));
  writePrivateFileAtomic(path.join(dir, 'device.key'), deviceKey);
  const c = openEncryptedDb(path.join(dir, 'content.db'), content, { create: true });
  runMigrations(c, CONTENT_MIGRATIONS, () => now);
  createReviewerKey(c, user, signing, randomBytes(32), now);
  c.close();
  const a = openEncryptedDb(path.join(dir, 'audit.db'), audit, { create: true });
  runMigrations(a, AUDIT_MIGRATIONS, () => now);
  const seed = randomBytes(32);
  a.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(seed), Buffer.from(ed25519PublicFromSeed(seed)), now]);
  const meta = a.prepare('INSERT INTO vault_meta(key, value) VALUES (?, ?)');
  meta.run(['workstation_id', workstationId]);
  meta.run(['created_at', String(now)]);
  meta.run(['device_key_store', 'file']);
  a.close();
  const salt = randomBytes(16);
  const kek = await deriveKey(passphrase, salt, MIN_KDF_PARAMS);
  const subject = { kind: 'passphrase', user, role: 'reviewer' } as const;
  const slots = {
    version: 1,
    workstationId,
    createdAt: now,
    slots: [
      {
        kind: 'passphrase',
        user,
        role: 'reviewer',
        kdf: { ...MIN_KDF_PARAMS, salt: toBase64(salt) },
        keys: { content: wrapKey(kek, content, slotAad(subject, 'content')), audit: wrapKey(kek, audit, slotAad(subject, 'audit')), signing: wrapKey(kek, signing, slotAad(subject, 'signing')) },
        createdAt: now,
        updatedAt: now,
      },
      { kind: 'device', store: 'file', keys: { audit: wrapKey(deviceKey, audit, slotAad({ kind: 'device' }, 'audit')) }, createdAt: now },
    ],
  };
  writeUnlockState(path.join(dir, 'unlock-state.json'), deviceKey, initialUnlockState(workstationId));
  writePrivateFileAtomic(path.join(dir, 'slots.json'), JSON.stringify(slots, null, 2) + '\n');
  fs.chmodSync(dir, 0o700);
  return { workstationId, auditKey: audit };
}
