/**
 * Image helpers for the watermark tests and bench (bench/watermark.ts): synthetic text-like pages,
 * browser-exact source-over compositing of the overlay, crop, bilinear resampling and JPEG round trips.
 * Not a test file itself (no .test.ts suffix).
 */
import jpeg from 'jpeg-js';
import type { RgbaImage } from '../../src-shared/watermark/pattern';
import { mulberry32 } from '../../src-shared/watermark/tile-layout';

export function blankImage(width: number, height: number, grey = 255): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = grey;
    data[i + 1] = grey;
    data[i + 2] = grey;
    data[i + 3] = 255;
  }
  return { width, height, data };
}

function fillRect(img: RgbaImage, x0: number, y0: number, w: number, h: number, rgb: readonly [number, number, number]): void {
  const xs = Math.max(0, Math.floor(x0));
  const ys = Math.max(0, Math.floor(y0));
  const xe = Math.min(img.width, Math.floor(x0 + w));
  const ye = Math.min(img.height, Math.floor(y0 + h));
  for (let y = ys; y < ye; y++)
    for (let x = xs; x < xe; x++) {
      const o = (y * img.width + x) * 4;
      img.data[o] = rgb[0];
      img.data[o + 1] = rgb[1];
      img.data[o + 2] = rgb[2];
    }
}

/**
 * A text-like page: lines of dark "words" (blobs with letter-like gaps and anti-aliased grey edge
 * pixels), headings, a grey code block and a ruled table, on white. Deterministic for a seed.
 */
export function syntheticPage(width: number, height: number, seed: number): RgbaImage {
  const random = mulberry32(seed);
  const img = blankImage(width, height);
  const margin = 30 + Math.floor(random() * 40);
  let y = margin;
  while (y < height - margin) {
    const kind = random();
    if (kind < 0.08) {
      // code block: light grey background with monospace-like words
      const h = 60 + Math.floor(random() * 100);
      fillRect(img, margin, y, width - 2 * margin, h, [246, 248, 250]);
      for (let ly = y + 10; ly < y + h - 14; ly += 18) words(img, margin + 12, ly, width - 2 * margin - 24, 11, random, [36, 41, 47]);
      y += h + 16;
    } else if (kind < 0.14) {
      // table: ruled grid with short cell texts
      const rows = 3 + Math.floor(random() * 5);
      const cols = 2 + Math.floor(random() * 4);
      const rowH = 26;
      const colW = Math.floor((width - 2 * margin) / cols);
      for (let r = 0; r <= rows; r++) fillRect(img, margin, y + r * rowH, colW * cols, 1, [208, 215, 222]);
      for (let c = 0; c <= cols; c++) fillRect(img, margin + c * colW, y, 1, rows * rowH, [208, 215, 222]);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) words(img, margin + c * colW + 6, y + r * rowH + 8, colW * (0.3 + random() * 0.6), 10, random, [20, 20, 20]);
      y += rows * rowH + 20;
    } else if (kind < 0.2) {
      words(img, margin, y, (width - 2 * margin) * (0.3 + random() * 0.4), 18, random, [10, 10, 10]);
      y += 40;
    } else {
      const lines = 2 + Math.floor(random() * 6);
      for (let l = 0; l < lines && y < height - margin; l++) {
        const full = l < lines - 1 ? 1 : 0.2 + random() * 0.7;
        words(img, margin, y, (width - 2 * margin) * full, 11, random, [25, 25, 25]);
        y += 21;
      }
      y += 14;
    }
  }
  return img;
}

