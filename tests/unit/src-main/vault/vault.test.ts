import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ed25519Sign, ed25519Verify, randomBytes, sha256 } from '../../../../src-shared/node/crypto';
import { toHex } from '../../../../src-shared/encoding';
import { MIN_KDF_PARAMS } from '../../../../src-main/vault/kdf';
import {
  addUser,
  changePassphrase,
  initVault,
  listVaultUsers,
  preSignInJournal,
  readDeviceSigningKey,
  readJournalKey,
  requireContentDb,
  unlockSigningKey,
  unlockVault,
  vaultExists,
  type VaultDeps,
} from '../../../../src-main/vault/vault';
import { createNote } from '../../../../src-main/workspace/notes-service';
import { makeLegacyVault } from '../../../helpers/legacy-vault';
import { createFinding } from '../../../../src-main/workspace/findings-service';

const ALICE_PW = 'alice passphrase 1';
const BOB_PW = 'bob passphrase 22';
const AUDREY_PW = 'audrey passphrase 3';

let root: string;
let dir: string;
let now: number;
let deps: VaultDeps;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rw-vault-'));
  dir = path.join(root, 'vault');
  now = 1_800_000_000_000;
  // The fast profile: the 64 MiB floor with one pass (never weaker), so tests stay quick.
  deps = { clock: () => now, random: randomBytes, kdf: MIN_KDF_PARAMS, policy: { delayAfter: 3, lockAfter: 10 } };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const slotsJson = () => JSON.parse(fs.readFileSync(path.join(dir, 'slots.json'), 'utf8'));
const stateJson = () => JSON.parse(fs.readFileSync(path.join(dir, 'unlock-state.json'), 'utf8'));
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

async function withAuditor() {
  await initVault(dir, 'alice', ALICE_PW, deps);
  await addUser(dir, { user: 'audrey', role: 'auditor', newPassphrase: AUDREY_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps);
}

describe('vault init, unlock and lock', () => {
  it('creates an owner-only folder with owner-only files and unlocks the first reviewer', async () => {
    const init = await initVault(dir, 'alice', ALICE_PW, deps);
    expect(vaultExists(dir)).toBe(true);
    expect(mode(dir)).toBe(0o700);
    expect(fs.readdirSync(dir).sort()).toEqual(['audit.db', 'content.db', 'journal.jsonl', 'slots.json', 'unlock-state.json']);
    for (const f of fs.readdirSync(dir)) expect(mode(path.join(dir, f))).toBe(0o600);

    const vault = await unlockVault(dir, 'alice', ALICE_PW, deps);
    expect(vault).toMatchObject({ user: 'alice', role: 'reviewer', workstationId: init.workstationId });
    expect(toHex(vault.signingPublicKey as Uint8Array)).toBe(toHex(init.signingPublicKey));
    // WAL and its index appear while open and carry the database file's owner-only mode.
    vault.content?.prepare("INSERT INTO cases VALUES ('c0', 'm', 'd', '1', 'a', 'b', 'c', 'sha256:00', 'k', 1, '{}')").run();
    expect(fs.existsSync(path.join(dir, 'content.db-wal'))).toBe(true);
    for (const f of fs.readdirSync(dir)) expect(mode(path.join(dir, f))).toBe(0o600);
    expect(vault.content?.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(vault.content?.pragma('secure_delete', { simple: true })).toBe(1);
    expect(vault.content?.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(vault.audit.pragma('synchronous', { simple: true })).toBe(2);
    expect(vault.audit.prepare("SELECT value FROM vault_meta WHERE key = 'workstation_id'").get()?.value).toBe(init.workstationId);
    const device = readDeviceSigningKey(vault.audit);
    expect(ed25519Verify(device.publicKey, new Uint8Array([1]), ed25519Sign(device.privateKey, new Uint8Array([1])))).toBe(true);
    expect(requireContentDb(vault)).toBe(vault.content);
    vault.close();
    expect(vault.closed).toBe(true);
    expect(() => requireContentDb(vault)).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    expect(() => vault.content).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    expect(() => vault.audit).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }));
    vault.close(); // idempotent
  });

  it('stores data keys only wrapped: the slot file holds no raw key material in the clear', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    const file = slotsJson();
    expect(file.version).toBe(2);
    const alice = file.slots.find((s: { user?: string }) => s.user === 'alice');
    expect(alice.kdf).toMatchObject({ algorithm: 'argon2id', memoryKiB: 65536, iterations: 1, parallelism: 1 });
    expect(Object.keys(alice.keys).sort()).toEqual(['audit', 'content', 'signing']);
    // Only passphrase slots: no device slot, and the journal's key is public (its private half is in audit.db).
    expect(file.slots.map((s: { kind: string }) => s.kind)).toEqual(['passphrase']);
    expect(Buffer.from(file.journal.publicKey, 'base64')).toHaveLength(32);
  });

  it.each([
    ['an existing vault', async () => (await initVault(dir, 'alice', ALICE_PW, deps), initVault(dir, 'bob', BOB_PW, deps)), 'VAULT_EXISTS'],
    ['a short passphrase', () => initVault(dir, 'alice', 'short', deps), 'INVALID_INPUT'],
    ['a user name with a slash', () => initVault(dir, 'al/ice', ALICE_PW, deps), 'INVALID_INPUT'],
    ['an empty user name', () => initVault(dir, '', ALICE_PW, deps), 'INVALID_INPUT'],
    ['KDF memory below 64 MiB', () => initVault(dir, 'alice', ALICE_PW, { ...deps, kdf: { ...MIN_KDF_PARAMS, memoryKiB: 32 * 1024 } }), 'POLICY_REFUSED'],
    ['zero KDF iterations', () => initVault(dir, 'alice', ALICE_PW, { ...deps, kdf: { ...MIN_KDF_PARAMS, iterations: 0 } }), 'POLICY_REFUSED'],
  ])('refuses to initialise over %s', async (_name, act, code) => {
    expect(await codeOf(act())).toBe(code);
  });

  it('refuses a folder holding parts of another vault and leaves them untouched', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'content.db'), 'someone else');
    expect(await codeOf(initVault(dir, 'alice', ALICE_PW, deps))).toBe('VAULT_EXISTS');
    expect(fs.readFileSync(path.join(dir, 'content.db'), 'utf8')).toBe('someone else');
  });

  it('answers VAULT_MISSING for a folder without a vault', async () => {
    expect(await codeOf(unlockVault(dir, 'alice', ALICE_PW, deps))).toBe('VAULT_MISSING');
  });
});

