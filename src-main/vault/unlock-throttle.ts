/**
 * Failed-unlock throttling (DESIGN §2, thief and curious user at the lock screen). Two counters:
 *  - per user: a growing delay after `delayAfter` consecutive failures (2^(n - delayAfter + 1) seconds,
 *    capped at one hour) and a lockout of that user at `lockAfter`; another reviewer clears it;
 *  - per workstation: every failure (a name that is no user counts here only) until a sign-in succeeds;
 *    at `workstationLockAfter` nobody may sign in until a release file signed by the central office for
 *    this workstation and its failure count is imported (lockout-release.ts). A release is used once:
 *    the record keeps the cumulative count (`total`) and the count last released (`released`).
 * The record lives in a 0600 file in the vault folder and is written *before* the passphrase is tried
 * (pessimistic counting), so killing the process mid-attempt cannot hide a guess.
 *
 * Per-user counters name users in the clear: user names are not secret on a workstation (slots.json
 * lists them, `rwctl vault users` prints them without a passphrase); the passphrases are what the
 * counters guard, and the workstation ceiling bounds the guesses over every name together.
 *
 * Limits, stated plainly: the counter guards the lock screen, not the data. Where the OS keystore gives
 * a MAC key (Electron safeStorage with a real backend) the file is MACed under it and an edited file
 * locks the workstation out; elsewhere nothing in the vault folder may be a key, so the file is plain
 * and whoever can write the folder can reset it. Either way, someone with a copy of the folder can run
 * Argon2id guesses offline against the slots, whatever the counter says: the passphrase strength and
 * the Argon2id cost are the defence there. Local root can roll the file back to an older valid copy.
 */
import { z } from 'zod';
import { canonicalBytes } from '../../src-shared/canonical-json';
import { hmacSha256, timingSafeEqual } from '../../src-shared/node/crypto';
import { fromHex, toHex } from '../../src-shared/encoding';
import { RwError } from '../../src-shared/errors';
import { readFileOrNull, writePrivateFileAtomic } from './vault-files';

