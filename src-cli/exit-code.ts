import type { ErrorCode } from '../src-shared/errors';
import { EXIT } from './command';

/** How each error code leaves rwctl: scripts depend on these numbers. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
      return EXIT.usage;
    case 'AUTH_FAILED':
    case 'LOCKED_OUT':
      return EXIT.auth;
    case 'INTERNAL':
      return EXIT.internal;
    default:
      return EXIT.refused;
  }
}