describe('users and separation of duties', () => {
  it('gives an auditor only the audit key: no content key exists in their slot and content is null', async () => {
    await withAuditor();
    const slot = slotsJson().slots.find((s: { user?: string }) => s.user === 'audrey');
    expect(slot.role).toBe('auditor');
    expect(Object.keys(slot.keys)).toEqual(['audit']);
    const vault = await unlockVault(dir, 'audrey', AUDREY_PW, deps);
    expect(vault.role).toBe('auditor');
    expect(vault.content).toBeNull();
    expect(() => requireContentDb(vault)).toThrow(expect.objectContaining({ code: 'DENIED' }));
    expect(vault.signingPublicKey).toBeNull();
    expect(vault.audit.prepare('SELECT count(*) AS n FROM device_keys').get()?.n).toBe(1);
    vault.close();
    expect(listVaultUsers(dir)).toEqual([
      { user: 'alice', role: 'reviewer' },
      { user: 'audrey', role: 'auditor' },
    ]);
  });

  it('refuses a slot file that gives an auditor a content key (promotion by editing)', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    await addUser(dir, { user: 'audrey', role: 'auditor', newPassphrase: AUDREY_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps);
    const file = slotsJson();
    const alice = file.slots.find((s: { user?: string }) => s.user === 'alice');
    const audrey = file.slots.find((s: { user?: string }) => s.user === 'audrey');
    audrey.keys.content = alice.keys.content;
    fs.writeFileSync(path.join(dir, 'slots.json'), JSON.stringify(file));
    expect(await codeOf(unlockVault(dir, 'audrey', AUDREY_PW, deps))).toBe('VAULT_DAMAGED');
  });

  it('refuses a slot moved to another user name or relabelled with another role (the AAD binds both)', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    await addUser(dir, { user: 'bob', role: 'reviewer', newPassphrase: BOB_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps);
    const original = slotsJson();
    // Bob's slot renamed to "mallory": Bob's passphrase derives the right KEK, but the AAD no longer matches.
    const renamed = structuredClone(original);
    renamed.slots.find((s: { user?: string }) => s.user === 'bob').user = 'mallory';
    fs.writeFileSync(path.join(dir, 'slots.json'), JSON.stringify(renamed));
    expect(await codeOf(unlockVault(dir, 'mallory', BOB_PW, deps))).toBe('AUTH_FAILED');
    // Bob's slot stripped to its audit key and relabelled auditor: the audit key's AAD names the reviewer role.
    const relabelled = structuredClone(original);
    const bob = relabelled.slots.find((s: { user?: string }) => s.user === 'bob');
    bob.role = 'auditor';
    bob.keys = { audit: bob.keys.audit };
    fs.writeFileSync(path.join(dir, 'slots.json'), JSON.stringify(relabelled));
    expect(await codeOf(unlockVault(dir, 'bob', BOB_PW, deps))).toBe('AUTH_FAILED');
    fs.writeFileSync(path.join(dir, 'slots.json'), JSON.stringify(original));
    now += 60_000;
    (await unlockVault(dir, 'bob', BOB_PW, deps)).close();
  });

  it('lets only a reviewer add users, refuses duplicates regardless of case, and refuses a wrong authorising passphrase', async () => {
    await withAuditor();
    expect(await codeOf(addUser(dir, { user: 'eve', role: 'reviewer', newPassphrase: BOB_PW }, { asUser: 'audrey', asPassphrase: AUDREY_PW }, deps))).toBe('DENIED');
    expect(await codeOf(addUser(dir, { user: 'Audrey', role: 'auditor', newPassphrase: BOB_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps))).toBe('CONFLICT');
    expect(await codeOf(addUser(dir, { user: 'eve', role: 'reviewer', newPassphrase: BOB_PW }, { asUser: 'alice', asPassphrase: 'not alice passphrase' }, deps))).toBe('AUTH_FAILED');
    expect(await codeOf(addUser(dir, { user: 'eve', role: 'reviewer', newPassphrase: 'short' }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps))).toBe('INVALID_INPUT');
    expect(listVaultUsers(dir).map((u) => u.user)).toEqual(['alice', 'audrey']);
  });

  it('gives each reviewer their own signing key, opened only with their passphrase (step-up)', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    await addUser(dir, { user: 'bob', role: 'reviewer', newPassphrase: BOB_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps);
    const bob = await unlockVault(dir, 'bob', BOB_PW, deps);
    const alice = await unlockVault(dir, 'alice', ALICE_PW, deps);
    expect(toHex(bob.signingPublicKey as Uint8Array)).not.toBe(toHex(alice.signingPublicKey as Uint8Array));
    const key = await unlockSigningKey(dir, bob, BOB_PW, deps);
    expect(toHex(key.publicKey)).toBe(toHex(bob.signingPublicKey as Uint8Array));
    expect(ed25519Verify(key.publicKey, new Uint8Array([7]), ed25519Sign(key.privateKey, new Uint8Array([7])))).toBe(true);
    expect(await codeOf(unlockSigningKey(dir, bob, ALICE_PW, deps))).toBe('AUTH_FAILED');
    bob.close();
    alice.close();
  });
});

describe('failed unlocks', () => {
  it('answers AUTH_FAILED with one message for a wrong passphrase and an unknown user, and counts both (the unknown name toward the workstation only)', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    const wrong = await unlockVault(dir, 'alice', 'wrong passphrase!', deps).catch((e) => e);
    const unknown = await unlockVault(dir, 'nobody', ALICE_PW, deps).catch((e) => e);
    expect(wrong.code).toBe('AUTH_FAILED');
    expect(unknown.code).toBe('AUTH_FAILED');
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.detail).toEqual({ attemptsRemaining: 9 });
    expect(unknown.detail).toEqual({ attemptsRemaining: 28 });
    expect(stateJson()).toMatchObject({ failures: 2, total: 2, users: { alice: { failures: 1 } } });
  });

  it('delays after the third failure, even for the right passphrase, then lets it through and resets', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    for (let i = 0; i < 3; i++) expect(await codeOf(unlockVault(dir, 'alice', `wrong passphrase ${i}`, deps))).toBe('AUTH_FAILED');
    const delayed = await unlockVault(dir, 'alice', ALICE_PW, deps).catch((e) => e);
    expect(delayed.code).toBe('LOCKED_OUT');
    expect(delayed.detail).toMatchObject({ reason: 'delay', retryAfterMs: 2000 });
    now += 2000;
    const vault = await unlockVault(dir, 'alice', ALICE_PW, deps);
    vault.close();
    expect(stateJson()).toMatchObject({ failures: 0, lastFailureAt: null });
  });

  it('locks out at the policy threshold: the right passphrase no longer opens the vault', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    const policy = { delayAfter: 50, lockAfter: 3 };
    for (let i = 0; i < 3; i++) expect(await codeOf(unlockVault(dir, 'alice', `wrong passphrase ${i}`, { ...deps, policy }))).toBe('AUTH_FAILED');
    const locked = await unlockVault(dir, 'alice', ALICE_PW, { ...deps, policy }).catch((e) => e);
    expect(locked).toMatchObject({ code: 'LOCKED_OUT', detail: { reason: 'threshold' } });
    now += 365 * 24 * 3600 * 1000;
    expect(await codeOf(unlockVault(dir, 'alice', ALICE_PW, { ...deps, policy }))).toBe('LOCKED_OUT');
    // Passphrase changes and user additions go through the same gate.
    expect(await codeOf(changePassphrase(dir, 'alice', ALICE_PW, 'a brand new passphrase', { ...deps, policy }))).toBe('LOCKED_OUT');
  });

  it.each([
    ['a reset failure count', (s: Record<string, unknown>) => ({ ...s, failures: 0 })],
    ['a removed timestamp', (s: Record<string, unknown>) => ({ ...s, lastFailureAt: null })],
    ['a recomputed-looking MAC', (s: Record<string, unknown>) => ({ ...s, failures: 0, mac: '0'.repeat(64) })],
    ['garbage', () => 'not json'],
    ['a downgrade to a plain record', (s: Record<string, unknown>) => ({ ...s, failures: 0, mac: null })],
  ])('with an OS keystore counter key, detects a tampered unlock-state file (%s) and stays locked out', async (_name, edit) => {
    const keystore = randomBytes(32);
    const withKeystore = { ...deps, counterKey: () => new Uint8Array(keystore) };
    await initVault(dir, 'alice', ALICE_PW, withKeystore);
    await unlockVault(dir, 'alice', 'wrong passphrase!', withKeystore).catch(() => undefined);
    const edited = edit(stateJson());
    fs.writeFileSync(path.join(dir, 'unlock-state.json'), typeof edited === 'string' ? edited : JSON.stringify(edited));
    const e = await unlockVault(dir, 'alice', ALICE_PW, withKeystore).catch((err) => err);
    expect(e).toMatchObject({ code: 'LOCKED_OUT', detail: { reason: 'tampered' } });
  });

  it('a caller without the keystore key (rwctl) obeys a keyed record but leaves it as it was, so the app still opens', async () => {
    const keystore = randomBytes(32);
    const withKeystore = { ...deps, counterKey: () => new Uint8Array(keystore) };
    await initVault(dir, 'alice', ALICE_PW, withKeystore);
    await unlockVault(dir, 'alice', 'wrong passphrase!', withKeystore).catch(() => undefined);
    const before = fs.readFileSync(path.join(dir, 'unlock-state.json'));
    (await unlockVault(dir, 'alice', ALICE_PW, deps)).close();
    expect(fs.readFileSync(path.join(dir, 'unlock-state.json'))).toEqual(before);
    (await unlockVault(dir, 'alice', ALICE_PW, withKeystore)).close();
    expect(stateJson()).toMatchObject({ failures: 0 });
  });

  it('without an OS keystore the record is plain (no key may lie in the folder): an edited count is accepted, as documented', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    await unlockVault(dir, 'alice', 'wrong passphrase!', deps).catch(() => undefined);
    expect(stateJson()).toMatchObject({ failures: 1, mac: null });
    fs.writeFileSync(path.join(dir, 'unlock-state.json'), JSON.stringify({ ...stateJson(), failures: 0 }));
    (await unlockVault(dir, 'alice', ALICE_PW, deps)).close();
  });

  it('treats a deleted unlock-state file as tampering', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    fs.unlinkSync(path.join(dir, 'unlock-state.json'));
    expect(await codeOf(unlockVault(dir, 'alice', ALICE_PW, deps))).toBe('LOCKED_OUT');
  });
});

