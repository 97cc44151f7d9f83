/**
 * How every rwctl command that acts on a vault signs in and writes to the access log, in one place:
 * the vault folder and user from the options, the passphrase from its safe sources (never argv),
 * the remaining attempts told on failure, and the access log opened as this app.
 */
import { RwError } from '../../src-shared/errors';
import { DEFAULT_POLICY } from '../../src-shared/policy';
import { openAccessLog, type AccessLog } from '../audit/access-log';
import { unlockVault, type UnlockedVault } from '../vault/vault';
import { pathOption } from './args';
import type { CliIo, ParsedArgs } from './command';
import { readPassphrase } from './passphrase';

/** The `app` field of every access-log leaf rwctl writes. */
export const RWCTL_APP = 'rwctl/0.1.0';

export const vaultOption = { kind: 'string', description: 'Vault folder', required: true } as const;
export const userOption = { kind: 'string', description: 'Reviewer or auditor name', required: true } as const;
export const passphraseFileOption = { kind: 'string', description: 'Read the passphrase from the first line of this file (else RW_PASSPHRASE or a prompt)' } as const;

export function vaultDir(args: ParsedArgs, io: CliIo): string {
  return pathOption(args, io.cwd, 'vault');
}

/**
 * Tells the person at the keyboard how many attempts remain before lockout. The count is the same
 * for unknown users and wrong passphrases (one global counter), so it reveals no user names.
 */
export async function withAttemptsLeft<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof RwError && error.code === 'AUTH_FAILED' && typeof error.detail['attemptsRemaining'] === 'number') {
      const left = error.detail['attemptsRemaining'];
      throw new RwError('AUTH_FAILED', `${error.message} ${left} attempt${left === 1 ? '' : 's'} left before this vault locks.`, { ...error.detail });
    }
    throw error;
  }
}

export interface CliUnlock {
  dir: string;
  vault: UnlockedVault;
  /** Kept for commands that step up (signing asks for the same passphrase again). */
  passphrase: string;
}

/** Unlocks the vault named by --vault as --user. */
export async function unlockFromArgs(args: ParsedArgs, io: CliIo): Promise<CliUnlock> {
  const dir = vaultDir(args, io);
  const user = args.strings['user'] as string;
  const passphrase = await readPassphrase(args, io, 'RW_PASSPHRASE', `Passphrase for ${user}: `);
  const vault = await withAttemptsLeft(unlockVault(dir, user, passphrase, { clock: io.clock, policy: DEFAULT_POLICY.lockout }));
  return { dir, vault, passphrase };
}

/** The access log as rwctl writes it. rwctl has no long-lived process: elapsed wall time stands in for the monotonic clock. */
export function openCliAccessLog(vault: UnlockedVault, io: CliIo): AccessLog {
  const start = io.clock();
  return openAccessLog(vault.audit, { app: RWCTL_APP, clock: io.clock, monotonic: () => io.clock() - start });
}
