/**
 * The vault: content.db and audit.db under random 256-bit data keys, and the key slots that give each
 * user the keys their role allows (DESIGN §4). Operations here are the only code that sees a passphrase
 * or a data key; they hand back open database handles and drop the keys.
 *
 *  - initVault: the first reviewer. Creates both databases, the reviewer's signing key, the device
 *    (checkpoint) signing key inside audit.db, a workstation id, the pre-sign-in journal's key pair
 *    (public key in slots.json, private key inside audit.db) and the unlock-attempt record. No file in
 *    the folder is a key: everything that opens or signs is behind a passphrase.
 *  - addUser: a reviewer authorises a new reviewer (content + audit keys) or auditor (audit key only).
 *  - unlockVault: open (close() on the result closes); failures are throttled and locked out.
 *  - changePassphrase: rewraps one slot; nothing is re-encrypted.
 *  - preSignInJournal: where events go while nobody is signed in (sealed to the journal's public key).
 *  - A version 1 vault (a device slot whose key lay in device.key) is migrated at its first sign-in.
 *  - unlockSigningKey: step-up; the reviewer's passphrase again, to sign.
 */
import { closeSync, existsSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { Database } from '@signalapp/sqlcipher';
import { AUDIT_MIGRATIONS } from './audit-db-schema';
import { ed25519PublicFromSeed, randomBytes, type Ed25519KeyPair } from '../../src-shared/node/crypto';
import { fromBase64, toBase64, toHex, zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { CONTENT_MIGRATIONS } from './content-schema';
import { fileDeviceKeyStore, type DeviceKeyStore } from './device-key-store';
import { generateX25519 } from '../../src-shared/node/sealed-box';
import { journalPath, newJournalId, resetJournal } from './journal-file';
import { CONTENT_CACHE_KIB, openEncryptedDb } from './encrypted-db';
import { checkKdfParams, deriveKey, type KdfParams } from './kdf';
import {
  findUserSlot,
  passphraseSlots,
  readSlotFile,
  slotAad,
  SLOT_FILE_VERSION,
  unwrapKey,
  USER_NAME_RE,
  wrapKey,
  writeSlotFile,
  type LegacySlotFile,
  type PassphraseSlot,
  type SlotFile,
  type UserRole,
  userKey,
} from './key-slots';
import { runMigrations } from './migrations';
import { createReviewerKey, openReviewerKey, reviewerPublicKey } from './reviewer-keys';
import { DEFAULT_LOCKOUT, initialUnlockState, unlockThrottle, writeUnlockState, type LockoutPolicy } from './unlock-throttle';
import { ensurePrivateDir, vaultPaths, type VaultPaths } from './vault-files';

export type { UserRole } from './key-slots';
export { journalPath } from './journal-file';
export type { LockoutPolicy } from './unlock-throttle';

export const MIN_PASSPHRASE_LENGTH = 12;
export const MAX_PASSPHRASE_LENGTH = 1024;

/** What unlocking needs from outside: time, the lockout policy, and the OS keystore's counter key. */
export interface UnlockDeps {
  clock(): number;
  /** Failed-unlock policy (policy.lockout); defaults to delay after 3, lock after 10. */
  policy?: LockoutPolicy;
  /**
   * The key that MACs the unlock-attempt record, from the OS keystore (Electron safeStorage with a real
   * backend); null or absent elsewhere, and the record is then plain (unlock-throttle.ts says what that means).
   */
  counterKey?(): Uint8Array | null;
  /** Version 1 vaults only (migration): where their device key lies; defaults to `device.key`. */
  deviceKeys?: DeviceKeyStore;
}

/** Writing slots also needs randomness and the Argon2id parameters (from calibrateKdf, once). */
export interface VaultDeps extends UnlockDeps {
  random(length: number): Uint8Array;
  kdf: KdfParams;
}

export interface UnlockedVault {
  readonly user: string;
  readonly role: UserRole;
  readonly workstationId: string;
  /** content.db, or null for an auditor (who holds no key for it). Throws VAULT_LOCKED once closed. */
  readonly content: Database | null;
  /** audit.db. Throws VAULT_LOCKED once closed. */
  readonly audit: Database;
  /**
   * What a second, read-only connection to audit.db needs (the audit worker's, which keeps the console's
   * long queries off the main thread): the path and a fresh copy of the data key, which the caller hands
   * on and zeroes. VAULT_LOCKED once closed; absent where a vault is faked.
   */
  auditReader?(): { path: string; key: Uint8Array };
  /** The reviewer's Ed25519 public key; null for auditors. */
  readonly signingPublicKey: Uint8Array | null;
  /** True when this sign-in converted a version 1 vault (device slot removed, device.key destroyed). */
  readonly migrated: boolean;
  readonly closed: boolean;
  /** Lock: closes both handles (the data keys were dropped when they were opened). Idempotent. */
  close(): void;
}

/** Where pre-sign-in events go: the journal file and the public key they are sealed to. */
export interface PreSignInJournal {
  readonly workstationId: string;
  readonly path: string;
  readonly publicKey: Uint8Array;
}

export interface VaultUser {
  user: string;
  role: UserRole;
}

export function defaultVaultDeps(kdf: KdfParams, policy: LockoutPolicy = DEFAULT_LOCKOUT): VaultDeps {
  return { clock: () => Date.now(), random: randomBytes, kdf, policy };
}

export function vaultExists(dir: string): boolean {
  return existsSync(vaultPaths(dir).slots);
}

export function listVaultUsers(dir: string): VaultUser[] {
  const file = requireSlotFile(vaultPaths(dir));
  return file.slots.flatMap((s) => (s.kind === 'passphrase' ? [{ user: s.user, role: s.role }] : []));
}

function deviceStore(paths: VaultPaths, deps: UnlockDeps): DeviceKeyStore {
  return deps.deviceKeys ?? fileDeviceKeyStore(paths.deviceKey);
}

function requireSlotFile(paths: VaultPaths): SlotFile | LegacySlotFile {
  const file = readSlotFile(paths.slots);
  if (!file) throw new RwError('VAULT_MISSING', 'No vault exists in this folder.');
  return file;
}

function checkUserName(user: string): void {
  if (!USER_NAME_RE.test(user)) throw new RwError('INVALID_INPUT', 'A user name is 1-64 letters, digits, spaces, dots, dashes or underscores.');
}

function checkNewPassphrase(passphrase: string): void {
  const length = [...passphrase.normalize('NFC')].length;
  if (length < MIN_PASSPHRASE_LENGTH) throw new RwError('INVALID_INPUT', `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`);
  if (length > MAX_PASSPHRASE_LENGTH) throw new RwError('INVALID_INPUT', 'The passphrase is too long.');
}

interface SlotKeys {
  content: Uint8Array | null;
  audit: Uint8Array;
  signing: Uint8Array | null;
}

function dropKeys(keys: SlotKeys): void {
  if (keys.content) zeroize(keys.content);
  zeroize(keys.audit);
  if (keys.signing) zeroize(keys.signing);
}

/** A passphrase slot for `user` wrapping the given keys under a fresh salt and the current parameters. */
async function sealSlot(user: string, role: UserRole, passphrase: string, keys: SlotKeys, deps: VaultDeps, createdAt?: number): Promise<PassphraseSlot> {
  const params = checkKdfParams(deps.kdf);
  const salt = deps.random(16);
  const kek = await deriveKey(passphrase, salt, params);
  try {
    const subject = { kind: 'passphrase', user, role } as const;
    const now = deps.clock();
    return {
      kind: 'passphrase',
      user,
      role,
      kdf: { ...params, salt: toBase64(salt) },
      keys: {
        ...(role === 'reviewer' && keys.content ? { content: wrapKey(kek, keys.content, slotAad(subject, 'content')) } : {}),
        audit: wrapKey(kek, keys.audit, slotAad(subject, 'audit')),
        ...(role === 'reviewer' && keys.signing ? { signing: wrapKey(kek, keys.signing, slotAad(subject, 'signing')) } : {}),
      },
      createdAt: createdAt ?? now,
      updatedAt: now,
    };
  } finally {
    zeroize(kek);
  }
}

/**
 * Checks a passphrase against a slot, through the throttle. Unknown users and wrong passphrases fail
 * the same way, with the same message and the same Argon2id cost, so neither timing nor wording tells
 * which user names exist.
 */
async function authenticate(paths: VaultPaths, file: SlotFile | LegacySlotFile, user: string, passphrase: string, deps: UnlockDeps): Promise<{ slot: PassphraseSlot; keys: SlotKeys }> {
  // A version 1 vault's record is MACed under its device key until the migration rewrites it.
  const macKey = file.version === 1 ? deviceStore(paths, deps).load() : (deps.counterKey?.() ?? null);
  try {
    const slot = findUserSlot(file, user);
    // A name that is no user counts toward the workstation's ceiling only (unlock-throttle.ts).
    const attempt = unlockThrottle(paths.unlockState, macKey, file.workstationId, deps.clock, deps.policy ?? DEFAULT_LOCKOUT).begin(slot ? userKey(slot.user) : null);
    const decoy = passphraseSlots(file)[0];
    const kdfSource = slot ?? decoy;
    if (!kdfSource) throw new RwError('VAULT_DAMAGED', 'The key-slot file has no users.');
    const { salt, ...params } = kdfSource.kdf;
    // Argon2id refuses an empty password; an empty guess still costs one KDF run and fails like any other.
    const kek = await deriveKey(passphrase.length > 0 ? passphrase : '\0', fromBase64(salt), params);
    let keys: SlotKeys | null = null;
    if (slot && passphrase.length > 0) {
      const subject = { kind: 'passphrase', user: slot.user, role: slot.role } as const;
      const audit = unwrapKey(kek, slot.keys.audit, slotAad(subject, 'audit'));
      const content = slot.keys.content ? unwrapKey(kek, slot.keys.content, slotAad(subject, 'content')) : null;
      const signing = slot.keys.signing ? unwrapKey(kek, slot.keys.signing, slotAad(subject, 'signing')) : null;
      const complete = audit !== null && (slot.role === 'auditor' || (content !== null && signing !== null));
      if (complete) keys = { audit, content, signing };
      else for (const k of [audit, content, signing]) if (k) zeroize(k);
    }
    zeroize(kek);
    if (!slot || !keys) {
      throw new RwError('AUTH_FAILED', 'The user name or passphrase is not correct.', { attemptsRemaining: attempt.attemptsRemaining });
    }
    attempt.succeeded();
    return { slot, keys };
  } finally {
    if (macKey) zeroize(macKey);
  }
}

function readMeta(audit: Database, key: string): string | null {
  const row = audit.prepare('SELECT value FROM vault_meta WHERE key = ?').get([key]);
  return typeof row?.value === 'string' ? row.value : null;
}

/** Binds audit.db to the slot file: a database swapped in from another workstation is refused. */
function checkWorkstation(audit: Database, workstationId: string): void {
  if (readMeta(audit, 'workstation_id') !== workstationId) throw new RwError('VAULT_DAMAGED', 'The audit store does not belong to this vault.');
}

function removeIfPresent(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) unlinkSync(path + suffix);
}

export interface InitResult {
  workstationId: string;
  signingPublicKey: Uint8Array;
}

export async function initVault(dir: string, user: string, passphrase: string, deps: VaultDeps): Promise<InitResult> {
  const paths = vaultPaths(dir);
  if (vaultExists(dir)) throw new RwError('VAULT_EXISTS', 'A vault already exists in this folder.');
  checkUserName(user);
  checkNewPassphrase(passphrase);
  checkKdfParams(deps.kdf);
  ensurePrivateDir(dir);
  // Leftovers of an earlier, interrupted run are refused rather than overwritten: they may be someone's data.
  if (existsSync(paths.content) || existsSync(paths.audit) || deviceStore(paths, deps).exists()) {
    throw new RwError('VAULT_EXISTS', 'The folder holds parts of another vault; choose an empty folder.');
  }
  const keys: SlotKeys = { content: deps.random(32), audit: deps.random(32), signing: deps.random(32) };
  const journalKeys = generateX25519();
  const journalId = newJournalId(deps.random);
  const workstationId = toHex(deps.random(16));
  const now = deps.clock();
  let content: Database | null = null;
  let audit: Database | null = null;
  try {
    content = openEncryptedDb(paths.content, keys.content as Uint8Array, { create: true });
    runMigrations(content, CONTENT_MIGRATIONS, deps.clock);
    const signingPublicKey = createReviewerKey(content, user, keys.signing as Uint8Array, deps.random(32), now);
    content.close();
    content = null;

    audit = openEncryptedDb(paths.audit, keys.audit, { create: true });
    runMigrations(audit, AUDIT_MIGRATIONS, deps.clock);
    const deviceSeed = deps.random(32);
    audit.prepare('INSERT INTO device_keys(private_key, public_key, created_at) VALUES (?, ?, ?)').run([Buffer.from(deviceSeed), Buffer.from(ed25519PublicFromSeed(deviceSeed)), now]);
    zeroize(deviceSeed);
    const meta = audit.prepare('INSERT INTO vault_meta(key, value) VALUES (?, ?)');
    meta.run(['workstation_id', workstationId]);
    meta.run(['created_at', String(now)]);
    writeJournalKey(audit, journalKeys.privateKey, journalId);
    audit.close();
    audit = null;

    const userSlot = await sealSlot(user, 'reviewer', passphrase, keys, deps);
    writeUnlockState(paths.unlockState, deps.counterKey?.() ?? null, initialUnlockState(workstationId));
    resetJournal(journalPath(dir), journalId);
    // Written last: the vault exists once this file does.
    writeSlotFile(paths.slots, { version: SLOT_FILE_VERSION, workstationId, createdAt: now, journal: { publicKey: toBase64(journalKeys.publicKey) }, slots: [userSlot] });
    return { workstationId, signingPublicKey };
  } catch (error) {
    content?.close();
    audit?.close();
    removeIfPresent(paths.content);
    removeIfPresent(paths.audit);
    if (existsSync(paths.unlockState)) unlinkSync(paths.unlockState);
    if (existsSync(journalPath(dir))) unlinkSync(journalPath(dir));
    throw error;
  } finally {
    dropKeys(keys);
    zeroize(journalKeys.privateKey);
  }
}

/** The journal's private key lives inside audit.db: only a passphrase (through the audit key) opens it. */
function writeJournalKey(audit: Database, privateKey: Uint8Array, journalId: string): void {
  const upsert = audit.prepare('INSERT INTO vault_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  upsert.run(['journal_private_key', toBase64(privateKey)]);
  upsert.run(['journal_id', journalId]);
}

/** The pre-sign-in journal's private key, from an open audit.db (the caller zeroes it). */
export function readJournalKey(audit: Database): Uint8Array {
  const value = readMeta(audit, 'journal_private_key');
  if (value === null) throw new RwError('VAULT_DAMAGED', 'The journal key is missing from the audit store.');
  return fromBase64(value);
}

/** Overwrites, syncs and removes a key file (a plain unlink would leave the bytes in free blocks longer). */
function shredFile(path: string, random: (n: number) => Uint8Array): void {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, random(32), 0, 32, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  unlinkSync(path);
}

/**
 * Converts a version 1 vault at its first sign-in: a journal key pair (private key into audit.db), the
 * slot file without the device slot, the attempt record under the new counter key, then device.key
 * overwritten and removed. The slot file is the commit point; a crash after it leaves a device.key that
 * the next sign-in removes.
 */
function migrateLegacyVault(paths: VaultPaths, file: LegacySlotFile, audit: Database, deps: UnlockDeps): void {
  const journalKeys = generateX25519();
  const journalId = newJournalId(randomBytes);
  try {
    writeJournalKey(audit, journalKeys.privateKey, journalId);
    resetJournal(journalPath(paths.dir), journalId);
    writeSlotFile(paths.slots, {
      version: SLOT_FILE_VERSION,
      workstationId: file.workstationId,
      createdAt: file.createdAt,
      journal: { publicKey: toBase64(journalKeys.publicKey) },
      slots: passphraseSlots(file),
    });
  } finally {
    zeroize(journalKeys.privateKey);
  }
  writeUnlockState(paths.unlockState, deps.counterKey?.() ?? null, initialUnlockState(file.workstationId));
  shredFile(paths.deviceKey, randomBytes);
}

export interface NewUser {
  user: string;
  role: UserRole;
  newPassphrase: string;
}

export interface Authorisation {
  asUser: string;
  asPassphrase: string;
}

/** A reviewer adds a reviewer (content + audit keys, a new signing key) or an auditor (audit key only). */
export async function addUser(dir: string, newUser: NewUser, auth: Authorisation, deps: VaultDeps): Promise<void> {
  const paths = vaultPaths(dir);
  const file = requireSlotFile(paths);
  checkUserName(newUser.user);
  checkNewPassphrase(newUser.newPassphrase);
  checkKdfParams(deps.kdf);
  const { slot: authoriser, keys } = await authenticate(paths, file, auth.asUser, auth.asPassphrase, deps);
  try {
    if (authoriser.role !== 'reviewer') throw new RwError('DENIED', 'Only a reviewer may add users.');
    if (findUserSlot(file, newUser.user)) throw new RwError('CONFLICT', 'A user with this name already exists.');
    const newKeys: SlotKeys = { audit: keys.audit, content: null, signing: null };
    if (newUser.role === 'reviewer') {
      newKeys.content = keys.content;
      newKeys.signing = deps.random(32);
      const content = openEncryptedDb(paths.content, keys.content as Uint8Array);
      try {
        runMigrations(content, CONTENT_MIGRATIONS, deps.clock);
        createReviewerKey(content, newUser.user, newKeys.signing, deps.random(32), deps.clock());
      } finally {
        content.close();
      }
    }
    if (file.version === 1) throw new RwError('CONFLICT', 'This vault is from an earlier version: sign in once to convert it, then add users.');
    const slot = await sealSlot(newUser.user, newUser.role, newUser.newPassphrase, newKeys, deps);
    if (newKeys.signing) zeroize(newKeys.signing);
    writeSlotFile(paths.slots, { ...file, slots: [...file.slots, slot] });
  } finally {
    dropKeys(keys);
  }
}

function handle<T>(get: () => T | null, name: string): T {
  const value = get();
  if (value === null) throw new RwError('VAULT_LOCKED', `The vault is locked (${name} is closed).`);
  return value;
}

export async function unlockVault(dir: string, user: string, passphrase: string, deps: UnlockDeps): Promise<UnlockedVault> {
  const paths = vaultPaths(dir);
  const file = requireSlotFile(paths);
  const { slot, keys } = await authenticate(paths, file, user, passphrase, deps);
  let audit: Database | null = null;
  let content: Database | null = null;
  try {
    audit = openEncryptedDb(paths.audit, keys.audit);
    runMigrations(audit, AUDIT_MIGRATIONS, deps.clock);
    checkWorkstation(audit, file.workstationId);
    const migrated = file.version === 1;
    if (file.version === 1) migrateLegacyVault(paths, file, audit, deps);
    // Left over by a migration interrupted after its commit point: no longer needed, and a key.
    else if (existsSync(paths.deviceKey)) shredFile(paths.deviceKey, randomBytes);
    let signingPublicKey: Uint8Array | null = null;
    if (slot.role === 'reviewer') {
      content = openEncryptedDb(paths.content, keys.content as Uint8Array, { cacheKiB: CONTENT_CACHE_KIB });
      runMigrations(content, CONTENT_MIGRATIONS, deps.clock);
      signingPublicKey = reviewerPublicKey(content, slot.user);
    }
    let open = true;
    const auditDb = audit;
    const contentDb = content;
    // Kept while the vault is open (SQLCipher holds the same key in its own memory meanwhile) so the
    // audit worker can open its reader; zeroed at lock.
    const readerKey = Uint8Array.from(keys.audit);
    return {
      user: slot.user,
      role: slot.role,
      workstationId: file.workstationId,
      signingPublicKey,
      migrated,
      get closed() {
        return !open;
      },
      get audit() {
        return handle(() => (open ? auditDb : null), 'audit.db');
      },
      get content() {
        if (slot.role !== 'reviewer') return null;
        return handle(() => (open ? contentDb : null), 'content.db');
      },
      auditReader() {
        return handle(() => (open ? { path: paths.audit, key: Uint8Array.from(readerKey) } : null), 'audit.db');
      },
      close() {
        if (!open) return;
        open = false;
        zeroize(readerKey);
        contentDb?.close();
        auditDb.close();
      },
    };
  } catch (error) {
    content?.close();
    audit?.close();
    throw error;
  } finally {
    dropKeys(keys);
  }
}

/** content.db of an unlocked reviewer vault; DENIED for an auditor, VAULT_LOCKED once closed. */
export function requireContentDb(vault: UnlockedVault): Database {
  const content = vault.content;
  if (content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
  return content;
}

/** Rewraps the user's slot under a new passphrase (and the current KDF parameters); no data is re-encrypted. */
export async function changePassphrase(dir: string, user: string, oldPassphrase: string, newPassphrase: string, deps: VaultDeps): Promise<void> {
  const paths = vaultPaths(dir);
  const file = requireSlotFile(paths);
  checkNewPassphrase(newPassphrase);
  checkKdfParams(deps.kdf);
  const { slot, keys } = await authenticate(paths, file, user, oldPassphrase, deps);
  try {
    if (file.version === 1) throw new RwError('CONFLICT', 'This vault is from an earlier version: sign in once to convert it, then change the passphrase.');
    const rewrapped = await sealSlot(slot.user, slot.role, newPassphrase, keys, deps, slot.createdAt);
    writeSlotFile(paths.slots, { ...file, slots: file.slots.map((s) => (s === slot ? rewrapped : s)) });
  } finally {
    dropKeys(keys);
  }
}

/**
 * Where events go while nobody is signed in: the journal, sealed to the public key in slots.json.
 * Null for a version 1 vault not yet migrated (it has no journal key; the next sign-in makes one, and
 * events before it are not recorded — said in docs/ARCHITECTURE.md).
 */
export function preSignInJournal(dir: string): PreSignInJournal | null {
  const file = requireSlotFile(vaultPaths(dir));
  if (file.version === 1) return null;
  return { workstationId: file.workstationId, path: journalPath(dir), publicKey: fromBase64(file.journal.publicKey) };
}

/** The device's Ed25519 checkpoint-signing key, read from an open audit.db. */
export function readDeviceSigningKey(audit: Database): Ed25519KeyPair {
  const row = audit.prepare('SELECT private_key, public_key FROM device_keys ORDER BY id DESC LIMIT 1').get();
  if (!(row?.private_key instanceof Uint8Array) || !(row.public_key instanceof Uint8Array)) throw new RwError('VAULT_DAMAGED', 'The device signing key is missing.');
  return { privateKey: new Uint8Array(row.private_key), publicKey: new Uint8Array(row.public_key) };
}

/**
 * Step-up for signing (DESIGN §2: reviewer key behind the passphrase): the passphrase is checked again,
 * through the same throttle, and only then is the signing seed unsealed. The caller zeroes privateKey.
 */
export async function unlockSigningKey(dir: string, vault: UnlockedVault, passphrase: string, deps: UnlockDeps): Promise<Ed25519KeyPair> {
  if (vault.role !== 'reviewer' || vault.content === null) throw new RwError('DENIED', 'Only a reviewer holds a signing key.');
  const paths = vaultPaths(dir);
  const file = requireSlotFile(paths);
  const { keys } = await authenticate(paths, file, vault.user, passphrase, deps);
  try {
    return openReviewerKey(vault.content, vault.user, keys.signing as Uint8Array);
  } finally {
    dropKeys(keys);
  }
}

