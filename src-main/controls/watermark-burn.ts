/**
 * Burns the visible and the forensic watermark into an exported excerpt image (see ARCHITECTURE: insider-risk controls), in main,
 * so a renderer cannot export an unmarked page. The forensic layer is the very pattern the overlay
 * draws (src-shared/watermark/pattern.ts), composited source-over exactly as Chromium composites the
 * overlay canvas (premultiplied, rounded), so `rwctl watermark decode` reads an export like a screenshot.
 * The visible layer is tiled diagonal text in a built-in 5×7 bitmap font: main has no text rasteriser
 * (no canvas in Node) and a font file would be one more parser for nothing.
 *
 * Pure over pixel buffers.
 */
import type { PixelImage } from '../../src-shared/watermark/decoder';
import { renderWatermark, type RgbaImage } from '../../src-shared/watermark/pattern';

/** 5×7 glyphs, one number per row, bit 4 = leftmost column (the classic HD44780 character set). */
const GLYPHS: Readonly<Record<string, readonly number[]>> = {
  ' ': [0, 0, 0, 0, 0, 0, 0],
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  A: [0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11],
  B: [0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e],
  C: [0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e],
  D: [0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c],
  E: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f],
  F: [0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  H: [0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11],
  I: [0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e],
  J: [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c],
  K: [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
  L: [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  N: [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
  O: [0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  P: [0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10],
  Q: [0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d],
  R: [0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11],
  S: [0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  U: [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e],
  V: [0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04],
  W: [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a],
  X: [0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11],
  Y: [0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04],
  Z: [0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f],
  '-': [0, 0, 0, 0x1f, 0, 0, 0],
  ':': [0, 0x0c, 0x0c, 0, 0x0c, 0x0c, 0],
  '.': [0, 0, 0, 0, 0, 0x0c, 0x0c],
  ',': [0, 0, 0, 0, 0x0c, 0x04, 0x08],
  '/': [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0],
  _: [0, 0, 0, 0, 0, 0, 0x1f],
  '@': [0x0e, 0x11, 0x01, 0x0d, 0x15, 0x15, 0x0e],
  '(': [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
  ')': [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
  '+': [0, 0x04, 0x04, 0x1f, 0x04, 0x04, 0],
  "'": [0x0c, 0x04, 0x08, 0, 0, 0, 0],
  '\u00b7': [0, 0, 0, 0x0c, 0x0c, 0, 0],
  '?': [0x0e, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
};

/** Pixel scale of the burned font (a 5×7 glyph becomes 10×14) and its colour. */
const SCALE = 2;
const INK: readonly [number, number, number, number] = [60, 60, 60, 56];
/** Diagonal angle, gaps between repeats (px, before rotation). */
const ANGLE = -Math.PI / 6;
const GAP_X = 80;
const ROW_PITCH = 110;

/** The text as a 1-bit strip (unknown characters print as '?'; lower case as upper case). */
export function rasterizeLine(text: string): { width: number; height: number; bits: Uint8Array } {
  const chars = [...text.toUpperCase()].map((c) => GLYPHS[c] ?? GLYPHS['?']!);
  const width = Math.max(1, chars.length * 6 * SCALE);
  const height = 7 * SCALE;
  const bits = new Uint8Array(width * height);
  chars.forEach((rows, i) => {
    for (let r = 0; r < 7; r++) {
      for (let c = 0; c < 5; c++) {
        if (!(((rows[r] ?? 0) >> (4 - c)) & 1)) continue;
        for (let dy = 0; dy < SCALE; dy++) for (let dx = 0; dx < SCALE; dx++) bits[(r * SCALE + dy) * width + i * 6 * SCALE + c * SCALE + dx] = 1;
      }
    }
  });
  return { width, height, bits };
}

/** Source-over of one non-premultiplied RGBA pixel onto an opaque one, rounded as Chromium does. */
function over(dst: Uint8ClampedArray, o: number, r: number, g: number, b: number, a: number): void {
  const k = (255 - a) / 255;
  dst[o] = Math.round((r * a) / 255) + (dst[o] ?? 0) * k;
  dst[o + 1] = Math.round((g * a) / 255) + (dst[o + 1] ?? 0) * k;
  dst[o + 2] = Math.round((b * a) / 255) + (dst[o + 2] ?? 0) * k;
  dst[o + 3] = 255;
}

/** The image flattened onto white (exports are opaque; a transparent page would hide the pattern). */
export function flattenOnWhite(image: PixelImage): RgbaImage {
  const { width, height } = image;
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  const grey = image.data.length === n;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (grey) {
      const v = image.data[i] ?? 0;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = 255;
      continue;
    }
    out[o] = 255;
    out[o + 1] = 255;
    out[o + 2] = 255;
    out[o + 3] = 255;
    over(out, o, image.data[o] ?? 0, image.data[o + 1] ?? 0, image.data[o + 2] ?? 0, image.data[o + 3] ?? 0);
  }
  return { width, height, data: out };
}

/**
 * The excerpt with the forensic pattern of `code` (from the image's top-left corner, as the overlay
 * tiles from the window's) and the visible line tiled diagonally over it. Returns a new opaque image.
 */
export function burnWatermark(image: PixelImage, code: Uint8Array, line: string): RgbaImage {
  const out = flattenOnWhite(image);
  const { width, height } = out;
  const pattern = renderWatermark(code, width, height);
  for (let i = 0; i < width * height * 4; i += 4) {
    const a = pattern.data[i + 3] ?? 0;
    if (a > 0) over(out.data, i, pattern.data[i] ?? 0, pattern.data[i + 1] ?? 0, pattern.data[i + 2] ?? 0, a);
  }
  if (line.length === 0) return out;
  const strip = rasterizeLine(line);
  const periodX = strip.width + GAP_X;
  const cos = Math.cos(ANGLE);
  const sin = Math.sin(ANGLE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse rotation into text space; rows alternate by half a period so repeats interleave.
      const u = x * cos + y * sin;
      const v = -x * sin + y * cos;
      const row = Math.floor(v / ROW_PITCH);
      const vy = Math.floor(v - row * ROW_PITCH);
      if (vy >= strip.height) continue;
      const shift = (row & 1) * (periodX >> 1);
      const ux = Math.floor((((u + shift) % periodX) + periodX) % periodX);
      if (ux >= strip.width || !strip.bits[vy * strip.width + ux]) continue;
      over(out.data, (y * width + x) * 4, INK[0], INK[1], INK[2], INK[3]);
    }
  }
  return out;
}
