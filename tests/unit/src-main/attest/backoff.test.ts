import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, nextAttemptAt } from '../../../../src-main/attest/backoff';

const policy = { baseMs: 1000, maxMs: 60_000 };

describe('backoff schedule', () => {
  it('doubles the window per failure and caps it', () => {
    const windows = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, 1 - Number.EPSILON, policy));
    expect(windows).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000].map((w) => w - 1));
  });

  it('keeps jittered delays within the upper half of the window', () => {
    for (const jitter of [0, 0.25, 0.5, 0.999]) {
      const delay = backoffDelay(3, jitter, policy);
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThan(4000);
    }
    expect(backoffDelay(3, 0, policy)).toBe(2000);
  });

  it('never overflows for absurd failure counts', () => {
    expect(backoffDelay(10_000, 0.5, DEFAULT_BACKOFF)).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
    expect(Number.isFinite(backoffDelay(Number.MAX_SAFE_INTEGER, 0.5))).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN])('treats %s failures as no wait', (n) => {
    expect(backoffDelay(n, 0.5, policy)).toBe(0);
  });

  it.each([Number.NaN, -3, 7])('clamps a jitter of %s into [0, 1)', (jitter) => {
    const delay = backoffDelay(2, jitter, policy);
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThan(2000);
  });

  it("honours a server's Retry-After when it is longer", () => {
    expect(nextAttemptAt(10_000, 1, 0, null, policy)).toBe(10_500);
    expect(nextAttemptAt(10_000, 1, 0, 30_000, policy)).toBe(40_000);
    expect(nextAttemptAt(10_000, 1, 0, 100, policy)).toBe(10_500);
  });
});
