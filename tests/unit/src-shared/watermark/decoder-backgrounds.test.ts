import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark, type RgbaImage } from '../../../../src-shared/watermark/pattern';
import { sessionCodeFromHex, sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
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

  // Crops whose text rhythm hid the vertical tile period from the autocorrelation (lines of text
  // about 9.1 to a tile cancel its peak): the first was read only through the horizontal period
  // standing for both axes, the second only through the horizontal axis's own strongest peak.
  it.each([
    [400000221, '595073639268', 106, 334, 582, 558],
    [400000220, '301f9a135b1c', 439, 35, 476, 683],
  ])('reads dark page %i after crop + rescale 0.6 + JPEG q60 when its text hides the vertical period', (seed, hex, x, y, w, h) => {
    const page = marked(syntheticPage(1000, 1300, seed, DARK_THEME), sessionCodeFromHex(hex) ?? new Uint8Array(6));
    expect(decodeWatermark(jpegRoundTrip(resizeBilinear(crop(page, x, y, w, h), 0.6), 60), { photo: false })?.code).toBe(hex);
  });

  // Coloured crops with a code block in them (a band of background 20-40 levels darker or lighter):
  // both failed while the content threshold followed the median range and the background window
  // straddled the block's edges (page-residual.ts).
  it.each([
    [800000376, '22af8ce5bdc5', 225, 651, 672, 484],
    [800000365, '4612f3416f0d', 69, 528, 655, 496],
  ])('reads coloured page %i after crop + rescale 0.6 + JPEG q60 across a code block', (seed, hex, x, y, w, h) => {
    const page = marked(syntheticPage(1000, 1300, seed, COLOUR_THEMES[seed % COLOUR_THEMES.length]), sessionCodeFromHex(hex) ?? new Uint8Array(6));
    expect(decodeWatermark(jpegRoundTrip(resizeBilinear(crop(page, x, y, w, h), 0.6), 60), { photo: false })?.code).toBe(hex);
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
