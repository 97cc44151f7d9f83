/**
 * Moiré suppression for photos of a screen, before the tile lattice is searched and folded.
 *
 * A phone sampling a screen's pixel grid (the black matrix between pixels) aliases it into moiré: a
 * brightness ripple over the whole photo, locally periodic, that on a bright page can be several times
 * the overlay's step and lies in the same spatial band as its cells. Its energy is concentrated in a
 * few narrow spectral lines and ridges (a keystone sweeps the alias frequency across the frame), as is
 * the rhythm of text lines; the overlay's, spread by its random cells over its whole band, is not. So
 * each frequency of the residual's spectrum is clipped to the median power of its ring (frequencies of
 * the same radius): the lines and ridges that stand above their ring are cut down to it, and what is
 * at or below it (the overlay among the noise) passes unchanged. The tile's own comb of lines is weak
 * in a photo (the residual is mostly noise there, which sets the median), so little of it is cut.
 *
 * Measured with the true homography of simulated light-page photos (fold, sync score): 2.4-5.3 without,
 * 4.4-7.0 with, the best of several clip levels (1, 2, 3, 10, 100 × the ring median).
 *
 * Pure; no DOM, no Node.
 */
import { fft2 } from './fft';

/** Radial frequency bands whose medians set the clip level. */
const RINGS = 256;
/** Every SAMPLE_EVERY-th frequency (on a diagonal pattern) estimates the ring medians. */
const SAMPLE_EVERY = 5;

/** Clips the spectrum of the residual `r` (w×h, zero where `m` is 0) to its ring medians, in place. */
export function suppressMoire(r: Float32Array, m: Float32Array, w: number, h: number): void {
  let nx = 1;
  while (nx < w) nx <<= 1;
  let ny = 1;
  while (ny < h) ny <<= 1;
  const re = new Float64Array(nx * ny);
  const im = new Float64Array(nx * ny);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (m[i]) re[y * nx + x] = r[i] ?? 0;
    }
  fft2(re, im, nx, -1, ny);
  const power = new Float64Array(nx * ny);
  const ring = new Uint16Array(nx * ny);
  const samples: number[][] = Array.from({ length: RINGS }, () => []);
  const maxRadius = Math.SQRT1_2;
  for (let ky = 0; ky < ny; ky++) {
    const fy = (ky > ny / 2 ? ky - ny : ky) / ny;
    for (let kx = 0; kx < nx; kx++) {
      const fx = (kx > nx / 2 ? kx - nx : kx) / nx;
      const i = ky * nx + kx;
      const p = (re[i] ?? 0) ** 2 + (im[i] ?? 0) ** 2;
      const b = Math.min(RINGS - 1, Math.floor((Math.hypot(fx, fy) / maxRadius) * RINGS));
      power[i] = p;
      ring[i] = b;
      if ((ky * 7 + kx * 13) % SAMPLE_EVERY === 0) samples[b]?.push(p);
    }
  }
  const median = samples.map((v) => {
    v.sort((a, b) => a - b);
    return v[v.length >> 1] ?? 0;
  });
  for (let i = 1; i < power.length; i++) {
    const limit = median[ring[i] ?? 0] ?? 0;
    const p = power[i] ?? 0;
    if (p <= limit) continue;
    const g = Math.sqrt(limit / p);
    re[i] = (re[i] ?? 0) * g;
    im[i] = (im[i] ?? 0) * g;
  }
  fft2(re, im, nx, 1, ny);
  const norm = 1 / (nx * ny);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (m[i]) r[i] = (re[y * nx + x] ?? 0) * norm;
    }
}
