/**
 * The first half of reading a package, shared by `package verify` and the import: open the container,
 * verify `model.sig` against trusted keys (before anything else is parsed), then match the package's
 * files against the signed list exactly. Only then does any file content get read, and each file's
 * bytes are checked against its signed SHA-256 while they stream (streamVerified).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSha256, type PublicKey } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';
import { openDirectorySource } from './directory-source';
import { MAX_SIGNATURE_BYTES, SIGNATURE_FILE, verifySignatureBundle, type SignedManifest } from './oms-signature';
import { packageRefused } from './package-refusal';
import { resolveLimits, type PackageLimits } from './package-limits';
import type { PackageEntry, PackageSource } from './package-source';
import { openZipSource, type ZipBytes } from './zip-source';

export interface PlannedFile extends PackageEntry {
  /** Signed lower-case hex SHA-256. */
  sha256: string;
}

export interface PackagePlan {
  manifest: SignedManifest;
  /** Every file to read, in signed (canonical) order. */
  files: PlannedFile[];
  totalBytes: number;
}

/** A folder or a .zip file (decided by what is on disk, not by the name). */
export async function openPackageSource(source: string | ZipBytes, partialLimits?: Partial<PackageLimits>): Promise<PackageSource> {
  const limits = resolveLimits(partialLimits);
  if (typeof source !== 'string') return openZipSource(source, limits);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(source);
  } catch {
    throw packageRefused('(package)', 'missing', 'no such folder or file');
  }
  if (stat.isDirectory()) return openDirectorySource(source, limits);
  if (stat.isFile()) return openZipSource(source, limits);
  throw packageRefused('(package)', 'special-file');
}

export async function planPackage(source: PackageSource, trustedKeys: readonly PublicKey[]): Promise<PackagePlan> {
  const signature = await source.readSignature(MAX_SIGNATURE_BYTES);
  if (!signature) throw packageRefused(SIGNATURE_FILE, 'signature-missing');
  const manifest = verifySignatureBundle(signature, trustedKeys);
  if (manifest.resources.some((r) => r.name === '.')) {
    // OMS can sign a single file as a "model"; a submission package is always a folder of files.
    throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', 'it signs a single file, not a package folder');
  }
  const entries = await source.listEntries(manifest.ignorePaths);
  const present = new Map(entries.map((e) => [e.name, e]));
  const signed = new Set(manifest.resources.map((r) => r.name));
  for (const entry of entries) if (!signed.has(entry.name)) throw packageRefused(entry.name, 'not-listed');
  const files: PlannedFile[] = [];
  let totalBytes = 0;
  for (const resource of manifest.resources) {
    const entry = present.get(resource.name);
    if (!entry) throw packageRefused(resource.name, 'missing');
    files.push({ ...entry, sha256: resource.sha256 });
    totalBytes += entry.size;
  }
  return { manifest, files, totalBytes };
}

/**
 * Stream one planned file, hashing as it goes, and refuse it (digest-mismatch) after its last chunk if
 * the bytes are not the signed ones. Consumers write inside a transaction that only commits after the
 * generator has finished, so unsigned bytes are never kept. Chunks may be views of a reused buffer:
 * consume (copy) each before asking for the next.
 */
export async function* streamVerified(source: PackageSource, file: PlannedFile): AsyncGenerator<Uint8Array> {
  const hash = createSha256();
  for await (const chunk of source.stream(file)) {
    hash.update(chunk);
    yield chunk;
  }
  if (toHex(hash.digest()) !== file.sha256) throw packageRefused(file.name, 'digest-mismatch');
}

export interface VerifiedPackage {
  manifest: SignedManifest;
  files: PlannedFile[];
  totalBytes: number;
}

/** Full verification without storing anything: signature, file set, every digest. */
export async function verifyPackage(sourcePath: string, trustedKeys: readonly PublicKey[], limits?: Partial<PackageLimits>): Promise<VerifiedPackage> {
  const source = await openPackageSource(sourcePath, limits);
  try {
    const plan = await planPackage(source, trustedKeys);
    for (const file of plan.files) {
      for await (const chunk of streamVerified(source, file)) void chunk;
    }
    return plan;
  } finally {
    await source.close();
  }
}

/**
 * OMS can sign one file as a whole model (resource "."). Verify such a signature against that file:
 * used for the published OMS cases and by `rwctl package verify FILE --signature`; never an import.
 */
export async function verifySingleFileModel(file: string, signature: Uint8Array, trustedKeys: readonly PublicKey[]): Promise<SignedManifest> {
  const manifest = verifySignatureBundle(signature, trustedKeys);
  const only = manifest.resources.length === 1 ? manifest.resources[0] : undefined;
  if (!only || (only.name !== '.' && only.name !== manifest.modelName)) {
    throw packageRefused(SIGNATURE_FILE, 'unsupported-signature', 'it does not sign a single file');
  }
  const source = openDirectorySource(path.dirname(file), resolveLimits(undefined));
  const stat = fs.lstatSync(file);
  if (!stat.isFile()) throw packageRefused(path.basename(file), stat.isSymbolicLink() ? 'symlink' : 'special-file');
  const hash = createSha256();
  for await (const chunk of source.stream({ name: path.basename(file), size: stat.size })) hash.update(chunk);
  if (toHex(hash.digest()) !== only.sha256) throw packageRefused(path.basename(file), 'digest-mismatch');
  return manifest;
}
