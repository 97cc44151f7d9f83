/**
 * Reading the watermark from a photo of the screen (DESIGN.md §7, "Further"): the tile grid is no
 * longer axis-aligned nor one scale, so the screenshot search (decoder.ts) cannot fold it. Here:
 *
 * 1. Lattice: the 2-D autocorrelation of the page residual (one complex FFT carries the residual and
 *    its mask, so the correlation is normalised by the overlap) peaks at the tile lattice vectors, but
 *    also at moiré and page rhythm (line and word spacing), often more strongly. So it only proposes:
 *    the best perpendicular pair of peaks, and a square tile for each strong peak near an axis (its
 *    length divided by 1-4). Each proposal is folded, and the CANDIDATES with the best sync score go on.
 * 2. Rectification: a proposal is the first guess of a projective map (a homography) from image pixels
 *    to tile coordinates. Coordinate ascent on the sync score then adjusts scale, the four affine terms
 *    and the two perspective terms (keystone). Then the image is cut into patches; each patch is folded
 *    on its own and cross-correlated with the fold of the whole image, which says how far that part has
 *    drifted off the tile grid (lens, a slight bend); a weighted least-squares homography through the
 *    corrected patch centres replaces the map for one more round.
 * 3. Each round's whole-image fold is read like a screenshot's (tile-reader.ts: sync phase, Viterbi,
 *    check, confirmation by re-rendering), at most PHOTO_ATTEMPTS times in all.
 *
 * Pure; no DOM, no Node.
 */
import { fft2 } from './fft';
import { halveResidual } from './page-residual';
import { BINS as READER_BINS, compact, emptyFold, payloadFit, phaseSearch, readPhase, type Fold, type Level, type PhaseCandidate, type Samples } from './tile-reader';
import { TILE_PX } from './tile-layout';

/** Lattice proposals climbed and read, best first by their sync score. */
const CANDIDATES = 3;
/**
 * A proposal is climbed only when its fold already shows the sync sequence this clearly (standard
 * deviations). On an unmarked image the best of a fold's 4096 phases scores about 3.5-4.2, the maximum
 * of noise; a proposal below even that is not worth its climb. (At 4.3, the
 * screenshot search's gate, a third of the photos that are read without a gate are lost.)
 */
const CLIMB_GATE = 3.5;
/** Patch-alignment rounds after the climb, per candidate. */
const ROUNDS = 1;
const PHASES_PER_ROUND = 2;
/**
 * A candidate whose fold shows the sync this clearly yet does not read is climbed again from
 * RESTARTS nearby starts (see `restarts`). Unmarked images fold to at most about 4.2, so they are
 * spared this.
 */
const RESTART_GATE = 5;
/** How many of the restarts' grids, best by payload fit, get one decoding attempt each. */
const RESTART_READS = 4;
/** Viterbi + check attempts the rectifier may make per image (part of MAX_DECODE_ATTEMPTS): 24. */
export const PHOTO_ATTEMPTS = CANDIDATES * ((ROUNDS + 1) * PHASES_PER_ROUND + RESTART_READS);
const MIN_SYNC_SCORE = 3;
/** A lattice peak must stand this many standard deviations above the autocorrelation's spread. */
const MIN_LATTICE_Z = 5;
/** A patch's shift is trusted when its correlation peak stands this far above the others. */
const MIN_SHIFT_Z = 4;
const MAX_FFT = 1024;
/** A module-local copy: read per sample while folding, an imported binding costs an accessor call. */
const BINS = READER_BINS;
/** Shortest side (decode-image px) of an image the rectifier looks at: three tiles at the smallest scale. */
const MIN_PHOTO_SIDE = 256;

export interface PhotoDecode {
  code: string;
  confirmation: number;
  syncScore: number;
  /** Lengths of the tile's x and y lattice vectors at the image centre, level px. */
  period: [number, number];
  /** Angle of the tile's x axis in the image, degrees. */
  rotation: number;
}

type Vec = [number, number];

// ---------- 1. lattice ----------

