/**
 * rwctl package sign | verify: OMS key-mode signatures for submission packages, the same code the
 * importer runs. `verify` trusts only the keys named with --pubkey (the bundle's own key hint or
 * embedded key is never used), and a refusal is one line naming the entry and the reason (exit 1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePrivateKeyPem, parsePublicKeyPem, type PublicKey } from '../src-shared/node/crypto';
import { RwError } from '../src-shared/errors';
import { submitterKeyId } from '../src-main/artifacts/import-package';
import { rootDigestOf } from '../src-main/artifacts/oms-signature';
import { verifyPackage } from '../src-main/artifacts/package-plan';
import { signPackage } from '../src-main/artifacts/sign-package';
import { EXIT, pubkeyAlias, type CliIo, type Command } from './command';

function readText(io: CliIo, file: string, what: string): string {
  try {
    return fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch {
    throw new RwError('INVALID_INPUT', `The ${what} file cannot be read.`);
  }
}

/** Each --pubkey file is one PEM public key (ECDSA P-256 or P-384, as OMS key mode uses). */
export function readTrustedKeys(io: CliIo, files: readonly string[]): PublicKey[] {
  return files.map((file) => {
    const key = parsePublicKeyPem(readText(io, file, 'trusted key'));
    if (key.algorithm === 'ed25519') throw new RwError('INVALID_INPUT', 'A submitter key is an ECDSA P-256 or P-384 public key.');
    return key;
  });
}

export const PACKAGE_COMMANDS: Command[] = [
  {
    path: ['package', 'sign'],
    summary: 'Sign a package folder: write DIR/model.sig (OMS key-mode signature over every file)',
    positionals: [{ name: 'DIR', description: 'Package folder', required: true }],
    options: {
      key: { kind: 'string', description: 'Submitter private key (PEM, ECDSA P-256 or P-384, unencrypted)', required: true },
    },
    async run(args, io) {
      const dir = path.resolve(io.cwd, args.positionals[0] as string);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RwError('INVALID_INPUT', 'DIR must be a package folder.');
      const key = parsePrivateKeyPem(readText(io, args.strings['key'] as string, 'private key'));
      const { resources } = await signPackage(dir, key);
      io.stdout(`Signed ${resources.length} file(s); wrote ${path.join(path.basename(dir), 'model.sig')}.\n`);
      return EXIT.ok;
    },
  },
  {
    path: ['package', 'verify'],
    summary: 'Verify a package folder or .zip against trusted submitter keys (signature, file set, every digest)',
    positionals: [{ name: 'PACKAGE', description: 'Package folder or .zip file', required: true }],
    options: {
      pubkey: { kind: 'repeatable', description: 'Trusted submitter public key (PEM)', required: true },
      trust: pubkeyAlias('repeatable'),
    },
    async run(args, io) {
      const keys = readTrustedKeys(io, args.lists['pubkey'] ?? []);
      const verified = await verifyPackage(path.resolve(io.cwd, args.positionals[0] as string), keys);
      io.stdout(
        `Verified ${verified.files.length} file(s), ${verified.totalBytes} bytes; package sha256:${rootDigestOf(verified.manifest.resources)}; ` +
          `signed by ${submitterKeyId(verified.manifest.signerKey)}.\n`,
      );
      return EXIT.ok;
    },
  },
];
