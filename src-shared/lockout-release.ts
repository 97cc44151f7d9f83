/**
 * The lockout release (ARCHITECTURE: stores and keys, "lockout recovery"): what the central office signs
 * so that an air-gapped workstation locked out by failed unlocks can be recovered with a file. A DSSE
 * envelope of LOCKOUT_RELEASE_PAYLOAD_TYPE over this RFC 8785 canonical JSON, signed by the policy key,
 * verified under the trust root's policy keys (outside the vault folder, readable before sign-in).
 * It names one workstation and one failure count: the count only grows, and the workstation remembers
 * the last count it released, so a release opens one lockout once.
 */
import { z } from 'zod';

export const LOCKOUT_RELEASE_TYPE = 'https://reviewer-workstation.dev/lockout-release/v1';
/** A release file is small; anything larger is not one. */
export const MAX_LOCKOUT_RELEASE_BYTES = 16 * 1024;

export const lockoutReleaseSchema = z
  .object({
    _type: z.literal(LOCKOUT_RELEASE_TYPE),
    /** The workstation id (32 hex digits), as the lock screen shows it. */
    workstation: z.string().regex(/^[0-9a-f]{32}$/, 'A workstation id is 32 hexadecimal digits.'),
    /** The workstation's failure count, as the lock screen shows it. */
    failures: z.number().int().min(1).max(1_000_000),
    /** UTC milliseconds; informative (a release does not expire: the count binds it). */
    issuedAt: z.number().int().nonnegative(),
  })
  .strict();

export type LockoutRelease = z.infer<typeof lockoutReleaseSchema>;