/**
 * Divides the power spectrum by its local mean (5×5 frequency bins). The tile's spectrum is a comb of
 * many modest lines (its reciprocal lattice); moiré, the screen's pixel grid and page rhythm (line
 * spacing) are a few very strong ones. Whitened, each line counts about once, so the many lines of the
 * tile outvote the few of everything else.
 */
function whiten(power: Float64Array, n: number): void {
  const src = Float64Array.from(power);
  const tmp = new Float64Array(n * n);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let acc = 0;
      for (let k = -2; k <= 2; k++) acc += src[y * n + ((x + k + n) & (n - 1))] ?? 0;
      tmp[y * n + x] = acc;
    }
  let total = 0;
  for (let i = 0; i < n * n; i++) total += src[i] ?? 0;
  const floor = (total / (n * n)) * 1e-3 + 1e-30;
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      let acc = 0;
      for (let k = -2; k <= 2; k++) acc += tmp[((y + k + n) & (n - 1)) * n + x] ?? 0;
      power[y * n + x] = (src[y * n + x] ?? 0) / (acc / 25 + floor);
    }
  power[0] = 0;
}

interface Lattice {
  ex: Vec;
  ey: Vec;
}

function lattices(level: Level, minP: number, maxP: number): Lattice[] {
  const { w, h, res } = level;
  const maxLag = Math.ceil(maxP * 1.05) + 2;
  let n = 64;
  while (n < Math.max(w, h) + maxLag && n < MAX_FFT) n <<= 1;
  const rw = Math.min(w, n - maxLag);
  const rh = Math.min(h, n - maxLag);
  if (rw < minP * 1.5 || rh < minP * 1.5) return [];
  const x0 = (w - rw) >> 1;
  const y0 = (h - rh) >> 1;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let y = 0; y < rh; y++)
    for (let x = 0; x < rw; x++) {
      const i = (y + y0) * w + x + x0;
      re[y * n + x] = (res.r[i] ?? 0) * (res.m[i] ?? 0);
      im[y * n + x] = (res.m[i] ?? 0) > 0 ? 1 : 0;
    }
  fft2(re, im, n, -1);
  // Z = R + iM: |R|² and |M|² from Z(k) and Z(-k); back as one complex array (real: ac of r, imag: ac of m).
  const pr = new Float64Array(n * n);
  const pi = new Float64Array(n * n);
  for (let ky = 0; ky < n; ky++)
    for (let kx = 0; kx < n; kx++) {
      const a = ky * n + kx;
      const b = ((n - ky) & (n - 1)) * n + ((n - kx) & (n - 1));
      const zr = re[a] ?? 0;
      const zi = im[a] ?? 0;
      const wr = re[b] ?? 0;
      const wi = -(im[b] ?? 0);
      // R = (Z + conj Z(-k)) / 2, M = (Z - conj Z(-k)) / 2i
      const rr = (zr + wr) / 2;
      const ri = (zi + wi) / 2;
      const mr = (zi - wi) / 2;
      const mi = -(zr - wr) / 2;
      pr[a] = rr * rr + ri * ri;
      pi[a] = mr * mr + mi * mi;
    }
  whiten(pr, n);
  fft2(pr, pi, n, 1);
  const minOverlap = rw * rh * 0.05 * n * n;
  const value = (dx: number, dy: number): number => {
    const i = ((dy + n) & (n - 1)) * n + ((dx + n) & (n - 1));
    const m = pi[i] ?? 0;
    // Not divided by the overlap: after whitening the correlation no longer scales with it, and the
    // gentle fall-off with lag favours the fundamental over its multiples, which is what is wanted.
    return m > minOverlap ? (pr[i] ?? 0) : 0;
  };
  // Half-plane of lags inside the annulus; statistics for the z-score.
  const lags: { dx: number; dy: number; v: number }[] = [];
  let sum = 0;
  let sum2 = 0;
  let count = 0;
  const lim = Math.ceil(maxP);
  for (let dy = 0; dy <= lim; dy++)
    for (let dx = -lim; dx <= lim; dx++) {
      if (dy === 0 && dx <= 0) continue;
      const r = Math.hypot(dx, dy);
      if (r < minP || r > maxP) continue;
      const v = value(dx, dy);
      sum += v;
      sum2 += v * v;
      count++;
      let isPeak = true;
      for (let a = -1; a <= 1 && isPeak; a++) for (let b = -1; b <= 1; b++) if ((a || b) && value(dx + b, dy + a) > v) isPeak = false;
      if (isPeak) lags.push({ dx, dy, v });
    }
  if (count < 10 || lags.length < 2) return [];
  const mean = sum / count;
  const sd = Math.sqrt(Math.max(1e-30, sum2 / count - mean * mean));
  lags.sort((a, b) => b.v - a.v);
  const z = (v: number): number => (v - mean) / sd;
  if (z(lags[0]?.v ?? 0) < MIN_LATTICE_Z) return [];
  // Strongest value near a lag (keystone smears a lattice peak over a pixel or two).
  const near = (dx: number, dy: number): { dx: number; dy: number; v: number } => {
    let best = { dx: Math.round(dx), dy: Math.round(dy), v: -Infinity };
    for (let a = -1; a <= 1; a++)
      for (let b = -1; b <= 1; b++) {
        const v = value(Math.round(dx) + b, Math.round(dy) + a);
        if (v > best.v) best = { dx: Math.round(dx) + b, dy: Math.round(dy) + a, v };
      }
    return best;
  };
  const refine = (l: { dx: number; dy: number; v: number }): Vec => {
    const sub = (m: number, c: number, p: number): number => {
      const den = m - 2 * c + p;
      return den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / den)) : 0;
    };
    return [l.dx + sub(value(l.dx - 1, l.dy), l.v, value(l.dx + 1, l.dy)), l.dy + sub(value(l.dx, l.dy - 1), l.v, value(l.dx, l.dy + 1))];
  };
  const out: Lattice[] = [];
  const add = (l: Lattice | null) => {
    if (l && !out.some((o) => Math.hypot(o.ex[0] - l.ex[0], o.ex[1] - l.ex[1]) + Math.hypot(o.ey[0] - l.ey[0], o.ey[1] - l.ey[1]) < 2)) out.push(l);
  };
  // A lattice, not a single rhythm (text lines, moiré): a pair of roughly perpendicular, similar peaks
  // whose sum and difference are peaks too. Every multiple of the basis is such a pair as well, so the
  // winner is then halved while its half is still a clear peak.
  const top = lags.slice(0, 40).filter((l) => z(l.v) >= MIN_LATTICE_Z * 0.8);
  let pair: { v1: { dx: number; dy: number; v: number }; v2: { dx: number; dy: number; v: number }; score: number } | null = null;
  for (const p1 of top)
    for (const p2 of top) {
      const l1 = Math.hypot(p1.dx, p1.dy);
      const l2 = Math.hypot(p2.dx, p2.dy);
      const cos = (p1.dx * p2.dx + p1.dy * p2.dy) / (l1 * l2);
      if (Math.abs(cos) > 0.35 || l2 < l1 * 0.8 || l2 > l1 * 1.25) continue;
      const score = p1.v + p2.v + near(p1.dx + p2.dx, p1.dy + p2.dy).v + near(p1.dx - p2.dx, p1.dy - p2.dy).v;
      if (!pair || score > pair.score) pair = { v1: p1, v2: p2, score };
    }
  if (pair) {
    const halve = (l: { dx: number; dy: number; v: number }) => {
      for (;;) {
        if (Math.hypot(l.dx, l.dy) / 2 < minP) return l;
        const h = near(l.dx / 2, l.dy / 2);
        if (z(h.v) < MIN_LATTICE_Z * 0.8) return l;
        l = h;
      }
    };
    let p1 = pair.v1;
    let p2 = pair.v2;
    // The diagonals of the lattice also form such a pair (√2 longer): their half-sum and half-difference
    // are then lattice peaks too.
    for (let k = 0; k < 3; k++) {
      const s1 = near((p1.dx + p2.dx) / 2, (p1.dy + p2.dy) / 2);
      const s2 = near((p1.dx - p2.dx) / 2, (p1.dy - p2.dy) / 2);
      if (Math.hypot(s1.dx, s1.dy) < minP || Math.hypot(s2.dx, s2.dy) < minP || z(s1.v) < MIN_LATTICE_Z * 0.8 || z(s2.v) < MIN_LATTICE_Z * 0.8) break;
      p1 = s1;
      p2 = s2;
    }
    add(orient(refine(halve(p1)), refine(halve(p2))));
  }
  // Moiré and page rhythm (text lines, word spacing) also form lattices, often stronger than the
  // tile's. So every strong peak near an axis also proposes a square tile (the screen's pixels are
  // square; a photo's shear is small) at its length divided by 1-4; the caller keeps whichever folds
  // into a tile with a sync sequence.
  for (const l of top.slice(0, 12)) {
    const v = refine(l);
    const length = Math.hypot(...v);
    const angle = Math.atan2(v[1], v[0]);
    const offAxis = Math.abs(angle - Math.round(angle / (Math.PI / 2)) * (Math.PI / 2));
    if (offAxis > MAX_TILT) continue;
    for (let k = 1; k <= 4 && length / k >= minP; k++) {
      const e: Vec = [v[0] / k, v[1] / k];
      add(orient(e, [-e[1], e[0]]));
    }
  }
  return out;
}

