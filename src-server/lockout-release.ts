/**
 * The central office's side of lockout recovery (src-shared/lockout-release.ts): a release for one
 * workstation and its failure count, signed with the policy key, which every workstation's trust root
 * already holds.
 */
import { canonicalBytes } from '../src-shared/canonical-json';
import { LOCKOUT_RELEASE_PAYLOAD_TYPE } from '../src-shared/attestation-types';
import { signEnvelope, type DsseEnvelope } from '../src-shared/node/dsse';
import { ed25519PublicFromSeed, ed25519Sign, sha256 } from '../src-shared/node/crypto';
import { toHex } from '../src-shared/encoding';
import { LOCKOUT_RELEASE_TYPE, lockoutReleaseSchema } from '../src-shared/lockout-release';

export function signLockoutRelease(policySeed: Uint8Array, input: { workstation: string; failures: number; issuedAt: number }): DsseEnvelope {
  const release = lockoutReleaseSchema.parse({ _type: LOCKOUT_RELEASE_TYPE, ...input });
  const keyid = toHex(sha256(ed25519PublicFromSeed(policySeed)));
  return signEnvelope(LOCKOUT_RELEASE_PAYLOAD_TYPE, canonicalBytes(release), [{ keyid, sign: (message) => ed25519Sign(policySeed, message) }]);
}
