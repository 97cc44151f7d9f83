/**
 * rwctl vault init | add-user | change-passphrase. Passphrases never come from argv (visible in /proc):
 * the acting user's from RW_PASSPHRASE or --passphrase-file or a prompt; a new user's or new
 * passphrase from RW_NEW_PASSPHRASE or a prompt. Argon2id parameters are calibrated on this machine
 * each time a slot is written (DESIGN §4: about 0.5 s, at least 64 MiB).
 */
import { randomBytes } from '../src-shared/node/crypto';
import { RwError } from '../src-shared/errors';
import { calibrateKdf, type KdfParams } from '../src-main/vault/kdf';
import { addUser, changePassphrase, initVault, listVaultUsers, type VaultDeps } from '../src-main/vault/vault';
import { dropUserSlot } from '../src-main/vault/user-admin';
import { reviewerPublicKey } from '../src-main/vault/reviewer-keys';
import { toBase64, toHex } from '../src-shared/encoding';
import { sha256 } from '../src-shared/node/crypto';
import { EXIT, type CliIo, type Command, type ParsedArgs } from './command';
import { appendCliLeaf, lockoutInForce, openCliAccessLog, passphraseFileOption as passphraseFile, refusalLeaf, unlockFromArgs, userOption, vaultDir, vaultOption, withAttemptsLeft } from './cli-vault';
import { readPassphrase } from './passphrase';

export interface VaultCommandOptions {
  /** Argon2id parameters for new slots; defaults to calibrating on this machine. Tests calibrate once and pass them in. */
  kdf?: (io: CliIo) => Promise<KdfParams>;
}

export async function cliVaultDeps(io: CliIo, options: VaultCommandOptions, dir: string): Promise<VaultDeps> {
  const kdf = options.kdf ? await options.kdf(io) : await calibrateKdf({ clock: io.clock });
  return { clock: io.clock, random: randomBytes, kdf, policy: lockoutInForce(dir, io) };
}

/** A new passphrase, typed twice on a terminal so a typo does not lock the user out of their own slot. */
async function readNewPassphrase(args: ParsedArgs, io: CliIo, envName: string, prompt: string): Promise<string> {
  const first = await readPassphrase(args, io, envName, prompt);
  const fromEnv = io.env[envName] !== undefined && io.env[envName] !== '';
  const fromFile = envName === 'RW_PASSPHRASE' && args.strings['passphrase-file'] !== undefined;
  if (!fromEnv && !fromFile) {
    const again = await readPassphrase(args, io, envName, 'Repeat: ');
    if (again !== first) throw new RwError('INVALID_INPUT', 'The two passphrases differ.');
  }
  return first;
}


