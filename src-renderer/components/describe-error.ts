/** Turns a router error into a sentence a reviewer can act on. Codes decide; messages fill in. */
import type { RwError } from '../../src-shared/errors';

function retryAtMs(detail: Readonly<Record<string, string | number>>, now: number): number | null {
  const num = (key: string): number | null => {
    const v = detail[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : null;
  };
  const at = num('retryAt');
  if (at !== null) return at;
  const ms = num('retryAfterMs');
  if (ms !== null) return now + ms;
  const s = num('retryAfterSeconds') ?? num('retryAfter');
  if (s !== null) return now + s * 1000;
  return null;
}

function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * `stepUp`: the passphrase was asked again of someone already signed in (signing, export, authorising
 * a change), so there is no user name to be wrong about.
 */
export function describeError(error: RwError, now: number, options: { stepUp?: boolean } = {}): string {
  switch (error.code) {
    case 'AUTH_FAILED': {
      const left = error.detail['attemptsRemaining'];
      const suffix = typeof left === 'number' ? ` ${left} attempt${left === 1 ? '' : 's'} left before a lockout.` : '';
      return `${options.stepUp ? 'That passphrase is not correct.' : 'The user name or passphrase is not correct.'}${suffix}`;
    }
    case 'LOCKED_OUT': {
      const at = retryAtMs(error.detail, now);
      // Without a wait (the threshold lockout, a tampered attempt record) the main process's sentence says what to do.
      if (at === null) return error.message;
      const time = new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      return `Too many failed attempts: unlocking is paused. Try again at ${time} (in ${formatWait(at - now)}).`;
    }
    case 'VAULT_LOCKED':
      return 'The workstation locked. Unlock it to continue.';
    case 'INVALID_INPUT':
    case 'VAULT_EXISTS':
    case 'VAULT_MISSING':
    case 'PACKAGE_REFUSED':
    case 'SIGNATURE_INVALID':
    case 'TOO_LARGE':
    case 'NOT_FOUND':
    case 'DENIED':
      return error.message;
    default:
      return error.message || 'Something went wrong.';
  }
}
