/**
 * Radix-2 complex FFTs for the watermark decoder's period and lattice searches (autocorrelation by
 * Wiener–Khinchin). Pure and small: the decoder runs in the sandboxed renderer too, where no native
 * library is available.
 */
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

/** In-place iterative radix-2 complex FFT (inverse when sign = 1, unnormalised); n a power of two. */
export function fft(re: Float64Array, im: Float64Array, sign: number): void {
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

/** In-place 2-D FFT of an nx×ny complex array (row-major, ny = nx when omitted), both powers of two. */
export function fft2(re: Float64Array, im: Float64Array, nx: number, sign: number, ny = nx): void {
  const rr = new Float64Array(nx);
  const ri = new Float64Array(nx);
  for (let y = 0; y < ny; y++) {
    rr.set(re.subarray(y * nx, y * nx + nx));
    ri.set(im.subarray(y * nx, y * nx + nx));
    fft(rr, ri, sign);
    re.set(rr, y * nx);
    im.set(ri, y * nx);
  }
  const cr = new Float64Array(ny);
  const ci = new Float64Array(ny);
  for (let x = 0; x < nx; x++) {
    for (let y = 0; y < ny; y++) {
      cr[y] = re[y * nx + x] ?? 0;
      ci[y] = im[y * nx + x] ?? 0;
    }
    fft(cr, ci, sign);
    for (let y = 0; y < ny; y++) {
      re[y * nx + x] = cr[y] ?? 0;
      im[y * nx + x] = ci[y] ?? 0;
    }
  }
}
