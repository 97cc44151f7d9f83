/**
 * Page removal for the watermark decoder: what is left of a screenshot or photo once the page's own
 * content is taken away is the overlay plus noise (DESIGN.md §7, "remove page content").
 *
 * It adapts to the page rather than assuming dark text on white:
 * - Content is found by local contrast, not by polarity: a pixel whose 5×5 neighbourhood spans more
 *   grey levels than the overlay and the noise can explain is an edge of text, a rule or an image
 *   detail, whether the text is dark on light or light on dark. The threshold follows the image's own
 *   noise (the median neighbourhood range), so a grainy phone photo keeps its flat areas.
 * - The local background (mean of the kept pixels around) is subtracted, whatever its brightness.
 * - The residual is divided by its local RMS: a dim or gamma-compressed region (a dark page photographed,
 *   a shadow) carries a smaller step than a bright one, and would otherwise count for little next to
 *   it; normalised, every region contributes by how well its cells agree, not by its brightness.
 *
 * Pure over grey pixels; no DOM, no Node.
 */

export interface Residual {
  /** Normalised background residual (0 where rejected). */
  r: Float32Array;
  /** Weight per pixel: 1 for background, 0 for rejected (more after halving). */
  m: Float32Array;
}

export interface LumaImage {
  luma: Float32Array;
  w: number;
  h: number;
}

/** BT.601 luma of RGBA pixels, or grey pixels as they are. */
export function toLuma(data: Uint8Array | Uint8ClampedArray, width: number, height: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(n);
  if (data.length === n) {
    for (let i = 0; i < n; i++) out[i] = data[i] ?? 0;
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 4) out[i] = 0.299 * (data[o] ?? 0) + 0.587 * (data[o + 1] ?? 0) + 0.114 * (data[o + 2] ?? 0);
  }
  return out;
}

/** Separable running max (sign 1) or min (sign -1) over a (2r+1)² window. */
function extremeFilter(src: Float32Array, w: number, h: number, r: number, sign: 1 | -1): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let m = -Infinity;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) m = Math.max(m, sign * (src[row + k] ?? 0));
      tmp[row + x] = m;
    }
  }
  for (let x = 0; x < w; x++)
    for (let y = 0; y < h; y++) {
      let m = -Infinity;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) m = Math.max(m, tmp[k * w + x] ?? 0);
      out[y * w + x] = sign * m;
    }
  return out;
}

/** Box sums over a (2r+1)² window (clamped at the borders): separable running sums, O(1) per pixel. */
export function boxSum(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let x = 0; x < Math.min(w, r); x++) acc += src[row + x] ?? 0;
    for (let x = 0; x < w; x++) {
      if (x + r < w) acc += src[row + x + r] ?? 0;
      if (x - r - 1 >= 0) acc -= src[row + x - r - 1] ?? 0;
      tmp[row + x] = acc;
    }
  }
  const out = new Float32Array(w * h);
  const acc = new Float64Array(w);
  for (let y = 0; y < Math.min(h, r); y++) for (let x = 0; x < w; x++) acc[x] = (acc[x] ?? 0) + (tmp[y * w + x] ?? 0);
  for (let y = 0; y < h; y++) {
    const add = y + r < h ? (y + r) * w : -1;
    const sub = y - r - 1 >= 0 ? (y - r - 1) * w : -1;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let a = acc[x] ?? 0;
      if (add >= 0) a += tmp[add + x] ?? 0;
      if (sub >= 0) a -= tmp[sub + x] ?? 0;
      acc[x] = a;
      out[row + x] = a;
    }
  }
  return out;
}

/** Halves both dimensions by 2×2 averaging: large images carry big cells, and cost is per pixel. */
export function downsample2(img: LumaImage): LumaImage {
  const { luma: src, w, h } = img;
  const w2 = w >> 1;
  const h2 = h >> 1;
  const out = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++)
    for (let x = 0; x < w2; x++) {
      const o = 2 * y * w + 2 * x;
      out[y * w2 + x] = ((src[o] ?? 0) + (src[o + 1] ?? 0) + (src[o + w] ?? 0) + (src[o + w + 1] ?? 0)) / 4;
    }
  return { luma: out, w: w2, h: h2 };
}

