/**
 * rwctl policy install FILE (see ARCHITECTURE: insider-risk controls): a policy-only update from the central office (a DSSE file),
 * installed exactly as the app installs it (controls/signed-policy.ts PolicyStore.install over audit.db's
 * enrollment row): verified on its exact bytes under the machine's trust root (never a key read from the
 * vault; RW_TRUST_ROOT names another trust file), never older
 * than the installed version, never a different policy under the same version. A refusal leaves the
 * installed policy as it was.
 *
 * Every attempt that reaches the vault is one `policy.change` leaf, refusals included; policy.change is
 * a security event, so the log signs a checkpoint over the leaf in the same transaction. The app lets
 * any signed-in user install a policy (the central office's signature, not the local role, is the
 * authority), and rwctl admits the same users.
 *
 * Exit codes: 0 installed; 1 refused (unsigned, badly signed, older, schema-invalid, unreadable, too
 * large, not enrolled); 2 usage; 3 authentication.
 */
import { resolve } from 'node:path';
import { sha256 } from '../src-shared/node/crypto';
import { toHex } from '../src-shared/encoding';
import { enrollmentPolicyRecord, MAX_POLICY_BYTES, policyLogObject, PolicyStore, writePreSignInPolicy, type VerifiedPolicy } from '../src-main/controls/signed-policy';
import { readInputFile, vaultOptions } from './attest-commands';
import { appendCliLeaf, cliTrustRoot, openCliAccessLog, refusalLeaf, unlockFromArgs } from './cli-vault';
import { EXIT, type Command } from './command';

const EVENT = 'policy.change';

export function createPolicyCommands(): Command[] {
  return [
    {
      path: ['policy', 'install'],
      summary: 'Install a policy signed by the central office (verified under the machine trust root, RW_TRUST_ROOT; no older version)',
      positionals: [{ name: 'FILE', description: 'Signed policy (DSSE envelope, JSON)', required: true }],
      options: { ...vaultOptions },
      async run(args, io) {
        // Read before sign-in: a file that cannot be read is the caller's mistake, not an attempt on the vault.
        const bytes = readInputFile(resolve(io.cwd, args.positionals[0] as string), 'policy file', MAX_POLICY_BYTES);
        const { vault, dir } = await unlockFromArgs(args, io);
        try {
          const log = openCliAccessLog(vault, io);
          try {
            const record = enrollmentPolicyRecord(vault.audit);
            const store = new PolicyStore({ trustRoot: cliTrustRoot(io) });
            store.load(record);
            const before = store.source() === 'signed' ? store.current() : null;
            let verified: VerifiedPolicy;
            try {
              verified = store.install(record, bytes);
            } catch (error) {
              // The refused file is named by its digest, so a later investigation can match the file itself.
              appendCliLeaf(log, vault, { ...refusalLeaf(EVENT, error, { source: 'signed', installed: before?.version ?? 0, file: `sha256:${toHex(sha256(bytes))}` }), outcome: 'denied' });
              throw error;
            }
            appendCliLeaf(log, vault, { event: EVENT, outcome: 'success', object: policyLogObject(verified.policy), detail: { source: 'signed', version: verified.policy.version, from: before?.version ?? 0 } });
            writePreSignInPolicy(dir, verified.envelope);
            const same = before?.version === verified.policy.version;
            io.stdout(`Policy version ${verified.policy.version} ${same ? 'was already installed' : `installed (was ${before?.version ?? 'none'})`}; verified under the trust root; digest sha256:${verified.digest}.\n`);
            return EXIT.ok;
          } finally {
            log.close();
          }
        } finally {
          vault.close();
        }
      },
    },
  ];
}

export const POLICY_COMMANDS: Command[] = createPolicyCommands();
