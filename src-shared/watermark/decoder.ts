/**
 * Blind decoding of the forensic watermark from a screenshot or photo of the screen (DESIGN.md §7):
 *
 * 1. Luma (BT.601, what JPEG keeps best). Page content is removed: pixels much darker than their
 *    local maximum are text/ink and are rejected (and their ringing neighbours), the rest get a local
 *    background mean subtracted; the residual is clipped, so what is left is the overlay plus noise.
 * 2. Scale, coarse: the overlay repeats with the tile period P (128 px × the unknown rescale), so the
 *    residual's autocorrelation along rows and along columns peaks at P, 2P, … . Both are computed
 *    with FFTs (Wiener–Khinchin); a few peaks become period candidates, refined on their harmonics.
 * 3. Scale, fine, and phase together: for each candidate and small perturbations of it, every pixel is
 *    folded into one averaged tile of 64×64 bins (4 per cell, weighted by the background pixels each
 *    got); the sync cells are correlated at all 4096 tile phases; the best (period, phase) pairs win.
 *    Working on the folded tile is what lets few tiles (crop + downscale) still be read.
 * 4. Soft cell values → de-whitened, de-interleaved soft bits → Viterbi → 32-bit check
 *    (session-code.ts).
 * 5. Confirmation: the decoded code's whole tile (sync + payload) is re-rendered and must correlate
 *    with the folded tile above CONFIRM_THRESHOLD; a check that passed by chance on a random image does
 *    not also reproduce 256 cells.
 *
 * Pure over pixel buffers (no DOM, no Node): callers bring decoded RGBA or grey pixels.
 */
import { CODED_BITS, SESSION_CODE_BYTES, decodeSessionCode, sessionCodeToHex } from './session-code';
import { CELL_COUNT, TILE_CELLS, TILE_LAYOUT, TILE_PX, cellBits } from './tile-layout';

export interface PixelImage {
  width: number;
  height: number;
  /** RGBA (4 bytes per pixel) or grey (1 byte per pixel). */
  data: Uint8Array | Uint8ClampedArray;
}

export interface WatermarkDecode {
  /** The session code, lowercase hex. */
  code: string;
  /** Details for the forensic report. */
  evidence: {
    /** Tile period found in the image, px (horizontal, vertical): 128 × the rescale factor. */
    period: [number, number];
    /** Correlation of the re-rendered pattern with the folded tile, 0..1. */
    confirmation: number;
    /** Sync correlation in standard deviations above noise. */
    syncScore: number;
  };
}

/** Smallest and largest rescale searched. */
export const MIN_SCALE = 0.45;
export const MAX_SCALE = 2.25;
/** Minimum correlation of the re-rendered tile with the folded tile to accept a decode. */
export const CONFIRM_THRESHOLD = 0.3;
/** Upper bound on Viterbi + check attempts per image (session-code.ts false-accept bound uses it). */
export const MAX_DECODE_ATTEMPTS = 64;

const BINS_PER_CELL = 4;
const BINS = TILE_CELLS * BINS_PER_CELL;
const MIN_PIXELS = 64 * 64;
const MAX_PIXELS = 40_000_000;
/** Images above this many pixels are halved first (a 2× rescaled page still has 12 px cells after). */
const DOWNSAMPLE_ABOVE = 2_200_000;
/** Above this many pixels the period search runs at half resolution… */
const HALF_RES_ABOVE = 400_000;
/** …and so does the fold, for periods of at least this many px (cells ≥ 8 px in the full image). */
const HALF_RES_MIN_PERIOD = TILE_CELLS * 8;

// ---------- 1. page removal ----------

function toLuma(image: PixelImage): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  const d = image.data;
  if (d.length === n) {
    for (let i = 0; i < n; i++) out[i] = d[i] ?? 0;
  } else {
    for (let i = 0, o = 0; i < n; i++, o += 4) out[i] = 0.299 * (d[o] ?? 0) + 0.587 * (d[o + 1] ?? 0) + 0.114 * (d[o + 2] ?? 0);
  }
  return out;
}