/** Largest in-plane rotation of the tile grid considered for single-peak proposals (radians). */
const MAX_TILT = (12 * Math.PI) / 180;

/** The tile's x axis is the lattice vector nearest the image's +x; its y axis then points down. */
function orient(v1: Vec, v2: Vec): Lattice | null {
  const options: Vec[] = [v1, [-v1[0], -v1[1]], v2, [-v2[0], -v2[1]]];
  options.sort((a, b) => b[0] / Math.hypot(...b) - a[0] / Math.hypot(...a));
  const ex = options[0] as Vec;
  const others = options.filter((o) => Math.abs(o[0] * ex[0] + o[1] * ex[1]) < 0.5 * Math.hypot(...o) * Math.hypot(...ex));
  const ey = others.find((o) => ex[0] * o[1] - ex[1] * o[0] > 0);
  return ey ? { ex, ey } : null;
}

// ---------- 2. homography ----------

/** u = (h0 xn + h1 yn + h2) / (h6 xn + h7 yn + 1), v = (h3 xn + h4 yn + h5) / (…), xn = (x - cx) / s. */
interface Map {
  p: Float64Array;
  cx: number;
  cy: number;
  s: number;
}

function apply(map: Map, x: number, y: number): Vec {
  const p = map.p;
  const xn = (x - map.cx) / map.s;
  const yn = (y - map.cy) / map.s;
  const den = (p[6] ?? 0) * xn + (p[7] ?? 0) * yn + 1;
  return [((p[0] ?? 0) * xn + (p[1] ?? 0) * yn + (p[2] ?? 0)) / den, ((p[3] ?? 0) * xn + (p[4] ?? 0) * yn + (p[5] ?? 0)) / den];
}

