/**
 * OpenSSF model signing (OMS) key-mode signatures: `model.sig` is a Sigstore bundle v0.3 whose
 * `dsseEnvelope` carries an in-toto Statement v1 (`application/vnd.in-toto+json`).
 *
 * Predicate `https://model_signing/signature/v1.0` (OMS v1.x):
 *   subject   = [{ name: <model name>, digest: { sha256: <root> } }]
 *   predicate = { serialization: { method: "files", hash_type: "sha256", allow_symlinks, ignore_paths? },
 *                 resources: [{ name: <POSIX path relative to the model>, algorithm: "sha256", digest: <hex> }] }
 *   root      = SHA-256 over the concatenated raw resource digests, in the order the resources are listed
 *               (signers list them sorted by path, component by component).
 * Predicate `https://model_signing/Digests/v0.1` (pre-1.0 compatibility): the subjects are the files
 * themselves ({ name, digest.sha256 }); there is no root and no serialization block.
 *
 * Order of operations is the point (DESIGN §2, DSSE protocol): the DSSE signature over PAE is verified
 * against trusted keys first; only the authenticated payload bytes are then parsed. The bundle's
 * `verificationMaterial` (hint, rawBytes, certificate) is attacker-controlled and never selects or
 * trusts a key; we write the OMS hint (SHA-256 of the PEM public key) only so that the OMS verifier,
 * which compares it, accepts our signatures.
 */
import { z } from 'zod';
import { parseStrictJson } from '../../src-shared/strict-json';
import { fromHex, toHex, utf8 } from '../../src-shared/encoding';
import { publicKeyOf, publicKeyToPem, sha256, signWith, type PrivateKey, type PublicKey } from '../../src-shared/node/crypto';
import { signEnvelope, verifyEnvelope } from '../../src-shared/node/dsse';
import { isRwError } from '../../src-shared/errors';
import { packageRefused } from './package-refusal';

export const SIGNATURE_FILE = 'model.sig';
export const OMS_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const OMS_PREDICATE_V1 = 'https://model_signing/signature/v1.0';
export const OMS_PREDICATE_V01 = 'https://model_signing/Digests/v0.1';
/** What the OMS signer ignores by default (git metadata and the signature itself). */
export const DEFAULT_IGNORE_PATHS = ['.git', '.gitattributes', '.github', '.gitignore', SIGNATURE_FILE] as const;
/** A signature bundle is small; a huge one is an attack on the parser, not a package. */
export const MAX_SIGNATURE_BYTES = 16 * 1024 * 1024;

export interface SignedResource {
  /** POSIX path relative to the package root, exactly as signed. */
  name: string;
  /** Lower-case hex SHA-256. */
  sha256: string;
}

export interface SignedManifest {
  predicateType: typeof OMS_PREDICATE_V1 | typeof OMS_PREDICATE_V01;
  /** Informative only (OMS: the model folder's name); never used to locate files. */
  modelName: string;
  /** Root digest (hex) for v1.0 statements; null for v0.1 ones, which have none. */
  rootDigest: string | null;
  resources: SignedResource[];
  /** Paths the signer excluded (a path excludes itself and everything below it). */
  ignorePaths: string[];
  /** The trusted key that verified the DSSE signature. */
  signerKey: PublicKey;
}

const hexDigest = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');

const v1Statement = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_V1),
  subject: z.array(z.object({ name: z.string(), digest: z.object({ sha256: hexDigest }) })).length(1),
  predicateType: z.literal(OMS_PREDICATE_V1),
  predicate: z.object({
    serialization: z.object({
      method: z.string(),
      hash_type: z.string(),
      allow_symlinks: z.union([z.boolean(), z.string()]).optional(),
      ignore_paths: z.array(z.string()).max(10_000).optional(),
    }),
    resources: z.array(z.object({ name: z.string(), algorithm: z.string(), digest: z.string() })).max(1_000_000),
  }),
});

const v01Statement = z.object({
  _type: z.literal(IN_TOTO_STATEMENT_V1),
  subject: z.array(z.object({ name: z.string(), digest: z.object({ sha256: hexDigest }) })).max(1_000_000),
  predicateType: z.literal(OMS_PREDICATE_V01),
});

const bundleSchema = z.object({
  mediaType: z.literal(OMS_BUNDLE_MEDIA_TYPE),
  // Present in every bundle, but nothing in it is trusted: keys come from the caller's trust list.
  verificationMaterial: z.unknown().optional(),
  dsseEnvelope: z.unknown(),
});

