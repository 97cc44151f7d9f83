import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src-server/rate-limiter';

describe('per-key token bucket', () => {
  it('allows the burst, then refuses with the seconds until the next token, and refills with time', () => {
    const now = { ms: 0 };
    const limiter = createRateLimiter({ ratePerMinute: 6, burst: 2 }, () => now.ms);
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
    // Keys do not share buckets.
    expect(limiter.take('b')).toEqual({ ok: true });
    now.ms = 10_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a').ok).toBe(false);
  });

  it('mints no tokens when the clock steps backwards', () => {
    const now = { ms: 100_000 };
    const limiter = createRateLimiter({ ratePerMinute: 60, burst: 1 }, () => now.ms);
    expect(limiter.take('a').ok).toBe(true);
    now.ms = 0;
    expect(limiter.take('a').ok).toBe(false);
    now.ms = 500;
    expect(limiter.take('a').ok).toBe(false);
  });
});