function affineFromLattice(l: Lattice, w: number, h: number): Map {
  const s = Math.max(w, h) / 2;
  const [a, c] = l.ex;
  const [b, d] = l.ey;
  const det = a * d - b * c;
  // B = [ex ey] maps tile units to px; u = B⁻¹ (x - centre) = B⁻¹ s xn.
  const p = Float64Array.from([(d / det) * s, (-b / det) * s, 0, (-c / det) * s, (a / det) * s, 0, 0, 0]);
  return { p, cx: w / 2, cy: h / 2, s };
}

/** Solves the n×n system A x = b (row-major) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col] ?? 0) > Math.abs(m[pivot * n + col] ?? 0)) pivot = r;
    const pv = m[pivot * n + col] ?? 0;
    if (Math.abs(pv) < 1e-12) return null;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const t = m[col * n + k] ?? 0;
        m[col * n + k] = m[pivot * n + k] ?? 0;
        m[pivot * n + k] = t;
      }
      const t = x[col] ?? 0;
      x[col] = x[pivot] ?? 0;
      x[pivot] = t;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (m[r * n + col] ?? 0) / pv;
      if (f === 0) continue;
      for (let k = col; k < n; k++) m[r * n + k] = (m[r * n + k] ?? 0) - f * (m[col * n + k] ?? 0);
      x[r] = (x[r] ?? 0) - f * (x[col] ?? 0);
    }
  }
  for (let r = 0; r < n; r++) x[r] = (x[r] ?? 0) / (m[r * n + r] ?? 1);
  return x;
}

interface Match {
  xn: number;
  yn: number;
  u: number;
  v: number;
  weight: number;
}

/** Weighted least squares (DLT form) for the homography through the matches; affine when few. */
function fitMap(matches: Match[], prev: Map): Map | null {
  const projective = matches.length >= 6;
  const n = projective ? 8 : 6;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  let total = 0;
  const add = (row: number[], rhs: number, wgt: number) => {
    for (let i = 0; i < n; i++) {
      atb[i] = (atb[i] ?? 0) + wgt * (row[i] ?? 0) * rhs;
      for (let j = 0; j < n; j++) ata[i * n + j] = (ata[i * n + j] ?? 0) + wgt * (row[i] ?? 0) * (row[j] ?? 0);
    }
  };
  for (const { xn, yn, u, v, weight } of matches) {
    total += weight;
    add(projective ? [xn, yn, 1, 0, 0, 0, -xn * u, -yn * u] : [xn, yn, 1, 0, 0, 0], u, weight);
    add(projective ? [0, 0, 0, xn, yn, 1, -xn * v, -yn * v] : [0, 0, 0, xn, yn, 1], v, weight);
  }
  // A little ridge on the perspective terms: few or bunched patches must not invent a horizon.
  if (projective) for (const i of [6, 7]) ata[i * n + i] = (ata[i * n + i] ?? 0) + 1e-3 * total;
  const sol = solve(ata, atb, n);
  if (!sol || sol.some((v) => !Number.isFinite(v))) return null;
  const p = new Float64Array(8);
  p.set(sol);
  return { p, cx: prev.cx, cy: prev.cy, s: prev.s };
}

