/**
 * rwctl vault init | add-user | change-passphrase | users | remove-user | clear-lockout | show-key. Passphrases never come from argv (visible in /proc):
 * the acting user's from RW_PASSPHRASE or --passphrase-file or a prompt; a new user's or new
 * passphrase from RW_NEW_PASSPHRASE or a prompt. Argon2id parameters are calibrated on this machine
 * each time a slot is written (DESIGN §4: about 0.5 s, at least 64 MiB).
 */
import { randomBytes } from '../src-shared/node/crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isRwError, RwError } from '../src-shared/errors';
import { MAX_LOCKOUT_RELEASE_BYTES } from '../src-shared/lockout-release';
import { journalSink } from '../src-main/audit/app-access-log';
import { applyLockoutRelease, clearUserLockout } from '../src-main/vault/lockout';
import { calibrateKdf, type KdfParams } from '../src-main/vault/kdf';
import { addUser, changePassphrase, initVault, listVaultUsers, preSignInJournal, type VaultDeps } from '../src-main/vault/vault';
import { dropUserSlot } from '../src-main/vault/user-admin';
import { reviewerPublicKey } from '../src-main/vault/reviewer-keys';
import { toBase64, toHex } from '../src-shared/encoding';
import { sha256 } from '../src-shared/node/crypto';
import { EXIT, type CliIo, type Command, type ParsedArgs } from './command';
import { appendCliLeaf, cliTrustRoot, lockoutInForce, RWCTL_APP, openCliAccessLog, passphraseFileOption as passphraseFile, refusalLeaf, unlockFromArgs, userOption, vaultDir, vaultOption, withAttemptsLeft } from './cli-vault';
import { readPassphrase } from './passphrase';

export interface VaultCommandOptions {
  /** Argon2id parameters for new slots; defaults to calibrating on this machine. Tests calibrate once and pass them in. */
  kdf?: (io: CliIo) => Promise<KdfParams>;
}

export async function cliVaultDeps(io: CliIo, options: VaultCommandOptions, dir: string): Promise<VaultDeps> {
  const kdf = options.kdf ? await options.kdf(io) : await calibrateKdf();
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


/**
 * The workstation-wide lockout: nobody can sign in, so the outcome goes to the pre-sign-in journal (as the
 * lock screen's would) and reaches the log at the next sign-in. The release is checked against the trust root.
 */
function clearWithRelease(args: ParsedArgs, io: CliIo, file: string): number {
  const dir = vaultDir(args, io);
  const journal = journalSink(dir, io.clock, () => 0);
  const workstation = preSignInJournal(dir)?.workstationId ?? 'unknown';
  const record = (outcome: 'success' | 'failure', detail: Record<string, string | number>) =>
    journal?.append({ actor: { user: null, role: 'anonymous' }, session: null, event: 'lockout.release', object: { kind: 'workstation', id: workstation }, outcome, detail: { ...detail, via: RWCTL_APP } });
  try {
    const released = applyLockoutRelease(dir, readRelease(resolve(io.cwd, file)), cliTrustRoot(io)()?.policyKeys ?? [], { policy: lockoutInForce(dir, io) });
    record('success', { failures: released.failures });
    io.stdout(`Lockout released for workstation ${released.workstation} (failure count ${released.failures}): users may sign in again.\n`);
    return EXIT.ok;
  } catch (error) {
    record('failure', { error: isRwError(error) ? error.code : 'INTERNAL' });
    throw error;
  }
}

function readRelease(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new RwError('NOT_FOUND', 'The release file could not be read.');
  }
  if (size > MAX_LOCKOUT_RELEASE_BYTES) throw new RwError('TOO_LARGE', 'That file is too large to be a lockout release.');
  return new Uint8Array(readFileSync(path));
}

/** A user's lockout, cleared by another reviewer signed in as themselves: the leaf is theirs and names both. */
async function clearAsReviewer(args: ParsedArgs, io: CliIo, target: string): Promise<number> {
  const { dir, vault } = await unlockFromArgs({ ...args, strings: { ...args.strings, user: args.strings['as'] as string } }, io);
  try {
    const log = openCliAccessLog(vault, io);
    try {
      let cleared;
      try {
        cleared = clearUserLockout(dir, target, vault, { policy: lockoutInForce(dir, io) });
      } catch (error) {
        appendCliLeaf(log, vault, { ...refusalLeaf('lockout.clear', error, { by: vault.user }), object: { kind: 'user', id: target } });
        throw error;
      }
      appendCliLeaf(log, vault, { event: 'lockout.clear', outcome: 'success', object: { kind: 'user', id: cleared.user }, detail: { by: vault.user, failures: cleared.failures } });
      io.stdout(`Cleared the lockout of ${cleared.user} (${cleared.failures} failed attempt${cleared.failures === 1 ? '' : 's'}); they may sign in again.\n`);
      return EXIT.ok;
    } finally {
      log.close();
    }
  } finally {
    vault.close();
  }
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
      path: ['vault', 'clear-lockout'],
      summary: "Clear a user's lockout (as another reviewer) or the workstation's (with a release file from the central office)",
      positionals: [],
      options: {
        vault: vaultOption,
        user: { kind: 'string', description: 'The locked-out user (with --as)' },
        as: { kind: 'string', description: 'The reviewer who clears it (their passphrase: --passphrase-file, RW_PASSPHRASE or a prompt)' },
        release: { kind: 'string', description: 'A release file from `rwctl server lockout-release`' },
        'passphrase-file': { kind: 'string', description: "The clearing reviewer's passphrase file (else RW_PASSPHRASE or a prompt)" },
      },
      async run(args, io) {
        const { user, as, release } = args.strings;
        if (release !== undefined ? user !== undefined || as !== undefined : user === undefined || as === undefined) {
          throw new RwError('USAGE', 'Give either --user NAME --as REVIEWER, or --release FILE.');
        }
        if (release !== undefined) return clearWithRelease(args, io, release);
        return clearAsReviewer(args, io, user as string);
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
