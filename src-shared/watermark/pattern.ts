/**
 * The overlay pattern exactly as the app draws it: a plain RGBA buffer (non-premultiplied, as
 * ImageData holds it) that the overlay renderer puts into a canvas (putImageData, or createPattern
 * from one tile) composited source-over the whole window. Deterministic for a code; pure, no DOM, no
 * Node, so the same function runs in the overlay renderer, the preview, the CLI and the tests.
 *
 * Why two colours at one alpha (and not dark cells over transparent ones): source-over gives
 * out = C·a + dst·(1 - a). A single colour C at alpha a moves each pixel by a·(C - dst), which depends
 * on the page: it darkens white, lightens black, and vanishes where dst ≈ C (an earlier pattern with
 * only dark cells could not be read on dark pages at all). With every pixel at the same alpha and the
 * two cell kinds differing only in colour, the difference between them is a·(C1 - C0), the same
 * number of grey levels in each channel over white, black, grey, saturated colour or a photograph;
 * source-over never clips, so nothing saturates either. What the page itself sees is a uniform veil
 * (contrast × (1 - a), here 10/255 ≈ 4 %), which has no spatial structure to notice.
 *
 * The step between cell kinds is neutral, (4, 4, 4) of 255 in R, G and B: luma 4 grey levels, what the
 * decoder reads and what JPEG keeps best (full-resolution Y, finest quantisation). A step with colour in
 * it (an earlier (3, 3, 10), mostly blue) adds chroma the decoder never uses; CIELAB counts that chroma
 * heavily, most of all on dark pages where L* is steep, so the neutral step is the least visible one
 * for the signal: ΔE*ab 1.4 on white, 2.0 on the dark theme #1e1e1e, at most 2.0 on every background
 * the tests name (tests/helpers/watermark-contrast.ts). Browsers composite premultiplied:
 * premul = round(C·a/255), so with a = 10 the two pixels are exactly (2, 2, 2) and (6, 6, 6) after
 * premultiplication (51·10/255 = 2, 153·10/255 = 6).
 */
import { TILE_LAYOUT, TILE_PX, cellBits } from './tile-layout';
import { SESSION_CODE_BYTES } from './session-code';

export interface RgbaImage {
  width: number;
  height: number;
  /** Non-premultiplied RGBA, row-major, 4 bytes per pixel (ImageData layout). */
  data: Uint8ClampedArray;
}

/** A "dark" cell's pixel (cell bit 1). */
export const DARK_PIXEL = Object.freeze([51, 51, 51, 10] as const);
/** A "light" cell's pixel (cell bit 0): same alpha, so the step does not depend on the page. */
export const LIGHT_PIXEL = Object.freeze([153, 153, 153, 10] as const);
/** The step between light and dark cells on any page, per channel, in 1/255 (after premultiplication). */
export const CELL_STEP_RGB = Object.freeze([4, 4, 4] as const);
/** The same step in luma (BT.601), 1/255. */
export const MAX_LUMA_STEP = 0.299 * 4 + 0.587 * 4 + 0.114 * 4;

const MAX_DIMENSION = 16384;

function assertInputs(code: Uint8Array, width: number, height: number): void {
  if (code.length !== SESSION_CODE_BYTES) throw new RangeError(`A session code is ${SESSION_CODE_BYTES} bytes.`);
  for (const v of [width, height])
    if (!Number.isInteger(v) || v < 1 || v > MAX_DIMENSION) throw new RangeError(`Overlay size must be 1..${MAX_DIMENSION} px.`);
}

/** The overlay for a window of width × height, tiled from the window's top-left corner. */
export function renderWatermark(code: Uint8Array, width: number, height: number): RgbaImage {
  assertInputs(code, width, height);
  const bits = cellBits(code);
  const { pixelCell } = TILE_LAYOUT;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const rowBase = (y % TILE_PX) * TILE_PX;
    for (let x = 0; x < width; x++) {
      const px = bits[pixelCell[rowBase + (x % TILE_PX)] ?? 0] ? DARK_PIXEL : LIGHT_PIXEL;
      const o = (y * width + x) * 4;
      data[o] = px[0];
      data[o + 1] = px[1];
      data[o + 2] = px[2];
      data[o + 3] = px[3];
    }
  }
  return { width, height, data };
}

/** One tile: what the overlay hands to createPattern(…, 'repeat'). Same pixels as renderWatermark. */
export function renderWatermarkTile(code: Uint8Array): RgbaImage {
  return renderWatermark(code, TILE_PX, TILE_PX);
}