/** Smallest neighbourhood range counted as content: the overlay step (< 4) plus JPEG q50 ringing. */
const FLAT_MIN = 14;
/** Residuals beyond this fraction of the flatness threshold are content, not overlay plus noise. */
const OUTLIER_FRACTION = 0.6;
/** Normalised residuals are clipped here (in local RMS units): one bright speck must not outvote a cell. */
const NORMALISED_CLIP = 2;
const BACKGROUND_RADIUS = 12;
const RMS_RADIUS = 24;

/** The neighbourhood range below which `share` of the pixels lie (sampled, whole grey levels). */
function rangeQuantile(range: Float32Array, share: number): number {
  const hist = new Uint32Array(256);
  const step = Math.max(1, Math.floor(range.length / 200_000));
  let n = 0;
  for (let i = 0; i < range.length; i += step) {
    const v = Math.min(255, Math.max(0, Math.round(range[i] ?? 0)));
    hist[v] = (hist[v] ?? 0) + 1;
    n++;
  }
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v] ?? 0;
    if (seen >= share * n) return v;
  }
  return 255;
}

/** How the page is taken away: a screenshot's noise and a phone photo's are not alike. */
export interface ResidualOptions {
  /**
   * Content is widened by this many px before the background is estimated. A photo's soft focus
   * spreads every glyph into a halo a few px wide whose neighbourhood range stays under the
   * threshold, and the halos, far larger than the overlay's step, were what most of a light page's
   * photo residual held: measured with the true homography, a margin of 2 px lifted the sync score of
   * hard light-page photos from 5.8 to 6.7 on average (3 of 8 read → 7 of 8), colour and dark pages a
   * little, photographs not at all (they are mostly flat). Screenshots keep 0: their text is sharp.
   */
  contentMargin: number;
  /**
   * The content threshold is this many times the neighbourhood range at `noiseShare` (or FLAT_MIN):
   * what the image's noise alone spans. A phone photo's grain, moiré and blur lie everywhere, so its
   * median range measures them. A screenshot's noise is JPEG's, and on a text-dense crop rescaled and
   * recompressed (25 % at 0.6×, q60) more than half the pixels sit next to text: the median measured
   * the text, 33-42 levels, and the threshold rose to 80-105, letting the edges of code blocks and
   * table rules in as background. The lower quartile still falls on the flat page between the lines.
   */
  noiseShare: number;
  noiseFactor: number;
  /** Leave out pixels near a change of background level (see LEVEL_CHECK_RADIUS). */
  levelCheck: boolean;
}

export const SCREENSHOT_RESIDUAL: Readonly<ResidualOptions> = Object.freeze({ contentMargin: 0, noiseShare: 0.25, noiseFactor: 3, levelCheck: true });
export const PHOTO_RESIDUAL: Readonly<ResidualOptions> = Object.freeze({ contentMargin: 2, noiseShare: 0.5, noiseFactor: 2.5, levelCheck: false });

/**
 * The background is the mean of the kept pixels in a (2 × BACKGROUND_RADIUS + 1)² window; where that
 * window straddles a change of background level (the edge of a code block or a shaded table row, 20-40
 * levels on a coloured theme) its mean is off by the step times the other level's share, and the
 * residual there is a smooth field of tens of levels that the fold does not average away. A smaller
 * window (9×9) follows the level; where the two means differ by more than LEVEL_CHECK_LIMIT the pixel is
 * left out. The overlay's own cells move the small mean by up to 2 levels, so at a limit of 3 the check
 * chose pixels by the sign of their cell where a glyph's fringe added a level or so (on a lossless light
 * page the period found came out 1 % off); at 4 it does not. Measured on coloured pages (25 % crop, 0.6×,
 * JPEG q60, the bench's 60 at seed 8000): 47 read with the quartile threshold alone, 59 with this.
 */
const LEVEL_CHECK_RADIUS = 4;
const LEVEL_CHECK_LIMIT = 4;

