import { describe, expect, it } from 'vitest';
import { CODED_BITS } from '../../../../src-shared/watermark/session-code';
import { CELL_COUNT, TILE_LAYOUT, TILE_PX, cellBits, syncSidelobe } from '../../../../src-shared/watermark/tile-layout';

describe('tile layout', () => {
  it('has a balanced sync sequence with low cyclic sidelobes', () => {
    const { syncSigns } = TILE_LAYOUT;
    expect(syncSigns.length).toBe(64);
    expect(syncSigns.reduce((a, b) => a + b, 0)).toBe(0);
    expect(syncSidelobe(syncSigns)).toBeLessThanOrEqual(12);
  });

  it('uses every cell exactly once, and carries every coded bit', () => {
    const seen = new Uint8Array(CELL_COUNT);
    for (const c of [...TILE_LAYOUT.syncCells, ...TILE_LAYOUT.payloadCells]) seen[c] = (seen[c] ?? 0) + 1;
    expect([...seen].every((n) => n === 1)).toBe(true);
    const carried = new Set(TILE_LAYOUT.payloadBit);
    expect(carried.size).toBe(CODED_BITS);
  });

  const cyclic = (v: number) => {
    const d = ((v % 16) + 16) % 16;
    return d > 8 ? d - 16 : d;
  };

  it('maps each tile pixel to its own cell or a direct neighbour (ragged borders)', () => {
    const cellPx = TILE_PX / 16;
    let moved = 0;
    let far = 0;
    for (let y = 0; y < TILE_PX; y++)
      for (let x = 0; x < TILE_PX; x++) {
        const cell = TILE_LAYOUT.pixelCell[y * TILE_PX + x] ?? -1;
        const dx = cyclic((cell & 15) - Math.floor(x / cellPx));
        const dy = cyclic((cell >> 4) - Math.floor(y / cellPx));
        if (Math.abs(dx) > 1 || Math.abs(dy) > 1) far++;
        if (dx !== 0 || dy !== 0) moved++;
      }
    expect(far).toBe(0);
    expect(moved).toBeGreaterThan(0);
  });

  it('gives different codes different, roughly balanced cell patterns', () => {
    const a = cellBits(Uint8Array.from([0, 0, 0, 0, 0, 0]));
    const b = cellBits(Uint8Array.from([0, 0, 0, 0, 0, 1]));
    const ones = a.reduce((n, v) => n + v, 0);
    expect(ones).toBeGreaterThan(CELL_COUNT * 0.35);
    expect(ones).toBeLessThan(CELL_COUNT * 0.65);
    expect(a).not.toEqual(b);
  });
});
