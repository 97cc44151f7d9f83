/**
 * C2SP tlog-cosignature v1, Ed25519 flavour (c2sp.org/tlog-cosignature): a witness's timestamped
 * statement that a checkpoint is the largest consistent tree it has seen for that origin.
 *
 * - key ID = SHA-256(name || 0x0A || 0x04 || 32-byte public key)[:4] (type 0x04 keeps cosignatures from
 *   being confused with plain note signatures by the same key);
 * - signed message = "cosignature/v1\n" || "time <unix seconds>\n" || checkpoint note text;
 * - signature-line payload = uint64 big-endian timestamp || 64-byte Ed25519 signature.
 */
import { RwError } from '../errors';
import { utf8 } from '../encoding';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from './crypto';
import { parseCheckpoint } from './checkpoint';
import {
  formatSignatureLine,
  formatVerifierKey,
  isValidKeyName,
  noteKeyId,
  NOTE_ALG_COSIGNATURE_V1,
  parseVerifierKeyString,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
} from './signed-note';

export const COSIGNATURE_V1_HEADER = 'cosignature/v1';

/** The signature-line payload: 8-byte timestamp plus 64-byte Ed25519 signature. */
export const COSIGNATURE_V1_SIZE = 72;

export interface Cosignature {
  /** POSIX seconds at which the witness cosigned. */
  timestamp: number;
  signature: Uint8Array;
}

function checkTimestamp(timestamp: number): void {
  // The spec caps it at 2^63 - 1; a JS number is exact only up to 2^53 - 1, far beyond any real clock.
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RwError('INVALID_INPUT', 'A cosignature timestamp must be a non-negative integer of seconds.');
}

export function cosignatureKeyId(name: string, publicKey: Uint8Array): number {
  return noteKeyId(name, NOTE_ALG_COSIGNATURE_V1, publicKey);
}

/** The exact bytes an Ed25519 v1 cosignature signs. `checkpointText` is the note text, final newline included. */
export function cosignatureMessage(timestamp: number, checkpointText: Uint8Array): Uint8Array {
  checkTimestamp(timestamp);
  const header = utf8(`${COSIGNATURE_V1_HEADER}\ntime ${timestamp}\n`);
  const out = new Uint8Array(header.byteLength + checkpointText.byteLength);
  out.set(header, 0);
  out.set(checkpointText, header.byteLength);
  return out;
}

/** Split a signature-line payload into timestamp and signature. Throws INVALID_INPUT. */
export function parseCosignature(payload: Uint8Array): Cosignature {
  if (payload.byteLength !== COSIGNATURE_V1_SIZE) throw new RwError('INVALID_INPUT', 'A v1 cosignature is 72 bytes.');
  const view = new DataView(payload.buffer, payload.byteOffset, 8);
  const timestamp = view.getBigUint64(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) throw new RwError('INVALID_INPUT', 'The cosignature timestamp is out of range.');
  return { timestamp: Number(timestamp), signature: payload.slice(8) };
}

export function formatCosignature(cosignature: Cosignature): Uint8Array {
  checkTimestamp(cosignature.timestamp);
  if (cosignature.signature.byteLength !== 64) throw new RwError('INVALID_INPUT', 'An Ed25519 signature is 64 bytes.');
  const out = new Uint8Array(COSIGNATURE_V1_SIZE);
  new DataView(out.buffer).setBigUint64(0, BigInt(cosignature.timestamp));
  out.set(cosignature.signature, 8);
  return out;
}

export interface CosignatureVerifierOptions {
  /**
   * Current time in UTC milliseconds and the allowed skew: cosignatures stamped further in the future
   * are refused (the spec lets verifiers do so; a future stamp would outlive later, honest ones).
   */
  now?: () => number;
  maxFutureSkewSeconds?: number;
}

/** A note verifier for a witness's Ed25519 v1 cosignatures, for openNote/openCheckpoint. */
export function cosignatureVerifier(name: string, publicKey: Uint8Array, options: CosignatureVerifierOptions = {}): NoteVerifier {
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Invalid cosigner name.');
  if (publicKey.byteLength !== 32) throw new RwError('INVALID_INPUT', 'An Ed25519 public key is 32 bytes.');
  return {
    name,
    keyId: cosignatureKeyId(name, publicKey),
    verify(text, payload) {
      let cosignature: Cosignature;
      try {
        cosignature = parseCosignature(payload);
      } catch {
        return false;
      }
      if (options.now && cosignature.timestamp > Math.floor(options.now() / 1000) + (options.maxFutureSkewSeconds ?? 0)) return false;
      return ed25519Verify(publicKey, cosignatureMessage(cosignature.timestamp, text), cosignature.signature);
    },
  };
}

/** A verifier from a type-0x04 vkey (`name+keyid+base64(0x04 || pub)`). */
export function parseCosignatureVerifierKey(vkey: string, options: CosignatureVerifierOptions = {}): NoteVerifier {
  const parsed = parseVerifierKeyString(vkey);
  if (parsed.algorithm !== NOTE_ALG_COSIGNATURE_V1) throw new RwError('INVALID_INPUT', 'Not a cosignature (type 0x04) verifier key.');
  return cosignatureVerifier(parsed.name, parsed.publicKey, options);
}

export function formatCosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(name, NOTE_ALG_COSIGNATURE_V1, publicKey);
}

/**
 * A note signer that cosigns at the clock's current second. `clock` returns UTC milliseconds (the
 * project's clock convention).
 */
export function cosignatureSigner(name: string, seed: Uint8Array, clock: () => number): NoteSigner {
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Invalid cosigner name.');
  const publicKey = ed25519PublicFromSeed(seed);
  return {
    name,
    keyId: cosignatureKeyId(name, publicKey),
    sign(text) {
      const timestamp = Math.floor(clock() / 1000);
      return formatCosignature({ timestamp, signature: ed25519Sign(seed, cosignatureMessage(timestamp, text)) });
    },
  };
}

/**
 * Cosign checkpoint note text (as returned by openCheckpoint/openNote, final newline included); returns the
 * signature line (with newline) a witness sends back. Refuses text that is not a well-formed checkpoint so a
 * witness key never signs anything else.
 */
export function cosignCheckpoint(checkpointText: string, name: string, seed: Uint8Array, timestamp: number): string {
  parseCheckpoint(checkpointText);
  const signer = cosignatureSigner(name, seed, () => timestamp * 1000);
  const signature: NoteSignature = { name, keyId: signer.keyId, signature: signer.sign(utf8(checkpointText)) };
  return formatSignatureLine(signature);
}
