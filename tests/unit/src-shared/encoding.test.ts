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

  it('takes URL-safe base64 with no padding and none of - or _ (letters and digits only) for what it is', () => {
    // 4 zero bytes: "AAAAAA" unpadded URL-safe, "AAAAAA==" standard; both are the same bytes.
    expect(fromBase64Any('AAAAAA')).toEqual(new Uint8Array(4));
    expect(fromBase64Any('AAAAAA==')).toEqual(new Uint8Array(4));
    // Every length, through both encoders, with and without the characters that tell them apart.
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0x7f);
      expect(fromBase64Any(toBase64Url(bytes))).toEqual(bytes);
      expect(fromBase64Any(toBase64(bytes))).toEqual(bytes);
    }
    expect(() => fromBase64Any('AAAAA')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
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

describe('pure encoders (no Buffer: they also run in the renderer)', () => {
  it('agree with Node for every length 0..299 in both directions', () => {
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff);
      const node = Buffer.from(bytes);
      expect(toHex(bytes)).toBe(node.toString('hex'));
      expect(toBase64(bytes)).toBe(node.toString('base64'));
      expect(toBase64Url(bytes)).toBe(node.toString('base64url'));
      expect(fromHex(node.toString('hex'))).toEqual(bytes);
      expect(fromBase64(node.toString('base64'))).toEqual(bytes);
      expect(fromBase64Url(node.toString('base64url'))).toEqual(bytes);
    }
  });

  it.each([
    ['base64 with set padding bits (one byte)', () => fromBase64('QR==')],
    ['base64 with set padding bits (two bytes)', () => fromBase64('QUJ=')],
    ['base64url with set padding bits', () => fromBase64Url('QR')],
  ])('refuses non-canonical %s', (_name, decode) => {
    expect(decode).toThrow(/canonical/);
  });
});
