/**
 * Bearer tokens for the server's reads (DESIGN §2, network attacker row): verdicts, proofs and what the
 * witness saw are not for anonymous clients. `rwctl server token create --role auditor|reader` prints a
 * token once; the store keeps only its SHA-256, so a copy of the database grants no access. A presented
 * token is hashed first and the digest looked up: no comparison ever runs over the secret itself.
 *
 * Roles: `reader` may read attestations, the server's checkpoint and proofs; `auditor` may also read the
 * checkpoints the witness cosigned for each workstation (to prove a local log was not rewritten below
 * them). The administrator's token may read everything. Workstations need no token: they learn their
 * receipts from the answers to their own signed submissions.
 */
import { randomBytes, sha256 } from '../src-shared/node/crypto';
import { toBase64Url, toHex, utf8 } from '../src-shared/encoding';
import { checkAdminAuthorization } from './admin-token';

export const READ_TOKEN_PREFIX = 'rwtok_';
export const READ_TOKEN_ROLES = ['auditor', 'reader'] as const;
export type ReadTokenRole = (typeof READ_TOKEN_ROLES)[number];
export type ReadAccess = ReadTokenRole | 'admin';

export function isReadTokenRole(value: string): value is ReadTokenRole {
  return (READ_TOKEN_ROLES as readonly string[]).includes(value);
}

export function generateReadToken(random: (n: number) => Uint8Array = randomBytes): { token: string; sha256: string } {
  const token = `${READ_TOKEN_PREFIX}${toBase64Url(random(32))}`;
  return { token, sha256: readTokenDigest(token) };
}

export function readTokenDigest(token: string): string {
  return toHex(sha256(utf8(token)));
}

/** The bearer value of an Authorization header, or null (any other scheme, or a value no token has). */
export function bearerOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
  return match ? match[1]! : null;
}

/**
 * Who is reading: the admin token, a stored (unrevoked) read token's role, or null. `roleOf` looks the
 * digest up in the store.
 */
export async function readAccessOf(
  header: string | undefined,
  adminTokenSha256: string,
  roleOf: (tokenSha256: string) => Promise<ReadTokenRole | null>,
): Promise<ReadAccess | null> {
  const token = bearerOf(header);
  if (token === null) return null;
  if (checkAdminAuthorization(header, adminTokenSha256)) return 'admin';
  if (!token.startsWith(READ_TOKEN_PREFIX)) return null;
  return roleOf(readTokenDigest(token));
}

/** What each access may read: readers the log and attestations, auditors and the admin also the witness. */
export function mayRead(access: ReadAccess | null, what: 'log' | 'witness'): boolean {
  if (access === null) return false;
  return what === 'log' ? true : access === 'auditor' || access === 'admin';
}

/** Issues a token for `role`: only its digest is stored; the token itself is returned once. */
export async function createReadToken(
  store: { transaction<T>(fn: (tx: { insertReadToken(sha: string, role: string, at: number): Promise<void> }) => Promise<T>): Promise<T> },
  role: ReadTokenRole,
  at: number,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<string> {
  const { token, sha256: digest } = generateReadToken(random);
  await store.transaction((tx) => tx.insertReadToken(digest, role, at));
  return token;
}
