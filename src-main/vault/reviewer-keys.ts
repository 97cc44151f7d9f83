/**
 * Reviewers' Ed25519 signing keys (DESIGN §4: signs attestations, step-up passphrase to use). The seed
 * is stored in content.db sealed with AES-256-GCM under a per-reviewer wrap key that exists only inside
 * that reviewer's key slot: another reviewer who can read content.db cannot sign as them, and a
 * passphrase change rewraps the slot without touching this table.
 */
import type { Database } from '@signalapp/sqlcipher';
import { aesGcmOpen, aesGcmSeal, ed25519PublicFromSeed, type Ed25519KeyPair } from '../../src-shared/node/crypto';
import { concatBytes, utf8, zeroize } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';

function aad(user: string): Uint8Array {
  return utf8(`rw-reviewer-key\0${user.normalize('NFC')}`);
}

/** Creates (or replaces an orphaned) signing key for `user`; returns the public key. */
export function createReviewerKey(db: Database, user: string, wrapKey: Uint8Array, seed: Uint8Array, createdAt: number): Uint8Array {
  const publicKey = ed25519PublicFromSeed(seed);
  const sealed = aesGcmSeal(wrapKey, seed, aad(user));
  const blob = concatBytes(sealed.iv, sealed.ciphertext, sealed.tag);
  db.prepare('INSERT OR REPLACE INTO reviewer_keys(user, public_key, sealed_private_key, created_at) VALUES (?, ?, ?, ?)').run([user, Buffer.from(publicKey), Buffer.from(blob), createdAt]);
  zeroize(seed);
  return publicKey;
}

export function reviewerPublicKey(db: Database, user: string): Uint8Array | null {
  const row = db.prepare('SELECT public_key FROM reviewer_keys WHERE user = ?').get([user]);
  return row?.public_key instanceof Uint8Array ? new Uint8Array(row.public_key) : null;
}

export function openReviewerKey(db: Database, user: string, wrapKey: Uint8Array): Ed25519KeyPair {
  const row = db.prepare('SELECT public_key, sealed_private_key FROM reviewer_keys WHERE user = ?').get([user]);
  const blob = row?.sealed_private_key;
  if (!(blob instanceof Uint8Array) || blob.byteLength !== 12 + 32 + 16) throw new RwError('NOT_FOUND', 'No signing key exists for this reviewer.');
  const seed = aesGcmOpen(wrapKey, { iv: blob.subarray(0, 12), ciphertext: blob.subarray(12, 44), tag: blob.subarray(44) }, aad(user));
  if (seed === null) throw new RwError('VAULT_DAMAGED', 'The signing key cannot be opened; it is damaged or belongs to another reviewer.');
  return { privateKey: seed, publicKey: ed25519PublicFromSeed(seed) };
}
