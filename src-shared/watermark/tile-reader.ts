/**
 * Reading the tile once the image's pixels have been folded onto it (DESIGN.md §7): every background
 * pixel is added into one averaged tile of 64×64 bins (4 per cell, weighted by how much background
 * each bin got), the sync cells are correlated at every cell shift and sub-cell offset, and the best
 * phases give soft bits for Viterbi, then the check, then a confirmation by re-rendering the decoded
 * code's whole tile against the fold. Shared by the screenshot search (decoder.ts) and the photo
 * rectifier (photo-rectify.ts), which differ only in how a pixel finds its bin.
 */
import { CODED_BITS, SESSION_CODE_BYTES, codewordFit, decodeSessionCode, sessionCodeToHex } from './session-code';
import { CELL_COUNT as LAYOUT_CELL_COUNT, TILE_CELLS as LAYOUT_TILE_CELLS, TILE_LAYOUT, cellBits } from './tile-layout';

// Module-local copies: an imported binding read in the inner loops below goes through the module
// loader's accessor on every read (tsx, vite-node), which cost more than the arithmetic.
const CELL_COUNT = LAYOUT_CELL_COUNT;
const TILE_CELLS = LAYOUT_TILE_CELLS;

export const BINS_PER_CELL = 4;
export const BINS = TILE_CELLS * BINS_PER_CELL;
/** Minimum correlation of the re-rendered tile with the folded tile to accept a decode. */
export const CONFIRM_THRESHOLD = 0.3;

export interface Fold {
  sums: Float64Array;
  counts: Float64Array;
}

/** The background pixels only, as coordinates and values: folding is repeated many times. */
export interface Samples {
  x: Int32Array;
  y: Int32Array;
  r: Float32Array;
  /** How many background pixels each sample stands for (1 at full resolution). */
  weight: Float32Array;
}

export function compact(res: { r: Float32Array; m: Float32Array }, w: number, h: number): Samples {
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

/** One resolution of the residual, as the searches use it. */
export interface Level {
  w: number;
  h: number;
  /** Pixels of the (possibly downsampled) decode image per pixel of this level. */
  factor: number;
  res: { r: Float32Array; m: Float32Array };
  samples: Samples;
}

export function emptyFold(): Fold {
  return { sums: new Float64Array(BINS * BINS), counts: new Float64Array(BINS * BINS) };
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
  const median = Math.max(1e-9, total / CELL_COUNT);
  const rel = new Float64Array(CELL_COUNT);
  let mean = 0;
  let wsum = 0;
  for (let k = 0; k < CELL_COUNT; k++) {
    rel[k] = ((cnt[k] ?? 0) / ((cnt[k] ?? 0) + median)) * 2;
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

export interface PhaseCandidate {
  ox: number;
  oy: number;
  sx: number;
  sy: number;
  /** Sync correlation, in standard deviations of noise. */
  score: number;
  grid: CellGrid;
}

const SYNC_NORM = Math.sqrt(TILE_LAYOUT.syncCells.length);
const SYNC_ROW = Int32Array.from(TILE_LAYOUT.syncCells, (c) => c >> 4);
const SYNC_COL = Int32Array.from(TILE_LAYOUT.syncCells, (c) => c & 15);

/** The `keep` best distinct (sub-cell offset, cell shift) phases of a fold, by sync correlation. */
export function phaseSearch(f: Fold, keep: number): PhaseCandidate[] {
  const { syncSigns } = TILE_LAYOUT;
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
          for (let k = 0; k < SYNC_ROW.length; k++) {
            const i = ((SYNC_ROW[k] ?? 0) + sy) & (TILE_CELLS - 1);
            const j = ((SYNC_COL[k] ?? 0) + sx) & (TILE_CELLS - 1);
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

/** How cleanly the payload cells under a phase fit some codeword (session-code.ts `codewordFit`); no check. */
export function payloadFit(c: PhaseCandidate): number {
  return codewordFit(softBits(c));
}

/** Viterbi + check + confirmation for one phase: the code (hex) and its confirmation, or null. */
export function readPhase(c: PhaseCandidate): { code: string; confirmation: number } | null {
  const code = decodeSessionCode(softBits(c));
  if (!code || code.length !== SESSION_CODE_BYTES) return null;
  const confirm = confirmation(c, code);
  if (confirm < CONFIRM_THRESHOLD) return null;
  return { code: sessionCodeToHex(code), confirmation: confirm };
}
