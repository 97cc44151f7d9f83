/**
 * Why the server refuses a request, and how each reason leaves over HTTP. Refusals are RwErrors whose
 * detail carries a `reason`; the HTTP edge maps the reason to a status and answers
 * `{error: {code: <reason>, message}}` (never a stack or a path). One table keeps the mapping in one place
 * so the CLI (import-bundle) and HTTP report the same reason for the same input.
 */
import { RwError, isRwError, type ErrorCode } from '../src-shared/errors';

export const REFUSAL_REASONS = {
  'body-too-large': { status: 413, code: 'TOO_LARGE' },
  'malformed-json': { status: 400, code: 'INVALID_INPUT' },
  'duplicate-key': { status: 400, code: 'INVALID_INPUT' },
  'malformed-envelope': { status: 400, code: 'INVALID_INPUT' },
  unsigned: { status: 401, code: 'SIGNATURE_INVALID' },
  'unknown-key': { status: 401, code: 'SIGNATURE_INVALID' },
  'bad-signature': { status: 400, code: 'SIGNATURE_INVALID' },
  'key-revoked': { status: 403, code: 'DENIED' },
  'wrong-payload-type': { status: 415, code: 'INVALID_INPUT' },
  'malformed-statement': { status: 400, code: 'INVALID_INPUT' },
  'predicate-not-allowed': { status: 422, code: 'POLICY_REFUSED' },
  'invalid-predicate': { status: 422, code: 'INVALID_INPUT' },
  'wrong-signer': { status: 403, code: 'DENIED' },
  'stale-sequence': { status: 409, code: 'REPLAYED' },
  'sequence-gap': { status: 409, code: 'CONFLICT' },
  'rate-limited': { status: 429, code: 'RATE_LIMITED' },
  unauthorized: { status: 401, code: 'AUTH_FAILED' },
  forbidden: { status: 403, code: 'DENIED' },
  'enrollment-refused': { status: 409, code: 'CONFLICT' },
  'not-found': { status: 404, code: 'NOT_FOUND' },
  'method-not-allowed': { status: 405, code: 'USAGE' },
  'bad-request': { status: 400, code: 'INVALID_INPUT' },
  'unknown-origin': { status: 404, code: 'NOT_FOUND' },
  'checkpoint-signature': { status: 403, code: 'SIGNATURE_INVALID' },
  'witness-conflict': { status: 409, code: 'CONFLICT' },
  'bad-proof': { status: 422, code: 'LOG_DAMAGED' },
  'implausible-size': { status: 422, code: 'INVALID_INPUT' },
  'witness-uninitialised': { status: 409, code: 'CONFLICT' },
  'too-many-connections': { status: 503, code: 'RATE_LIMITED' },
  // A signature-verification worker died or the server is closing: nothing was stored; the client retries.
  'verifier-unavailable': { status: 503, code: 'INTERNAL' },
  internal: { status: 500, code: 'INTERNAL' },
} as const satisfies Record<string, { status: number; code: ErrorCode }>;

export type RefusalReason = keyof typeof REFUSAL_REASONS;

/** A refusal with its reason; `detail` holds small non-secret facts (e.g. the size a witness holds). */
export function refusal(reason: RefusalReason, message: string, detail: Record<string, string | number> = {}): RwError {
  return new RwError(REFUSAL_REASONS[reason].code, message, { ...detail, reason });
}

export function refuse(reason: RefusalReason, message: string, detail: Record<string, string | number> = {}): never {
  throw refusal(reason, message, detail);
}

export interface RefusalView {
  status: number;
  reason: RefusalReason;
  message: string;
  detail: Record<string, string | number>;
}

function isReason(value: unknown): value is RefusalReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REFUSAL_REASONS, value);
}

/** How any thrown value leaves the server: unknown errors become a bare 500 with no message of their own. */
export function viewOf(error: unknown): RefusalView {
  if (isRwError(error)) {
    const { reason: rawReason, ...rest } = error.detail;
    const reason: RefusalReason = isReason(rawReason) ? rawReason : error.code === 'INTERNAL' ? 'internal' : error.code === 'TOO_LARGE' ? 'body-too-large' : 'bad-request';
    if (reason === 'internal') return { status: 500, reason, message: 'An internal error occurred.', detail: {} };
    return { status: REFUSAL_REASONS[reason].status, reason, message: error.message, detail: rest };
  }
  return { status: 500, reason: 'internal', message: 'An internal error occurred.', detail: {} };
}
