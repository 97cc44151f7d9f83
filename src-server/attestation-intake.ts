/**
 * POST /v1/attestations and `rwctl server import-bundle` share this one validation path (DESIGN §2,
 * network attacker row). The order is the point:
 *   size → strict envelope JSON → exactly one signature, canonical base64 → the enrolled key its keyid
 *   names (one indexed lookup) → DSSE signature over PAE under that key (revoked keys refused) →
 *   per-key rate limit → payloadType → strict payload JSON → Statement v1 → predicate allowlist →
 *   predicate schema → signer/predicate binding → replay (same signer and payload bytes: the original
 *   receipt) → per-key sequence (previous + 1; stale or skipping ahead: refused) → one transaction:
 *   leaf, nodes, head, checkpoint, row, sequence (append-batcher.ts: concurrent accepted requests share
 *   a transaction and a checkpoint).
 * Nothing is parsed from the payload before its signature verified, and nothing is stored on refusal.
 *
 * Why so strict about the envelope's spelling: a relay that re-encodes a genuine envelope (another
 * base64 spelling, a changed or missing keyid, an extra junk signature) must not get a variant stored
 * under a replay key of its own and the genuine envelope refused. So the keyid is required and must name
 * the key the signature verifies under (keyid selects the key; the signature must verify under the key it
 * names; keyid alone never makes anything valid), every base64 value has its one canonical spelling, and
 * the replay key is (signer key, SHA-256 of the payload bytes), which no re-encoding changes.
 */
import { dsseEnvelopeSchema, pae, type DsseEnvelope } from '../src-shared/node/dsse';
import { parseStrictJson, type JsonValue } from '../src-shared/strict-json';
import { sha256Hex } from '../src-shared/node/crypto';
import { fromBase64, toBase64, toHex } from '../src-shared/encoding';
import { isRwError } from '../src-shared/errors';
import { openCheckpoint } from '../src-shared/node/checkpoint';
import { ed25519NoteVerifier } from '../src-shared/node/signed-note';
import {
  attestationLeafData,
  AUDIT_CHECKPOINT_PREDICATE_TYPE,
  FINDINGS_PREDICATE_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  isAllowedPredicateType,
  PREDICATE_SCHEMAS,
  REVIEW_OUTCOME_PREDICATE_TYPE,
  statementSchema,
  type AuditCheckpointPredicate,
  type FindingsPredicate,
  type Receipt,
  type ReviewOutcomePredicate,
  type Statement,
} from '../src-shared/attestation-types';
import { refuse } from './refusal';
import type { AppendBatcher } from './append-batcher';
import type { EnrolledKey, ServerStore } from './server-store';
import type { RateLimiter } from './rate-limiter';
import { inlineVerifier, type SignatureVerifier } from './verify-pool';
import { uncachedKeys, type KeyLookup } from './key-cache';
import { reviewOutcomeStatement } from './review-statement';

const PREDICATE_NAMES = {
  [REVIEW_OUTCOME_PREDICATE_TYPE]: 'review outcome',
  [AUDIT_CHECKPOINT_PREDICATE_TYPE]: 'audit checkpoint',
  [FINDINGS_PREDICATE_TYPE]: 'findings',
} as const;

const utf8Decoder = new TextDecoder();

/** Our workstations sign each Statement with one key; any further signature is one nobody vouches for. */
export const MAX_ENVELOPE_SIGNATURES = 1;

export interface IntakeContext {
  store: ServerStore;
  /** Assigns leaf indexes and commits (group commit); see append-batcher.ts. */
  appender: AppendBatcher;
  limiter: RateLimiter;
  clock: () => number;
  maxBytes: number;
  /** Where signatures are checked: the server's worker pool; the calling thread when absent (import-bundle). */
  verifier?: SignatureVerifier;
  /** How the signing key is found: the server's short-lived cache (key-cache.ts); the store when absent. */
  keys?: KeyLookup;
}

export interface IntakeResult {
  /** 201 for a new leaf, 200 for a replay of an envelope already in the log (the original receipt). */
  status: 200 | 201;
  receipt: Receipt;
}

