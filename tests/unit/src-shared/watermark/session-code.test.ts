import { describe, expect, it } from 'vitest';
import {
  CODED_BITS,
  codewordFit,
  crc32c,
  decodeSessionCode,
  encodeSessionCode,
  sessionCheck,
  sessionCodeFromHex,
  sessionCodeToHex,
} from '../../../../src-shared/watermark/session-code';
import { mulberry32 } from '../../../../src-shared/watermark/tile-layout';

const random = mulberry32(7);
const randomCode = () => Uint8Array.from({ length: 6 }, () => Math.floor(random() * 256));
const soft = (bits: Uint8Array): number[] => Array.from(bits, (b) => (b ? 1 : -1));

describe('session code', () => {
  it('computes CRC-32C with the RFC 3720 check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('round-trips random codes through the convolutional code', () => {
    for (let i = 0; i < 50; i++) {
      const code = randomCode();
      const coded = encodeSessionCode(code);
      expect(coded.length).toBe(CODED_BITS);
      expect(decodeSessionCode(soft(coded))).toEqual(code);
    }
  });

  it('measures how well soft values fit a codeword, without a check, so a grid can be ranked by its payload', () => {
    const values = soft(encodeSessionCode(randomCode()));
    // A clean codeword fits perfectly: the path metric is the norm, √172.
    expect(codewordFit(values)).toBeCloseTo(Math.sqrt(CODED_BITS), 6);
    const noisy = values.map((v, i) => v + 2 * (mulberry32(i + 1)() - 0.5) * 2.5);
    const noise = values.map((_, i) => (mulberry32(i + 99)() - 0.5) * 2);
    expect(codewordFit(noisy)).toBeGreaterThan(codewordFit(noise));
    expect(codewordFit(noise)).toBeLessThan(0.8 * Math.sqrt(CODED_BITS));
    expect(codewordFit(new Array<number>(CODED_BITS).fill(0))).toBe(0);
    expect(() => codewordFit([1, -1])).toThrow(RangeError);
  });

  it('corrects scattered hard errors and erasures', () => {
    for (let i = 0; i < 20; i++) {
      const code = randomCode();
      const values = soft(encodeSessionCode(code));
      // 8 flipped bits spread over the word, plus 30 erased ones.
      for (let k = 0; k < 8; k++) values[(k * 21 + i) % CODED_BITS] = -(values[(k * 21 + i) % CODED_BITS] ?? 0);
      for (let k = 0; k < 30; k++) values[(k * 5 + 2 + i) % CODED_BITS] = 0;
      expect(decodeSessionCode(values)).toEqual(code);
    }
  });

  it('never accepts noise: 3000 random soft words all fail the 32-bit check', () => {
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const values = Array.from({ length: CODED_BITS }, () => random() * 2 - 1);
      if (decodeSessionCode(values) !== null) accepted++;
    }
    expect(accepted).toBe(0);
  });

  it('rejects a corrupted code rather than returning a different one', () => {
    for (let i = 0; i < 50; i++) {
      const code = randomCode();
      const values = soft(encodeSessionCode(code));
      // Overwrite a 60-bit stretch with the coded bits of another code: too much for the ECC.
      const other = soft(encodeSessionCode(randomCode()));
      const start = Math.floor(random() * (CODED_BITS - 60));
      for (let k = start; k < start + 60; k++) values[k] = other[k] ?? 0;
      const got = decodeSessionCode(values);
      if (got !== null) expect(got).toEqual(code);
    }
  });

  it('binds the check to the code (a one-bit change changes the check)', () => {
    const code = randomCode();
    const changed = Uint8Array.from(code);
    changed[5] = (changed[5] ?? 0) ^ 1;
    expect(sessionCheck(code)).not.toBe(sessionCheck(changed));
  });

  it.each([
    ['too short', '0a0b0c'],
    ['too long', '0a0b0c0d0e0f10'],
    ['not hex', 'zz0b0c0d0e0f'],
    ['empty', ''],
    ['spaces', '0a0b0c 0d0e0f'],
  ])('refuses a malformed hex code (%s)', (_label, text) => {
    expect(sessionCodeFromHex(text)).toBeNull();
  });

  it('converts hex both ways and refuses codes of the wrong length', () => {
    expect(sessionCodeToHex(sessionCodeFromHex('00FF10a0b0c0') as Uint8Array)).toBe('00ff10a0b0c0');
    expect(() => encodeSessionCode(new Uint8Array(5))).toThrow(RangeError);
    expect(() => decodeSessionCode([1, 2, 3])).toThrow(RangeError);
  });
});
