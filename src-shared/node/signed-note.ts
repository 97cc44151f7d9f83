/**
 * C2SP signed-note v1.0.0 (c2sp.org/signed-note): text signed by one or more keys, the envelope of
 * checkpoints and their cosignatures.
 *
 *     <text ending in \n>
 *     <blank line>
 *     — <key name> base64(key ID (4 bytes, big-endian) || signature)
 *     ...
 *
 * Rules enforced here (threat in brackets):
 * - text is never returned unless a trusted key verified it [acting on forged checkpoints];
 * - signatures are matched on (name, key ID) only to pick the key; unknown ones are returned as unverified,
 *   never trusted [keyid confusion]; a known key whose signature fails rejects the whole note (spec SHOULD);
 * - at most `maxSignatures` signature lines are looked at [CPU exhaustion by a flood of lines];
 * - a second signature from the same known key is refused [ambiguous notes];
 * - valid UTF-8, no control characters but newline, no byte-order mark [parser differentials].
 */
import { RwError } from '../errors';
import { bytesEqual, fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from '../encoding';
import { ed25519PublicFromSeed, ed25519Signer, ed25519Verifier, sha256 } from './crypto';

/** signed-note §Signature types: Ed25519 over the note text. */
export const NOTE_ALG_ED25519 = 0x01;
/** tlog-cosignature v1: timestamped Ed25519 checkpoint cosignature. */
export const NOTE_ALG_COSIGNATURE_V1 = 0x04;

/** The spec says verifiers MUST accept at least 16 signatures. */
export const NOTE_DEFAULT_MAX_SIGNATURES = 16;
/** Far above any checkpoint; bounds the work done before any signature check. */
export const NOTE_DEFAULT_MAX_BYTES = 64 * 1024;

const SIG_PREFIX = '\u2014 ';

/** Checks a note signer/verifier performs on the exact text bytes (`sig` without the 4-byte key ID). */
export interface NoteVerifier {
  name: string;
  /** uint32 key ID. */
  keyId: number;
  verify(text: Uint8Array, sig: Uint8Array): boolean;
}

export interface NoteSigner {
  name: string;
  keyId: number;
  /** Returns the signature bytes that follow the key ID in the signature line. */
  sign(text: Uint8Array): Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyId: number;
  /** The signature bytes after the key ID. */
  signature: Uint8Array;
}

export interface OpenedNote {
  /** The note text, final newline included: trusted only because verifiedBy is non-empty. */
  text: string;
  /** Signatures that a configured verifier checked, in note order. */
  verifiedBy: NoteSignature[];
  /** Signatures from keys no verifier matches (name and key ID): ignored, returned for diagnostics. */
  unverified: NoteSignature[];
}

export interface OpenNoteOptions {
  /** Refuse notes with more signature lines (INVALID_INPUT). Default 16. */
  maxSignatures?: number;
  /** Refuse larger notes (TOO_LARGE). Default 64 KiB. */
  maxBytes?: number;
}

function malformed(message: string): never {
  throw new RwError('INVALID_INPUT', `Malformed signed note: ${message}.`);
}

/** Key names are non-empty, contain no Unicode space and no '+' (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && !/[\u0000-\u001f]/.test(name);
}

/** True when the text has no ASCII control character other than newline. */
function hasOnlyAllowedControls(text: string): boolean {
  return !/[\u0000-\u0009\u000b-\u001f]/.test(text);
}

/** The text rules shared by signing and opening: ends in newline, no forbidden controls, no BOM. */
function checkText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) malformed('the text must end with a newline');
  if (!hasOnlyAllowedControls(text)) malformed('control characters other than newline are not allowed');
  if (text.startsWith('\ufeff')) malformed('a byte-order mark is not allowed');
}

/** The 32-bit key ID: SHA-256(name || 0x0A || algorithm || public key)[:4], big-endian. */
export function noteKeyId(name: string, algorithm: number, publicKey: Uint8Array): number {
  const digest = sha256(utf8(name), new Uint8Array([0x0a, algorithm]), publicKey);
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

function keyIdBytes(keyId: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, keyId);
  return out;
}

function keyIdHex(keyId: number): string {
  return toHex(keyIdBytes(keyId));
}

// ---- keys ----

/** An Ed25519 (type 0x01) verifier for `name`. */
export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Invalid note key name.');
  if (publicKey.byteLength !== 32) throw new RwError('INVALID_INPUT', 'An Ed25519 public key is 32 bytes.');
  return { name, keyId: noteKeyId(name, NOTE_ALG_ED25519, publicKey), verify: ed25519Verifier(publicKey) };
}

