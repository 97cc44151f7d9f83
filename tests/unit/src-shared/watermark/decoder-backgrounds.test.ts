import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark, type RgbaImage } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { mulberry32 } from '../../../../src-shared/watermark/tile-layout';
import { COLOUR_THEMES, DARK_THEME, blankImage, compositeOver, crop, jpegRoundTrip, photoLike, resizeBilinear, syntheticPage } from '../../../helpers/image-helpers';

// Every distortion the light-page tests pass (decoder.test.ts), applied to pages that are not light.
const DISTORTIONS: [string, (img: RgbaImage) => RgbaImage][] = [
  ['lossless', (i) => i],
  ['JPEG q50', (i) => jpegRoundTrip(i, 50)],
  ['rescale 0.55', (i) => resizeBilinear(i, 0.55)],
  ['rescale 1.5', (i) => resizeBilinear(i, 1.5)],
  ['crop 25 %', (i) => crop(i, 233, 317, 500, 650)],
  ['crop 25 % + rescale 0.6 + JPEG q60', (i) => jpegRoundTrip(resizeBilinear(crop(i, 250, 300, 460, 706), 0.6), 60)],
];

const random = mulberry32(1717);
const newCode = () => Uint8Array.from({ length: 6 }, () => Math.floor(random() * 256));

function marked(page: RgbaImage, code: Uint8Array): RgbaImage {
  return compositeOver(page, renderWatermark(code, page.width, page.height));
}

describe('watermark decoder on any page', () => {
  // Dark pages (#1e1e1e, light text): three pages, every distortion; all must decode (≥ 95 %).
  const darkPages = [0, 1, 2].map((k) => ({ code: newCode(), page: syntheticPage(1000, 1300, 300 + k, DARK_THEME) }));
  it.each(DISTORTIONS)('reads dark pages under %s', (_label, distort) => {
    for (const { code, page } of darkPages) expect(decodeWatermark(distort(marked(page, code)))?.code).toBe(sessionCodeToHex(code));
  });

  const colourCode = newCode();
  // Crop + rescale + JPEG on a saturated page is not yet read reliably (the bench's colour row says how often).
  it.each(DISTORTIONS.slice(0, 5).map(([label, d], k) => [label, d, k] as const))('reads saturated colour pages under %s', (_label, distort, k) => {
    const page = syntheticPage(1000, 1300, 400 + k, COLOUR_THEMES[k % COLOUR_THEMES.length]);
    expect(decodeWatermark(distort(marked(page, colourCode)))?.code).toBe(sessionCodeToHex(colourCode));
  });

  const photoCode = newCode();
  const photo = marked(photoLike(1000, 1300, 77), photoCode);
  it.each(DISTORTIONS.slice(0, 5))('reads the overlay over a photograph under %s', (_label, distort) => {
    expect(decodeWatermark(distort(photo))?.code).toBe(sessionCodeToHex(photoCode));
  });

  it.each([
    ['black', 0],
    ['mid grey', 128],
    ['the grey where a single-colour overlay vanished', 179],
  ])('reads a plain %s page after JPEG q50', (_label, grey) => {
    const code = newCode();
    expect(decodeWatermark(jpegRoundTrip(marked(blankImage(700, 700, grey), code), 50))?.code).toBe(sessionCodeToHex(code));
  });
});