/** Separable running max over a (2r+1)² window. */
function maxFilter(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let m = -Infinity;
      for (let k = Math.max(0, x - r); k <= Math.min(w - 1, x + r); k++) m = Math.max(m, src[row + k] ?? 0);
      tmp[row + x] = m;
    }
  }
  for (let x = 0; x < w; x++)
    for (let y = 0; y < h; y++) {
      let m = -Infinity;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) m = Math.max(m, tmp[k * w + x] ?? 0);
      out[y * w + x] = m;
    }
  return out;
}

/** Box sums over a (2r+1)² window (clamped at the borders): separable running sums, O(1) per pixel. */
function boxSum(src: Float32Array, w: number, h: number, r: number): Float32Array {
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

/** Halves both dimensions by 2×2 averaging: large screenshots carry big cells, and cost is per pixel. */
function downsample2(src: Float32Array, w: number, h: number): { luma: Float32Array; w: number; h: number } {
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

interface Residual {
  /** Background residual (0 where rejected). */
  r: Float32Array;
  /** 1 for background pixels, 0 for rejected ones. */
  m: Float32Array;
}

/** Darker than the local maximum by this much = ink, not overlay (the overlay moves luma by < 4). */
const INK_THRESHOLD = 10;
/** Residuals beyond this are not overlay (whose cells differ by < 4) plus codec noise: rejected. */
const OUTLIER = 8;
const RESIDUAL_CLIP = 5;

function pageResidual(luma: Float32Array, w: number, h: number): Residual {
  const localMax = maxFilter(luma, w, h, 3);
  const ink = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) ink[i] = (luma[i] ?? 0) < (localMax[i] ?? 0) - INK_THRESHOLD ? 1 : 0;
  // Reject ink and a 1-px ring around it (anti-aliasing, JPEG ringing).
  const inkNear = maxFilter(ink, w, h, 1);
  const m = new Float32Array(w * h);
  const lm = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const keep = (inkNear[i] ?? 0) > 0 ? 0 : 1;
    m[i] = keep;
    lm[i] = keep * (luma[i] ?? 0);
  }
  const radius = 12;
  const minCount = (2 * radius + 1) ** 2 * 0.05;
  const r = new Float32Array(w * h);
  const sums = boxSum(lm, w, h, radius);
  const counts = boxSum(m, w, h, radius);
  for (let i = 0; i < w * h; i++) {
    const c = counts[i] ?? 0;
    if (!m[i] || c < minCount) {
      m[i] = 0;
      continue;
    }
    const v = (luma[i] ?? 0) - (sums[i] ?? 0) / c;
    // Far from the background yet not ink (the faint fringe of blurred text, a thin rule): not overlay.
    if (v > OUTLIER || v < -OUTLIER) {
      m[i] = 0;
      continue;
    }
    r[i] = v > RESIDUAL_CLIP ? RESIDUAL_CLIP : v < -RESIDUAL_CLIP ? -RESIDUAL_CLIP : v;
  }
  return { r, m };
}

/**
 * Half-resolution residual: each pixel the mean of the background pixels in its 2×2 block, weighted
 * by how many there were. Big screenshots are searched and folded at this level (4× cheaper); it loses
 * nothing that matters while cells stay ≥ 8 px in the full image.
 */
