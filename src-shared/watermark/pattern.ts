/**
 * The overlay pattern exactly as the app draws it: a plain RGBA buffer (non-premultiplied, as
 * ImageData holds it) that the overlay renderer puts into a canvas (putImageData, or createPattern
 * from the 128×128 tile) composited source-over the whole window. Deterministic for a code; pure, no
 * DOM, no Node, so the same function runs in the overlay renderer, the CLI and the tests.
 *
 * Colour (why yellowish, not grey): a dark cell lowers R, G, B by 3, 3, 10 (of 255) on white. Luma
 * (BT.601) drops by 0.299·3 + 0.587·3 + 0.114·10 = 3.80 < 4/255, the step the prototype found JPEG q50
 * still keeps; most of the change sits in blue, to which the eye is least sensitive at fine scale, and
 * green (the most visible) moves least. Light cells are fully transparent.
 *
 * The dark pixel is RGBA (179, 179, 0, 10). Browsers composite premultiplied: premul = round(C·a/255)
 * = (7, 7, 0), out = premul + dst·(255 - a)/255, so white becomes (252, 252, 245). With a = 10 the
 * premultiplied values survive the round trip exactly (179·10/255 = 7.02 → 7).
 */
import { TILE_LAYOUT, TILE_PX, cellBits } from './tile-layout';
import { SESSION_CODE_BYTES } from './session-code';

export interface RgbaImage {
  width: number;
  height: number;
  /** Non-premultiplied RGBA, row-major, 4 bytes per pixel (ImageData layout). */
  data: Uint8ClampedArray;
}

export const DARK_PIXEL = Object.freeze([179, 179, 0, 10] as const);
/** Largest per-pixel luma change the overlay causes on white, in 1/255 (BT.601). */
export const MAX_LUMA_STEP = 0.299 * 3 + 0.587 * 3 + 0.114 * 10;

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
  const [r, g, b, a] = DARK_PIXEL;
  for (let y = 0; y < height; y++) {
    const rowBase = (y % TILE_PX) * TILE_PX;
    for (let x = 0; x < width; x++) {
      if (!bits[pixelCell[rowBase + (x % TILE_PX)] ?? 0]) continue;
      const o = (y * width + x) * 4;
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
      data[o + 3] = a;
    }
  }
  return { width, height, data };
}

/** One 128×128 tile: what the overlay hands to createPattern(…, 'repeat'). Same pixels as renderWatermark. */
export function renderWatermarkTile(code: Uint8Array): RgbaImage {
  return renderWatermark(code, TILE_PX, TILE_PX);
}
