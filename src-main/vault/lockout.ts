/**
 * Recovering from a lockout (unlock-throttle.ts): reading who is locked out, another reviewer clearing
 * a user's count, and applying a release file from the central office. All work before anyone signs in
 * (the lock screen and rwctl use them on a locked workstation); callers log what happened.
 */
import { readFileSync } from 'node:fs';
import { LOCKOUT_RELEASE_PAYLOAD_TYPE } from '../../src-shared/attestation-types';
import { verifyEnvelope } from '../../src-shared/node/dsse';
import { ed25519PublicKey } from '../../src-shared/node/crypto';
import { isRwError, RwError } from '../../src-shared/errors';
import { lockoutReleaseSchema, MAX_LOCKOUT_RELEASE_BYTES, type LockoutRelease } from '../../src-shared/lockout-release';
import { parseStrictJson } from '../../src-shared/strict-json';
import { findUserSlot, readSlotFile, userKey } from './key-slots';
import { applyReleaseCount, clearUserCount, DEFAULT_LOCKOUT, lockoutView, readUnlockState, type LockoutPolicy, type LockoutView } from './unlock-throttle';
import { vaultPaths } from './vault-files';

export interface LockoutDeps {
  policy?: LockoutPolicy;
  counterKey?(): Uint8Array | null;
}

function slotFile(dir: string) {
  const file = readSlotFile(vaultPaths(dir).slots);
  if (!file) throw new RwError('VAULT_MISSING', 'No vault exists in this folder.');
  return file;
}

function isKeyedRecord(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { mac?: unknown }).mac != null;
  } catch {
    return false;
  }
}

function withKey<T>(deps: LockoutDeps, act: (key: Uint8Array | null) => T, writes?: string): T {
  const key = deps.counterKey?.() ?? null;
  // rwctl has no keystore: it must not rewrite a record the app's keystore key MACs (a plain copy would lock the app out).
  if (writes !== undefined && key === null && isKeyedRecord(writes)) throw new RwError('DENIED', 'This workstation keeps its unlock record under the OS keystore: clear the lockout from the app.');
  try {
    return act(key);
  } finally {
    key?.fill(0);
  }
}

/** Who is locked out, with the names as the slots spell them. */
export function readLockouts(dir: string, deps: LockoutDeps = {}): LockoutView {
  const file = slotFile(dir);
  const view = withKey(deps, (key) => lockoutView(readUnlockState(vaultPaths(dir).unlockState, key, file.workstationId), deps.policy ?? DEFAULT_LOCKOUT));
  const names = new Map(file.slots.flatMap((s) => (s.kind === 'passphrase' ? [[userKey(s.user), s.user] as const] : [])));
  return { ...view, users: view.users.flatMap((u) => (names.has(u.user) ? [{ ...u, user: names.get(u.user) as string }] : [])) };
}

/**
 * Clears `target`'s count on behalf of `by`, a reviewer whose passphrase the caller has checked. A user
 * never clears their own lockout (that would make it no lockout at all). Returns the names as stored.
 */
export function clearUserLockout(dir: string, target: string, by: { user: string; role: string }, deps: LockoutDeps = {}): { user: string; failures: number } {
  const file = slotFile(dir);
  if (by.role !== 'reviewer') throw new RwError('DENIED', 'Only a reviewer may clear a lockout.');
  const slot = findUserSlot(file, target);
  if (!slot) throw new RwError('NOT_FOUND', `There is no user named ${target}.`);
  if (userKey(slot.user) === userKey(by.user)) throw new RwError('DENIED', 'Nobody clears their own lockout: ask another reviewer.');
  const failures = withKey(deps, (key) => clearUserCount(vaultPaths(dir).unlockState, key, file.workstationId, userKey(slot.user)), vaultPaths(dir).unlockState);
  return { user: slot.user, failures };
}

/** Verifies a release file's signature under the trust root's policy keys, then parses it. */
export function verifyLockoutRelease(bytes: Uint8Array, policyKeys: readonly Uint8Array[]): LockoutRelease {
  if (bytes.byteLength > MAX_LOCKOUT_RELEASE_BYTES) throw new RwError('TOO_LARGE', 'That file is too large to be a lockout release.');
  if (policyKeys.length === 0) throw new RwError('SIGNATURE_INVALID', 'No trust root is installed on this machine, so no release can be verified.');
  let payload: Uint8Array;
  try {
    const envelope = parseStrictJson(bytes, { maxBytes: MAX_LOCKOUT_RELEASE_BYTES, maxDepth: 8 });
    payload = verifyEnvelope(envelope, policyKeys.map(ed25519PublicKey), { expectedPayloadType: LOCKOUT_RELEASE_PAYLOAD_TYPE, maxSignatures: 4 }).payload;
  } catch (error) {
    if (isRwError(error) && error.code === 'SIGNATURE_INVALID') throw new RwError('SIGNATURE_INVALID', 'The release is not signed by the central office (its signature does not verify under the trust root).');
    throw new RwError('INVALID_INPUT', 'That file is not a lockout release (a signed envelope from `rwctl server lockout-release`).');
  }
  const parsed = lockoutReleaseSchema.safeParse(parseStrictJson(payload, { maxBytes: MAX_LOCKOUT_RELEASE_BYTES, maxDepth: 4 }));
  if (!parsed.success) throw new RwError('INVALID_INPUT', 'The signed release does not match the lockout-release format.');
  return parsed.data;
}

/** Verifies and applies a release; on success the workstation and every user may try again. */
export function applyLockoutRelease(dir: string, bytes: Uint8Array, policyKeys: readonly Uint8Array[], deps: LockoutDeps = {}): LockoutRelease {
  const file = slotFile(dir);
  const release = verifyLockoutRelease(bytes, policyKeys);
  withKey(deps, (key) => applyReleaseCount(vaultPaths(dir).unlockState, key, file.workstationId, release, deps.policy ?? DEFAULT_LOCKOUT), vaultPaths(dir).unlockState);
  return release;
}
