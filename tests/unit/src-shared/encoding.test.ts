import { describe, expect, it } from 'vitest';
import { fromBase64, fromBase64Any, fromBase64Url, fromHex, fromUtf8, toBase64, toBase64Url, toHex, utf8 } from '../../../src-shared/encoding';

describe('encoding', () => {
  it('round-trips hex and base64 in both alphabets', () => {
    const bytes = new Uint8Array([0, 1, 0xfb, 0xff, 0x3e, 0x3f]);
    expect(fromHex(toHex(bytes))).toEqual(bytes);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Any(toBase64Url(bytes))).toEqual(bytes);
  });

  it.each([
    ['odd-length hex', () => fromHex('abc')],
    ['non-hex characters', () => fromHex('zz')],
    ['base64 with a stray character', () => fromBase64('ab!d')],
    ['base64 without padding', () => fromBase64('abc')],
    ['base64url with a plus', () => fromBase64Url('ab+d')],
    ['invalid UTF-8', () => fromUtf8(new Uint8Array([0xc3, 0x28]))],
  ])('refuses %s', (_name, decode) => {
    expect(decode).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('encodes UTF-8 by bytes, not code units', () => {
    expect(utf8('é').byteLength).toBe(2);
  });
});