// ---------- 3. folding through the map ----------

interface Folds {
  whole: Fold;
  patches: Fold[];
  centres: Float64Array;
}

/**
 * Folds `samples` through `map`. `k`: level px per sample px (2 for the coarse level the climb uses,
 * whose pixel x covers level px 2x and 2x + 1); patches are only cut at k = 1.
 */
function foldThrough(samples: Samples, map: Map, grid: number, w: number, h: number, stride = 1, k = 1): Folds {
  const whole = emptyFold();
  const patches = Array.from({ length: grid * grid }, emptyFold);
  const centres = new Float64Array(grid * grid * 3);
  const { x, y, r, weight } = samples;
  const p = map.p;
  const [p0, p1, p2, p3, p4, p5, p6, p7] = [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 0, p[4] ?? 0, p[5] ?? 0, p[6] ?? 0, p[7] ?? 0];
  const inv = 1 / map.s;
  const ox = 0.5 * k - map.cx;
  const oy = 0.5 * k - map.cy;
  for (let i = 0; i < r.length; i += stride) {
    const px = x[i] ?? 0;
    const py = y[i] ?? 0;
    const xn = (px * k + ox) * inv;
    const yn = (py * k + oy) * inv;
    const den = p6 * xn + p7 * yn + 1;
    const u = (p0 * xn + p1 * yn + p2) / den;
    const v = (p3 * xn + p4 * yn + p5) / den;
    const bu = Math.floor((u - Math.floor(u)) * BINS) & (BINS - 1);
    const bv = Math.floor((v - Math.floor(v)) * BINS) & (BINS - 1);
    const bin = bv * BINS + bu;
    const wk = weight[i] ?? 0;
    const val = (r[i] ?? 0) * wk;
    whole.sums[bin] = (whole.sums[bin] ?? 0) + val;
    whole.counts[bin] = (whole.counts[bin] ?? 0) + wk;
    if (!grid) continue;
    const patch = Math.min(grid - 1, Math.floor((py * grid) / h)) * grid + Math.min(grid - 1, Math.floor((px * grid) / w));
    const f = patches[patch] as Fold;
    f.sums[bin] = (f.sums[bin] ?? 0) + val;
    f.counts[bin] = (f.counts[bin] ?? 0) + wk;
    centres[patch * 3] = (centres[patch * 3] ?? 0) + px * wk;
    centres[patch * 3 + 1] = (centres[patch * 3 + 1] ?? 0) + py * wk;
    centres[patch * 3 + 2] = (centres[patch * 3 + 2] ?? 0) + wk;
  }
  return { whole, patches, centres };
}

