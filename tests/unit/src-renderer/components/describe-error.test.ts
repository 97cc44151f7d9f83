import { describe, expect, test } from 'vitest';
import { RwError } from '../../../../src-shared/errors';
import { describeError } from '../../../../src-renderer/components/describe-error';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('describeError', () => {
  test('AUTH_FAILED says how many attempts are left', () => {
    expect(describeError(new RwError('AUTH_FAILED', 'x', { attemptsRemaining: 2 }), NOW)).toBe(
      'The user name or passphrase is not correct. 2 attempts left before a lockout.',
    );
  });

  test('AUTH_FAILED at a step-up (signing, export, authorising) does not talk about a user name', () => {
    expect(describeError(new RwError('AUTH_FAILED', 'x', { attemptsRemaining: 1 }), NOW, { stepUp: true })).toBe('That passphrase is not correct. 1 attempt left before a lockout.');
  });

  test('LOCKED_OUT with a delay gives the wait in seconds', () => {
    const text = describeError(new RwError('LOCKED_OUT', 'x', { reason: 'delay', retryAfterMs: 30_000 }), NOW);
    expect(text).toContain('Try again at');
    expect(text).toContain('(in 30 seconds)');
  });

  test('LOCKED_OUT with a long delay gives minutes', () => {
    expect(describeError(new RwError('LOCKED_OUT', 'x', { retryAfterMs: 5 * 60_000 }), NOW)).toContain('(in 5 minutes)');
  });

  test('LOCKED_OUT without a delay passes on the main process sentence', () => {
    const message = 'Too many failed unlock attempts; this workstation is locked out. Contact your administrator.';
    expect(describeError(new RwError('LOCKED_OUT', message, { reason: 'threshold' }), NOW)).toBe(message);
  });
});