export interface LockoutPolicy {
  /** Failures of one user before delays start (policy.lockout.delayAfter, default 3). */
  delayAfter: number;
  /** Failures that lock one user out (policy.lockout.lockAfter, default 10). */
  lockAfter: number;
  /** Failures on the workstation, every name together, that lock it out (default 3 × lockAfter). */
  workstationLockAfter?: number | undefined;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { delayAfter: 3, lockAfter: 10 };
const MAX_DELAY_MS = 60 * 60 * 1000;
const MAX_COUNT = 1_000_000;

export function workstationCeiling(policy: LockoutPolicy): number {
  return policy.workstationLockAfter ?? policy.lockAfter * 3;
}

const count = z.number().int().nonnegative().max(MAX_COUNT);
const time = z.number().int().nonnegative().nullable();
const workstationId = z.string().regex(/^[0-9a-f]{32}$/);
const mac = z.string().regex(/^[0-9a-f]{64}$/).nullable();

/** The first format: one workstation-wide counter. Read (and MAC-checked) once, then rewritten as version 2. */
const v1BodySchema = z.object({ version: z.literal(1), workstationId, failures: count, lastFailureAt: time }).strict();

const stateBodySchema = z
  .object({
    version: z.literal(2),
    workstationId,
    /** Failures on this workstation since the last successful sign-in or release. */
    failures: count,
    lastFailureAt: time,
    /** Every failure ever counted here: what a release names, so that no release is used twice. */
    total: count,
    /** `total` when the last release was applied (0: never). */
    released: count,
    /** Per user (key: the NFC lower-case name), only users who exist; cleared by a sign-in or another reviewer. */
    users: z.record(z.string().min(1).max(64), z.object({ failures: count, lastFailureAt: time }).strict()).refine((u) => Object.keys(u).length <= 1000),
  })
  .strict();

export type UnlockState = z.infer<typeof stateBodySchema>;
type V1State = z.infer<typeof v1BodySchema>;

export function initialUnlockState(workstation: string): UnlockState {
  return { version: 2, workstationId: workstation, failures: 0, lastFailureAt: null, total: 0, released: 0, users: {} };
}

function macOf(macKey: Uint8Array, body: UnlockState | V1State): Uint8Array {
  return hmacSha256(macKey, canonicalBytes({ purpose: 'rw-unlock-state', ...body }));
}

/** `macKey`: from the OS keystore where one exists, else null (the file is then plain; see above). */
export function writeUnlockState(path: string, macKey: Uint8Array | null, state: UnlockState): void {
  const body = stateBodySchema.parse(state);
  writePrivateFileAtomic(path, JSON.stringify({ ...body, mac: macKey ? toHex(macOf(macKey, body)) : null }) + '\n');
}

function parseWithMac(json: unknown): { body: UnlockState | V1State; mac: string | null } {
  const version = typeof json === 'object' && json !== null && 'version' in json ? json.version : null;
  const schema = version === 1 ? v1BodySchema.extend({ mac }).strict() : stateBodySchema.extend({ mac }).strict();
  const { mac: m, ...body } = schema.parse(json) as (UnlockState | V1State) & { mac: string | null };
  return { body, mac: m };
}

/** A missing, unreadable or altered state file is treated as tampering: the vault stays locked out. */
export function readUnlockState(path: string, macKey: Uint8Array | null, workstation: string): UnlockState {
  return readUnlockFile(path, macKey, workstation).state;
}

/**
 * The state, and whether the file carries a MAC. With a key, a file without a MAC is tampering (a
 * downgrade to a plain file would otherwise reset the count); without one (rwctl, no keystore), a MAC
 * cannot be checked, and the caller must leave the file as it is (see unlockThrottle).
 */
function readUnlockFile(path: string, macKey: Uint8Array | null, workstation: string): { state: UnlockState; keyed: boolean } {
  const raw = readFileOrNull(path);
  const tampered = () => new RwError('LOCKED_OUT', 'The record of unlock attempts is missing or was altered; this workstation is locked out. Contact your administrator.', { reason: 'tampered' });
  if (raw === null) throw tampered();
  let parsed: { body: UnlockState | V1State; mac: string | null };
  try {
    parsed = parseWithMac(JSON.parse(raw.toString('utf8')));
  } catch {
    throw tampered();
  }
  const { body } = parsed;
  if (macKey && (parsed.mac === null || !timingSafeEqual(fromHex(parsed.mac), macOf(macKey, body)))) throw tampered();
  if (body.workstationId !== workstation) throw tampered();
  const keyed = parsed.mac !== null;
  if (body.version === 1) return { state: { ...initialUnlockState(workstation), failures: body.failures, lastFailureAt: body.lastFailureAt, total: body.failures }, keyed };
  return { state: body, keyed };
}

/** Delay owed after `failures` consecutive failures. */
export function delayFor(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.delayAfter) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - policy.delayAfter + 1));
}

/** The error a workstation-wide lockout answers with: the detail is what the central office signs a release for. */
export function workstationLockedOut(state: UnlockState): RwError {
  return new RwError(
    'LOCKED_OUT',
    `Too many failed unlock attempts on this workstation; nobody can sign in until a release file from the central office is imported (workstation ${state.workstationId}, failure count ${state.total}).`,
    { reason: 'workstation', workstationId: state.workstationId, failures: state.total },
  );
}

/**
 * Throws LOCKED_OUT when no attempt may be made now. `user` is the key of an existing user, or null for
 * a name that is no user (only the workstation counter applies then). The detail says how long to wait.
 */
export function assertMayAttempt(state: UnlockState, user: string | null, now: number, policy: LockoutPolicy): void {
  if (state.failures >= workstationCeiling(policy)) throw workstationLockedOut(state);
  const own = user === null ? null : (state.users[user] ?? { failures: 0, lastFailureAt: null });
  if (own && own.failures >= policy.lockAfter) {
    throw new RwError('LOCKED_OUT', 'Too many failed unlock attempts for this user, who is locked out. Another reviewer can clear the lockout.', { reason: 'threshold', failures: own.failures });
  }
  const failures = own ? own.failures : state.failures;
  const last = own ? own.lastFailureAt : state.lastFailureAt;
  const delay = delayFor(failures, policy);
  if (delay === 0 || last === null) return;
  // A clock set backwards does not shorten the wait: the wait is measured from the later of the two.
  const readyAt = last + delay;
  if (now < readyAt || now < last) {
    const wait = now < last ? delay : readyAt - now;
    throw new RwError('LOCKED_OUT', `Too many failed attempts; try again in ${Math.ceil(wait / 1000)} seconds.`, { reason: 'delay', retryAfterMs: wait });
  }
}

