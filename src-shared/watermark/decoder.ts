/**
 * Blind decoding of the forensic watermark from a screenshot or a photo of the screen (DESIGN.md §7):
 *
 * 1. Page removal (page-residual.ts): content found by local contrast in either polarity, the local
 *    background subtracted and the residual normalised by its local RMS, so light, dark, coloured and
 *    photographic pages all leave the overlay plus noise.
 * 2. Scale, coarse: the overlay repeats with the tile period P (TILE_PX × the unknown rescale), so the
 *    residual's autocorrelation along rows and along columns peaks at P, 2P, … . Both are computed
 *    with FFTs (Wiener–Khinchin); a few peaks become period candidates, refined on their harmonics.
 * 3. Scale, fine, and phase together: for each candidate and small perturbations of it, every pixel is
 *    folded into one averaged tile (tile-reader.ts); the sync cells are correlated at all tile phases;
 *    the best (period, phase) pairs win. Working on the folded tile is what lets few tiles (crop +
 *    downscale) still be read.
 * 4. Soft cell values → Viterbi → 32-bit check → confirmation by re-rendering (tile-reader.ts).
 * 5. When the axis-aligned search finds nothing (a photo: tilted, keystoned, blurred), the moiré is cut
 *    out of the half-resolution residual (moire-suppression.ts) and the rectifier (photo-rectify.ts)
 *    finds the tile lattice in 2-D, fits a homography and reads the same way.
 *
 * Pure over pixel buffers (no DOM, no Node): callers bring decoded RGBA or grey pixels.
 */
import { PHOTO_RESIDUAL, SCREENSHOT_RESIDUAL, downsample2, halveResidual, pageResidual, toLuma, type LumaImage, type Residual } from './page-residual';
import { fft } from './fft';
import { suppressMoire } from './moire-suppression';
import { decodePhoto } from './photo-rectify';
import { BINS, compact, emptyFold, phaseSearch, readPhase, type Fold, type Level, type PhaseCandidate, type Samples } from './tile-reader';
import { TILE_PX } from './tile-layout';

export { CONFIRM_THRESHOLD } from './tile-reader';

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
    /** Tile period found in the image, px (horizontal, vertical): TILE_PX × the rescale factor. */
    period: [number, number];
    /** Correlation of the re-rendered pattern with the folded tile, 0..1. */
    confirmation: number;
    /** Sync correlation in standard deviations above noise. */
    syncScore: number;
    /** How the tile grid was found: axis-aligned search, or 2-D lattice + homography (a photo). */
    method: 'screenshot' | 'photo';
    /** Rotation of the tile grid in the image, degrees (0 for a screenshot). */
    rotation: number;
  };
}

/** Smallest and largest rescale searched. */
export const MIN_SCALE = 0.45;
export const MAX_SCALE = 2.25;
/**
 * Upper bound on Viterbi + check attempts per image (session-code.ts false-accept bound uses it):
 * the screenshot search makes at most SCALE_CANDIDATES × HYPOTHESES_PER_CANDIDATE = 36, the photo
 * rectifier at most PHOTO_ATTEMPTS (photo-rectify.ts) = 24.
 */
export const MAX_DECODE_ATTEMPTS = 64;

const MIN_PIXELS = 64 * 64;
const MAX_PIXELS = 40_000_000;
/** Images above this many pixels are halved first (a 2× rescaled page still has 12 px cells after). */
const DOWNSAMPLE_ABOVE = 2_200_000;
/** Above this many pixels the period search runs at half resolution… */
const HALF_RES_ABOVE = 400_000;
/** …and so does the fold, for periods of at least this many px (cells ≥ 8 px in the full image). */
const HALF_RES_MIN_PERIOD = TILE_PX * (2 / 3);
/** Below this sync score no Viterbi attempt is made: a clean image is rejected without decoding. */
const MIN_SYNC_SCORE = 3;
/** Coarse sync score below which a period candidate is dropped before the fine search. */
const COARSE_GATE = 4.3;
/** Background samples below which a level is ranked on all of them (a 25 % crop at 0.6× holds about 80 000). */
const FEW_SAMPLES = 150_000;

// ---------- 2. coarse scale by autocorrelation ----------

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

