/**
 * DSSE v1 (secure-systems-lab/dsse protocol.md, envelope.md): the signing envelope of attestations,
 * submission signatures (inside Sigstore bundles) and media-bundle manifests.
 *
 * Threats this module stops:
 * - parsing attacker-controlled payloads before they are authenticated: verifyEnvelope checks the
 *   signature over PAE(type, payload bytes) and only then hands the payload bytes out; it never parses them;
 * - type confusion (a payload signed as one type accepted as another): PAE binds payloadType;
 * - key substitution through `keyid`: the keyid is an unauthenticated hint (protocol.md), so every trusted
 *   key is tried and only the key that actually verified is reported.
 */
import { z } from 'zod';
import { RwError } from '../errors';
import { bytesEqual, concatBytes, fromBase64Any, toBase64, utf8 } from '../encoding';
import { verifySignature, type PublicKey, type SignatureEncoding } from './crypto';
import { parseStrictJson } from '../strict-json';

export const DSSE_PAE_PREFIX = 'DSSEv1';

/** Default upper bound on an envelope read from bytes (attestations and manifests are small). */
export const DSSE_DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** Default upper bound on signatures per envelope: verification costs signatures × trusted keys. */
export const DSSE_DEFAULT_MAX_SIGNATURES = 16;

/**
 * Pre-Authentication Encoding (protocol.md): "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN
 * is the ASCII decimal byte length (UTF-8 bytes for the type), with no leading zeros.
 */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concatBytes(utf8(`${DSSE_PAE_PREFIX} ${type.byteLength} `), type, utf8(` ${payload.byteLength} `), payload);
}

function isBase64Either(text: string): boolean {
  try {
    fromBase64Any(text);
    return true;
  } catch {
    return false;
  }
}

const base64Field = z.string().refine(isBase64Either, { message: 'must be base64 (standard or URL-safe alphabet)' });

export const dsseSignatureSchema = z.object({
  /**
   * Unauthenticated hint; never used to select or trust a key. null is accepted because Sigstore bundles
   * written by model_signing carry `"keyid": null`.
   */
  keyid: z.string().nullish(),
  sig: base64Field,
});

/** envelope.md JSON envelope. Unknown members are dropped: they are not signed, so nothing may rely on them. */
export const dsseEnvelopeSchema = z.object({
  payload: base64Field,
  payloadType: z.string(),
  signatures: z.array(dsseSignatureSchema).min(1),
});

export type DsseSignature = z.infer<typeof dsseSignatureSchema>;
export type DsseEnvelope = z.infer<typeof dsseEnvelopeSchema>;

export interface DsseSigner {
  /** Optional hint written into the envelope for the verifier's convenience. */
  keyid?: string;
  /** Returns the raw signature over the PAE bytes (Ed25519 64 bytes, or ECDSA in the encoding the verifier expects). */
  sign(paeBytes: Uint8Array): Uint8Array;
}

/** Sign `payload` under `payloadType` with every signer; payload and signatures in standard base64. */
export function signEnvelope(payloadType: string, payload: Uint8Array, signers: readonly DsseSigner[]): DsseEnvelope {
  if (signers.length === 0) throw new RwError('INVALID_INPUT', 'A DSSE envelope needs at least one signer.');
  const message = pae(payloadType, payload);
  return {
    payload: toBase64(payload),
    payloadType,
    signatures: signers.map((signer) => {
      const sig = toBase64(signer.sign(message));
      return signer.keyid === undefined ? { sig } : { keyid: signer.keyid, sig };
    }),
  };
}

/** Validate an already-parsed value as a DSSE envelope; RwError('INVALID_INPUT') when malformed. */
export function parseEnvelope(value: unknown): DsseEnvelope {
  const result = dsseEnvelopeSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? issue.path.join('.') || 'envelope' : 'envelope';
    throw new RwError('INVALID_INPUT', `Not a valid DSSE envelope: ${where} ${issue?.message ?? 'is malformed'}.`, { field: where });
  }
  return result.data;
}

export interface ParseEnvelopeOptions {
  /** Refuse larger inputs with RwError('TOO_LARGE'). Default DSSE_DEFAULT_MAX_BYTES. */
  maxBytes?: number;
}