/** An Ed25519 (type 0x01) signer for `name` from a 32-byte seed. */
export function ed25519NoteSigner(name: string, seed: Uint8Array): NoteSigner {
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Invalid note key name.');
  const publicKey = ed25519PublicFromSeed(seed);
  return { name, keyId: noteKeyId(name, NOTE_ALG_ED25519, publicKey), sign: ed25519Signer(seed) };
}

export interface ParsedVerifierKey {
  name: string;
  keyId: number;
  algorithm: number;
  publicKey: Uint8Array;
}

/**
 * Parse a vkey `<name>+<hex key ID>+<base64(type || public key)>`, splitting on the first two '+' only
 * (the base64 may contain '+'). The key ID must equal the one computed from name, type and key.
 */
export function parseVerifierKeyString(vkey: string): ParsedVerifierKey {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new RwError('INVALID_INPUT', 'Malformed verifier key: expected name+keyid+key.');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const keyB64 = vkey.slice(second + 1);
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Malformed verifier key: invalid key name.');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new RwError('INVALID_INPUT', 'Malformed verifier key: the key ID must be 8 lowercase hex digits.');
  const material = fromBase64(keyB64);
  if (material.byteLength < 2) throw new RwError('INVALID_INPUT', 'Malformed verifier key: no key material.');
  const algorithm = material[0]!;
  const publicKey = material.slice(1);
  if ((algorithm === NOTE_ALG_ED25519 || algorithm === NOTE_ALG_COSIGNATURE_V1) && publicKey.byteLength !== 32) {
    throw new RwError('INVALID_INPUT', 'Malformed verifier key: an Ed25519 public key is 32 bytes.');
  }
  const keyId = noteKeyId(name, algorithm, publicKey);
  if (keyIdHex(keyId) !== idHex) throw new RwError('INVALID_INPUT', 'Malformed verifier key: the key ID does not match the key.');
  return { name, keyId, algorithm, publicKey };
}

/** A verifier from an Ed25519 (type 0x01) vkey; other types are refused (cosignature vkeys: see cosignature.ts). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const parsed = parseVerifierKeyString(vkey);
  if (parsed.algorithm !== NOTE_ALG_ED25519) throw new RwError('INVALID_INPUT', 'Unsupported verifier key type (Ed25519, type 0x01, expected).');
  return ed25519NoteVerifier(parsed.name, parsed.publicKey);
}

/** Encode a vkey for any signature type. */
export function formatVerifierKey(name: string, algorithm: number, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new RwError('INVALID_INPUT', 'Invalid note key name.');
  return `${name}+${keyIdHex(noteKeyId(name, algorithm, publicKey))}+${toBase64(new Uint8Array([algorithm, ...publicKey]))}`;
}

/** Encode an Ed25519 signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>` (golang.org/x/mod/sumdb/note). */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = ed25519NoteSigner(name, seed);
  return `PRIVATE+KEY+${name}+${keyIdHex(signer.keyId)}+${toBase64(new Uint8Array([NOTE_ALG_ED25519, ...seed]))}`;
}

/** Parse an Ed25519 signer key; the key ID must match the public key derived from the seed. */
export function parseSignerKey(skey: string): NoteSigner {
  const parts = skey.split('+');
  // PRIVATE, KEY, name, id, and base64 that may itself contain '+'.
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw new RwError('INVALID_INPUT', 'Malformed signer key.');
  const name = parts[2]!;
  const idHex = parts[3]!;
  const material = fromBase64(parts.slice(4).join('+'));
  if (!isValidKeyName(name) || !/^[0-9a-f]{8}$/.test(idHex)) throw new RwError('INVALID_INPUT', 'Malformed signer key.');
  if (material.byteLength !== 33 || material[0] !== NOTE_ALG_ED25519) throw new RwError('INVALID_INPUT', 'Unsupported signer key (Ed25519 expected).');
  const signer = ed25519NoteSigner(name, material.slice(1));
  if (keyIdHex(signer.keyId) !== idHex) throw new RwError('INVALID_INPUT', 'Malformed signer key: the key ID does not match the key.');
  return signer;
}

// ---- signature lines ----

/** `— <name> base64(keyID || sig)\n` */
export function formatSignatureLine(signature: NoteSignature): string {
  return `${SIG_PREFIX}${signature.name} ${toBase64(new Uint8Array([...keyIdBytes(signature.keyId), ...signature.signature]))}\n`;
}

