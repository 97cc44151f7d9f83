/**
 * The one error type. Every failure that can cross an edge (IPC, CLI, HTTP) carries a code from this
 * closed union and a message fit for the user. Edges map codes; they never forward stacks or paths.
 */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'USAGE',
  'UNKNOWN_CHANNEL',
  'SENDER_REFUSED',
  'DENIED',
  'NOT_FOUND',
  'CONFLICT',
  'VAULT_LOCKED',
  'VAULT_EXISTS',
  'VAULT_MISSING',
  'VAULT_DAMAGED',
  'AUTH_FAILED',
  'LOCKED_OUT',
  'SIGNATURE_INVALID',
  'PACKAGE_REFUSED',
  'POLICY_REFUSED',
  'LOG_DAMAGED',
  'TOO_LARGE',
  'RATE_LIMITED',
  'REPLAYED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class RwError extends Error {
  readonly code: ErrorCode;
  /** Small, non-secret facts that help the user act (entry name, sequence number, retry delay). */
  readonly detail: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, message: string, detail: Record<string, string | number> = {}) {
    super(message);
    this.name = 'RwError';
    this.code = code;
    this.detail = detail;
  }
}

export function isRwError(value: unknown): value is RwError {
  return value instanceof RwError;
}

/** What may leave an edge: the code and the user-facing message, never the stack or cause. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  detail: Record<string, string | number>;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (isRwError(error)) return { code: error.code, message: error.message, detail: { ...error.detail } };
  return { code: 'INTERNAL', message: 'An internal error occurred.', detail: {} };
}