function halveResidual(res: Residual, w: number, h: number): { res: Residual; w: number; h: number } {
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

// ---------- 2. coarse scale by autocorrelation ----------

const TWIDDLES = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = TWIDDLES.get(n);
  if (!t) {
    t = { cos: new Float64Array(n / 2), sin: new Float64Array(n / 2) };
    for (let k = 0; k < n / 2; k++) {
      t.cos[k] = Math.cos((2 * Math.PI * k) / n);
      t.sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    TWIDDLES.set(n, t);
  }
  return t;
}

/** In-place iterative radix-2 complex FFT (inverse when sign = 1, unnormalised). */
function fft(re: Float64Array, im: Float64Array, sign: number): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] ?? 0;
      re[i] = re[j] ?? 0;
      re[j] = tr;
      const ti = im[i] ?? 0;
      im[i] = im[j] ?? 0;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddles(n);
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1;
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const cr = cos[k * stride] ?? 1;
        const ci = sign * (sin[k * stride] ?? 0);
        const a = i + k;
        const b = a + half;
        const br = re[b] ?? 0;
        const bi = im[b] ?? 0;
        const xr = br * cr - bi * ci;
        const xi = br * ci + bi * cr;
        const ar = re[a] ?? 0;
        const ai = im[a] ?? 0;
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

/**
 * Autocorrelation along one axis for every lag d < length, over `lines` lines of `length` samples
 * (line i, sample j at data[i * lineStride + j * step]), normalised by the overlap (length - d).
 * Adjacent lines are summed in groups of LINE_GROUP first (the overlay is periodic along the axis in
 * every line, and cells are taller than a group, so the peaks at the tile period survive while the
 * FFT count drops fourfold); two groups share one complex FFT.
 */
const LINE_GROUP = 4;

