import { describe, expect, it } from 'vitest';
import { decodeWatermark } from '../../../../src-shared/watermark/decoder';
import { renderWatermark, type RgbaImage } from '../../../../src-shared/watermark/pattern';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { TILE_PX } from '../../../../src-shared/watermark/tile-layout';
import { blankImage, compositeOver, crop, jpegRoundTrip, noiseImage, resizeBilinear, syntheticPage } from '../../../helpers/image-helpers';

const code = Uint8Array.from([0x5a, 0x17, 0xc3, 0x00, 0xfe, 0x42]);
const hex = sessionCodeToHex(code);

function marked(width: number, height: number, seed: number, withCode = code): RgbaImage {
  return compositeOver(syntheticPage(width, height, seed), renderWatermark(withCode, width, height));
}

describe('watermark decoder', () => {
  const page = marked(1000, 1300, 11);

  it('reads the code from a lossless screenshot', () => {
    const found = decodeWatermark(page);
    expect(found?.code).toBe(hex);
    expect(found?.evidence.confirmation).toBeGreaterThan(0.5);
    expect(found?.evidence.period[0]).toBeCloseTo(TILE_PX, 0);
  });

  it('reads grey-scale input', () => {
    const grey = new Uint8Array(page.width * page.height);
    for (let i = 0; i < grey.length; i++) grey[i] = Math.round(0.299 * (page.data[4 * i] ?? 0) + 0.587 * (page.data[4 * i + 1] ?? 0) + 0.114 * (page.data[4 * i + 2] ?? 0));
    expect(decodeWatermark({ width: page.width, height: page.height, data: grey })?.code).toBe(hex);
  });

  it('survives JPEG q50', () => {
    expect(decodeWatermark(jpegRoundTrip(page, 50))?.code).toBe(hex);
  });

  it.each([0.55, 1.7])('survives rescaling by %f (period found by search)', (scale) => {
    const found = decodeWatermark(resizeBilinear(page, scale));
    expect(found?.code).toBe(hex);
    expect(Math.abs((found?.evidence.period[0] ?? 0) / TILE_PX - scale)).toBeLessThan(0.02);
  });

  it('survives a 25 % crop at an arbitrary offset', () => {
    expect(decodeWatermark(crop(page, 333, 517, 500, 650))?.code).toBe(hex);
  });

  it('survives crop 25 % + rescale 0.6 + JPEG q60', () => {
    const other = Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab]);
    const img = jpegRoundTrip(resizeBilinear(crop(marked(1000, 1300, 21, other), 250, 300, 460, 706), 0.6), 60);
    expect(decodeWatermark(img)?.code).toBe(sessionCodeToHex(other));
  });

  it.each<[string, () => RgbaImage]>([
    ['a clean page', () => syntheticPage(700, 900, 12)],
    ['a clean page after JPEG q70 and rescale 0.8', () => jpegRoundTrip(resizeBilinear(syntheticPage(800, 1000, 13), 0.8), 70)],
    ['random noise', () => noiseImage(600, 600, 3, 20)],
    ['a blank white page', () => blankImage(600, 600)],
  ])('finds nothing in %s', (_label, make) => {
    expect(decodeWatermark(make())).toBeNull();
  });

  it.each<[string, { width: number; height: number; data: Uint8Array }]>([
    ['data shorter than width × height', { width: 100, height: 100, data: new Uint8Array(99 * 100) }],
    ['too small to hold a tile', { width: 40, height: 40, data: new Uint8Array(40 * 40 * 4) }],
    ['non-integer size', { width: 100.5, height: 100, data: new Uint8Array(100 * 100) }],
    ['zero size', { width: 0, height: 0, data: new Uint8Array(0) }],
    ['a one-pixel-high strip', { width: 5000, height: 1, data: new Uint8Array(5000).fill(250) }],
    ['a one-pixel-wide strip', { width: 1, height: 5000, data: new Uint8Array(5000 * 4).fill(250) }],
  ])('refuses malformed input (%s) with null', (_label, img) => {
    expect(decodeWatermark(img)).toBeNull();
  });
});
