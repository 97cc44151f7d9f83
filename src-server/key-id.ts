/** Enrolled key ids: sha256 hex of the raw 32-byte Ed25519 public key (the predicate's reviewer.publicKeyId). */
import { sha256 } from '../src-shared/node/crypto';
import { toHex } from '../src-shared/encoding';

export function enrolledKeyId(rawPublicKey: Uint8Array): string {
  return toHex(sha256(rawPublicKey));
}