function axisAutocorrelation(data: Float32Array, lines: number, length: number, lineStride: number, step: number): Float64Array {
  let n = 1;
  while (n < 2 * length) n <<= 1;
  const power = new Float64Array(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const span = 2 * LINE_GROUP;
  for (let first = 0; first < lines; first += span) {
    re.fill(0);
    im.fill(0);
    for (let line = first; line < Math.min(lines, first + span); line++) {
      const target = line - first < LINE_GROUP ? re : im;
      const base = line * lineStride;
      for (let j = 0; j < length; j++) target[j] = (target[j] ?? 0) + (data[base + j * step] ?? 0);
    }
    fft(re, im, -1);
    for (let k = 0; k < n; k++) {
      const k2 = (n - k) & (n - 1);
      const a = (re[k] ?? 0) ** 2 + (im[k] ?? 0) ** 2;
      const b = (re[k2] ?? 0) ** 2 + (im[k2] ?? 0) ** 2;
      power[k] = (power[k] ?? 0) + (a + b) / 2;
    }
  }
  im.fill(0);
  fft(power, im, 1);
  const out = new Float64Array(length);
  for (let d = 0; d < length; d++) out[d] = (power[d] ?? 0) / n / ((length - d) * lines);
  return out;
}

function parabolicPeak(a: Float64Array, i: number): number {
  const l = a[i - 1];
  const c = a[i] ?? 0;
  const r = a[i + 1];
  if (l === undefined || r === undefined) return i;
  const den = l - 2 * c + r;
  if (den >= 0) return i;
  return i + Math.max(-0.5, Math.min(0.5, (0.5 * (l - r)) / den));
}

function peakNear(a: Float64Array, centre: number, halfWidth: number): number | null {
  const lo = Math.max(1, Math.floor(centre - halfWidth));
  const hi = Math.min(a.length - 2, Math.ceil(centre + halfWidth));
  if (lo > hi) return null;
  let best = lo;
  for (let d = lo; d <= hi; d++) if ((a[d] ?? 0) > (a[best] ?? 0)) best = d;
  if ((a[best] ?? 0) <= 0) return null;
  return parabolicPeak(a, best);
}

/** Refine a period on its harmonics k·P while they fall inside the usable lag range. */
function refineOnHarmonics(a: Float64Array, period: number, usable: number): number {
  let p = peakNear(a, period, Math.max(2, period * 0.03)) ?? period;
  for (let k = 2; k * p < usable; k++) {
    const q = peakNear(a, k * p, 2);
    if (q === null) break;
    p = q / k;
  }
  return p;
}

interface PeriodCandidate {
  px: number;
  py: number;
}

function periodCandidates(res: Residual, w: number, h: number, maxCandidates: number, factor: number): PeriodCandidate[] {
  const ax = axisAutocorrelation(res.r, h, w, w, 1);
  const ay = axisAutocorrelation(res.r, w, h, 1, w);
  const minLag = Math.floor((TILE_PX * MIN_SCALE) / factor);
  const maxLagX = Math.min(Math.ceil((TILE_PX * MAX_SCALE) / factor), Math.floor(w * 0.75));
  const maxLagY = Math.min(Math.ceil((TILE_PX * MAX_SCALE) / factor), Math.floor(h * 0.75));
  const maxLag = Math.max(maxLagX, maxLagY);
  // Combined score: both axes (same scale assumed for ranking only), plus the second harmonic.
  const at = (a: Float64Array, limit: number, d: number): number => (d <= limit ? (a[Math.round(d)] ?? 0) : 0);
  const score = new Float64Array(maxLag + 1);
  for (let d = minLag; d <= maxLag; d++) {
    score[d] = at(ax, maxLagX, d) + at(ay, maxLagY, d) + 0.5 * (at(ax, maxLagX * 1.3, 2 * d) + at(ay, maxLagY * 1.3, 2 * d));
  }
  const peaks: number[] = [];
  for (let d = minLag + 1; d < maxLag; d++) {
    const s = score[d] ?? 0;
    if (s > 0 && s >= (score[d - 1] ?? 0) && s >= (score[d + 1] ?? 0)) peaks.push(d);
  }
  peaks.sort((p, q) => (score[q] ?? 0) - (score[p] ?? 0));
  const chosen: number[] = [];
  for (const p of peaks) {
    if (chosen.some((c) => Math.abs(c - p) < Math.max(3, c * 0.04))) continue;
    chosen.push(p);
    if (chosen.length >= maxCandidates) break;
  }
  return chosen.map((d) => ({
    px: (d <= maxLagX ? refineOnHarmonics(ax, d, w * 0.75) : d) * factor,
    py: (d <= maxLagY ? refineOnHarmonics(ay, d, h * 0.75) : d) * factor,
  }));
}

// ---------- 3. fold and phase ----------

interface Fold {
  sums: Float64Array;
  counts: Float64Array;
}

/** The background pixels only, as coordinates and values: folding is repeated many times. */
interface Samples {
  x: Int32Array;
  y: Int32Array;
  r: Float32Array;
  /** How many background pixels each sample stands for (1 at full resolution). */
  weight: Float32Array;
}

function compact(res: Residual, w: number, h: number): Samples {
  let n = 0;
  for (let i = 0; i < w * h; i++) if (res.m[i]) n++;
  const out = { x: new Int32Array(n), y: new Int32Array(n), r: new Float32Array(n), weight: new Float32Array(n) };
  let k = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!res.m[i]) continue;
      out.x[k] = x;
      out.y[k] = y;
      out.r[k] = res.r[i] ?? 0;
      out.weight[k] = res.m[i] ?? 0;
      k++;
    }
  return out;
}

function fold(samples: Samples, w: number, h: number, px: number, py: number, stride: number): Fold {
  const sums = new Float64Array(BINS * BINS);
  const counts = new Float64Array(BINS * BINS);
  const colBin = new Int32Array(w);
  for (let x = 0; x < w; x++) colBin[x] = Math.floor((((x + 0.5) / px) % 1) * BINS) % BINS;
  const rowBin = new Int32Array(h);
  for (let y = 0; y < h; y++) rowBin[y] = (Math.floor((((y + 0.5) / py) % 1) * BINS) % BINS) * BINS;
  const { x, y, r, weight } = samples;
  for (let k = 0; k < r.length; k += stride) {
    const b = (rowBin[y[k] ?? 0] ?? 0) + (colBin[x[k] ?? 0] ?? 0);
    const wk = weight[k] ?? 0;
    sums[b] = (sums[b] ?? 0) + (r[k] ?? 0) * wk;
    counts[b] = (counts[b] ?? 0) + wk;
  }
  return { sums, counts };
}

