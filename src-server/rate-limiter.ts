/**
 * Per-key token bucket (DESIGN §2: a rogue client must not be able to flood the log). Keys are counted
 * only after their signature verified, so the table holds at most one bucket per enrolled key and an
 * unauthenticated sender cannot grow it. The clock is UTC milliseconds, passed in.
 */
export interface RateLimit {
  ratePerMinute: number;
  burst: number;
}

export interface RateLimiter {
  /** Takes one token for `key`: ok, or how many seconds until one is available. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export function createRateLimiter(limit: RateLimit, clock: () => number): RateLimiter {
  const perMs = limit.ratePerMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = clock();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
      // A clock that steps backwards must not mint tokens.
      const elapsed = Math.max(0, now - bucket.at);
      bucket.tokens = Math.min(limit.burst, bucket.tokens + elapsed * perMs);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
