/**
 * Every cryptographic primitive the project uses, as thin wrappers over node:crypto, so algorithms
 * change in one place. Nothing else imports node:crypto.
 */
import * as nodeCrypto from 'node:crypto';
import { bytesFromBinary } from '../encoding';
import { RwError } from '../errors';

export type Bytes = Uint8Array;

export function randomBytes(length: number): Bytes {
  return new Uint8Array(nodeCrypto.randomBytes(length));
}

/** Below this total size the parts are joined and hashed in one call (node:crypto hash, Node >= 20.12). */
const ONE_SHOT_LIMIT = 64 * 1024;

/**
 * SHA-256 of small data as a 32-character latin1 string, one character per byte. This is node:crypto's
 * cheapest output on Node 20: a digest returned as a Buffer costs about 1.3 µs more per call (a backing
 * store per result) than hashing 500 bytes does, which is what a Merkle tree pays a million times.
 */
export function sha256Binary(data: Bytes): string {
  return nodeCrypto.hash('sha256', data, 'binary');
}

/** SHA-256 of small data as lowercase hex, straight from node:crypto (no digest bytes to convert). */
export function sha256Hex(data: Bytes): string {
  return nodeCrypto.hash('sha256', data, 'hex');
}

export function sha256(...parts: Bytes[]): Bytes {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  if (total <= ONE_SHOT_LIMIT) return bytesFromBinary(sha256Binary(parts.length === 1 ? parts[0]! : Buffer.concat(parts, total)));
  // Large inputs stream without a copy.
  const hash = nodeCrypto.createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

export type Sha256Hasher = { update(chunk: Bytes): void; digest(): Bytes };

/** Incremental SHA-256 for streams (imports hash while they copy). */
export function createSha256(): Sha256Hasher {
  const hash = nodeCrypto.createHash('sha256');
  return {
    update(chunk) {
      hash.update(chunk);
    },
    digest() {
      return new Uint8Array(hash.digest());
    },
  };
}

/** Constant-time comparison for secrets and MACs; unequal lengths return false without early exit on content. */
export function timingSafeEqual(a: Bytes, b: Bytes): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return nodeCrypto.timingSafeEqual(a, b);
}

export function hmacSha256(key: Bytes, ...parts: Bytes[]): Bytes {
  const mac = nodeCrypto.createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

// ---- Ed25519 (RFC 8032; node:crypto verifies strictly, refusing non-canonical S) ----

export interface Ed25519KeyPair {
  /** 32-byte seed: the secret. */
  privateKey: Bytes;
  /** 32-byte public key. */
  publicKey: Bytes;
}

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519PrivateKeyObject(seed: Bytes): nodeCrypto.KeyObject {
  if (seed.byteLength !== 32) throw new RwError('INVALID_INPUT', 'An Ed25519 private key is 32 bytes.');
  return nodeCrypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function ed25519PublicKeyObject(publicKey: Bytes): nodeCrypto.KeyObject {
  if (publicKey.byteLength !== 32) throw new RwError('INVALID_INPUT', 'An Ed25519 public key is 32 bytes.');
  return nodeCrypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function ed25519PublicFromSeed(seed: Bytes): Bytes {
  const spki = nodeCrypto.createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(ED25519_SPKI_PREFIX.length));
}

export function generateEd25519(): Ed25519KeyPair {
  const privateKey = randomBytes(32);
  return { privateKey, publicKey: ed25519PublicFromSeed(privateKey) };
}

export function ed25519Sign(seed: Bytes, message: Bytes): Bytes {
  return ed25519Signer(seed)(message);
}

export function ed25519Verify(publicKey: Bytes, message: Bytes, signature: Bytes): boolean {
  return ed25519Verifier(publicKey)(message, signature);
}

/**
 * A signing function holding the key object, for keys that sign many times (checkpoints): importing the
 * key costs about as much as the signature itself.
 */
export function ed25519Signer(seed: Bytes): (message: Bytes) => Bytes {
  const key = ed25519PrivateKeyObject(seed);
  return (message) => new Uint8Array(nodeCrypto.sign(null, message, key));
}

/** A verifying function holding the key object, for a key that checks many signatures (a log's checkpoints). */
export function ed25519Verifier(publicKey: Bytes): (message: Bytes, signature: Bytes) => boolean {
  let key: nodeCrypto.KeyObject | null = null;
  try {
    key = ed25519PublicKeyObject(publicKey);
  } catch {
    // Not a usable key: every signature is then invalid, as verification reports it.
  }
  return (message, signature) => {
    if (!key || signature.byteLength !== 64) return false;
    try {
      return nodeCrypto.verify(null, message, key, signature);
    } catch {
      return false;
    }
  };
}

// ---- Public keys in PEM (submitter keys, pinned server/policy keys) ----

export type PublicKeyAlgorithm = 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384';

export interface PublicKey {
  algorithm: PublicKeyAlgorithm;
  /** DER SubjectPublicKeyInfo: the canonical form we hash for key ids. */
  spki: Bytes;
}

export function parsePublicKeyPem(pem: string): PublicKey {
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new RwError('INVALID_INPUT', 'Not a PEM public key.');
  }
  return publicKeyFromObject(key);
}

export function publicKeyFromSpki(spki: Bytes): PublicKey {
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new RwError('INVALID_INPUT', 'Not a DER public key.');
  }
  return publicKeyFromObject(key);
}