/** Bin weights across a cell: its border bins mix with neighbours (ragged edges, blur), its core does not. */
const BIN_WEIGHT = [0.5, 1, 1, 0.5];

interface CellGrid {
  /** Normalised darkness per cell (positive = dark), zero mean, unit variance over cells. */
  g: Float64Array;
  /** Relative reliability per cell (0..1). */
  rel: Float64Array;
}

/** Cell grid for the sub-cell offset (ox, oy): cell (i, j) starts at bin (oy + 4i, ox + 4j). */
function cellGrid(f: Fold, ox: number, oy: number): CellGrid {
  const g = new Float64Array(CELL_COUNT);
  const cnt = new Float64Array(CELL_COUNT);
  for (let i = 0; i < TILE_CELLS; i++)
    for (let j = 0; j < TILE_CELLS; j++) {
      let s = 0;
      let c = 0;
      for (let a = 0; a < BINS_PER_CELL; a++) {
        const row = ((oy + i * BINS_PER_CELL + a) % BINS) * BINS;
        for (let b = 0; b < BINS_PER_CELL; b++) {
          const wgt = (BIN_WEIGHT[a] ?? 1) * (BIN_WEIGHT[b] ?? 1);
          const bin = row + ((ox + j * BINS_PER_CELL + b) % BINS);
          s += wgt * (f.sums[bin] ?? 0);
          c += wgt * (f.counts[bin] ?? 0);
        }
      }
      g[i * TILE_CELLS + j] = c > 0 ? -s / c : 0;
      cnt[i * TILE_CELLS + j] = c;
    }
  // Normalise: zero mean, unit variance (weighted by counts); reliability ~ count / (count + typical).
  let total = 0;
  for (let k = 0; k < CELL_COUNT; k++) total += cnt[k] ?? 0;
  const median = Math.max(1, total / CELL_COUNT);
  const rel = new Float64Array(CELL_COUNT);
  let mean = 0;
  let wsum = 0;
  for (let k = 0; k < CELL_COUNT; k++) {
    rel[k] = (cnt[k] ?? 0) / ((cnt[k] ?? 0) + median) * 2;
    mean += (g[k] ?? 0) * (rel[k] ?? 0);
    wsum += rel[k] ?? 0;
  }
  mean = wsum > 0 ? mean / wsum : 0;
  let variance = 0;
  for (let k = 0; k < CELL_COUNT; k++) variance += (rel[k] ?? 0) * ((g[k] ?? 0) - mean) ** 2;
  const sd = wsum > 0 ? Math.sqrt(variance / wsum) : 0;
  for (let k = 0; k < CELL_COUNT; k++) g[k] = sd > 0 ? ((g[k] ?? 0) - mean) / sd : 0;
  return { g, rel };
}

interface PhaseCandidate {
  ox: number;
  oy: number;
  sx: number;
  sy: number;
  score: number;
  grid: CellGrid;
}

const SYNC_NORM = Math.sqrt(TILE_LAYOUT.syncCells.length);