export function pageResidual(img: LumaImage, options: ResidualOptions): Residual {
  const { luma, w, h } = img;
  const n = w * h;
  const hi = extremeFilter(luma, w, h, 1, 1);
  const lo = extremeFilter(luma, w, h, 1, -1);
  const range = new Float32Array(n);
  for (let i = 0; i < n; i++) range[i] = (hi[i] ?? 0) - (lo[i] ?? 0);
  const flat = Math.max(FLAT_MIN, options.noiseFactor * rangeQuantile(range, options.noiseShare));
  const m = new Float32Array(n);
  const lm = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const keep = (range[i] ?? 0) <= flat ? 1 : 0;
    m[i] = keep;
    lm[i] = keep * (luma[i] ?? 0);
  }
  if (options.contentMargin > 0) {
    const kept = extremeFilter(m, w, h, options.contentMargin, -1);
    for (let i = 0; i < n; i++) {
      m[i] = kept[i] ?? 0;
      lm[i] = (m[i] ?? 0) * (luma[i] ?? 0);
    }
  }
  const minCount = (2 * BACKGROUND_RADIUS + 1) ** 2 * 0.05;
  const sums = boxSum(lm, w, h, BACKGROUND_RADIUS);
  const counts = boxSum(m, w, h, BACKGROUND_RADIUS);
  const nearSums = options.levelCheck ? boxSum(lm, w, h, LEVEL_CHECK_RADIUS) : null;
  const nearCounts = options.levelCheck ? boxSum(m, w, h, LEVEL_CHECK_RADIUS) : null;
  const outlier = OUTLIER_FRACTION * flat;
  const r = new Float32Array(n);
  const r2 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = counts[i] ?? 0;
    if (!m[i] || c < minCount) {
      m[i] = 0;
      continue;
    }
    const background = (sums[i] ?? 0) / c;
    if (nearSums && nearCounts && Math.abs((nearSums[i] ?? 0) / Math.max(1, nearCounts[i] ?? 0) - background) > LEVEL_CHECK_LIMIT) {
      m[i] = 0;
      continue;
    }
    const v = (luma[i] ?? 0) - background;
    // Far from the background yet not an edge (the inside of a thick stroke, a small icon): not overlay.
    if (v > outlier || v < -outlier) {
      m[i] = 0;
      continue;
    }
    r[i] = v;
    r2[i] = v * v;
  }
  const energy = boxSum(r2, w, h, RMS_RADIUS);
  const kept = boxSum(m, w, h, RMS_RADIUS);
  // A floor on the RMS (a fraction of a grey level) keeps a perfectly flat area from being amplified into noise.
  for (let i = 0; i < n; i++) {
    if (!m[i]) continue;
    const rms = Math.sqrt((energy[i] ?? 0) / Math.max(1, kept[i] ?? 0) + 0.25);
    const v = (r[i] ?? 0) / rms;
    r[i] = v > NORMALISED_CLIP ? NORMALISED_CLIP : v < -NORMALISED_CLIP ? -NORMALISED_CLIP : v;
  }
  return { r, m };
}

/**
 * Half-resolution residual: each pixel the mean of the background pixels in its 2×2 block, weighted
 * by how many there were. Big images are searched and folded at this level (4× cheaper); it loses
 * nothing that matters while cells stay ≥ 8 px in the full image.
 */
export function halveResidual(res: Residual, w: number, h: number): { res: Residual; w: number; h: number } {
  const w2 = w >> 1;
  const h2 = h >> 1;
  const r = new Float32Array(w2 * h2);
  const m = new Float32Array(w2 * h2);
  for (let y = 0; y < h2; y++)
    for (let x = 0; x < w2; x++) {
      let sr = 0;
      let sm = 0;
      for (const o of [2 * y * w + 2 * x, 2 * y * w + 2 * x + 1, (2 * y + 1) * w + 2 * x, (2 * y + 1) * w + 2 * x + 1]) {
        sr += (res.r[o] ?? 0) * (res.m[o] ?? 0);
        sm += res.m[o] ?? 0;
      }
      r[y * w2 + x] = sm > 0 ? sr / sm : 0;
      m[y * w2 + x] = sm;
    }
  return { res: { r, m }, w: w2, h: h2 };
}

