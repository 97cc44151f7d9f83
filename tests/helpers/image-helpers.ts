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

type Rgb = readonly [number, number, number];

/** Colours of a page theme: background, text, heading, code block, code text, rules. */
export interface PageTheme {
  background: Rgb;
  text: Rgb;
  heading: Rgb;
  block: Rgb;
  blockText: Rgb;
  rule: Rgb;
}

export const LIGHT_THEME: PageTheme = { background: [255, 255, 255], text: [25, 25, 25], heading: [10, 10, 10], block: [246, 248, 250], blockText: [36, 41, 47], rule: [208, 215, 222] };
/** Dark-themed content as the issue describes it: #1e1e1e, light text (VS Code's dark theme, dark PDFs). */
export const DARK_THEME: PageTheme = { background: [30, 30, 30], text: [212, 212, 212], heading: [240, 240, 240], block: [37, 37, 38], blockText: [156, 220, 254], rule: [68, 68, 68] };
/** Saturated colour pages: white or black text on strong hues. */
export const COLOUR_THEMES: PageTheme[] = [
  { background: [200, 30, 40], text: [255, 255, 255], heading: [255, 240, 0], block: [150, 20, 30], blockText: [255, 255, 255], rule: [255, 160, 160] },
  { background: [20, 80, 200], text: [255, 255, 255], heading: [255, 255, 255], block: [10, 40, 120], blockText: [200, 230, 255], rule: [120, 160, 255] },
  { background: [30, 160, 60], text: [0, 0, 0], heading: [0, 0, 0], block: [20, 110, 40], blockText: [255, 255, 255], rule: [10, 60, 20] },
  { background: [250, 200, 0], text: [0, 0, 0], heading: [80, 0, 0], block: [255, 230, 120], blockText: [0, 0, 0], rule: [150, 110, 0] },
];

/**
 * A text-like page: lines of "words" (blobs with letter-like gaps and anti-aliased edge pixels),
 * headings, a code block and a ruled table, in the given theme (default: dark text on white).
 * Deterministic for a seed.
 */
