/**
 * Geometry of the forensic watermark tile, shared by the renderer (pattern.ts) and the decoder
 * (decoder.ts) so both read the same cells (DESIGN.md §7, "underpainting" after Fang et al. 2020).
 *
 * A tile is 16×16 cells of 8×8 px (128 px). 64 cells, on every other row and column, carry a fixed,
 * balanced sync sequence: spread evenly, so any crop of a few tiles keeps all of them in its fold,
 * and chosen (seed searched offline: largest cyclic sidelobe 8 of 64) for low cyclic correlation at the 63 other shifts that map
 * the sync lattice onto itself. The other 192 cells carry the 172 coded bits of the session code
 * (session-code.ts), interleaved in a fixed pseudo-random order (a localised loss becomes scattered
 * erasures, which Viterbi handles best), the first 20 coded bits twice, and whitened by a fixed
 * pseudo-random sequence so every code gives a balanced, noise-like pattern.
 *
 * Cell borders are ragged: a pixel on a cell's outer row or column shows its neighbour's value with
 * probability 1/2 (a fixed hash of its position). Straight cell edges are what makes a checkerboard
 * visible; ragged ones read as fine noise, and the decoder, which averages whole cells, loses little.
 */
import { CODED_BITS, encodeSessionCode } from './session-code';

export const CELL_PX = 12;
export const TILE_CELLS = 16;
export const TILE_PX = CELL_PX * TILE_CELLS;
export const CELL_COUNT = TILE_CELLS * TILE_CELLS;

/** Small deterministic PRNG (mulberry32): layout constants must be identical everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(values: number[], random: () => number): number[] {
  const out = values.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/** Seed of the sync sequence, found by searching for the lowest cyclic sidelobe on the sync lattice. */
export const SYNC_SEED = 0x5eed0000 + 127;

function syncValues(seed: number): Int8Array {
  const half = Array.from({ length: 64 }, (_, i) => (i < 32 ? 1 : -1));
  return Int8Array.from(shuffled(half, mulberry32(seed)));
}

/** Largest |correlation| of the 8×8 sync array with its cyclic shifts (other than zero). */
export function syncSidelobe(values: Int8Array): number {
  let worst = 0;
  for (let dy = 0; dy < 8; dy++)
    for (let dx = 0; dx < 8; dx++) {
      if (dx === 0 && dy === 0) continue;
      let sum = 0;
      for (let y = 0; y < 8; y++)
        for (let x = 0; x < 8; x++) sum += (values[y * 8 + x] ?? 0) * (values[((y + dy) & 7) * 8 + ((x + dx) & 7)] ?? 0);
      worst = Math.max(worst, Math.abs(sum));
    }
  return worst;
}

export interface TileLayout {
  /** Cell indices (row * 16 + column) of the sync cells. */
  syncCells: Int16Array;
  /** +1 = dark, -1 = light, per sync cell. */
  syncSigns: Int8Array;
  /** Cell indices of the payload cells, in carrying order. */
  payloadCells: Int16Array;
  /** For each payload cell: the coded bit it carries. */
  payloadBit: Int16Array;
  /** For each payload cell: the whitening bit XORed onto it. */
  whitening: Uint8Array;
  /** For each tile pixel (y * 128 + x): the cell whose value it shows (ragged borders). */
  pixelCell: Int16Array;
}

function buildLayout(): TileLayout {
  const syncCells: number[] = [];
  const isSync = new Uint8Array(CELL_COUNT);
  for (let r = 0; r < TILE_CELLS; r += 2)
    for (let c = 0; c < TILE_CELLS; c += 2) {
      syncCells.push(r * TILE_CELLS + c);
      isSync[r * TILE_CELLS + c] = 1;
    }
  const random = mulberry32(0x7a11e0);
  const others: number[] = [];
  for (let i = 0; i < CELL_COUNT; i++) if (!isSync[i]) others.push(i);
  const payloadCells = shuffled(others, random);
  const payloadBit = payloadCells.map((_, k) => k % CODED_BITS);
  const whitening = payloadCells.map(() => (random() < 0.5 ? 1 : 0));
  const pixelCell = new Int16Array(TILE_PX * TILE_PX);
  const hash = mulberry32(0xb0de5);
  for (let y = 0; y < TILE_PX; y++)
    for (let x = 0; x < TILE_PX; x++) {
      let cx = Math.floor(x / CELL_PX);
      let cy = Math.floor(y / CELL_PX);
      const h = Math.floor(hash() * 4);
      if (h & 1) {
        if (x % CELL_PX === 0) cx -= 1;
        else if (x % CELL_PX === CELL_PX - 1) cx += 1;
      }
      if (h & 2) {
        if (y % CELL_PX === 0) cy -= 1;
        else if (y % CELL_PX === CELL_PX - 1) cy += 1;
      }
      cx = (cx + TILE_CELLS) % TILE_CELLS;
      cy = (cy + TILE_CELLS) % TILE_CELLS;
      pixelCell[y * TILE_PX + x] = cy * TILE_CELLS + cx;
    }
  return {
    syncCells: Int16Array.from(syncCells),
    syncSigns: syncValues(SYNC_SEED),
    payloadCells: Int16Array.from(payloadCells),
    payloadBit: Int16Array.from(payloadBit),
    whitening: Uint8Array.from(whitening),
    pixelCell,
  };
}

export const TILE_LAYOUT: TileLayout = buildLayout();

/** The 256 cell values (1 = dark) of a session code's tile. */
export function cellBits(code: Uint8Array): Uint8Array {
  const coded = encodeSessionCode(code);
  const bits = new Uint8Array(CELL_COUNT);
  const { syncCells, syncSigns, payloadCells, payloadBit, whitening } = TILE_LAYOUT;
  for (let i = 0; i < syncCells.length; i++) bits[syncCells[i] ?? 0] = (syncSigns[i] ?? 0) > 0 ? 1 : 0;
  for (let k = 0; k < payloadCells.length; k++) bits[payloadCells[k] ?? 0] = (coded[payloadBit[k] ?? 0] ?? 0) ^ (whitening[k] ?? 0);
  return bits;
}