function strictJson(bytes: Uint8Array, where: string, maxBytes: number): JsonValue {
  try {
    return parseStrictJson(bytes, { maxBytes, maxDepth: 32 });
  } catch (error) {
    const message = isRwError(error) ? error.message : 'Invalid JSON.';
    if (/duplicate key/.test(message)) refuse('duplicate-key', `The ${where} has a duplicate key: ${message}`);
    refuse('malformed-json', `The ${where} is not valid JSON: ${message}`);
  }
}

interface ParsedEnvelope {
  envelope: DsseEnvelope;
  /** The decoded payload and signature (decoded once: for PAE, then for parsing once verified). */
  payload: Uint8Array;
  sig: Uint8Array;
}

/**
 * Canonical standard base64 (RFC 4648 §4, padded, zero trailing bits), decoded; null otherwise. Node's
 * decoder is lenient (it skips foreign characters), so the text must be exactly the re-encoding of what
 * it decoded to, which only a canonical spelling is. Native code: a JS decoder here cost more per
 * attestation than the signature check.
 */
function canonicalBase64(text: string): Uint8Array | null {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The shape every genuine envelope has (one signature, canonical base64), checked without the schema
 * machinery; anything else goes the schema path, which words the refusal. Unknown members are dropped
 * on both paths (they are not signed).
 */
function parseEnvelopeValue(value: JsonValue): ParsedEnvelope {
  if (isObject(value) && typeof value.payload === 'string' && typeof value.payloadType === 'string' && Array.isArray(value.signatures) && value.signatures.length === 1) {
    const signature = value.signatures[0];
    if (isObject(signature) && typeof signature.sig === 'string' && typeof signature.keyid === 'string') {
      const payload = canonicalBase64(value.payload);
      const sig = canonicalBase64(signature.sig);
      if (payload && sig) return { envelope: { payload: value.payload, payloadType: value.payloadType, signatures: [{ keyid: signature.keyid, sig: signature.sig }] }, payload, sig };
    }
  }
  return parseEnvelopeSlowly(value);
}

/**
 * The bytes a workstation sends: the envelope's canonical JSON (RFC 8785: these members in this order, no
 * whitespace), one signature with its keyid, a printable-ASCII payloadType. Such a body needs no general
 * parser (no escapes, no duplicate member can match) and is already the log leaf's data. Anything else,
 * valid or not, takes the strict parser below.
 */
const CANONICAL_ENVELOPE_RE = /^\{"payload":"([A-Za-z0-9+/]*={0,2})","payloadType":"([\x20\x21\x23-\x5b\x5d-\x7e]*)","signatures":\[\{"keyid":"([0-9a-f]{64})","sig":"([A-Za-z0-9+/]*={0,2})"\}\]\}$/;

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * canonicalBase64 for text the pattern above already matched (alphabet characters, then at most two
 * '='): such text is canonical exactly when its length is a multiple of 4 and the bits the padding leaves
 * over are zero, so it is decoded once and not encoded again to compare.
 */
function matchedBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  // One pad: the last character before it carries 2 unused bits; two pads: 4.
  if (pad > 0 && BASE64_ALPHABET.indexOf(text[text.length - pad - 1]!) % (pad === 1 ? 4 : 16) !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function canonicalEnvelope(body: Uint8Array): (ParsedEnvelope & { leafData: Uint8Array; text: string }) | null {
  // latin1 maps each byte to one character: a byte outside ASCII can match nothing in the pattern, so a
  // matched body's latin1 text is also its UTF-8 text (the envelope column stores it).
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  const match = CANONICAL_ENVELOPE_RE.exec(text);
  if (!match) return null;
  const [, payloadText, payloadType, keyid, sigText] = match as unknown as [string, string, string, string, string];
  const payload = matchedBase64(payloadText);
  const sig = matchedBase64(sigText);
  if (!payload || !sig) return null;
  return { envelope: { payload: payloadText, payloadType, signatures: [{ keyid, sig: sigText }] }, payload, sig, leafData: body, text };
}

/** The schema path: exact refusal messages for whatever the fast path above does not take. */
function parseEnvelopeSlowly(value: JsonValue): ParsedEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse('malformed-envelope', 'The body is not a DSSE envelope (a JSON object).');
  const signatures = (value as Record<string, JsonValue>).signatures;
  if (signatures === undefined || (Array.isArray(signatures) && signatures.length === 0)) refuse('unsigned', 'The DSSE envelope carries no signature.');
  const parsed = dsseEnvelopeSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse('malformed-envelope', `Not a valid DSSE envelope: ${issue ? `${issue.path.join('.') || 'envelope'} ${issue.message}` : 'malformed'}.`);
  }
  if (parsed.data.signatures.length > MAX_ENVELOPE_SIGNATURES) {
    refuse('malformed-envelope', `The DSSE envelope carries ${parsed.data.signatures.length} signatures; this server accepts exactly one, by the enrolled key its keyid names.`);
  }
  const [payload, sig] = (
    [
      ['payload', parsed.data.payload],
      ['signatures.0.sig', parsed.data.signatures[0]!.sig],
    ] as const
  ).map(([field, text]) => canonicalBase64(text) ?? refuse('malformed-envelope', `Not a valid DSSE envelope: ${field} must be canonical standard base64 (RFC 4648 §4, padded, zero trailing bits).`));
  return { envelope: parsed.data, payload: payload!, sig: sig! };
}

