/**
 * Retry schedule for network sync (see ARCHITECTURE: attestations and sync): exponential backoff with a cap and jitter, pure so
 * tests drive it with fixed numbers. Offline is the normal state of these laptops, so the cap is long
 * and a failure is not an error to show, only a time to try again.
 */

export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** Never wait longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 6 * 60 * 60 * 1000 };

/**
 * Delay before the next attempt after `failures` consecutive failures (1 = the first failure).
 * `jitter` in [0, 1) spreads retries of many workstations over the upper half of the window
 * ("equal jitter"), so a server coming back is not hit by all of them at once.
 */
export function backoffDelay(failures: number, jitter: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(failures) || failures < 1) return 0;
  const j = Number.isFinite(jitter) ? Math.min(Math.max(jitter, 0), 1 - Number.EPSILON) : 0;
  // 2^(failures-1) overflows to Infinity for large counts; Math.min keeps the cap.
  const window = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 62));
  return Math.floor(window / 2 + (window / 2) * j);
}

/** When to try next, honouring a server's Retry-After when it asks for longer. */
export function nextAttemptAt(now: number, failures: number, jitter: number, retryAfterMs: number | null = null, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return now + Math.max(backoffDelay(failures, jitter, policy), retryAfterMs ?? 0);
}