/** Parse envelope JSON bytes strictly (no duplicate keys, valid UTF-8, size-limited) and validate the shape. */
export function parseEnvelopeBytes(bytes: Uint8Array, options: ParseEnvelopeOptions = {}): DsseEnvelope {
  return parseEnvelope(parseStrictJson(bytes, { maxBytes: options.maxBytes ?? DSSE_DEFAULT_MAX_BYTES, maxDepth: 8 }));
}

export interface VerifyEnvelopeOptions {
  /** How many distinct trusted keys must have signed. Default 1. */
  threshold?: number;
  /** ECDSA signature encoding: 'der' (Sigstore, default) or 'ieee-p1363' (r||s, the DSSE spec example). */
  signatureEncoding?: SignatureEncoding;
  /** Refuse envelopes with more signatures than this (INVALID_INPUT). Default DSSE_DEFAULT_MAX_SIGNATURES. */
  maxSignatures?: number;
  /** When set, an envelope of any other payloadType is refused (INVALID_INPUT) after verification. */
  expectedPayloadType?: string;
}

export interface VerifiedEnvelope {
  payloadType: string;
  /** The authenticated payload bytes: parse these, and only these, after verification. */
  payload: Uint8Array;
  /** The distinct trusted keys whose signatures verified, in trustedKeys order. */
  verifiedKeys: PublicKey[];
}

/**
 * Verify a DSSE envelope (a parsed JSON value or a DsseEnvelope) against trusted keys.
 * Throws RwError('INVALID_INPUT') for a malformed envelope or options, RwError('SIGNATURE_INVALID') when
 * fewer than `threshold` distinct trusted keys produced a valid signature over PAE. Never parses the payload.
 */
export function verifyEnvelope(envelope: unknown, trustedKeys: readonly PublicKey[], options: VerifyEnvelopeOptions = {}): VerifiedEnvelope {
  const threshold = options.threshold ?? 1;
  if (!Number.isInteger(threshold) || threshold < 1) throw new RwError('INVALID_INPUT', 'The DSSE threshold must be a positive integer.');
  const maxSignatures = options.maxSignatures ?? DSSE_DEFAULT_MAX_SIGNATURES;
  const parsed = parseEnvelope(envelope);
  if (parsed.signatures.length > maxSignatures) {
    throw new RwError('INVALID_INPUT', `The DSSE envelope carries more than ${maxSignatures} signatures.`, { limit: maxSignatures });
  }
  const payload = fromBase64Any(parsed.payload);
  const message = pae(parsed.payloadType, payload);
  const verified: boolean[] = trustedKeys.map(() => false);
  for (const signature of parsed.signatures) {
    const sig = fromBase64Any(signature.sig);
    // keyid is deliberately ignored: it is not covered by the signature (protocol.md).
    trustedKeys.forEach((key, index) => {
      if (!verified[index] && verifySignature(key, message, sig, options.signatureEncoding ?? 'der')) verified[index] = true;
    });
  }
  // A key listed twice in trustedKeys must not count twice towards the threshold.
  const verifiedKeys: PublicKey[] = [];
  trustedKeys.forEach((key, index) => {
    if (verified[index] && !verifiedKeys.some((k) => k.algorithm === key.algorithm && bytesEqual(k.spki, key.spki))) verifiedKeys.push(key);
  });
  if (verifiedKeys.length < threshold) {
    throw new RwError(
      'SIGNATURE_INVALID',
      verifiedKeys.length === 0
        ? 'The DSSE envelope has no valid signature from a trusted key.'
        : `The DSSE envelope is signed by ${verifiedKeys.length} trusted key(s); ${threshold} required.`,
      { verified: verifiedKeys.length, threshold },
    );
  }
  if (options.expectedPayloadType !== undefined && parsed.payloadType !== options.expectedPayloadType) {
    throw new RwError('INVALID_INPUT', `The DSSE payload type is not ${options.expectedPayloadType}.`, { payloadType: parsed.payloadType });
  }
  return { payloadType: parsed.payloadType, payload, verifiedKeys };
}