/**
 * The enrolled key the signature's keyid names, found by one indexed lookup (never a search over every
 * enrolled key), and the signature must verify under it. The keyid is not covered by the signature: it
 * only selects; it never makes anything valid. The envelope's base64 was checked canonical above; the one
 * signature is checked over DSSE's PAE of the payload bytes (decoded once, handed back for parsing).
 */
async function signingKey(keys: KeyLookup, verifier: SignatureVerifier, { envelope, payload, sig }: ParsedEnvelope): Promise<EnrolledKey> {
  const keyid = envelope.signatures[0]!.keyid;
  if (typeof keyid !== 'string') refuse('malformed-envelope', 'The DSSE signature must carry a keyid: the sha256 hex of the enrolled key that made it.');
  if (!/^[0-9a-f]{64}$/.test(keyid)) refuse('malformed-envelope', 'The DSSE keyid must be the sha256 hex (64 lowercase digits) of the enrolled key that made the signature.');
  const key = await keys.key(keyid);
  if (!key) refuse('unknown-key', 'The envelope names no enrolled key.');
  const verified = await verifier.verify(key.publicKey, pae(envelope.payloadType, payload), sig);
  if (!verified) refuse('bad-signature', 'The DSSE signature does not verify under the enrolled key its keyid names.');
  if (key.revokedAt !== null) refuse('key-revoked', 'The signing key has been revoked.');
  return key;
}

function checkSigner(statement: Statement, parsedPredicate: ReviewOutcomePredicate | AuditCheckpointPredicate | FindingsPredicate, key: EnrolledKey): { sequence: number } {
  if (statement.predicateType === REVIEW_OUTCOME_PREDICATE_TYPE || statement.predicateType === FINDINGS_PREDICATE_TYPE) {
    const predicate = parsedPredicate as ReviewOutcomePredicate | FindingsPredicate;
    if (key.role !== 'reviewer') refuse('wrong-signer', 'A review outcome or findings must be signed by an enrolled reviewer key.');
    if (predicate.reviewer.publicKeyId !== key.keyId) refuse('wrong-signer', 'The predicate names another reviewer key than the one that signed it.');
    return { sequence: predicate.sequence };
  }
  const predicate = parsedPredicate as AuditCheckpointPredicate;
  if (key.role !== 'device') refuse('wrong-signer', 'An audit checkpoint must be signed by an enrolled device key.');
  if (predicate.origin !== key.logOrigin) refuse('wrong-signer', "The audit checkpoint is for another log than the signing device's.");
  let checkpoint;
  try {
    ({ checkpoint } = openCheckpoint(predicate.checkpoint, [ed25519NoteVerifier(predicate.origin, key.publicKey)], { origin: predicate.origin }));
  } catch {
    refuse('invalid-predicate', "The embedded checkpoint is not signed by the device's key.");
  }
  if (checkpoint.size !== predicate.size || toBase64(checkpoint.rootHash) !== predicate.rootHash) {
    refuse('invalid-predicate', 'The embedded checkpoint does not match the predicate size and root.');
  }
  const rootHex = toHex(fromBase64(predicate.rootHash));
  if (!statement.subject.some((s) => s.name === predicate.origin && s.digest.sha256 === rootHex)) {
    refuse('invalid-predicate', 'The audit checkpoint subject must be the log origin with its root hash.');
  }
  return { sequence: predicate.sequence };
}

