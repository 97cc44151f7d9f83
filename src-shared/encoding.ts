/** The one place bytes become text and back. Strict decoders: malformed input is refused, not guessed. */
import { RwError } from './errors';

const HEX_RE = /^(?:[0-9a-f]{2})*$/i;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL_RE = /^[A-Za-z0-9_-]*$/;

// Pure JavaScript (no Buffer): this module also runs in the sandboxed renderer and overlay, where Node's
// globals do not exist (see ARCHITECTURE: layers).
const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i]!];
  return out;
}

export function fromHex(text: string): Uint8Array {
  if (!HEX_RE.test(text)) throw new RwError('INVALID_INPUT', 'Not valid hexadecimal.');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE64_CHUNK = 0x8000;

function binaryOf(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) out += String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK));
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(binaryOf(bytes));
}

/**
 * Standard alphabet with padding (RFC 4648 §4); anything else is refused, and so is a non-canonical
 * encoding (set bits in the padding, RFC 4648 §3.5): two spellings of one value would let a relay make
 * a second, "different" copy of signed bytes.
 */
export function fromBase64(text: string): Uint8Array {
  if (!B64_RE.test(text)) throw new RwError('INVALID_INPUT', 'Not valid base64.');
  const bytes = bytesFromBinary(atob(text));
  if (toBase64(bytes) !== text) throw new RwError('INVALID_INPUT', 'Not canonical base64 (padding bits set).');
  return bytes;
}

/**
 * Standard alphabet, padded, and the one encoding of its bytes: unused trailing bits must be zero, so
 * "QR==" (which decodes like "QQ==") is refused. Where an encoding is a replay or identity key, a second
 * spelling of the same bytes must not pass for a different value.
 */
export function fromBase64Canonical(text: string): Uint8Array {
  const bytes = fromBase64(text);
  if (toBase64(bytes) !== text) throw new RwError('INVALID_INPUT', 'Not canonical base64.');
  return bytes;
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** URL-safe alphabet (RFC 4648 §5), padding optional; non-canonical encodings refused as for fromBase64. */
export function fromBase64Url(text: string): Uint8Array {
  const unpadded = text.replace(/={0,2}$/, '');
  if (!B64URL_RE.test(unpadded) || unpadded.length % 4 === 1) throw new RwError('INVALID_INPUT', 'Not valid base64url.');
  const bytes = bytesFromBinary(atob(unpadded.replace(/-/g, '+').replace(/_/g, '/')));
  if (toBase64Url(bytes) !== unpadded) throw new RwError('INVALID_INPUT', 'Not canonical base64url (padding bits set).');
  return bytes;
}

/**
 * DSSE allows either alphabet for payload and sig (DSSE envelope.md); accept both, strictly. Text in the
 * letters and digits both alphabets share is URL-safe unpadded when its length is no multiple of 4 (a
 * 64-byte signature is 86 such characters about one time in fifteen, and was refused as unpadded base64).
 */
export function fromBase64Any(text: string): Uint8Array {
  const urlSafe = /[-_]/.test(text) || (!/[+/=]/.test(text) && text.length % 4 !== 0);
  return urlSafe ? fromBase64Url(text) : fromBase64(text);
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new RwError('INVALID_INPUT', 'Not valid UTF-8.');
  }
}

/** Bytes from a latin1 ("binary") string, one character per byte (what sha256Binary returns). */
export function bytesFromBinary(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Whether a latin1 string holds exactly these bytes. */
export function binaryEqualsBytes(text: string, bytes: Uint8Array): boolean {
  if (text.length !== bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  // `.length`: on Node 20 a typed array's byteLength getter costs ten times more, which hot loops feel.
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Overwrite secret bytes once they are no longer needed (best effort: JS may have copied them). */
export function zeroize(bytes: Uint8Array): void {
  bytes.fill(0);
}