/** OMS root digest: SHA-256 over the raw resource digests in listed order. */
export function rootDigestOf(resources: readonly SignedResource[]): string {
  return toHex(sha256(...resources.map((r) => fromHex(r.sha256))));
}

/** The OMS key hint: hex SHA-256 of the PEM SubjectPublicKeyInfo text (what the OMS verifier compares). */
export function publicKeyHint(key: PublicKey): string {
  return toHex(sha256(utf8(publicKeyToPem(key))));
}

function codePoints(text: string): number[] {
  return Array.from(text, (c) => c.codePointAt(0) as number);
}

function compareCodePoints(a: string, b: string): number {
  const x = codePoints(a);
  const y = codePoints(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

/**
 * The order OMS signers list resources in: Python's PurePosixPath ordering, which compares paths
 * component by component (so "a/b" sorts before "a-c", unlike a plain string sort).
 */
export function compareOmsPaths(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareCodePoints(pa[i] as string, pb[i] as string);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

export interface SignatureInput {
  modelName: string;
  resources: readonly SignedResource[];
  ignorePaths?: readonly string[];
  privateKey: PrivateKey;
}

/**
 * Build `model.sig` bytes for the given file digests, the way the OMS key signer does (bundle v0.3,
 * empty tlogEntries, key hint, DER ECDSA over PAE). Names are written as given: callers that walk a
 * folder (signPackage) are responsible for safe names; tests use this to sign hostile packages.
 */
export function buildSignatureBundle(input: SignatureInput): Uint8Array {
  if (input.privateKey.algorithm === 'ed25519') {
    // OMS key mode supports elliptic-curve keys only; an Ed25519 bundle would not verify there.
    throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', 'OMS key signatures use ECDSA P-256 or P-384 keys');
  }
  const resources = [...input.resources].sort((a, b) => compareOmsPaths(a.name, b.name));
  const statement = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: [{ name: input.modelName, digest: { sha256: rootDigestOf(resources) } }],
    predicateType: OMS_PREDICATE_V1,
    predicate: {
      serialization: {
        method: 'files',
        hash_type: 'sha256',
        allow_symlinks: false,
        ignore_paths: [...(input.ignorePaths ?? DEFAULT_IGNORE_PATHS)],
      },
      resources: resources.map((r) => ({ name: r.name, algorithm: 'sha256', digest: r.sha256 })),
    },
  };
  const payload = utf8(JSON.stringify(statement, null, 2));
  const key = input.privateKey;
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, [{ keyid: '', sign: (message) => signWith(key, message) }]);
  const bundle = {
    mediaType: OMS_BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: publicKeyHint(publicKeyOf(key)) }, tlogEntries: [] },
    dsseEnvelope: envelope,
  };
  return utf8(JSON.stringify(bundle));
}

function malformed(detail: string): never {
  throw packageRefused(SIGNATURE_FILE, 'signature-malformed', detail);
}

/** A signed name must be a plain relative POSIX path; anything else could not name a package file. */
function checkSignedPath(name: string, what: string): void {
  if (name === '' || name.startsWith('/') || name.split('/').some((c) => c === '' || c === '..') || name.includes('\0')) {
    malformed(`${what} ${JSON.stringify(name)} is not a relative path`);
  }
}

/**
 * Verify `model.sig` bytes against trusted keys, then parse the authenticated statement.
 * Throws RwError('PACKAGE_REFUSED') with reason signature-malformed, signature-invalid or
 * unsupported-signature and entry "model.sig".
 */
