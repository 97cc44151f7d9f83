import { describe, expect, it } from 'vitest';
import { checkAdminAuthorization, generateAdminToken } from '../../../src-server/admin-token';

describe('admin token', () => {
  const { token, sha256 } = generateAdminToken();

  it('is random, prefixed, and stored only as its hash', () => {
    expect(token).toMatch(/^rwadm_[A-Za-z0-9_-]{43}$/);
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sha256).not.toContain(token.slice(6, 20));
    expect(generateAdminToken().token).not.toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['the token without Bearer', token],
    ['another scheme', `Basic ${token}`],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['the token with a suffix', `Bearer ${token}A`],
    ['the hash instead of the token', `Bearer ${sha256}`],
    ['two spaces', `Bearer  ${token}`],
  ])('refuses %s', (_name, header) => {
    expect(checkAdminAuthorization(header, sha256)).toBe(false);
  });

  it('accepts exactly "Bearer <token>"', () => {
    expect(checkAdminAuthorization(`Bearer ${token}`, sha256)).toBe(true);
  });
});
