/**
 * rwctl import: verify a submission package and import it into the vault's content.db as a new case,
 * in one transaction. Prints the new case id; a refusal prints one line naming the entry and the reason
 * and exits 1 (the runner maps PACKAGE_REFUSED). The import, refused or not, is written to the access log.
 */
import * as path from 'node:path';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { isRwError, RwError } from '../../src-shared/errors';
import { importPackageDetailed } from '../artifacts/import-package';
import { openAccessLog } from '../audit/access-log';
import { unlockVault } from '../vault/vault';
import { EXIT, type Command } from './command';
import { readPassphrase } from './passphrase';
import { readTrustedKeys } from './package-commands';

const CLI_APP = 'rwctl/0.1.0';

export const IMPORT_COMMANDS: Command[] = [
  {
    path: ['import'],
    summary: 'Import a signed submission package (folder or .zip) into the vault as a new case',
    positionals: [{ name: 'PACKAGE', description: 'Package folder or .zip file', required: true }],
    options: {
      vault: { kind: 'string', description: 'Vault folder', required: true },
      user: { kind: 'string', description: 'Reviewer name', required: true },
      trust: { kind: 'repeatable', description: 'Trusted submitter public key (PEM); at least one' },
      'passphrase-file': { kind: 'string', description: 'Read the passphrase from the first line of this file (else RW_PASSPHRASE or a prompt)' },
    },
    async run(args, io) {
      const trustFiles = args.lists['trust'] ?? [];
      // The signed policy carries no submitter keys yet: without --trust nothing could verify.
      if (trustFiles.length === 0) throw new RwError('USAGE', 'No trusted submitter key: pass --trust PUBLIC.pem.');
      const trustedKeys = readTrustedKeys(io, trustFiles);
      const source = path.resolve(io.cwd, args.positionals[0] as string);
      const dir = path.resolve(io.cwd, args.strings['vault'] as string);
      const user = args.strings['user'] as string;
      const passphrase = await readPassphrase(args, io, 'RW_PASSPHRASE', `Passphrase for ${user}: `);
      const vault = await unlockVault(dir, user, passphrase, { clock: io.clock, policy: DEFAULT_POLICY.lockout });
      try {
        const content = vault.content;
        if (content === null) throw new RwError('DENIED', 'Auditors hold no key for case content.');
        const log = openAccessLog(vault.audit, { app: CLI_APP, clock: io.clock, monotonic: () => performance.now() });
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
          io.stdout(`${result.caseId}\n`);
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