export function syntheticPage(width: number, height: number, seed: number, theme: PageTheme = LIGHT_THEME): RgbaImage {
  const random = mulberry32(seed);
  const img = blankImage(width, height);
  fillRect(img, 0, 0, width, height, theme.background);
  const margin = 30 + Math.floor(random() * 40);
  let y = margin;
  while (y < height - margin) {
    const kind = random();
    if (kind < 0.08) {
      // code block: light grey background with monospace-like words
      const h = 60 + Math.floor(random() * 100);
      fillRect(img, margin, y, width - 2 * margin, h, theme.block);
      for (let ly = y + 10; ly < y + h - 14; ly += 18) words(img, margin + 12, ly, width - 2 * margin - 24, 11, random, theme.blockText, theme.block);
      y += h + 16;
    } else if (kind < 0.14) {
      // table: ruled grid with short cell texts
      const rows = 3 + Math.floor(random() * 5);
      const cols = 2 + Math.floor(random() * 4);
      const rowH = 26;
      const colW = Math.floor((width - 2 * margin) / cols);
      for (let r = 0; r <= rows; r++) fillRect(img, margin, y + r * rowH, colW * cols, 1, theme.rule);
      for (let c = 0; c <= cols; c++) fillRect(img, margin + c * colW, y, 1, rows * rowH, theme.rule);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) words(img, margin + c * colW + 6, y + r * rowH + 8, colW * (0.3 + random() * 0.6), 10, random, theme.text, theme.background);
      y += rows * rowH + 20;
    } else if (kind < 0.2) {
      words(img, margin, y, (width - 2 * margin) * (0.3 + random() * 0.4), 18, random, theme.heading, theme.background);
      y += 40;
    } else {
      const lines = 2 + Math.floor(random() * 6);
      for (let l = 0; l < lines && y < height - margin; l++) {
        const full = l < lines - 1 ? 1 : 0.2 + random() * 0.7;
        words(img, margin, y, (width - 2 * margin) * full, 11, random, theme.text, theme.background);
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

function words(img: RgbaImage, x0: number, y0: number, lineWidth: number, size: number, random: () => number, ink: Rgb, paper: Rgb = [255, 255, 255]): void {
  const scale = Math.max(1, Math.round(size / 10));
  const grey = (shade: number): [number, number, number] => [
    Math.round(paper[0] + (ink[0] - paper[0]) * shade),
    Math.round(paper[1] + (ink[1] - paper[1]) * shade),
    Math.round(paper[2] + (ink[2] - paper[2]) * shade),
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

/** Smooth random field: a coarse grid of random values, bicubic-ish (smoothstep) interpolated. */
function smoothField(width: number, height: number, cells: number, random: () => number): Float32Array {
  const gw = cells + 2;
  const gh = Math.ceil((cells * height) / width) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => random() * 2 - 1);
  const out = new Float32Array(width * height);
  const step = width / cells;
  for (let y = 0; y < height; y++) {
    const fy = y / step;
    const y0 = Math.floor(fy);
    const ty = (fy - y0) ** 2 * (3 - 2 * (fy - y0));
    for (let x = 0; x < width; x++) {
      const fx = x / step;
      const x0 = Math.floor(fx);
      const tx = (fx - x0) ** 2 * (3 - 2 * (fx - x0));
      const g = (i: number, j: number) => grid[Math.min(gh - 1, j) * gw + Math.min(gw - 1, i)] ?? 0;
      out[y * width + x] = (g(x0, y0) * (1 - tx) + g(x0 + 1, y0) * tx) * (1 - ty) + (g(x0, y0 + 1) * (1 - tx) + g(x0 + 1, y0 + 1) * tx) * ty;
    }
  }
  return out;
}

/**
 * A photograph-like image: smooth colour gradients at several scales (sky, skin, walls), textured
 * regions (foliage, fabric), hard-edged shapes in saturated colours and a little sensor grain. Not a
 * real photo, but it has what matters to the decoder: content energy at every scale, edges, dark and
 * bright regions and full saturation.
 */
export function photoLike(width: number, height: number, seed: number): RgbaImage {
  const random = mulberry32(seed);
  const img = blankImage(width, height);
  const layers = [0, 1, 2].map(() => [smoothField(width, height, 3, random), smoothField(width, height, 9, random), smoothField(width, height, 40, random)] as const);
  const texture = smoothField(width, height, Math.max(8, Math.floor(width / 6)), random);
  const base = [random() * 255, random() * 255, random() * 255];
  for (let i = 0; i < width * height; i++) {
    const tex = (texture[i] ?? 0) * ((layers[0]?.[1][i] ?? 0) > 0.2 ? 40 : 4);
    for (let c = 0; c < 3; c++) {
      const l = layers[c] as readonly [Float32Array, Float32Array, Float32Array];
      img.data[i * 4 + c] = (base[c] ?? 128) + 130 * (l[0][i] ?? 0) + 50 * (l[1][i] ?? 0) + 12 * (l[2][i] ?? 0) + tex + (random() - 0.5) * 4;
    }
  }
  for (let k = 0; k < 12; k++) {
    const colour: Rgb = [random() < 0.5 ? 0 : 255, Math.floor(random() * 256), random() < 0.5 ? 0 : 255];
    const cx = random() * width;
    const cy = random() * height;
    const r = 10 + random() * Math.min(width, height) * 0.15;
    for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(height, cy + r); y++)
      for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(width, cx + r); x++)
        if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) {
          const o = (y * width + x) * 4;
          img.data[o] = colour[0];
          img.data[o + 1] = colour[1];
          img.data[o + 2] = colour[2];
        }
  }
  return img;
}

export interface PhotoOptions {
  /** Photo size, px. */
  width: number;
  height: number;
  /** Photo px per screen px at the centre. */
  scale: number;
  /** In-plane rotation, degrees. */
  tilt: number;
  /** Keystone: the screen's top edge is this fraction narrower than its bottom edge (camera below). */
  keystone: number;
  /** Gaussian blur σ in photo px (soft focus). */
  blur: number;
  /** Exposure gain (< 1 dimmer) and gamma (> 1 darker mid-tones). */
  gain: number;
  gamma: number;
  /** Sensor noise σ, grey levels. */
  noise: number;
  /** Depth of the screen's pixel grid (black matrix), 0..1: point-sampled, it aliases into moiré. */
  moire: number;
  /** JPEG quality of the phone's file. */
  quality: number;
  seed: number;
}

export const TYPICAL_PHOTO: Omit<PhotoOptions, 'width' | 'height' | 'seed'> = {
  scale: 1.1,
  tilt: 3,
  keystone: 0.06,
  blur: 1.2,
  gain: 0.8,
  gamma: 1.25,
  noise: 2,
  moire: 0.12,
  quality: 70,
};

function gaussianBlur(plane: Float32Array, w: number, h: number, sigma: number): Float32Array {
  if (sigma <= 0) return plane;
  const r = Math.ceil(sigma * 3);
  const kernel = Float32Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = kernel.reduce((a, b) => a + b, 0);
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] ?? 0) / sum;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      if (x >= r && x < w - r) for (let k = -r, o = y * w + x - r; k <= r; k++, o++) acc += (kernel[k + r] ?? 0) * (plane[o] ?? 0);
      else for (let k = -r; k <= r; k++) acc += (kernel[k + r] ?? 0) * (plane[y * w + Math.min(w - 1, Math.max(0, x + k))] ?? 0);
      tmp[y * w + x] = acc;
    }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      if (y >= r && y < h - r) for (let k = -r, o = (y - r) * w + x; k <= r; k++, o += w) acc += (kernel[k + r] ?? 0) * (tmp[o] ?? 0);
      else for (let k = -r; k <= r; k++) acc += (kernel[k + r] ?? 0) * (tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x] ?? 0);
      out[y * w + x] = acc;
    }
  return out;
}

/**
 * The homography (8 numbers, h22 = 1) from photo px to screen px of simulatePhoto's placement: what a
 * test or the bench compares a decoder's rectification against.
 */