export function createVaultCommands(options: VaultCommandOptions = {}): Command[] {
  return [
    {
      path: ['vault', 'init'],
      summary: 'Create a vault with its first reviewer',
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile },
      async run(args, io) {
        const dir = vaultDir(args, io);
        const user = args.strings['user'] as string;
        const passphrase = await readNewPassphrase(args, io, 'RW_PASSPHRASE', `New passphrase for ${user}: `);
        const deps = await cliVaultDeps(io, options, dir);
        const result = await initVault(dir, user, passphrase, deps);
        io.stdout(
          `Vault created for reviewer ${user}.\n` +
            `  workstation id: ${result.workstationId}\n` +
            `  no key file: audit.db opens only with a passphrase; events before sign-in are sealed to the log's public key\n` +
            `  Argon2id: ${deps.kdf.memoryKiB / 1024} MiB, t=${deps.kdf.iterations}, p=${deps.kdf.parallelism}\n`,
        );
        return EXIT.ok;
      },
    },
    {
      path: ['vault', 'add-user'],
      summary: 'Add a reviewer or auditor (authorised by a reviewer)',
      positionals: [],
      options: {
        vault: vaultOption,
        user: { kind: 'string', description: 'Name of the new user', required: true },
        role: { kind: 'string', description: 'reviewer or auditor', required: true },
        as: { kind: 'string', description: 'Authorising reviewer', required: true },
        'passphrase-file': { kind: 'string', description: "The authorising reviewer's passphrase file (else RW_PASSPHRASE or a prompt)" },
      },
      async run(args, io) {
        const dir = vaultDir(args, io);
        const user = args.strings['user'] as string;
        const role = args.strings['role'];
        if (role !== 'reviewer' && role !== 'auditor') throw new RwError('USAGE', '--role must be reviewer or auditor.');
        const asUser = args.strings['as'] as string;
        const asPassphrase = await readPassphrase(args, io, 'RW_PASSPHRASE', `Passphrase for ${asUser}: `);
        const newPassphrase = await readNewPassphrase(args, io, 'RW_NEW_PASSPHRASE', `New passphrase for ${user}: `);
        const deps = await cliVaultDeps(io, options, dir);
        await withAttemptsLeft(addUser(dir, { user, role, newPassphrase }, { asUser, asPassphrase }, deps));
        io.stdout(`Added ${role} ${user}.${role === 'auditor' ? ' (audit store only; no key for case content)' : ''}\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['vault', 'change-passphrase'],
      summary: "Change a user's passphrase (rewraps the key slot; nothing is re-encrypted)",
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile },
      async run(args, io) {
        const dir = vaultDir(args, io);
        const user = args.strings['user'] as string;
        const current = await readPassphrase(args, io, 'RW_PASSPHRASE', `Current passphrase for ${user}: `);
        const next = await readNewPassphrase(args, io, 'RW_NEW_PASSPHRASE', 'New passphrase: ');
        await withAttemptsLeft(changePassphrase(dir, user, current, next, await cliVaultDeps(io, options, dir)));
        io.stdout(`Passphrase changed for ${user}.\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['vault', 'users'],
      summary: 'List the users who may sign in here, with their roles (read from the key-slot file; no passphrase needed)',
      positionals: [],
      options: { vault: vaultOption, json: { kind: 'boolean', description: 'Print {"users":[{"name","role"}]}' } },
      async run(args, io) {
        const users = listVaultUsers(vaultDir(args, io)).map((u) => ({ name: u.user, role: u.role }));
        if (args.booleans['json']) io.stdout(`${JSON.stringify({ users })}\n`);
        else for (const u of users) io.stdout(`${u.role.padEnd(9)} ${u.name}\n`);
        return EXIT.ok;
      },
    },
    {
      path: ['vault', 'remove-user'],
      summary: "Remove a user's key slot (authorised by a reviewer; never the last reviewer, exit 1)",
      positionals: [],
      options: {
        vault: vaultOption,
        user: { kind: 'string', description: 'Name of the user to remove', required: true },
        as: { kind: 'string', description: 'Authorising reviewer', required: true },
        'passphrase-file': { kind: 'string', description: "The authorising reviewer's passphrase file (else RW_PASSPHRASE or a prompt)" },
      },
      async run(args, io) {
        const target = args.strings['user'] as string;
        // Signed in as the authorising reviewer, so the removal is a leaf in the log under their name.
        const { dir, vault } = await unlockFromArgs({ ...args, strings: { ...args.strings, user: args.strings['as'] as string } }, io);
        try {
          const log = openCliAccessLog(vault, io);
          try {
            let removed;
            try {
              if (vault.role !== 'reviewer') throw new RwError('DENIED', 'Only a reviewer may remove users.');
              removed = dropUserSlot(dir, target, vault.user);
            } catch (error) {
              appendCliLeaf(log, vault, { ...refusalLeaf('user.remove', error), object: { kind: 'user', id: target } });
              throw error;
            }
            appendCliLeaf(log, vault, { event: 'user.remove', outcome: 'success', object: { kind: 'user', id: removed.user }, detail: { role: removed.role, by: vault.user } });
            io.stdout(`Removed ${removed.role} ${removed.user}; they can no longer sign in on this workstation.\n`);
            return EXIT.ok;
          } finally {
            log.close();
          }
        } finally {
          vault.close();
        }
      },
    },
    {
      path: ['vault', 'show-key'],
      summary: "Print a reviewer's Ed25519 public key (base64) and its SHA-256, as the central office enrolls it",
      positionals: [],
      options: { vault: vaultOption, user: userOption, 'passphrase-file': passphraseFile },
      async run(args, io) {
        const { vault } = await unlockFromArgs(args, io);
        try {
          if (vault.content === null) throw new RwError('DENIED', 'Auditors hold no signing key.');
          const key = reviewerPublicKey(vault.content, vault.user);
          if (key === null) throw new RwError('NOT_FOUND', 'This reviewer has no signing key.');
          io.stdout(`${toBase64(key)}\nsha256:${toHex(sha256(key))}\n`);
          return EXIT.ok;
        } finally {
          vault.close();
        }
      },
    },
  ];
}

export const VAULT_COMMANDS: Command[] = createVaultCommands();
