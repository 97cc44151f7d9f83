import { describe, expect, it } from 'vitest';
import { DARK_PIXEL, MAX_LUMA_STEP, renderWatermark, renderWatermarkTile } from '../../../../src-shared/watermark/pattern';
import { TILE_PX } from '../../../../src-shared/watermark/tile-layout';
import { blankImage, compositeOver } from '../../../helpers/image-helpers';

const code = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]);
const luma = (d: Uint8ClampedArray, o: number) => 0.299 * (d[o] ?? 0) + 0.587 * (d[o + 1] ?? 0) + 0.114 * (d[o + 2] ?? 0);

describe('overlay pattern', () => {
  it('is deterministic, periodic with the tile, and its tile is its top-left corner', () => {
    const a = renderWatermark(code, 300, 200);
    expect(renderWatermark(code, 300, 200).data).toEqual(a.data);
    const tile = renderWatermarkTile(code);
    expect(tile.width).toBe(TILE_PX);
    for (let y = 0; y < 200; y++)
      for (let x = 0; x < 300; x++) {
        const o = (y * 300 + x) * 4;
        const t = ((y % TILE_PX) * TILE_PX + (x % TILE_PX)) * 4;
        if (a.data[o + 3] !== tile.data[t + 3]) throw new Error(`pixel ${x},${y} differs from the tile`);
      }
  });

  it('differs between codes', () => {
    expect(renderWatermark(code, 256, 256).data).not.toEqual(renderWatermark(Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbd]), 256, 256).data);
  });

  it('has only transparent and dark pixels, and the dark one changes white by less than 4/255 in luma, mostly in blue', () => {
    const overlay = renderWatermark(code, 256, 256);
    const seen = new Set<number>();
    const key = (d: ArrayLike<number>, i: number) => (((d[i] ?? 0) * 256 + (d[i + 1] ?? 0)) * 256 + (d[i + 2] ?? 0)) * 256 + (d[i + 3] ?? 0);
    for (let i = 0; i < overlay.data.length; i += 4) seen.add(key(overlay.data, i));
    expect([...seen].sort()).toEqual([0, key(DARK_PIXEL, 0)].sort());
    const page = blankImage(256, 256);
    const out = compositeOver(page, overlay);
    let maxStep = 0;
    let greenHeavier = 0;
    for (let i = 0; i < out.data.length; i += 4) {
      maxStep = Math.max(maxStep, 255 - luma(out.data, i));
      if (255 - (out.data[i + 1] ?? 0) > 255 - (out.data[i + 2] ?? 0)) greenHeavier++;
    }
    expect(greenHeavier).toBe(0);
    expect(maxStep).toBeGreaterThan(3);
    expect(maxStep).toBeLessThanOrEqual(4);
    expect(MAX_LUMA_STEP).toBeLessThanOrEqual(4);
  });

  it.each([
    ['zero width', code, 0, 10],
    ['fractional height', code, 10, 1.5],
    ['huge', code, 100000, 10],
    ['short code', new Uint8Array(5), 10, 10],
  ])('refuses bad input (%s)', (_label, c, w, h) => {
    expect(() => renderWatermark(c, w, h)).toThrow(RangeError);
  });
});
