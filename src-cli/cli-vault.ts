/**
 * How every rwctl command that acts on a vault signs in and writes to the access log, in one place:
 * the vault folder and user from the options, the passphrase from its safe sources (never argv),
 * the remaining attempts told on failure, and the access log opened as this app.
 */
import { isRwError, RwError, type ErrorCode } from '../src-shared/errors';
import type { Role } from '../src-shared/ipc/roles';
import type { Policy } from '../src-shared/policy';
import { openAccessLog, type AccessLog, type AccessLogEntry, type AppendResult } from '../src-main/audit/access-log';
import { catchUpAtSignIn } from '../src-main/audit/app-access-log';
import type { LeafDetail, LeafOutcome } from '../src-main/audit/log-leaf';
import { loadPolicyBeforeSignIn, PolicyStore } from '../src-main/controls/signed-policy';
import { loadTrustRoot, type TrustRoot } from '../src-main/controls/trust-root';
import { unlockVault, type UnlockedVault } from '../src-main/vault/vault';
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

/** The trust root rwctl verifies policies under: RW_TRUST_ROOT from its environment, else the machine-wide file. */
export function cliTrustRoot(io: CliIo): () => TrustRoot | null {
  // io.env first (the command's own environment), then the process's (tests that set RW_TRUST_ROOT in-process).
  return () => loadTrustRoot({ env: { ...process.env, ...io.env }, platform: process.platform });
}

/** The installed signed policy's lockout thresholds, as the app counts failed unlocks (the default before enrollment). */
export function lockoutInForce(dir: string, io: CliIo): Policy['lockout'] {
  return loadPolicyBeforeSignIn(new PolicyStore({ trustRoot: cliTrustRoot(io) }), dir).lockout;
}

/**
 * Checks that read either files or one case of a vault (claims check, evidence check): true when the
 * command names a case — --vault, --user and --case, all three — refusing half of them, or both modes.
 */
export function namesVaultCase(args: ParsedArgs, filesGiven: boolean, bothModes: string): boolean {
  if (!('vault' in args.strings || 'user' in args.strings || 'case' in args.strings)) return false;
  if (filesGiven) throw new RwError('USAGE', bothModes);
  if (!args.strings['vault'] || !args.strings['user'] || !args.strings['case']) throw new RwError('USAGE', '--vault, --user and --case go together.');
  return true;
}

/** Unlocks the vault named by --vault as --user. */
export async function unlockFromArgs(args: ParsedArgs, io: CliIo): Promise<CliUnlock> {
  const dir = vaultDir(args, io);
  const user = args.strings['user'] as string;
  const passphrase = await readPassphrase(args, io, 'RW_PASSPHRASE', `Passphrase for ${user}: `);
  const vault = await withAttemptsLeft(unlockVault(dir, user, passphrase, { clock: io.clock, policy: lockoutInForce(dir, io) }));
  try {
    // As the app does at every sign-in: the pre-sign-in journal into the log before this command's leaves.
    const log = openCliAccessLog(vault, io);
    try {
      catchUpAtSignIn(dir, vault, log, null);
    } finally {
      log.close();
    }
  } catch (error) {
    // A log that refuses appends (damaged) keeps the journal for a later sign-in: the command still runs,
    // so `audit verify` can report the damage, and its own leaf fails the same way (the verdict stands).
    if (!(isRwError(error) && error.code === 'LOG_DAMAGED')) {
      vault.close();
      throw error;
    }
  }
  return { dir, vault, passphrase };
}

/** The access log as rwctl writes it. rwctl has no long-lived process: elapsed wall time stands in for the monotonic clock. */
export function openCliAccessLog(vault: UnlockedVault, io: CliIo): AccessLog {
  const start = io.clock();
  return openAccessLog(vault.audit, { app: RWCTL_APP, clock: io.clock, monotonic: () => io.clock() - start });
}

/** What one rwctl action puts on the record: the router's leaf fields, with the error code (never the message: it may quote input). */
export interface CliLeaf {
  event: string;
  outcome: LeafOutcome;
  object?: AccessLogEntry['object'];
  detail?: LeafDetail;
  errorCode?: ErrorCode;
}

/** One leaf as the signed-in user, shaped as the router writes its calls (audit-hook.ts entryFromRecord). */
export function appendCliLeaf(log: AccessLog, vault: UnlockedVault, leaf: CliLeaf): AppendResult {
  const detail: LeafDetail = { ...(leaf.detail ?? {}) };
  if (leaf.errorCode) detail['error'] = leaf.errorCode;
  return log.append({ actor: { user: vault.user, role: vault.role }, session: null, event: leaf.event, object: leaf.object ?? null, outcome: leaf.outcome, detail });
}

/** A role refusal is `denied`, anything else that went wrong `failure`, as the router records them. */
export function refusalLeaf(event: string, error: unknown, detail: LeafDetail = {}): CliLeaf {
  const code: ErrorCode = isRwError(error) ? error.code : 'INTERNAL';
  return { event, outcome: code === 'DENIED' ? 'denied' : 'failure', detail, errorCode: code };
}

/** A read's answer, held back until its leaf is written. */
export interface CliRead {
  object?: AccessLogEntry['object'];
  detail?: LeafDetail;
  /** Prints the answer and returns the exit code. */
  print(): number;
}

export interface ReadSpec {
  /** The leaf's event: the IPC channel's event where the app has the same read, so both land under one name. */
  event: string;
  /** Roles allowed (the IPC channel's where there is one); others are refused and logged as denied. */
  roles?: readonly Role[];
  /** Detail kept on the leaf when the read itself fails (a search's query), as the router keeps what the service described. */
  failureDetail?: LeafDetail;
}

/**
 * Reads are on the record too (auditors' own reads included), as the router logs every call: the leaf
 * is written after the read, with its true outcome, and before anything is shown, so no answer leaves
 * that the log does not hold. A refused read is logged, then refused.
 */
export async function recordRead(log: AccessLog, vault: UnlockedVault, spec: ReadSpec, read: () => CliRead | Promise<CliRead>): Promise<number> {
  let answer: CliRead;
  try {
    if (spec.roles && !spec.roles.includes(vault.role)) throw new RwError('DENIED', 'Your role does not allow this operation.');
    answer = await read();
  } catch (error) {
    const denied = isRwError(error) && error.code === 'DENIED';
    appendCliLeaf(log, vault, refusalLeaf(spec.event, error, denied ? {} : (spec.failureDetail ?? {})));
    throw error;
  }
  appendCliLeaf(log, vault, { event: spec.event, outcome: 'success', object: answer.object ?? null, detail: answer.detail ?? {} });
  return answer.print();
}

/** Signs in, runs a read through recordRead, and closes the log and the vault. */
export async function runLoggedRead(args: ParsedArgs, io: CliIo, spec: ReadSpec, read: (vault: UnlockedVault) => CliRead | Promise<CliRead>): Promise<number> {
  const { vault } = await unlockFromArgs(args, io);
  try {
    const log = openCliAccessLog(vault, io);
    try {
      return await recordRead(log, vault, spec, () => read(vault));
    } finally {
      log.close();
    }
  } finally {
    vault.close();
  }
}