/** 5×9 letter-like glyphs (1 = ink): strokes with white counters, like real text at 11-13 px. */
const GLYPHS = [
  ['.....', '.....', '.....', '.###.', '#...#', '#...#', '#...#', '#...#', '.###.'],
  ['#....', '#....', '#....', '#.##.', '##..#', '#...#', '#...#', '#...#', '#...#'],
  ['.....', '.....', '.....', '.###.', '#...#', '#####', '#....', '#...#', '.###.'],
  ['..#..', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  ['.....', '.....', '.....', '####.', '....#', '.####', '#...#', '#...#', '.####'],
  ['.#...', '.#...', '####.', '.#...', '.#...', '.#...', '.#...', '.#..#', '..##.'],
  ['.....', '.....', '.....', '#.#.#', '##.##', '#..#.', '#..#.', '#..#.', '#..#.'],
  ['....#', '....#', '....#', '.####', '#...#', '#...#', '#...#', '#...#', '.####'],
];

function words(img: RgbaImage, x0: number, y0: number, lineWidth: number, size: number, random: () => number, ink: readonly [number, number, number]): void {
  const scale = Math.max(1, Math.round(size / 10));
  const grey = (shade: number): [number, number, number] => [
    Math.round(255 - (255 - ink[0]) * shade),
    Math.round(255 - (255 - ink[1]) * shade),
    Math.round(255 - (255 - ink[2]) * shade),
  ];
  let x = x0;
  while (x < x0 + lineWidth) {
    const letters = 2 + Math.floor(random() * 8);
    for (let l = 0; l < letters && x < x0 + lineWidth - 6 * scale; l++) {
      const glyph = GLYPHS[Math.floor(random() * GLYPHS.length)] as string[];
      glyph.forEach((row, gy) => {
        for (let gx = 0; gx < row.length; gx++) {
          if (row[gx] !== '#') continue;
          fillRect(img, x + gx * scale, y0 + (gy - 2) * scale, scale, scale, grey(1));
          // Anti-aliased edge pixel to the right, as sub-pixel glyph positioning leaves.
          if (row[gx + 1] !== '#' && random() < 0.5) fillRect(img, x + (gx + 1) * scale, y0 + (gy - 2) * scale, 1, scale, grey(0.35));
        }
      });
      x += 6 * scale;
    }
    x += Math.floor(size * 0.45);
  }
}

/**
 * Composite an overlay over an opaque page the way Chromium (Skia) does source-over: the overlay is
 * premultiplied (round(c·a/255)) and added to dst·(255-a)/255, rounded.
 */
export function compositeOver(page: RgbaImage, overlay: RgbaImage, offsetX = 0, offsetY = 0): RgbaImage {
  const out = { width: page.width, height: page.height, data: new Uint8ClampedArray(page.data) };
  for (let y = 0; y < page.height; y++) {
    const oy = y + offsetY;
    if (oy < 0 || oy >= overlay.height) continue;
    for (let x = 0; x < page.width; x++) {
      const ox = x + offsetX;
      if (ox < 0 || ox >= overlay.width) continue;
      const s = (oy * overlay.width + ox) * 4;
      const a = overlay.data[s + 3] ?? 0;
      if (a === 0) continue;
      const d = (y * page.width + x) * 4;
      for (let c = 0; c < 3; c++) {
        const premul = Math.round(((overlay.data[s + c] ?? 0) * a) / 255);
        out.data[d + c] = premul + Math.round(((page.data[d + c] ?? 0) * (255 - a)) / 255);
      }
    }
  }
  return out;
}

export function crop(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(((y + y0) * img.width + x0) * 4, ((y + y0) * img.width + x0 + w) * 4), y * w * 4);
  return { width: w, height: h, data };
}

/** Plain bilinear resampling (pixel centres aligned, no anti-aliasing prefilter), as most tools' "bilinear". */
export function resizeBilinear(img: RgbaImage, scale: number): RgbaImage {
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const sx = img.width / w;
  const sy = img.height / h;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(img.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const tx = fx - x0;
      for (let c = 0; c < 4; c++) {
        const p00 = img.data[(y0 * img.width + x0) * 4 + c] ?? 0;
        const p01 = img.data[(y0 * img.width + x1) * 4 + c] ?? 0;
        const p10 = img.data[(y1 * img.width + x0) * 4 + c] ?? 0;
        const p11 = img.data[(y1 * img.width + x1) * 4 + c] ?? 0;
        data[(y * w + x) * 4 + c] = (p00 * (1 - tx) + p01 * tx) * (1 - ty) + (p10 * (1 - tx) + p11 * tx) * ty;
      }
    }
  }
  return { width: w, height: h, data };
}

export function jpegRoundTrip(img: RgbaImage, quality: number): RgbaImage {
  const encoded = jpeg.encode({ width: img.width, height: img.height, data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) }, quality);
  const decoded = jpeg.decode(encoded.data, { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
}

/** Random noise image (a negative that is nothing like a page). */
export function noiseImage(width: number, height: number, seed: number, sigma: number): RgbaImage {
  const random = mulberry32(seed);
  const img = blankImage(width, height, 128);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(128 + (random() + random() + random() - 1.5) * 2 * sigma);
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
  }
  return img;
}
