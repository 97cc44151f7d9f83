import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { TYPICAL_PHOTO, compositeOver, simulatePhoto, syntheticPage } from '../../../helpers/image-helpers';

describe('watermark from a phone photo of the screen', () => {
  const code = Uint8Array.from([0x9e, 0x11, 0x70, 0x2b, 0xc4, 0x5d]);
  // A light page photographed: tilted 3°, keystoned 5 %, soft focus, dimmer and gamma-shifted, sensor
  // noise, moiré at 10 % depth (hard-edged bands several times the overlay's step, which the decoder
  // without moiré suppression and a content margin did not read), JPEG 70, from a fixed seed. (A dark
  // page is read from a photo in the rwctl test; the bench's photo rows state the rate over many.)
  it('finds the grid, rectifies and reads a keystoned photo of a light page with strong moiré', () => {
    const screen = compositeOver(syntheticPage(1000, 1000, 50), renderWatermark(code, 1000, 1000));
    const found = decodeWatermark(simulatePhoto(screen, { ...TYPICAL_PHOTO, keystone: 0.05, moire: 0.1, width: 1100, height: 900, seed: 50 }));
    expect(found?.code).toBe(sessionCodeToHex(code));
    expect(found?.evidence.method).toBe('photo');
    expect(Math.abs((found?.evidence.rotation ?? 0) - 3)).toBeLessThan(0.5);
    // A limit for a loaded machine (the decode takes a few seconds of CPU), not an expected time.
  }, 180_000);
});
