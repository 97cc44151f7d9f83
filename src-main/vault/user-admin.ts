/**
 * Removing a user: a reviewer, proving it with their passphrase (through the same throttle as an
 * unlock), drops another user's key slot. The last reviewer is never removed: without one, nobody could
 * open content.db again or add anyone. Nothing is re-encrypted: the data keys stay the same, so a copy
 * of the slot file taken before the removal still opens a copy of the vault taken at the same time;
 * removal stops future sign-ins on this workstation, it does not claw back what was already copied.
 * The reviewer's public signing key stays in content.db so attestations they signed still verify.
 */
import { RwError } from '../../src-shared/errors';
import { findUserSlot, readSlotFile, userKey, writeSlotFile } from './key-slots';
import { unlockVault, type Authorisation, type UnlockDeps, type UserRole } from './vault';
import { vaultPaths } from './vault-files';

/** Checks that `auth` is a reviewer's correct passphrase (counted like an unlock) and returns the name as stored. */
export async function authoriseReviewer(dir: string, auth: Authorisation, deps: UnlockDeps, action: string): Promise<string> {
  const vault = await unlockVault(dir, auth.asUser, auth.asPassphrase, deps);
  try {
    if (vault.role !== 'reviewer') throw new RwError('DENIED', `Only a reviewer may ${action}.`);
    return vault.user;
  } finally {
    vault.close();
  }
}

export interface RemovedUser {
  user: string;
  role: UserRole;
}

/**
 * Drops `target`'s slot on behalf of `by`, a reviewer whose passphrase the caller has already checked
 * (the app asks for it again; rwctl signs in as them). Refuses the last reviewer.
 */
export function dropUserSlot(dir: string, target: string, by: string): RemovedUser {
  const paths = vaultPaths(dir);
  // Read after the (slow) passphrase check, so a change made meanwhile is not overwritten.
  const file = readSlotFile(paths.slots);
  if (!file) throw new RwError('VAULT_MISSING', 'No vault exists in this folder.');
  // A vault of the earlier format is converted at its next sign-in; its slot file is never rewritten here.
  if (file.version !== 2) throw new RwError('CONFLICT', 'Sign in once to convert this vault to the current format, then remove the user.');
  const slot = findUserSlot(file, target);
  if (!slot) throw new RwError('NOT_FOUND', `There is no user named ${target}.`);
  const reviewersLeft = file.slots.filter((s) => s.kind === 'passphrase' && s.role === 'reviewer' && s !== slot).length;
  if (slot.role === 'reviewer' && reviewersLeft === 0) {
    throw new RwError('DENIED', `${slot.user} is the last reviewer and cannot be removed: add another reviewer first.`, { reason: 'last-reviewer' });
  }
  if (userKey(slot.user) === userKey(by)) throw new RwError('DENIED', 'You cannot remove yourself; ask another reviewer.');
  writeSlotFile(paths.slots, { ...file, slots: file.slots.filter((s) => s !== slot) });
  return { user: slot.user, role: slot.role };
}

export async function removeUser(dir: string, target: string, auth: Authorisation, deps: UnlockDeps): Promise<RemovedUser> {
  if (!readSlotFile(vaultPaths(dir).slots)) throw new RwError('VAULT_MISSING', 'No vault exists in this folder.');
  const by = await authoriseReviewer(dir, auth, deps, 'remove users');
  return dropUserSlot(dir, target, by);
}