describe('passphrase change', () => {
  it('rewraps the slot only: old passphrase refused, new accepted, databases byte-identical', async () => {
    await initVault(dir, 'alice', ALICE_PW, deps);
    const digest = (f: string) => toHex(sha256(fs.readFileSync(path.join(dir, f))));
    const before = { content: digest('content.db'), audit: digest('audit.db'), salt: slotsJson().slots[0].kdf.salt };
    await changePassphrase(dir, 'alice', ALICE_PW, 'a brand new passphrase', deps);
    expect(digest('content.db')).toBe(before.content);
    expect(digest('audit.db')).toBe(before.audit);
    expect(slotsJson().slots[0].kdf.salt).not.toBe(before.salt);
    expect(await codeOf(unlockVault(dir, 'alice', ALICE_PW, deps))).toBe('AUTH_FAILED');
    const vault = await unlockVault(dir, 'alice', 'a brand new passphrase', deps);
    expect(await unlockSigningKey(dir, vault, 'a brand new passphrase', deps)).toHaveProperty('privateKey');
    vault.close();
  });
});

describe('migration of a version 1 vault (device slot)', () => {
  it('converts it at the first sign-in: device slot removed, device.key destroyed, journal key made, attempts carried over', async () => {
    const legacy = await makeLegacyVault(dir, 'alice', ALICE_PW, now);
    expect(fs.existsSync(path.join(dir, 'device.key'))).toBe(true);
    expect(preSignInJournal(dir)).toBeNull();
    // A failed attempt is still counted under the old record before the conversion.
    expect(await codeOf(unlockVault(dir, 'alice', 'wrong passphrase!', deps))).toBe('AUTH_FAILED');
    const vault = await unlockVault(dir, 'alice', ALICE_PW, deps);
    expect(vault.migrated).toBe(true);
    expect(vault.workstationId).toBe(legacy.workstationId);
    expect(readJournalKey(vault.audit)).toHaveLength(32);
    vault.close();
    expect(fs.existsSync(path.join(dir, 'device.key'))).toBe(false);
    expect(slotsJson()).toMatchObject({ version: 2 });
    expect(slotsJson().slots.map((s: { kind: string }) => s.kind)).toEqual(['passphrase']);
    expect(fs.readdirSync(dir).sort()).toEqual(['audit.db', 'content.db', 'journal.jsonl', 'slots.json', 'unlock-state.json']);
    const again = await unlockVault(dir, 'alice', ALICE_PW, deps);
    expect(again.migrated).toBe(false);
    expect(requireContentDb(again)).toBeTruthy();
    again.close();
  });

  it('refuses to add users or change passphrases before the conversion (they would rewrite the old file)', async () => {
    await makeLegacyVault(dir, 'alice', ALICE_PW, now);
    expect(await codeOf(addUser(dir, { user: 'bob', role: 'reviewer', newPassphrase: BOB_PW }, { asUser: 'alice', asPassphrase: ALICE_PW }, deps))).toBe('CONFLICT');
    expect(fs.existsSync(path.join(dir, 'device.key'))).toBe(true);
  });

  it('removes a device.key left behind by a conversion interrupted after its commit point', async () => {
    await makeLegacyVault(dir, 'alice', ALICE_PW, now);
    const key = fs.readFileSync(path.join(dir, 'device.key'));
    (await unlockVault(dir, 'alice', ALICE_PW, deps)).close();
    fs.writeFileSync(path.join(dir, 'device.key'), key, { mode: 0o600 });
    (await unlockVault(dir, 'alice', ALICE_PW, deps)).close();
    expect(fs.existsSync(path.join(dir, 'device.key'))).toBe(false);
  });
});

