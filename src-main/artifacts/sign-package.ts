/**
 * `rwctl package sign` and the demo generator: hash every file of a package folder and write
 * `model.sig` beside them, an OMS key-mode signature the OMS verifier accepts. The folder is walked
 * with the importer's own rules (no links, no special files, no hostile names), so a package we sign is
 * one we would import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSha256, type PrivateKey } from '../../src-shared/node/crypto';
import { toHex } from '../../src-shared/encoding';
import { openDirectorySource } from './directory-source';
import { buildSignatureBundle, DEFAULT_IGNORE_PATHS, SIGNATURE_FILE, type SignedResource } from './oms-signature';
import { resolveLimits, type PackageLimits } from './package-limits';

export interface SignPackageOptions {
  /** Extra paths to leave out (OMS ignore_paths); git metadata and model.sig are always left out. */
  ignorePaths?: readonly string[];
  limits?: Partial<PackageLimits>;
}

export interface SignPackageResult {
  signaturePath: string;
  resources: SignedResource[];
}

export async function signPackage(dir: string, privateKey: PrivateKey, options: SignPackageOptions = {}): Promise<SignPackageResult> {
  const ignorePaths = [...new Set([...DEFAULT_IGNORE_PATHS, ...(options.ignorePaths ?? [])])];
  const source = openDirectorySource(dir, resolveLimits(options.limits));
  const resources: SignedResource[] = [];
  for (const entry of await source.listEntries(ignorePaths)) {
    const hash = createSha256();
    for await (const chunk of source.stream(entry)) hash.update(chunk);
    resources.push({ name: entry.name, sha256: toHex(hash.digest()) });
  }
  const modelName = path.basename(path.resolve(dir));
  const bundle = buildSignatureBundle({ modelName, resources, ignorePaths, privateKey });
  const signaturePath = path.join(dir, SIGNATURE_FILE);
  fs.writeFileSync(signaturePath, bundle);
  return { signaturePath, resources };
}