/** Lag of the strongest local maximum of one axis's autocorrelation (with half its second harmonic), or null. */
function strongestLag(a: Float64Array, minLag: number, maxLag: number): number | null {
  const at = (d: number): number => a[d] ?? 0;
  let best: number | null = null;
  let bestScore = 0;
  for (let d = minLag + 1; d < Math.min(maxLag, a.length - 1); d++) {
    if (at(d) <= 0 || at(d) < at(d - 1) || at(d) < at(d + 1)) continue;
    const s = at(d) + 0.5 * at(2 * d);
    if (s > bestScore) {
      bestScore = s;
      best = d;
    }
  }
  return best;
}

/**
 * Period hypotheses, best first by autocorrelation: the strongest peaks of both axes' score taken
 * together, each refined per axis, then isotropic variants of them. The vertical autocorrelation of a
 * text page is the weak one: lines of text leave their rhythm in the residual (halos the flatness test
 * lets through after rescaling and JPEG), and at the tile period, about 9.1 line pitches, that rhythm
 * correlates negatively and can cancel the overlay's peak, so the vertical refinement lands on a noise
 * peak a few percent off while the horizontal one is right. A screenshot is rescaled by the same factor
 * on both axes, so each axis's period also stands for the other's, and each axis's own strongest peak
 * is one more hypothesis. The caller ranks them all by their fold's sync score.
 */
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
  const refineX = (d: number): number => (d <= maxLagX ? refineOnHarmonics(ax, d, w * 0.75) : d);
  const refineY = (d: number): number => (d <= maxLagY ? refineOnHarmonics(ay, d, h * 0.75) : d);
  const out: PeriodCandidate[] = [];
  const add = (px: number, py: number): void => {
    if (!out.some((c) => Math.abs(c.px - px) < c.px * 0.004 && Math.abs(c.py - py) < c.py * 0.004)) out.push({ px, py });
  };
  const refined = chosen.map((d) => ({ px: refineX(d), py: refineY(d) }));
  for (const c of refined) add(c.px, c.py);
  for (const c of refined) {
    add(c.px, c.px);
    add(c.py, c.py);
  }
  const lagX = strongestLag(ax, minLag, maxLagX);
  if (lagX !== null) add(refineX(lagX), refineX(lagX));
  const lagY = strongestLag(ay, minLag, maxLagY);
  if (lagY !== null) add(refineY(lagY), refineY(lagY));
  return out.map((c) => ({ px: c.px * factor, py: c.py * factor }));
}

// ---------- 3. fold ----------

function fold(samples: Samples, w: number, h: number, px: number, py: number, stride: number): Fold {
  const { sums, counts } = emptyFold();
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

// ---------- 4. the search ----------

const SCALE_CANDIDATES = 3;
const PHASE_CANDIDATES = 3;
/** Decoding attempts per period candidate (SCALE_CANDIDATES × this ≤ 36, see MAX_DECODE_ATTEMPTS). */
const HYPOTHESES_PER_CANDIDATE = 12;

function searchAxisAligned(full: Level, halfLevel: Level | null, factor: number): WatermarkDecode | null {
  const hypotheses = halfLevel ? periodCandidates(halfLevel.res, halfLevel.w, halfLevel.h, SCALE_CANDIDATES, 2) : periodCandidates(full.res, full.w, full.h, SCALE_CANDIDATES, 1);
  // A level with few samples (a small crop: few tiles) is ranked on every sample, not every other: a
  // hypothesis about 1 % off the true period, which the fine search recovers, folds to a sync score
  // some 10 % higher so, which can be what clears the gate. (The score is in standard deviations of
  // noise either way, so the gate means the same.) A large level holds tiles enough for half.
  const coarse = hypotheses.map((fullCand) => {
    const level = halfLevel && Math.min(fullCand.px, fullCand.py) >= HALF_RES_MIN_PERIOD ? halfLevel : full;
    const px = fullCand.px / level.factor;
    const py = fullCand.py / level.factor;
    const stride = level.samples.r.length > FEW_SAMPLES ? 2 : 1;
    return { level, px, py, phases: phaseSearch(fold(level.samples, level.w, level.h, px, py, stride), PHASE_CANDIDATES) };
  });
  // Fast reject: on an unmarked image the best of the 4096 phases scores ~3.5-4.2 (the maximum of
  // noise); a real tile at roughly the right period already scores ≥ 5 here. Below the gate the
  // fine search is not worth its cost. The SCALE_CANDIDATES best by sync go on (the attempt bound).
  const top = (c: { phases: PhaseCandidate[] }): number => c.phases[0]?.score ?? 0;
  const ranked = coarse.filter((c) => top(c) >= COARSE_GATE).sort((a, b) => top(b) - top(a));
  for (const start of ranked.slice(0, SCALE_CANDIDATES)) {
    const { level } = start;
    const { samples } = level;
    // Fine scale, per axis: a relative error e drifts the fold by e × extent px across the image,
    // and a quarter cell (P/64) is what it tolerates, so the step is P/(64 × extent).
    // The first pass folds every other sample (half the cost; the sync peak is still clear), so its
    // scores are compared with each other, not with the ranking's.
    const evaluate = (px: number, py: number, stride: number): { px: number; py: number; phases: PhaseCandidate[] } => ({
      px,
      py,
      phases: phaseSearch(fold(samples, level.w, level.h, px, py, stride), PHASE_CANDIDATES),
    });
    let best = evaluate(start.px, start.py, 2);
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
      if (phase.score < MIN_SYNC_SCORE) break;
      const found = readPhase(phase);
      if (!found) continue;
      const scale = factor * level.factor;
      return { code: found.code, evidence: { period: [px * scale, py * scale], confirmation: found.confirmation, syncScore: phase.score, method: 'screenshot', rotation: 0 } };
    }
  }
  return null;
}