/**
 * Statement v1, an allowed predicate type, that type's predicate schema: the hand check of the common
 * review outcome first (review-statement.ts), the schemas for anything it does not take, which word the refusal.
 */
function parseStatement(value: JsonValue): { statement: Statement; predicate: ReviewOutcomePredicate | AuditCheckpointPredicate | FindingsPredicate } {
  const fast = reviewOutcomeStatement(value);
  if (fast) return fast;
  const statementResult = statementSchema.safeParse(value);
  if (!statementResult.success) {
    const issue = statementResult.error.issues[0];
    refuse('malformed-statement', `Not an in-toto Statement v1: ${issue ? `${issue.path.join('.') || 'statement'} ${issue.message}` : 'malformed'}.`);
  }
  const statement = statementResult.data;
  if (!isAllowedPredicateType(statement.predicateType)) refuse('predicate-not-allowed', 'The predicate type is not one this server accepts.', { predicateType: statement.predicateType.slice(0, 200) });
  const predicateResult = PREDICATE_SCHEMAS[statement.predicateType].safeParse(statement.predicate);
  if (!predicateResult.success) {
    const issue = predicateResult.error.issues[0];
    refuse('invalid-predicate', `Invalid ${PREDICATE_NAMES[statement.predicateType]} predicate: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'malformed'}.`);
  }
  return { statement, predicate: predicateResult.data };
}

export async function acceptAttestation(ctx: IntakeContext, body: Uint8Array, source: 'http' | 'bundle'): Promise<IntakeResult> {
  if (body.byteLength > ctx.maxBytes) refuse('body-too-large', `The attestation is larger than ${ctx.maxBytes} bytes.`, { limit: ctx.maxBytes });
  const canonical = canonicalEnvelope(body);
  const parsed = canonical ?? parseEnvelopeValue(strictJson(body, 'envelope', ctx.maxBytes));
  const { envelope, payload } = parsed;
  const key = await signingKey(ctx.keys ?? uncachedKeys(ctx.store), ctx.verifier ?? inlineVerifier, parsed);
  const allowed = ctx.limiter.take(key.keyId);
  if (!allowed.ok) refuse('rate-limited', `Too many attestations from this key; retry in ${allowed.retryAfterSeconds} s.`, { retryAfterSeconds: allowed.retryAfterSeconds });
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) refuse('wrong-payload-type', `The payload type must be ${IN_TOTO_PAYLOAD_TYPE}.`, { payloadType: envelope.payloadType.slice(0, 200) });

  // Only now, with the signature verified, are the payload bytes parsed.
  const { statement, predicate } = parseStatement(strictJson(payload, 'payload', ctx.maxBytes));
  const { sequence } = checkSigner(statement, predicate, key);

  const leafData = canonical?.leafData ?? attestationLeafData(envelope);
  // A replay (this envelope, or the same signer and payload) is answered with the original receipt by
  // the batch, which reads what is stored under its lock anyway: no read of its own here.
  return ctx.appender.submit({
    leafData,
    row: {
      envelopeSha256: sha256Hex(leafData),
      keyId: key.keyId,
      payloadSha256: sha256Hex(payload),
      sequence,
      predicateType: statement.predicateType,
      envelope: canonical?.text ?? utf8Decoder.decode(leafData),
      subjects: statement.subject.map((s) => s.digest.sha256 as string),
      receivedAt: ctx.clock(),
      source,
    },
  });
}