/** Parse one signature line (without its newline). Throws INVALID_INPUT when malformed. */
export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX)) malformed('a signature line must start with an em dash and a space');
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) malformed('a signature line needs a key name and a signature');
  const name = rest.slice(0, space);
  const b64 = rest.slice(space + 1);
  if (!isValidKeyName(name)) malformed('invalid key name in a signature line');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(b64);
  } catch {
    malformed('a signature is not standard base64');
  }
  if (bytes.byteLength < 5) malformed('a signature is too short');
  return { name, keyId: new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0), signature: bytes.slice(4) };
}

/** Parse a block of signature lines, each ending in a newline (a witness add-checkpoint response, say). */
export function parseSignatureLines(block: string, maxSignatures: number = NOTE_DEFAULT_MAX_SIGNATURES): NoteSignature[] {
  if (block.length === 0 || !block.endsWith('\n')) malformed('signature lines must each end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > maxSignatures) malformed(`more than ${maxSignatures} signatures`);
  return lines.map(parseSignatureLine);
}

// ---- sign and open ----

/** Sign `text` (which must end in a newline) with every signer; returns the whole note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  if (signers.length === 0) throw new RwError('INVALID_INPUT', 'A note needs at least one signer.');
  const seen = new Set<string>();
  const bytes = utf8(text);
  const lines = signers.map((signer) => {
    if (!isValidKeyName(signer.name)) throw new RwError('INVALID_INPUT', 'Invalid note key name.');
    const id = `${signer.name}+${signer.keyId}`;
    if (seen.has(id)) throw new RwError('INVALID_INPUT', 'The same key cannot sign a note twice.');
    seen.add(id);
    return formatSignatureLine({ name: signer.name, keyId: signer.keyId, signature: signer.sign(bytes) });
  });
  return `${text}\n${lines.join('')}`;
}

/** Split a note into text and signature block without verifying anything. */
export function parseNote(note: Uint8Array | string, options: OpenNoteOptions = {}): { text: string; signatures: NoteSignature[] } {
  const maxBytes = options.maxBytes ?? NOTE_DEFAULT_MAX_BYTES;
  const size = typeof note === 'string' ? utf8(note).byteLength : note.byteLength;
  if (size > maxBytes) throw new RwError('TOO_LARGE', `The signed note is larger than ${maxBytes} bytes.`, { limit: maxBytes });
  if (typeof note !== 'string' && note[0] === 0xef && note[1] === 0xbb && note[2] === 0xbf) malformed('a byte-order mark is not allowed');
  const message = typeof note === 'string' ? note : fromUtf8(note);
  if (!hasOnlyAllowedControls(message)) malformed('control characters other than newline are not allowed');
  // The text is separated from the signatures by the last blank line.
  const split = message.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = message.slice(0, split + 1);
  checkText(text);
  const signatures = parseSignatureLines(message.slice(split + 2), options.maxSignatures ?? NOTE_DEFAULT_MAX_SIGNATURES);
  return { text, signatures };
}

/**
 * Verify a note against trusted verifiers and return its text.
 * Throws INVALID_INPUT (malformed, too many signatures, a known key signing twice), TOO_LARGE, or
 * SIGNATURE_INVALID (a known key's signature fails, or no known key signed).
 */
export function openNote(note: Uint8Array | string, verifiers: readonly NoteVerifier[], options: OpenNoteOptions = {}): OpenedNote {
  const { text, signatures } = parseNote(note, options);
  const textBytes = utf8(text);
  const verifiedBy: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seenKnown = new Set<string>();
  for (const sig of signatures) {
    const candidates = verifiers.filter((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (candidates.length === 0) {
      // signed-note: ignore unknown keys, even when they share a name or an ID with a known key.
      if (!unverified.some((u) => u.name === sig.name && u.keyId === sig.keyId && bytesEqual(u.signature, sig.signature))) unverified.push(sig);
      continue;
    }
    const id = `${sig.name}+${sig.keyId}`;
    if (seenKnown.has(id)) malformed(`two signatures from key ${sig.name}`);
    seenKnown.add(id);
    if (!candidates.some((v) => v.verify(textBytes, sig.signature))) {
      throw new RwError('SIGNATURE_INVALID', `The note signature from ${sig.name} does not verify.`, { key: sig.name });
    }
    verifiedBy.push(sig);
  }
  if (verifiedBy.length === 0) throw new RwError('SIGNATURE_INVALID', 'The note is not signed by any trusted key.');
  return { text, verifiedBy, unverified };
}

/** Hex of a key ID as it appears in vkeys (8 lowercase digits). */
export function formatKeyId(keyId: number): string {
  return keyIdHex(keyId);
}

/** Inverse of formatKeyId. */
export function parseKeyId(hex: string): number {
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new RwError('INVALID_INPUT', 'A key ID is 8 lowercase hex digits.');
  return new DataView(fromHex(hex).buffer).getUint32(0);
}