function phaseSearch(f: Fold, keep: number): PhaseCandidate[] {
  const { syncCells, syncSigns } = TILE_LAYOUT;
  const syncRow = Int32Array.from(syncCells, (c) => c >> 4);
  const syncCol = Int32Array.from(syncCells, (c) => c & 15);
  // The best few hypotheses, kept sorted (4096 are scored; allocating them all is what costs).
  const pool: PhaseCandidate[] = [];
  const poolSize = keep * 8;
  for (let oy = 0; oy < BINS_PER_CELL; oy++)
    for (let ox = 0; ox < BINS_PER_CELL; ox++) {
      const grid = cellGrid(f, ox, oy);
      const weighted = new Float64Array(CELL_COUNT);
      for (let k = 0; k < CELL_COUNT; k++) weighted[k] = (grid.g[k] ?? 0) * (grid.rel[k] ?? 0);
      for (let sy = 0; sy < TILE_CELLS; sy++)
        for (let sx = 0; sx < TILE_CELLS; sx++) {
          let s = 0;
          for (let k = 0; k < syncRow.length; k++) {
            const i = ((syncRow[k] ?? 0) + sy) & (TILE_CELLS - 1);
            const j = ((syncCol[k] ?? 0) + sx) & (TILE_CELLS - 1);
            s += (syncSigns[k] ?? 0) * (weighted[i * TILE_CELLS + j] ?? 0);
          }
          const score = s / SYNC_NORM;
          if (pool.length >= poolSize && score <= (pool[pool.length - 1]?.score ?? -Infinity)) continue;
          const cand = { ox, oy, sx, sy, score, grid };
          let at = pool.length;
          while (at > 0 && (pool[at - 1]?.score ?? 0) < score) at--;
          pool.splice(at, 0, cand);
          if (pool.length > poolSize) pool.pop();
        }
    }
  // Keep distinct phases (a peak spreads over neighbouring sub-cell offsets).
  const chosen: PhaseCandidate[] = [];
  const phase = (c: PhaseCandidate): [number, number] => [c.sx * BINS_PER_CELL + c.ox, c.sy * BINS_PER_CELL + c.oy];
  const near = (a: number, b: number): boolean => Math.min((a - b + BINS) % BINS, (b - a + BINS) % BINS) <= 2;
  for (const c of pool) {
    const [cx, cy] = phase(c);
    if (chosen.some((o) => near(phase(o)[0], cx) && near(phase(o)[1], cy))) continue;
    chosen.push(c);
    if (chosen.length >= keep) break;
  }
  return chosen;
}

/** Cell value of tile cell `cell` under a phase candidate. */
function cellAt(c: PhaseCandidate, cell: number): [number, number] {
  const i = ((cell >> 4) + c.sy) & (TILE_CELLS - 1);
  const j = ((cell & 15) + c.sx) & (TILE_CELLS - 1);
  const idx = i * TILE_CELLS + j;
  return [c.grid.g[idx] ?? 0, c.grid.rel[idx] ?? 0];
}

function softBits(c: PhaseCandidate): Float64Array {
  const { payloadCells, payloadBit, whitening } = TILE_LAYOUT;
  const soft = new Float64Array(CODED_BITS);
  for (let k = 0; k < payloadCells.length; k++) {
    const [g, rel] = cellAt(c, payloadCells[k] ?? 0);
    const v = Math.max(-3, Math.min(3, g)) * rel;
    const bit = payloadBit[k] ?? 0;
    soft[bit] = (soft[bit] ?? 0) + (whitening[k] ? -v : v);
  }
  return soft;
}

/** Correlation (0..1 for a match) of a code's full tile with the measured cells under a phase. */
function confirmation(c: PhaseCandidate, code: Uint8Array): number {
  const bits = cellBits(code);
  let num = 0;
  let gg = 0;
  let ww = 0;
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    const [g, rel] = cellAt(c, cell);
    num += rel * g * (bits[cell] ? 1 : -1);
    gg += rel * g * g;
    ww += rel;
  }
  return gg > 0 && ww > 0 ? num / Math.sqrt(gg * ww) : 0;
}

// ---------- 4. the search ----------

interface Level {
  w: number;
  h: number;
  /** Full-resolution pixels per pixel of this level. */
  factor: number;
  samples: Samples;
}

const SCALE_CANDIDATES = 3;
const PHASE_CANDIDATES = 3;
/** Decoding attempts per period candidate (≤ MAX_DECODE_ATTEMPTS / SCALE_CANDIDATES). */
const HYPOTHESES_PER_CANDIDATE = 12;