export interface Throttle {
  /** Checks the state, counts this attempt as failed in advance, and returns a function that clears it on success. */
  begin(user: string | null): { succeeded(): void; attemptsRemaining: number };
}

export function unlockThrottle(path: string, macKey: Uint8Array | null, workstation: string, clock: () => number, policy: LockoutPolicy): Throttle {
  return {
    begin(user) {
      const { state, keyed } = readUnlockFile(path, macKey, workstation);
      const now = clock();
      assertMayAttempt(state, user, now, policy);
      const users = { ...state.users };
      const own = user === null ? null : { failures: (users[user]?.failures ?? 0) + 1, lastFailureAt: now };
      if (user !== null && own) users[user] = own;
      const failures = state.failures + 1;
      // A record MACed under the app's keystore key, seen by a caller without that key (rwctl): its
      // limits are obeyed but it is not rewritten, since a plain rewrite would lock the app out. Such a
      // caller can read the vault folder, so it could guess offline anyway (see the limits above).
      const write = keyed && macKey === null ? () => undefined : (next: UnlockState) => writeUnlockState(path, macKey, next);
      write({ ...state, failures, lastFailureAt: now, total: Math.min(MAX_COUNT, state.total + 1), users });
      const left = workstationCeiling(policy) - failures;
      return {
        attemptsRemaining: Math.max(0, own ? Math.min(policy.lockAfter - own.failures, left) : left),
        succeeded() {
          // Read again: another process may have counted meanwhile; only this user's count and the window reset.
          const after = readUnlockState(path, macKey, workstation);
          const rest = { ...after.users };
          if (user !== null) delete rest[user];
          // The attempt was counted in advance: a success takes it back off the cumulative count too.
          write({ ...after, failures: 0, lastFailureAt: null, total: Math.max(after.released, after.total - 1), users: rest });
        },
      };
    },
  };
}

/** What the lock screen and the administration screen show: who is locked out, and the workstation's count. */
export interface LockoutView {
  workstationId: string;
  /** The count a release must name. */
  failures: number;
  workstationLocked: boolean;
  users: { user: string; failures: number; locked: boolean }[];
}

export function lockoutView(state: UnlockState, policy: LockoutPolicy): LockoutView {
  return {
    workstationId: state.workstationId,
    failures: state.total,
    workstationLocked: state.failures >= workstationCeiling(policy),
    users: Object.entries(state.users).map(([user, u]) => ({ user, failures: u.failures, locked: u.failures >= policy.lockAfter })),
  };
}

/** Clears one user's count (another reviewer vouches for them). CONFLICT when they have no failures to clear. */
export function clearUserCount(path: string, macKey: Uint8Array | null, workstation: string, user: string): number {
  const state = readUnlockState(path, macKey, workstation);
  const failures = state.users[user]?.failures ?? 0;
  if (failures === 0) throw new RwError('CONFLICT', 'That user is not locked out and has no failed attempts to clear.');
  const users = { ...state.users };
  delete users[user];
  writeUnlockState(path, macKey, { ...state, users });
  return failures;
}

/**
 * Applies a release whose signature the caller has verified: it must name this workstation and its
 * current count, be newer than the last release applied, and find something locked out. Clears the
 * workstation counter and every user's (the central office's word outranks a reviewer's).
 */
export function applyReleaseCount(path: string, macKey: Uint8Array | null, workstation: string, release: { workstation: string; failures: number }, policy: LockoutPolicy): UnlockState {
  const state = readUnlockState(path, macKey, workstation);
  if (release.workstation !== workstation) throw new RwError('CONFLICT', `This release is for another workstation (${release.workstation}), not this one (${workstation}).`, { reason: 'workstation' });
  if (release.failures <= state.released) throw new RwError('REPLAYED', 'This release was already used (or is older than the last one used); ask the central office for a new one.', { reason: 'reused' });
  if (release.failures !== state.total) {
    throw new RwError('CONFLICT', `This release is for failure count ${release.failures}, but this workstation's count is ${state.total}; ask for a release for ${state.total}.`, { reason: 'count', failures: state.total });
  }
  const view = lockoutView(state, policy);
  if (!view.workstationLocked && !view.users.some((u) => u.locked)) throw new RwError('CONFLICT', 'Nothing is locked out on this workstation; the release was not used.', { reason: 'not-locked' });
  const next: UnlockState = { ...state, failures: 0, lastFailureAt: null, released: state.total, users: {} };
  writeUnlockState(path, macKey, next);
  return next;
}