/** Bin means, zero-centred, shrunk where a bin got little (so empty bins say nothing). */
function binValues(f: Fold): Float64Array {
  const out = new Float64Array(BINS * BINS);
  let total = 0;
  for (let i = 0; i < out.length; i++) total += f.counts[i] ?? 0;
  const prior = Math.max(1e-9, total / out.length / 4);
  let mean = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = (f.sums[i] ?? 0) / ((f.counts[i] ?? 0) + prior);
    mean += out[i] ?? 0;
  }
  mean /= out.length;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) - mean;
  return out;
}

/** Cyclic shift d (in bins) with patch(b) ≈ whole(b - d), and how clearly it stands out. */
function shiftOf(patch: Float64Array, whole: Float64Array): { du: number; dv: number; z: number } {
  const n = BINS;
  const ar = Float64Array.from(patch);
  const ai = new Float64Array(n * n);
  const br = Float64Array.from(whole);
  const bi = new Float64Array(n * n);
  fft2(ar, ai, n, -1);
  fft2(br, bi, n, -1);
  const cr = new Float64Array(n * n);
  const ci = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    // A · conj(B)
    cr[i] = (ar[i] ?? 0) * (br[i] ?? 0) + (ai[i] ?? 0) * (bi[i] ?? 0);
    ci[i] = (ai[i] ?? 0) * (br[i] ?? 0) - (ar[i] ?? 0) * (bi[i] ?? 0);
  }
  fft2(cr, ci, n, 1);
  let best = 0;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n * n; i++) {
    const v = cr[i] ?? 0;
    sum += v;
    sum2 += v * v;
    if (v > (cr[best] ?? 0)) best = i;
  }
  const mean = sum / (n * n);
  const sd = Math.sqrt(Math.max(1e-30, sum2 / (n * n) - mean * mean));
  const at = (u: number, v: number): number => cr[((v + n) % n) * n + ((u + n) % n)] ?? 0;
  const bu = best % n;
  const bv = Math.floor(best / n);
  const c = cr[best] ?? 0;
  const sub = (m: number, p: number): number => {
    const den = m - 2 * c + p;
    return den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / den)) : 0;
  };
  const wrap = (d: number): number => (d >= n / 2 ? d - n : d);
  return { du: wrap(bu) + sub(at(bu - 1, bv), at(bu + 1, bv)), dv: wrap(bv) + sub(at(bu, bv - 1), at(bu, bv + 1)), z: (c - mean) / sd };
}

// ---------- 4. the whole ----------

/**
 * The residual the climb folds: the level halved once more. Each of its samples averages four, so it
 * carries nearly the same sync evidence as the level (the cells are still ≥ 2.5 of its px) for a
 * quarter of the folding; the reads are still made at the level's own resolution.
 */
interface Coarse {
  samples: Samples;
  /** Level px per coarse px. */
  k: number;
}

function coarseOf(level: Level): Coarse {
  const half = halveResidual(level.res, level.w, level.h);
  return { samples: compact(half.res, half.w, half.h), k: 2 };
}

/** The best sync score of the whole image folded through a map. */
function syncThrough(coarse: Coarse, map: Map, w: number, h: number): number {
  return phaseSearch(foldThrough(coarse.samples, map, 0, w, h, 1, coarse.k).whole, 1)[0]?.score ?? 0;
}

/**
 * Coordinate ascent of the map on the sync score: the four affine terms (scale, rotation, shear per
 * axis) and the two perspective terms (keystone). The lattice gives the map at the image centre; a
 * keystoned photo's tile grows towards one edge, which only the perspective terms follow. Steps start
 * at about a cell's drift at the image edge and halve twice (a quarter cell is what the fold tolerates).
 */
