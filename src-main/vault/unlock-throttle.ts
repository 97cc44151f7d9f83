/**
 * Failed-unlock throttling (DESIGN §2, thief and curious user at the lock screen): a growing delay
 * after `delayAfter` consecutive failures (2^(n - delayAfter + 1) seconds, capped at one hour) and a
 * lockout at `lockAfter`. The count lives in a 0600 file, written *before* the passphrase is tried
 * (pessimistic counting), so killing the process mid-attempt cannot hide a guess. A successful unlock
 * resets it.
 *
 * Limits, stated plainly: the counter guards the lock screen, not the data. Where the OS keystore gives
 * a MAC key (Electron safeStorage with a real backend) the file is MACed under it and an edited file
 * locks the workstation out; elsewhere nothing in the vault folder may be a key, so the file is plain
 * and whoever can write the folder can reset it. Either way, someone with a copy of the folder can run
 * Argon2id guesses offline against the slots, whatever the counter says: the passphrase strength and
 * the Argon2id cost are the defence there. The counter is global to the workstation (per-user counters
 * would let an attacker tell real user names from unknown ones), and local root can roll the file
 * back to an older valid copy.
 */
import { z } from 'zod';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { hmacSha256, timingSafeEqual } from '../../src-shared/node/crypto';
import { fromHex, toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { readFileOrNull, writePrivateFileAtomic } from './vault-files';

export interface LockoutPolicy {
  /** Failures before delays start (policy.lockout.delayAfter, default 3). */
  delayAfter: number;
  /** Failures that lock the vault (policy.lockout.lockAfter, default 10). */
  lockAfter: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { delayAfter: 3, lockAfter: 10 };
const MAX_DELAY_MS = 60 * 60 * 1000;

const stateBodySchema = z
  .object({
    version: z.literal(1),
    workstationId: z.string().regex(/^[0-9a-f]{32}$/),
    failures: z.number().int().nonnegative().max(1_000_000),
    lastFailureAt: z.number().int().nonnegative().nullable(),
  })
  .strict();
const stateFileSchema = stateBodySchema.extend({ mac: z.string().regex(/^[0-9a-f]{64}$/).nullable() }).strict();

export type UnlockState = z.infer<typeof stateBodySchema>;

function macOf(macKey: Uint8Array, body: UnlockState): Uint8Array {
  return hmacSha256(macKey, canonicalBytes({ purpose: 'rw-unlock-state', ...body }));
}

/** `macKey`: from the OS keystore where one exists, else null (the file is then plain; see above). */
export function writeUnlockState(path: string, macKey: Uint8Array | null, state: UnlockState): void {
  const body = stateBodySchema.parse(state);
  writePrivateFileAtomic(path, JSON.stringify({ ...body, mac: macKey ? toHex(macOf(macKey, body)) : null }) + '\n');
}

/** A missing, unreadable or altered state file is treated as tampering: the vault stays locked out. */
export function readUnlockState(path: string, macKey: Uint8Array | null, workstationId: string): UnlockState {
  return readUnlockFile(path, macKey, workstationId).state;
}

/**
 * The state, and whether the file carries a MAC. With a key, a file without a MAC is tampering (a
 * downgrade to a plain file would otherwise reset the count); without one (rwctl, no keystore), a MAC
 * cannot be checked, and the caller must leave the file as it is (see unlockThrottle).
 */
function readUnlockFile(path: string, macKey: Uint8Array | null, workstationId: string): { state: UnlockState; keyed: boolean } {
  const raw = readFileOrNull(path);
  const tampered = () => new RwError('LOCKED_OUT', 'The record of unlock attempts is missing or was altered; this workstation is locked out. Contact your administrator.', { reason: 'tampered' });
  if (raw === null) throw tampered();
  let parsed: z.infer<typeof stateFileSchema>;
  try {
    parsed = stateFileSchema.parse(JSON.parse(raw.toString('utf8')));
  } catch {
    throw tampered();
  }
  const { mac, ...body } = parsed;
  if (macKey && (mac === null || !timingSafeEqual(fromHex(mac), macOf(macKey, body)))) throw tampered();
  if (body.workstationId !== workstationId) throw tampered();
  return { state: body, keyed: mac !== null };
}

/** Delay owed after `failures` consecutive failures. */
export function delayFor(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.delayAfter) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - policy.delayAfter + 1));
}

/** Throws LOCKED_OUT when no attempt may be made now; the detail says how long to wait. */
export function assertMayAttempt(state: UnlockState, now: number, policy: LockoutPolicy): void {
  if (state.failures >= policy.lockAfter) {
    throw new RwError('LOCKED_OUT', 'Too many failed unlock attempts; this workstation is locked out. Contact your administrator.', { reason: 'threshold', failures: state.failures });
  }
  const delay = delayFor(state.failures, policy);
  if (delay === 0 || state.lastFailureAt === null) return;
  // A clock set backwards does not shorten the wait: the wait is measured from the later of the two.
  const readyAt = state.lastFailureAt + delay;
  if (now < readyAt || now < state.lastFailureAt) {
    const wait = now < state.lastFailureAt ? delay : readyAt - now;
    throw new RwError('LOCKED_OUT', `Too many failed attempts; try again in ${Math.ceil(wait / 1000)} seconds.`, { reason: 'delay', retryAfterMs: wait });
  }
}

export interface Throttle {
  /** Checks the state, counts this attempt as failed in advance, and returns a function that clears it on success. */
  begin(): { succeeded(): void; attemptsRemaining: number };
}

export function unlockThrottle(path: string, macKey: Uint8Array | null, workstationId: string, clock: () => number, policy: LockoutPolicy): Throttle {
  return {
    begin() {
      const { state, keyed } = readUnlockFile(path, macKey, workstationId);
      const now = clock();
      assertMayAttempt(state, now, policy);
      const failures = state.failures + 1;
      // A record MACed under the app's keystore key, seen by a caller without that key (rwctl): its
      // limits are obeyed but it is not rewritten, since a plain rewrite would lock the app out. Such a
      // caller can read the vault folder, so it could guess offline anyway (see the limits above).
      const write = keyed && macKey === null ? () => undefined : (next: UnlockState) => writeUnlockState(path, macKey, next);
      write({ ...state, failures, lastFailureAt: now });
      return {
        attemptsRemaining: Math.max(0, policy.lockAfter - failures),
        succeeded() {
          write({ ...state, failures: 0, lastFailureAt: null });
        },
      };
    },
  };
}
