import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { DARK_THEME, TYPICAL_PHOTO, compositeOver, simulatePhoto, syntheticPage } from '../../../helpers/image-helpers';

describe('watermark from a phone photo of the screen', () => {
  const code = Uint8Array.from([0x9e, 0x11, 0x70, 0x2b, 0xc4, 0x5d]);
  // Tilted 3°, soft focus, dimmer and gamma-shifted, sensor noise, faint moiré, JPEG 70. (Keystone
  // beyond ~1 % is not yet recovered: see the bench's photo rows.)
  const photoOf = (theme: typeof DARK_THEME | undefined, seed: number) =>
    simulatePhoto(compositeOver(syntheticPage(1000, 1000, seed, theme), renderWatermark(code, 1000, 1000)), {
      ...TYPICAL_PHOTO,
      keystone: 0,
      moire: 0.04,
      width: 1100,
      height: 900,
      seed,
    });

  it.each([
    ['light', undefined],
    ['dark', DARK_THEME],
  ] as const)('finds the grid, rectifies and reads a photo of a %s page', (_label, theme) => {
    const found = decodeWatermark(photoOf(theme, 50));
    expect(found?.code).toBe(sessionCodeToHex(code));
    expect(found?.evidence.method).toBe('photo');
    expect(Math.abs((found?.evidence.rotation ?? 0) - 3)).toBeLessThan(0.5);
  });
});
