import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { TYPICAL_PHOTO, compositeOver, simulatePhoto, syntheticPage } from '../../../helpers/image-helpers';

describe('watermark from a phone photo of the screen', () => {
  const code = Uint8Array.from([0x9e, 0x11, 0x70, 0x2b, 0xc4, 0x5d]);
  // A light page photographed: tilted 3°, soft focus, dimmer and gamma-shifted, sensor noise, faint
  // moiré, JPEG 70, from a fixed seed. (A dark page is read from a photo in the rwctl test; keystoned
  // photos and stronger moiré are the bench's photo rows, whose rate the report states.)
  it('finds the grid, rectifies and reads a photo of a light page', () => {
    const screen = compositeOver(syntheticPage(1000, 1000, 50), renderWatermark(code, 1000, 1000));
    const found = decodeWatermark(simulatePhoto(screen, { ...TYPICAL_PHOTO, keystone: 0, moire: 0.04, width: 1100, height: 900, seed: 50 }));
    expect(found?.code).toBe(sessionCodeToHex(code));
    expect(found?.evidence.method).toBe('photo');
    expect(Math.abs((found?.evidence.rotation ?? 0) - 3)).toBeLessThan(0.5);
    // A limit for a loaded machine (the decode takes a few seconds of CPU), not an expected time.
  }, 180_000);
});
