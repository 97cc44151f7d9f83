import { describe, expect, it } from 'vitest';
import { suppressMoire } from '../../../../src-shared/watermark/moire-suppression';
import { mulberry32 } from '../../../../src-shared/watermark/tile-layout';

const W = 240;
const H = 200;

/** A watermark-like field: random ±1 cells of 6 px (a broad spectrum, no strong line). */
function cells(seed: number): Float32Array {
  const random = mulberry32(seed);
  const values = Array.from({ length: Math.ceil(W / 6) * Math.ceil(H / 6) }, () => (random() < 0.5 ? -1 : 1));
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) out[y * W + x] = values[Math.floor(y / 6) * Math.ceil(W / 6) + Math.floor(x / 6)] ?? 0;
  return out;
}

function correlation(a: Float32Array, b: Float32Array, m: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!m[i]) continue;
    ab += (a[i] ?? 0) * (b[i] ?? 0);
    aa += (a[i] ?? 0) ** 2;
    bb += (b[i] ?? 0) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('moiré suppression', () => {
  const mask = new Float32Array(W * H).fill(1);
  // Text removed from the residual: a few blank bands, as the page residual leaves them.
  for (let y = 40; y < 52; y++) for (let x = 20; x < 200; x++) mask[y * W + x] = 0;

  it('cuts a ripple five times the overlay down and leaves the overlay readable', () => {
    const overlay = cells(7);
    const r = new Float32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        // A slightly rotated ripple of period ~11 px, in the overlay's band.
        r[i] = mask[i] ? (overlay[i] ?? 0) + 5 * Math.sin(2 * Math.PI * (0.09 * x + 0.012 * y)) : 0;
      }
    const before = correlation(r, overlay, mask);
    suppressMoire(r, mask, W, H);
    expect(before).toBeLessThan(0.3);
    expect(correlation(r, overlay, mask)).toBeGreaterThan(0.8);
    // Removed pixels stay removed: the clip must not paint the ripple back into the text's holes.
    expect(r.filter((v, i) => !mask[i] && v !== 0).length).toBe(0);
  });

  it('leaves an overlay without moiré nearly as it was', () => {
    const overlay = cells(8);
    const r = Float32Array.from(overlay, (v, i) => (mask[i] ? v : 0));
    suppressMoire(r, mask, W, H);
    expect(correlation(r, overlay, mask)).toBeGreaterThan(0.85);
  });
});