function climb(coarse: Coarse, start: Map, w: number, h: number, scales = [1, 0.5, 0.25]): { map: Map; score: number } {
  let map = start;
  let score = syncThrough(coarse, map, w, h);
  const tilesPerUnit = (Math.hypot(map.p[0] ?? 0, map.p[3] ?? 0) + Math.hypot(map.p[1] ?? 0, map.p[4] ?? 0)) / 2;
  // Index -1: the whole scale (all four affine terms at once), the least certain of them.
  const steps: [number, number][] = [
    [-1, 0.012],
    [0, 0.04],
    [4, 0.04],
    [1, 0.04],
    [3, 0.04],
    [6, 0.04 / tilesPerUnit],
    [7, 0.04 / tilesPerUnit],
  ];
  for (const scale of scales) {
    for (let pass = 0, improved = true; improved && pass < 2; pass++) {
      improved = false;
      for (const [i, step] of steps)
        for (const sign of [-1, 1]) {
          const p = Float64Array.from(map.p);
          if (i < 0) for (const k of [0, 1, 3, 4]) p[k] = (p[k] ?? 0) * (1 + sign * step * scale);
          else p[i] = (p[i] ?? 0) + sign * step * scale;
          const trial = { ...map, p };
          const s = syncThrough(coarse, trial, w, h);
          if (s > score) {
            map = trial;
            score = s;
            improved = true;
            break;
          }
        }
    }
  }
  return { map, score };
}


/** Finds, rectifies and reads the tile grid of a photo; null when none is found. */
export function decodePhoto(level: Level, minScale: number, maxScale: number): PhotoDecode | null {
  const { w, h, samples } = level;
  // A photo of the screen has many tiles; a small image (a crop of a few tiles) is left to the
  // screenshot search, and is spared the lattice FFT, which costs the same whatever the image holds.
  if (Math.min(w, h) * level.factor < MIN_PHOTO_SIDE) return null;
  const minP = (TILE_PX * minScale) / level.factor;
  const maxP = (TILE_PX * maxScale) / level.factor;
  const coarse = coarseOf(level);
  const proposals = lattices(level, minP, Math.min(maxP, Math.min(w, h) * 0.75))
    .map((lat) => {
      const map = affineFromLattice(lat, w, h);
      return { lat, map, score: syncThrough(coarse, map, w, h) };
    })
    .sort((a, b) => b.score - a.score)
    .filter((p) => p.score >= CLIMB_GATE)
    .slice(0, CANDIDATES);
  for (const proposal of proposals) {
    const { lat } = proposal;
    const grid = Math.max(2, Math.min(5, Math.floor(Math.min(w, h) / (1.3 * Math.min(Math.hypot(...lat.ex), Math.hypot(...lat.ey))))));
    // The last, finest step once more on the level itself: the coarse level's 2×2 averaging blurs the
    // sync peak by about the step, so the coarse optimum can be a fraction of a cell off at the edges.
    const ascend = (start: Map): Map => climb({ samples, k: 1 }, climb(coarse, start, w, h).map, w, h, [0.25]).map;
    let map: Map | null = ascend(proposal.map);
    let best: { map: Map; score: number } | null = null;
    for (let round = 0; round <= ROUNDS && map; round++) {
      const folds = foldThrough(samples, map, grid, w, h);
      const phases = phaseSearch(folds.whole, PHASES_PER_ROUND);
      const found = readPhases(phases, map);
      if (found) return found;
      if (!best || (phases[0]?.score ?? 0) > best.score) best = { map, score: phases[0]?.score ?? 0 };
      if (round === ROUNDS) break;
      const whole = binValues(folds.whole);
      const matches: Match[] = [];
      for (let i = 0; i < folds.patches.length; i++) {
        const wsum = folds.centres[i * 3 + 2] ?? 0;
        if (wsum < samples.r.length / (grid * grid) / 4) continue;
        const { du, dv, z } = shiftOf(binValues(folds.patches[i] as Fold), whole);
        if (z < MIN_SHIFT_Z) continue;
        const cx = (folds.centres[i * 3] ?? 0) / wsum;
        const cy = (folds.centres[i * 3 + 1] ?? 0) / wsum;
        const [u, v] = apply(map, cx + 0.5, cy + 0.5);
        matches.push({ xn: (cx + 0.5 - map.cx) / map.s, yn: (cy + 0.5 - map.cy) / map.s, u: u - du / BINS, v: v - dv / BINS, weight: z });
      }
      if (matches.length < 3) break;
      map = fitMap(matches, map);
    }
    if (best && best.score >= RESTART_GATE) {
      const found = readRestarts(samples, best.map, w, h, ascend);
      if (found) return found;
    }
  }
  return null;
}

