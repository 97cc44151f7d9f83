import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import type { RgbaImage } from '../../../../src-shared/watermark/pattern';
import { mulberry32 } from '../../../../src-shared/watermark/tile-layout';
import { COLOUR_THEMES, DARK_THEME, TYPICAL_PHOTO, crop, jpegRoundTrip, noiseImage, photoLike, simulatePhoto, syntheticPage } from '../../../helpers/image-helpers';

describe('watermark decoder on clean images', () => {
  // 1 000 small unmarked images (96-160 px windows of light, dark, colour and photo-like pages and
  // noise, a third of them through JPEG): each goes through the whole search, the fast reject included,
  // and none may yield a code. Small windows keep this affordable; the large ones follow.
  it('finds no code in 1 000 small clean images', () => {
    const random = mulberry32(404);
    const sources = [
      syntheticPage(640, 640, 1),
      syntheticPage(640, 640, 2, DARK_THEME),
      syntheticPage(640, 640, 3, COLOUR_THEMES[0]),
      syntheticPage(640, 640, 4, COLOUR_THEMES[2]),
      photoLike(640, 640, 5),
      noiseImage(640, 640, 6, 12),
    ];
    let found = 0;
    for (let i = 0; i < 1000; i++) {
      const src = sources[i % sources.length] as RgbaImage;
      const size = 96 + Math.floor(random() * 65);
      let img = crop(src, Math.floor(random() * (640 - size)), Math.floor(random() * (640 - size)), size, size);
      if (i % 3 === 1) img = jpegRoundTrip(img, 50 + Math.floor(random() * 40));
      if (decodeWatermark(img)) found++;
    }
    expect(found).toBe(0);
    // ~4-30 ms of CPU per image; the generous limit is for a loaded machine, not the expected time.
  }, 300_000);

  it.each<[string, () => RgbaImage]>([
    ['a clean dark page', () => syntheticPage(700, 900, 31, DARK_THEME)],
    ['a clean colour page after JPEG q60', () => jpegRoundTrip(syntheticPage(700, 900, 32, COLOUR_THEMES[1]), 60)],
    ['a clean photograph', () => photoLike(700, 700, 33)],
    ['a phone photo of a clean dark page', () => simulatePhoto(syntheticPage(700, 700, 34, DARK_THEME), { ...TYPICAL_PHOTO, width: 800, height: 600, seed: 1 })],
  ])('finds nothing in %s', (_label, make) => {
    expect(decodeWatermark(make())).toBeNull();
  });
});