function publicKeyFromObject(key: nodeCrypto.KeyObject): PublicKey {
  const spki = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  if (key.asymmetricKeyType === 'ed25519') return { algorithm: 'ed25519', spki };
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return { algorithm: 'ecdsa-p256', spki };
    if (curve === 'secp384r1') return { algorithm: 'ecdsa-p384', spki };
  }
  throw new RwError('INVALID_INPUT', 'Unsupported public key type (Ed25519, ECDSA P-256 or P-384 expected).');
}

export function publicKeyToPem(key: PublicKey): string {
  return nodeCrypto.createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
}

export function ed25519PublicKey(raw: Bytes): PublicKey {
  return { algorithm: 'ed25519', spki: new Uint8Array(ed25519PublicKeyObject(raw).export({ format: 'der', type: 'spki' })) };
}

export function ed25519RawFromPublicKey(key: PublicKey): Bytes {
  if (key.algorithm !== 'ed25519') throw new RwError('INVALID_INPUT', 'Not an Ed25519 key.');
  return key.spki.subarray(ED25519_SPKI_PREFIX.length);
}

/** A public key as an RFC 7517/7518 JWK: EC (P-256/P-384, x and y base64url) or OKP Ed25519 (x). */
export type PublicJwk = { kty: 'EC'; crv: 'P-256' | 'P-384'; x: string; y: string } | { kty: 'OKP'; crv: 'Ed25519'; x: string };

/**
 * Import a JWK public key (specs and test vectors publish keys as coordinates, e.g. the DSSE protocol
 * example). node:crypto checks that EC points lie on the curve.
 */
export function publicKeyFromJwk(jwk: PublicJwk): PublicKey {
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPublicKey({ key: { ...jwk }, format: 'jwk' });
  } catch {
    throw new RwError('INVALID_INPUT', 'Not a valid JWK public key.');
  }
  return publicKeyFromObject(key);
}

export type SignatureEncoding = 'der' | 'ieee-p1363';

/**
 * Importing a public key costs about twice an Ed25519 verification (measured by bench/server.ts), and a
 * server verifies many envelopes under the same few keys: parsed KeyObjects are kept, keyed by their
 * exact DER bytes, in a small map that is emptied when full (no eviction bookkeeping, bounded memory).
 */
const PUBLIC_KEY_OBJECT_CACHE_MAX = 1024;
const publicKeyObjects = new Map<string, nodeCrypto.KeyObject>();

function publicKeyObject(spki: Bytes): nodeCrypto.KeyObject {
  const id = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength).toString('base64');
  let keyObject = publicKeyObjects.get(id);
  if (keyObject === undefined) {
    keyObject = nodeCrypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    if (publicKeyObjects.size >= PUBLIC_KEY_OBJECT_CACHE_MAX) publicKeyObjects.clear();
    publicKeyObjects.set(id, keyObject);
  }
  return keyObject;
}

