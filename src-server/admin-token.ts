/**
 * The administrator's bearer token. Generated at `rwctl server init` and printed once; only its SHA-256
 * is stored, so a copy of server.json does not grant admin access. There are no default credentials.
 */
import { randomBytes, sha256, timingSafeEqual } from '../src-shared/node/crypto';
import { fromHex, toBase64Url, toHex, utf8 } from '../src-shared/encoding';

export const ADMIN_TOKEN_PREFIX = 'rwadm_';

export function generateAdminToken(random: (n: number) => Uint8Array = randomBytes): { token: string; sha256: string } {
  const token = `${ADMIN_TOKEN_PREFIX}${toBase64Url(random(32))}`;
  return { token, sha256: toHex(sha256(utf8(token))) };
}

/**
 * Checks an `Authorization` header value against the stored hash. The comparison is over fixed-length
 * digests in constant time, so neither the token's length nor a matching prefix leaks through timing.
 */
export function checkAdminAuthorization(header: string | undefined, storedSha256Hex: string): boolean {
  if (header === undefined) return false;
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
  const presented = sha256(utf8(match ? match[1]! : ''));
  const ok = timingSafeEqual(presented, fromHex(storedSha256Hex));
  return ok && match !== null;
}
