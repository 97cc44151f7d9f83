import { describe, expect, it } from 'vitest';
import { CELL_STEP_RGB, DARK_PIXEL, LIGHT_PIXEL, MAX_LUMA_STEP, renderWatermark, renderWatermarkTile } from '../../../../src-shared/watermark/pattern';
import { TILE_PX } from '../../../../src-shared/watermark/tile-layout';
import { deltaE76, over } from '../../../helpers/watermark-contrast';

const code = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]);

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
        if (a.data[o + 2] !== tile.data[t + 2]) throw new Error(`pixel ${x},${y} differs from the tile`);
      }
  });

  it('differs between codes', () => {
    expect(renderWatermark(code, 256, 256).data).not.toEqual(renderWatermark(Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbd]), 256, 256).data);
  });

  it('has only the two cell pixels, both at the same alpha', () => {
    const overlay = renderWatermark(code, 256, 256);
    const seen = new Set<string>();
    for (let i = 0; i < overlay.data.length; i += 4) seen.add(Array.from(overlay.data.subarray(i, i + 4)).join(','));
    expect([...seen].sort()).toEqual([DARK_PIXEL.join(','), LIGHT_PIXEL.join(',')].sort());
    expect(DARK_PIXEL[3]).toBe(LIGHT_PIXEL[3]);
  });

  // The backgrounds the overlay must survive: the step between cell kinds is the same on each
  // (source-over never clips), neutral, 4 grey levels; ΔE*ab stays below 2.3 (one just-noticeable
  // difference) everywhere and is at most 1.5 × white's on the darkest, where L* is steepest.
  it.each<[string, [number, number, number]]>([
    ['white', [255, 255, 255]],
    ['black', [0, 0, 0]],
    ['dark theme #1e1e1e', [30, 30, 30]],
    ['mid grey', [128, 128, 128]],
    ['grey where a single colour would vanish', [179, 179, 179]],
    ['saturated red', [255, 0, 0]],
    ['saturated blue', [0, 0, 255]],
    ['saturated yellow', [255, 255, 0]],
  ])('keeps the same small step on %s', (_label, bg) => {
    const dark = over(bg, DARK_PIXEL);
    const light = over(bg, LIGHT_PIXEL);
    expect([light[0] - dark[0], light[1] - dark[1], light[2] - dark[2]]).toEqual([...CELL_STEP_RGB]);
    expect(MAX_LUMA_STEP).toBeCloseTo(4, 5);
    // ΔE*ab measured: white 1.4, black 1.1, #1e1e1e 2.0, mid grey 1.6, 179 grey 1.5, red 1.2, blue 1.3, yellow 1.6.
    const onWhite = deltaE76(over([255, 255, 255], DARK_PIXEL), over([255, 255, 255], LIGHT_PIXEL));
    expect(deltaE76(dark, light)).toBeLessThan(2.3);
    expect(deltaE76(dark, light)).toBeLessThanOrEqual(1.5 * onWhite);
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