export function photoToScreen(sw0: number, sh0: number, o: PhotoOptions): number[] {
  const { width: W, height: H } = o;
  // Screen corners in the photo: centred, scaled, keystoned (top narrower), then rotated.
  const sw = sw0 * o.scale;
  const sh = sh0 * o.scale;
  const top = (sw * (1 - o.keystone)) / 2;
  const bottom = sw / 2;
  const th = (o.tilt * Math.PI) / 180;
  const place = ([x, y]: [number, number]): [number, number] => [W / 2 + x * Math.cos(th) - y * Math.sin(th), H / 2 + x * Math.sin(th) + y * Math.cos(th)];
  const dst = [place([-top, -sh / 2]), place([top, -sh / 2]), place([bottom, sh / 2]), place([-bottom, sh / 2])];
  const src: [number, number][] = [
    [0, 0],
    [sw0, 0],
    [sw0, sh0],
    [0, sh0],
  ];
  return homographyFrom(dst, src);
}

/**
 * A phone photo of a screen showing `screen`: the screen placed in the frame by a homography (scale,
 * tilt, keystone), its pixel grid point-sampled (moiré), soft focus, exposure and gamma, vignetting,
 * sensor noise, and the phone's JPEG. Around the screen: a dark bezel and a desk.
 */
export function simulatePhoto(screen: RgbaImage, o: PhotoOptions): RgbaImage {
  const random = mulberry32(o.seed);
  const { width: W, height: H } = o;
  const hm = photoToScreen(screen.width, screen.height, o);
  const planes = [new Float32Array(W * H), new Float32Array(W * H), new Float32Array(W * H)];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const den = (hm[6] ?? 0) * (x + 0.5) + (hm[7] ?? 0) * (y + 0.5) + 1;
      const u = ((hm[0] ?? 0) * (x + 0.5) + (hm[1] ?? 0) * (y + 0.5) + (hm[2] ?? 0)) / den;
      const v = ((hm[3] ?? 0) * (x + 0.5) + (hm[4] ?? 0) * (y + 0.5) + (hm[5] ?? 0)) / den;
      const i = y * W + x;
      if (u < 0 || v < 0 || u >= screen.width || v >= screen.height) {
        const bezel = u > -25 && v > -25 && u < screen.width + 25 && v < screen.height + 25;
        for (let c = 0; c < 3; c++) (planes[c] as Float32Array)[i] = bezel ? 18 : 120 + 40 * Math.sin(x / 90) + 20 * Math.cos(y / 60);
        continue;
      }
      // Bilinear over screen pixels, times the black matrix between them.
      const fx = Math.max(0, Math.min(screen.width - 1.001, u - 0.5));
      const fy = Math.max(0, Math.min(screen.height - 1.001, v - 0.5));
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const tx = fx - x0;
      const ty = fy - y0;
      const fu = u - Math.floor(u);
      const fv = v - Math.floor(v);
      const matrix = 1 - o.moire * (fu < 0.12 || fu > 0.88 || fv < 0.12 || fv > 0.88 ? 1 : 0);
      const o00 = (y0 * screen.width + x0) * 4;
      const o10 = o00 + screen.width * 4;
      const sd = screen.data;
      for (let c = 0; c < 3; c++) {
        const val = ((sd[o00 + c] ?? 0) * (1 - tx) + (sd[o00 + 4 + c] ?? 0) * tx) * (1 - ty) + ((sd[o10 + c] ?? 0) * (1 - tx) + (sd[o10 + 4 + c] ?? 0) * tx) * ty;
        (planes[c] as Float32Array)[i] = val * matrix;
      }
    }
  const out = blankImage(W, H);
  const blurred = planes.map((pl) => gaussianBlur(pl, W, H, o.blur));
  const diag = Math.hypot(W / 2, H / 2);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const vignette = 1 - 0.25 * (Math.hypot(x - W / 2, y - H / 2) / diag) ** 2;
      for (let c = 0; c < 3; c++) {
        const lin = Math.max(0, ((blurred[c] as Float32Array)[i] ?? 0) / 255) * o.gain * vignette;
        const noise = (random() + random() + random() - 1.5) * 2 * o.noise;
        out.data[i * 4 + c] = 255 * lin ** o.gamma + noise;
      }
    }
  return jpegRoundTrip(out, o.quality);
}

/** The homography (8 numbers, h22 = 1) taking each `from` point to its `to` point (4 points). */
function homographyFrom(from: [number, number][], to: [number, number][]): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let k = 0; k < 4; k++) {
    const [x, y] = from[k] as [number, number];
    const [u, v] = to[k] as [number, number];
    a.push([x, y, 1, 0, 0, 0, -x * u, -y * u]);
    b.push(u);
    a.push([0, 0, 0, x, y, 1, -x * v, -y * v]);
    b.push(v);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    [b[col], b[pivot]] = [b[pivot] as number, b[col] as number];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = (a[r]?.[col] ?? 0) / (a[col]?.[col] ?? 1);
      for (let k = col; k < 8; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[col]?.[k] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[col] ?? 0);
    }
  }
  return b.map((v, i) => v / (a[i]?.[i] ?? 1));
}