/** Decodes the watermark of a screenshot; null when none is found (or the image is unusable). */
export function decodeWatermark(image: PixelImage): WatermarkDecode | null {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return null;
  if (width * height < MIN_PIXELS || width * height > MAX_PIXELS) return null;
  if (image.data.length !== width * height && image.data.length !== width * height * 4) return null;
  let luma = toLuma(image);
  let w = image.width;
  let h = image.height;
  let factor = 1;
  while (w * h > DOWNSAMPLE_ABOVE) {
    ({ luma, w, h } = downsample2(luma, w, h));
    factor *= 2;
  }
  const res = pageResidual(luma, w, h);
  const half = w * h > HALF_RES_ABOVE ? halveResidual(res, w, h) : null;
  const full: Level = { w, h, factor: 1, samples: compact(res, w, h) };
  const halfLevel: Level | null = half ? { w: half.w, h: half.h, factor: 2, samples: compact(half.res, half.w, half.h) } : null;
  const candidates = half ? periodCandidates(half.res, half.w, half.h, SCALE_CANDIDATES, 2) : periodCandidates(res, w, h, SCALE_CANDIDATES, 1);
  let attempts = 0;
  for (const fullCand of candidates) {
    const level = halfLevel && Math.min(fullCand.px, fullCand.py) >= HALF_RES_MIN_PERIOD ? halfLevel : full;
    const cand = { px: fullCand.px / level.factor, py: fullCand.py / level.factor };
    const { samples } = level;
    // Fine scale, per axis: a relative error e drifts the fold by e × extent px across the image,
    // and a quarter cell (P/64) is what it tolerates, so the step is P/(64 × extent).
    // The coarse passes fold every other sample (half the cost; the sync peak is still clear).
    const evaluate = (px: number, py: number, stride: number): { px: number; py: number; phases: PhaseCandidate[] } => ({
      px,
      py,
      phases: phaseSearch(fold(samples, level.w, level.h, px, py, stride), PHASE_CANDIDATES),
    });
    const top = (c: { phases: PhaseCandidate[] }): number => c.phases[0]?.score ?? 0;
    let best = evaluate(cand.px, cand.py, 2);
    // Every full-resolution fold is kept: Viterbi + check is cheap, so the best few (period, phase)
    // hypotheses all get a decoding attempt, not just the single best sync peak.
    const tried: { px: number; py: number; phase: PhaseCandidate }[] = [];
    const remember = (e: { px: number; py: number; phases: PhaseCandidate[] }) => {
      for (const phase of e.phases) tried.push({ px: e.px, py: e.py, phase });
      return e;
    };
    for (const pass of [1, 0.5]) {
      const stride = pass === 1 ? 2 : 1;
      if (stride === 1) best = remember(evaluate(best.px, best.py, 1));
      for (const axis of ['x', 'y'] as const) {
        const p = axis === 'x' ? best.px : best.py;
        const step = (pass * p * p) / (BINS * (axis === 'x' ? level.w : level.h));
        const centre = best;
        for (const k of pass === 1 ? [-3, -2, -1, 1, 2, 3] : [-1, 1]) {
          const trial = axis === 'x' ? evaluate(centre.px + k * step, centre.py, stride) : evaluate(centre.px, centre.py + k * step, stride);
          if (stride === 1) remember(trial);
          if (top(trial) > top(best)) best = trial;
        }
      }
    }
    tried.sort((a, b) => b.phase.score - a.phase.score);
    for (const { px, py, phase } of tried.slice(0, HYPOTHESES_PER_CANDIDATE)) {
      if (attempts >= MAX_DECODE_ATTEMPTS) return null;
      attempts++;
      const code = decodeSessionCode(softBits(phase));
      if (!code || code.length !== SESSION_CODE_BYTES) continue;
      const confirm = confirmation(phase, code);
      if (confirm < CONFIRM_THRESHOLD) continue;
      return { code: sessionCodeToHex(code), evidence: { period: [px * factor * level.factor, py * factor * level.factor], confirmation: confirm, syncScore: phase.score } };
    }
  }
  return null;
}
