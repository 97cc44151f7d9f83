/**
 * rwctl import: verify a submission package and import it into the vault's content.db as a new case,
 * in one transaction. Says what it imported (model, version, case id, files, size, signer) and the
 * version it follows. The same signed package twice is refused naming the case that holds it; a
 * refusal prints one line naming the entry and the reason; both exit 1. The import, refused or not, is written to the access log.
 */
import * as path from 'node:path';
import { isRwError, RwError } from '../src-shared/errors';
import { importPackageDetailed } from '../src-main/artifacts/import-package';
import { trustedSubmitterKeys } from '../src-main/attest/enrollment';
import { openCliAccessLog, passphraseFileOption, unlockFromArgs, userOption, vaultOption } from './cli-vault';
import { EXIT, pubkeyAlias, type Command } from './command';
import { readTrustedKeys } from './package-commands';

/** Decimal units, one decimal place: "12.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(1)} GB`;
}

export const IMPORT_COMMANDS: Command[] = [
  {
    path: ['import'],
    summary: 'Import a signed submission package (folder or .zip) into the vault as a new case',
    positionals: [{ name: 'PACKAGE', description: 'Package folder or .zip file', required: true }],
    options: {
      vault: vaultOption,
      user: userOption,
      pubkey: { kind: 'repeatable', description: 'Trusted submitter public key (PEM), in addition to those the enrollment installed' },
      trust: pubkeyAlias('repeatable'),
      'passphrase-file': passphraseFileOption,
    },
    async run(args, io) {
      const givenKeys = readTrustedKeys(io, args.lists['pubkey'] ?? []);
      const source = path.resolve(io.cwd, args.positionals[0] as string);
      const { vault } = await unlockFromArgs(args, io);
      try {
        // Submitter keys come from the signed enrollment approval, plus any the reviewer names.
        const trustedKeys = [...trustedSubmitterKeys(vault.audit), ...givenKeys];
        if (trustedKeys.length === 0) throw new RwError('USAGE', 'No trusted submitter key: enroll this workstation or pass --pubkey PUBLIC.pem.');
        const content = vault.content;
        if (content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
        const log = openCliAccessLog(vault, io);
        const actor = { user: vault.user, role: vault.role };
        try {
          const result = await importPackageDetailed({ contentDb: content, source, trustedKeys, clock: io.clock });
          log.append({
            actor,
            session: null,
            event: 'case.import',
            object: { kind: 'case', id: result.caseId, digest: result.packageDigest },
            outcome: 'success',
            detail: { artifacts: result.artifactCount, bytes: result.totalBytes, submitter: result.submitterKey },
          });
          // The same sentence the app shows, so a reviewer sees what was stored and who signed it.
          io.stdout(`Imported ${result.model} ${result.version} as case ${result.caseId}: ${result.artifactCount} files, ${formatSize(result.totalBytes)}, signature by ${result.submitterKey}.\n`);
          if (result.previous) io.stdout(`Version ${result.version} of ${result.model}, previous: ${result.previous.version} (${result.previous.caseId}).\n`);
          return EXIT.ok;
        } catch (error) {
          const reason = isRwError(error) ? String(error.detail.reason ?? error.code) : 'internal';
          log.append({ actor, session: null, event: 'case.import', object: null, outcome: 'failure', detail: { reason } });
          throw error;
        }
      } finally {
        vault.close();
      }
    },
  },
];