/** Smallest image (px) the photo rectifier looks at: below this, a photo holds too few tiles. */
const PHOTO_MIN_PIXELS = 150_000;

function halfOf(full: Level): Level {
  const half = halveResidual(full.res, full.w, full.h);
  return { w: half.w, h: half.h, factor: 2, res: half.res, samples: compact(half.res, half.w, half.h) };
}

/** The rectifier's level: the half-resolution residual with the moiré cut out of its spectrum. */
function photoLevelOf(img: LumaImage): Level {
  const half = halveResidual(pageResidual(img, PHOTO_RESIDUAL), img.w, img.h);
  suppressMoire(half.res.r, half.res.m, half.w, half.h);
  return { w: half.w, h: half.h, factor: 2, res: half.res, samples: compact(half.res, half.w, half.h) };
}

export interface DecodeOptions {
  /** Try the photo rectifier when the screenshot search finds nothing (default true). */
  photo?: boolean;
}

/** Decodes the watermark of a screenshot or photo; null when none is found (or the image is unusable). */
export function decodeWatermark(image: PixelImage, options: DecodeOptions = {}): WatermarkDecode | null {
  const { width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return null;
  if (width * height < MIN_PIXELS || width * height > MAX_PIXELS) return null;
  if (image.data.length !== width * height && image.data.length !== width * height * 4) return null;
  let img = { luma: toLuma(image.data, width, height), w: width, h: height };
  let factor = 1;
  while (img.w * img.h > DOWNSAMPLE_ABOVE) {
    img = downsample2(img);
    factor *= 2;
  }
  const { w, h } = img;
  const res = pageResidual(img, SCREENSHOT_RESIDUAL);
  const full: Level = { w, h, factor: 1, res, samples: compact(res, w, h) };
  const halfLevel: Level | null = w * h > HALF_RES_ABOVE ? halfOf(full) : null;
  const found = searchAxisAligned(full, halfLevel, factor);
  if (found || options.photo === false) return found;
  // The rectifier always works at half resolution: a phone photo's cells are large enough, and its
  // lattice FFT and climbs cost per pixel, which at full resolution made every unmarked image pay.
  if (!halfLevel && w * h < PHOTO_MIN_PIXELS) return null;
  const photoLevel = photoLevelOf(img);
  const photo = decodePhoto(photoLevel, MIN_SCALE, MAX_SCALE);
  if (!photo) return null;
  const scale = factor * photoLevel.factor;
  return {
    code: photo.code,
    evidence: { period: [photo.period[0] * scale, photo.period[1] * scale], confirmation: photo.confirmation, syncScore: photo.syncScore, method: 'photo', rotation: photo.rotation },
  };
}
