import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark, type RgbaImage } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { mulberry32 } from '../../../../src-shared/watermark/tile-layout';
import { COLOUR_THEMES, DARK_THEME, blankImage, compositeOver, crop, jpegRoundTrip, photoLike, resizeBilinear, syntheticPage } from '../../../helpers/image-helpers';

// Every distortion the light-page tests pass (decoder.test.ts), applied to a dark page. One page per
// case keeps this file to a few seconds; the rates over many pages, colours and photographs are the
// bench's (npm run bench -- watermark), which generates its corpus from a seed the same way.
const DISTORTIONS: [string, (img: RgbaImage) => RgbaImage][] = [
  ['lossless', (i) => i],
  ['JPEG q50', (i) => jpegRoundTrip(i, 50)],
  ['rescale 0.55', (i) => resizeBilinear(i, 0.55)],
  ['rescale 1.5', (i) => resizeBilinear(i, 1.5)],
  ['crop 25 %', (i) => crop(i, 233, 317, 500, 650)],
  ['crop 25 % + rescale 0.6 + JPEG q60', (i) => jpegRoundTrip(resizeBilinear(crop(i, 250, 300, 460, 706), 0.6), 60)],
];

// Fixed seeds: the same codes and pages on every run.
const random = mulberry32(1717);
const newCode = () => Uint8Array.from({ length: 6 }, () => Math.floor(random() * 256));

function marked(page: RgbaImage, code: Uint8Array): RgbaImage {
  return compositeOver(page, renderWatermark(code, page.width, page.height));
}

describe('watermark decoder on any page', () => {
  const darkCode = newCode();
  const dark = marked(syntheticPage(1000, 1300, 300, DARK_THEME), darkCode);
  it.each(DISTORTIONS)('reads a dark page (#1e1e1e, light text) under %s', (_label, distort) => {
    expect(decodeWatermark(distort(dark))?.code).toBe(sessionCodeToHex(darkCode));
  });

  it.each<[string, () => RgbaImage]>([
    ['a saturated colour page', () => syntheticPage(800, 900, 401, COLOUR_THEMES[1])],
    ['a photograph', () => photoLike(800, 900, 77)],
    ['a plain black page', () => blankImage(500, 500, 0)],
    ['the grey where a single-colour overlay vanished', () => blankImage(500, 500, 179)],
  ])('reads %s after JPEG q50', (_label, page) => {
    const code = newCode();
    expect(decodeWatermark(jpegRoundTrip(marked(page(), code), 50))?.code).toBe(sessionCodeToHex(code));
  });
});