describe('no plaintext at rest', () => {
  it('leaves no trace of a note, a finding or the passphrase in any file of the vault folder (WAL included)', async () => {
    const MARKER = `MARKER-${toHex(randomBytes(8))}`;
    await initVault(dir, 'alice', ALICE_PW, deps);
    const vault = await unlockVault(dir, 'alice', ALICE_PW, deps);
    const db = vault.content as NonNullable<typeof vault.content>;
    db.prepare(
      "INSERT INTO cases VALUES ('c1', 'm', 'd', '1', '2026-01-01', '2026-02-01', '2026-01-31', 'sha256:00', 'k', 1, '{}')",
    ).run();
    const actor = { user: 'alice', clock: () => now, newId: () => toHex(randomBytes(16)) };
    for (let i = 0; i < 50; i++) createNote(db, actor, { caseId: 'c1', body: `${MARKER} note ${i} ${'x'.repeat(500)}` });
    createFinding(db, actor, { caseId: 'c1', title: MARKER, severity: 'high', category: MARKER, description: MARKER });
    const scan = () => {
      const hits: string[] = [];
      const needles = [MARKER, ALICE_PW].map((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le')]).flat();
      for (const f of fs.readdirSync(dir)) {
        const bytes = fs.readFileSync(path.join(dir, f));
        if (needles.some((n) => bytes.includes(n))) hits.push(f);
      }
      return hits;
    };
    expect(fs.existsSync(path.join(dir, 'content.db-wal'))).toBe(true);
    expect(fs.statSync(path.join(dir, 'content.db-wal')).size).toBeGreaterThan(0);
    expect(scan()).toEqual([]);
    vault.close();
    expect(scan()).toEqual([]);
    // The marker is really there, behind the key.
    const again = await unlockVault(dir, 'alice', ALICE_PW, deps);
    expect(again.content?.prepare('SELECT count(*) AS n FROM notes WHERE body LIKE ?').get([`${MARKER}%`])?.n).toBe(50);
    again.close();
  });
});