function readPhases(phases: PhaseCandidate[], map: Map): PhotoDecode | null {
  for (const phase of phases) {
    if (phase.score < MIN_SYNC_SCORE) break;
    const found = readPhase(phase);
    if (found) return { ...found, syncScore: phase.score, ...geometry(map) };
  }
  return null;
}

/**
 * The sync cells lie on every other row and column, so a grid that drifts by two cells towards the
 * edges (a vertical scale a few per cent off that stands in for the keystone) still lines them up
 * and can fold to as high a sync as the true one, while its payload cells are scrambled: a
 * colour-page photo climbed to sync 7.4 with a 5 % taller tile and no keystone, which does not read,
 * where the true homography folds to 7.0 and reads. So a candidate that shows the sync but does not
 * read is climbed again from nearby starts (keystone either way, with the vertical scale as found and ±4 %; each axis's scale ±4 %); the grids
 * they reach are ranked by how cleanly their payload fits a codeword (which needs no check), and
 * the best few are read, one attempt each.
 */
function readRestarts(samples: Samples, from: Map, w: number, h: number, ascend: (start: Map) => Map): PhotoDecode | null {
  const tilesPerUnit = (Math.hypot(from.p[0] ?? 0, from.p[3] ?? 0) + Math.hypot(from.p[1] ?? 0, from.p[4] ?? 0)) / 2;
  const keystone = 0.035 / tilesPerUnit;
  const starts: Map[] = [];
  const start = (changes: [number, number][]): void => {
    const p = Float64Array.from(from.p);
    // Scale terms relative (both of the axis's lattice components), perspective terms absolute.
    for (const [i, delta] of changes) {
      if (i === 0 || i === 4) for (const k of i === 4 ? [3, 4] : [0, 1]) p[k] = (p[k] ?? 0) * (1 + delta);
      else p[i] = (p[i] ?? 0) + delta;
    }
    starts.push({ ...from, p });
  };
  // A keystone changes the tile's height towards the edge it narrows to, so it is tried with the
  // vertical scale as found and ±4 %.
  for (const k of [keystone, -keystone]) for (const sy of [0, 0.04, -0.04]) start([[7, k], [4, sy]]);
  for (const k of [keystone, -keystone]) start([[6, k]]);
  for (const d of [0.04, -0.04]) start([[4, d]]);
  for (const d of [0.04, -0.04]) start([[0, d]]);
  const ranked = starts
    .map((start) => {
      const map = ascend(start);
      const phase = phaseSearch(foldThrough(samples, map, 0, w, h).whole, 1)[0];
      return { map, phase, fit: phase ? payloadFit(phase) : -Infinity };
    })
    .sort((a, b) => b.fit - a.fit)
    .slice(0, RESTART_READS);
  for (const { map, phase } of ranked) {
    const found = phase ? readPhases([phase], map) : null;
    if (found) return found;
  }
  return null;
}

/** Tile period (lengths of the x and y lattice vectors, level px) and rotation at the image centre. */
function geometry(map: Map): { period: [number, number]; rotation: number } {
  const [a, b, , c, d] = [map.p[0] ?? 0, map.p[1] ?? 0, 0, map.p[3] ?? 0, map.p[4] ?? 0];
  const det = a * d - b * c;
  const ex: Vec = [(map.s * d) / det, (-map.s * c) / det];
  const ey: Vec = [(-map.s * b) / det, (map.s * a) / det];
  return { period: [Math.hypot(...ex), Math.hypot(...ey)], rotation: (Math.atan2(ex[1], ex[0]) * 180) / Math.PI };
}