/**
 * Verify with any supported public key. ECDSA hashes with SHA-256 for P-256 and SHA-384 for P-384
 * (the pairing OMS and Sigstore use). Returns false for any malformed input rather than throwing.
 */
export function verifySignature(key: PublicKey, message: Bytes, signature: Bytes, encoding: SignatureEncoding = 'der'): boolean {
  try {
    const keyObject = publicKeyObject(key.spki);
    if (key.algorithm === 'ed25519') return signature.byteLength === 64 && nodeCrypto.verify(null, message, keyObject, signature);
    const hash = key.algorithm === 'ecdsa-p256' ? 'sha256' : 'sha384';
    return nodeCrypto.verify(hash, message, { key: keyObject, dsaEncoding: encoding }, signature);
  } catch {
    return false;
  }
}

// ---- Private keys in PEM (submitter signing for `rwctl package sign`, admin keys) ----

export interface PrivateKey {
  algorithm: PublicKeyAlgorithm;
  pkcs8: Bytes;
}

export function parsePrivateKeyPem(pem: string): PrivateKey {
  let key: nodeCrypto.KeyObject;
  try {
    key = nodeCrypto.createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new RwError('INVALID_INPUT', 'Not a PEM private key (encrypted keys are not supported).');
  }
  const { algorithm } = publicKeyFromObject(nodeCrypto.createPublicKey(key));
  return { algorithm, pkcs8: new Uint8Array(key.export({ format: 'der', type: 'pkcs8' })) };
}

export function privateKeyToPem(key: PrivateKey): string {
  return nodeCrypto.createPrivateKey({ key: Buffer.from(key.pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyOf(key: PrivateKey): PublicKey {
  const keyObject = nodeCrypto.createPrivateKey({ key: Buffer.from(key.pkcs8), format: 'der', type: 'pkcs8' });
  return publicKeyFromObject(nodeCrypto.createPublicKey(keyObject));
}

export function generateKeyPair(algorithm: PublicKeyAlgorithm): PrivateKey {
  const { privateKey } =
    algorithm === 'ed25519'
      ? nodeCrypto.generateKeyPairSync('ed25519')
      : nodeCrypto.generateKeyPairSync('ec', { namedCurve: algorithm === 'ecdsa-p256' ? 'prime256v1' : 'secp384r1' });
  return { algorithm, pkcs8: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })) };
}

/** Signs with DER-encoded ECDSA (what Sigstore bundles carry) or plain Ed25519. */
export function signWith(key: PrivateKey, message: Bytes): Bytes {
  const keyObject = nodeCrypto.createPrivateKey({ key: Buffer.from(key.pkcs8), format: 'der', type: 'pkcs8' });
  if (key.algorithm === 'ed25519') return new Uint8Array(nodeCrypto.sign(null, message, keyObject));
  return new Uint8Array(nodeCrypto.sign(key.algorithm === 'ecdsa-p256' ? 'sha256' : 'sha384', message, keyObject));
}

// ---- AES-256-GCM (key slots, wrapped keys) ----

export interface Sealed {
  iv: Bytes;
  ciphertext: Bytes;
  tag: Bytes;
}

export function aesGcmSeal(key: Bytes, plaintext: Bytes, associatedData: Bytes): Sealed {
  if (key.byteLength !== 32) throw new RwError('INTERNAL', 'AES-256-GCM needs a 32-byte key.');
  const iv = randomBytes(12);
  const cipher = nodeCrypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData);
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final()]));
  return { iv, ciphertext, tag: new Uint8Array(cipher.getAuthTag()) };
}

/** Returns null when the tag does not verify (wrong key or altered data): callers decide what that means. */
export function aesGcmOpen(key: Bytes, sealed: Sealed, associatedData: Bytes): Bytes | null {
  if (key.byteLength !== 32 || sealed.iv.byteLength !== 12 || sealed.tag.byteLength !== 16) return null;
  try {
    const decipher = nodeCrypto.createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.tag);
    return new Uint8Array(Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]));
  } catch {
    return null;
  }
}
