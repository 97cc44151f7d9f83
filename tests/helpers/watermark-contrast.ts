/**
 * CIE ΔE*ab (1976) between two sRGB colours: how far apart the overlay's two cell kinds look on a
 * given background. Used by the pattern test and the bench to state the contrast per background.
 */
function toLab(rgb: readonly [number, number, number]): [number, number, number] {
  const lin = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047;
  const y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  const z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

export function deltaE76(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const la = toLab(a);
  const lb = toLab(b);
  return Math.hypot(la[0] - lb[0], la[1] - lb[1], la[2] - lb[2]);
}

/** What one overlay pixel (non-premultiplied RGBA) makes of an opaque background, as Chromium composites. */
export function over(bg: readonly [number, number, number], px: readonly [number, number, number, number]): [number, number, number] {
  const a = px[3];
  return [0, 1, 2].map((c) => Math.round(((px[c] as number) * a) / 255) + Math.round(((bg[c] as number) * (255 - a)) / 255)) as [number, number, number];
}
