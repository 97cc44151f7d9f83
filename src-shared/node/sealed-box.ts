/**
 * Sealing to a public key (HPKE-style, the base mode of RFC 9180 in spirit): a fresh X25519 key pair per
 * message, the shared secret through HKDF-SHA256 into an AES-256-GCM key, the ephemeral public key sent
 * along. Whoever writes needs only the recipient's public key, so the access log can take events while
 * nobody is signed in without any secret lying in the vault folder (DESIGN §4: pre-sign-in journal).
 *
 * Both public keys go into the HKDF salt, so a sealed box cannot be re-targeted at another recipient,
 * and the caller's associated data binds each box to its place (journal id, sequence number).
 */
import * as nodeCrypto from 'node:crypto';
import { aesGcmOpen, aesGcmSeal, type Bytes } from './crypto';
import { concatBytes, utf8, zeroize } from '../encoding';
import { RwError } from '../errors';

/** RFC 8410 encodings around the 32 raw bytes, so raw keys import without a JWK round trip. */
const PKCS8_X25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const SPKI_X25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);
const INFO = utf8('rw-sealed-box/v1 x25519-hkdf-sha256-aes256gcm');

export interface X25519KeyPair {
  privateKey: Bytes;
  publicKey: Bytes;
}

export interface SealedBox {
  /** The sender's one-time X25519 public key. */
  epk: Bytes;
  iv: Bytes;
  ciphertext: Bytes;
  tag: Bytes;
}

function privateKeyObject(raw: Bytes): nodeCrypto.KeyObject {
  if (raw.byteLength !== 32) throw new RwError('INTERNAL', 'An X25519 private key is 32 bytes.');
  return nodeCrypto.createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_X25519_PREFIX, raw)), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(raw: Bytes): nodeCrypto.KeyObject {
  if (raw.byteLength !== 32) throw new RwError('INTERNAL', 'An X25519 public key is 32 bytes.');
  return nodeCrypto.createPublicKey({ key: Buffer.from(concatBytes(SPKI_X25519_PREFIX, raw)), format: 'der', type: 'spki' });
}

function rawPublic(key: nodeCrypto.KeyObject): Bytes {
  const der = new Uint8Array(key.export({ format: 'der', type: 'spki' }));
  return der.slice(der.byteLength - 32);
}

function rawPrivate(key: nodeCrypto.KeyObject): Bytes {
  const der = new Uint8Array(key.export({ format: 'der', type: 'pkcs8' }));
  return der.slice(der.byteLength - 32);
}

export function generateX25519(): X25519KeyPair {
  const { privateKey, publicKey } = nodeCrypto.generateKeyPairSync('x25519');
  return { privateKey: rawPrivate(privateKey), publicKey: rawPublic(publicKey) };
}

export function x25519PublicFromPrivate(privateKey: Bytes): Bytes {
  return rawPublic(nodeCrypto.createPublicKey(privateKeyObject(privateKey)));
}

/** Null for a low-order peer key (OpenSSL refuses the all-zero shared secret) or a malformed one. */
function sharedKey(privateKey: Bytes, peerPublic: Bytes, epk: Bytes, recipient: Bytes): Bytes | null {
  let shared: Uint8Array;
  try {
    shared = new Uint8Array(nodeCrypto.diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(peerPublic) }));
  } catch {
    return null;
  }
  if (shared.every((b) => b === 0)) return null;
  const key = new Uint8Array(nodeCrypto.hkdfSync('sha256', shared, concatBytes(epk, recipient), INFO, 32));
  zeroize(shared);
  return key;
}

/** Seals `plaintext` so that only the holder of `recipient`'s private key can open it. */
export function sealTo(recipient: Bytes, plaintext: Bytes, associatedData: Bytes): SealedBox {
  if (recipient.byteLength !== 32) throw new RwError('INTERNAL', 'An X25519 public key is 32 bytes.');
  const ephemeral = generateX25519();
  try {
    const key = sharedKey(ephemeral.privateKey, recipient, ephemeral.publicKey, recipient);
    if (!key) throw new RwError('INTERNAL', 'The recipient key is not a usable X25519 public key.');
    try {
      return { epk: ephemeral.publicKey, ...aesGcmSeal(key, plaintext, associatedData) };
    } finally {
      zeroize(key);
    }
  } finally {
    zeroize(ephemeral.privateKey);
  }
}

/** Null when the box was not sealed to this key, or was altered, or moved (other associated data). */
export function openSealed(privateKey: Bytes, box: SealedBox, associatedData: Bytes): Bytes | null {
  if (box.epk.byteLength !== 32) return null;
  const recipient = x25519PublicFromPrivate(privateKey);
  const key = sharedKey(privateKey, box.epk, box.epk, recipient);
  if (!key) return null;
  try {
    return aesGcmOpen(key, { iv: box.iv, ciphertext: box.ciphertext, tag: box.tag }, associatedData);
  } finally {
    zeroize(key);
  }
}