export function verifySignatureBundle(bytes: Uint8Array, trustedKeys: readonly PublicKey[]): SignedManifest {
  if (bytes.byteLength > MAX_SIGNATURE_BYTES) malformed('the signature file is too large');
  let bundleValue: unknown;
  try {
    bundleValue = parseStrictJson(bytes, { maxDepth: 16 });
  } catch {
    malformed('not strict JSON');
  }
  const bundle = bundleSchema.safeParse(bundleValue);
  if (!bundle.success) malformed('not a Sigstore bundle v0.3 with a DSSE envelope');

  let payload: Uint8Array;
  let signerKey: PublicKey;
  try {
    const verified = verifyEnvelope(withoutKeyIds(bundle.data.dsseEnvelope), trustedKeys);
    payload = verified.payload;
    signerKey = verified.verifiedKeys[0] as PublicKey;
    if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) malformed(`payload type is not ${IN_TOTO_PAYLOAD_TYPE}`);
  } catch (error) {
    if (isRwError(error) && error.code === 'SIGNATURE_INVALID') throw packageRefused(SIGNATURE_FILE, 'signature-invalid');
    if (isRwError(error) && error.code === 'PACKAGE_REFUSED') throw error;
    malformed('the DSSE envelope is malformed');
  }

  // Authenticated from here on: the signer said exactly these bytes. Parse strictly all the same.
  let statementValue: unknown;
  try {
    statementValue = parseStrictJson(payload, { maxDepth: 16 });
  } catch {
    malformed('the signed statement is not strict JSON');
  }
  const predicateType = (statementValue as { predicateType?: unknown } | null)?.predicateType;

  if (predicateType === OMS_PREDICATE_V01) {
    const parsed = v01Statement.safeParse(statementValue);
    if (!parsed.success) malformed('the v0.1 statement does not have the expected shape');
    const resources = parsed.data.subject.map((s) => ({ name: s.name, sha256: s.digest.sha256 }));
    resources.forEach((r) => checkSignedPath(r.name, 'subject'));
    checkUnique(resources);
    return { predicateType: OMS_PREDICATE_V01, modelName: 'compat-undefined-not-present', rootDigest: null, resources, ignorePaths: [], signerKey };
  }
  if (predicateType !== OMS_PREDICATE_V1) {
    throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', `predicate type ${JSON.stringify(String(predicateType))}`);
  }
  const parsed = v1Statement.safeParse(statementValue);
  if (!parsed.success) malformed('the statement does not have the OMS v1.0 shape');
  const { serialization } = parsed.data.predicate;
  if (serialization.method !== 'files' || serialization.hash_type !== 'sha256') {
    throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', `serialization ${serialization.method}/${serialization.hash_type}; only files/sha256 is supported`);
  }
  const resources: SignedResource[] = parsed.data.predicate.resources.map((r) => {
    if (r.algorithm !== 'sha256') throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', `digest algorithm ${r.algorithm}`);
    if (!/^[0-9a-f]{64}$/.test(r.digest)) malformed(`resource ${JSON.stringify(r.name)} has a malformed digest`);
    return { name: r.name, sha256: r.digest };
  });
  checkUnique(resources);
  const subject = parsed.data.subject[0] as { name: string; digest: { sha256: string } };
  // OMS: the subject's root digest must be the hash over the listed resource digests.
  if (rootDigestOf(resources) !== subject.digest.sha256) malformed('the root digest does not match the listed resources');
  const ignorePaths = serialization.ignore_paths ?? [];
  ignorePaths.forEach((p) => checkSignedPath(p, 'ignore path'));
  // A single-file model (resource ".") is verified by the caller against that one file.
  resources.forEach((r) => {
    if (r.name !== '.') checkSignedPath(r.name, 'resource');
  });
  return { predicateType: OMS_PREDICATE_V1, modelName: subject.name, rootDigest: subject.digest.sha256, resources, ignorePaths, signerKey };
}

/**
 * keyid is an unauthenticated hint (DSSE protocol.md) that we never read; OMS writes it as "" or even
 * null (v0.3.1, v1.0.0 bundles), which a strict envelope schema rightly rejects as a string field. Drop it.
 */
function withoutKeyIds(envelope: unknown): unknown {
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) return envelope;
  const e = envelope as Record<string, unknown>;
  if (!Array.isArray(e.signatures)) return envelope;
  return {
    payload: e.payload,
    payloadType: e.payloadType,
    signatures: e.signatures.map((s: unknown) => (typeof s === 'object' && s !== null ? { sig: (s as Record<string, unknown>).sig } : s)),
  };
}

function checkUnique(resources: readonly SignedResource[]): void {
  const seen = new Set<string>();
  for (const r of resources) {
    if (seen.has(r.name)) malformed(`resource ${JSON.stringify(r.name)} is listed twice`);
    seen.add(r.name);
  }
}

/** OMS ignore semantics (pathlib is_relative_to): a path is ignored when it is, or lies below, an ignore path. */
export function isIgnoredPath(name: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((p) => name === p || name.startsWith(`${p}/`));
}
