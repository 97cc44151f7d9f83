/**
 * Inspect's score arithmetic, recomputed from per-sample scores (inspect_ai/scorer/_metric.py,
 * _reducer/reducer.py, _metrics/*.py):
 * - value_to_float: numbers and booleans as numbers; "C" = 1, "P" = 0.5, "I" = "N" = 0; "yes"/"true" = 1,
 *   "no"/"false" = 0 (any case); non-negative numeric strings; anything else 0 (Inspect warns and uses 0).
 * - epoch reducers per sample: mean (default), median, mode (first most common), max, at_least_k,
 *   pass_at_k (the unbiased estimator of Chen et al. 2021 with value 1.0 counted as a pass).
 * - metrics over the reduced values: accuracy and mean (arithmetic mean), std and var (sample,
 *   ddof 1; 0 below two values), stderr (std ddof 1 over √n; 0 below two values).
 * Anything else (bootstrap_stderr, clustered stderr, custom metrics or reducers) cannot be recomputed
 * from the log alone and is answered with null: "not verified", never a mismatch.
 */

export function valueToFloat(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 'C') return 1;
  if (value === 'P') return 0.5;
  if (value === 'I' || value === 'N') return 0;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'yes' || lower === 'true') return 1;
    if (lower === 'no' || lower === 'false') return 0;
    if (/^(\d+\.?\d*|\.\d+)$/.test(value)) return Number(value);
  }
  return 0;
}

/** True when valueToFloat reads the value as Inspect does without falling back to 0. */
export function isScalarScore(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';
}

export type Reducer = (values: readonly number[]) => number;

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? NaN : sum / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** statistics.mode: the most common value, the first met on a tie (Python ≥ 3.8). */
function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let best = NaN;
  let bestCount = 0;
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const v of values) {
    const c = counts.get(v)!;
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function passAtK(k: number): Reducer {
  return (values) => {
    const total = values.length;
    const correct = values.filter((v) => v === 1).length;
    if (total - correct < k) return 1;
    let product = 1;
    for (let i = total - correct + 1; i <= total; i++) product *= 1 - k / i;
    return 1 - product;
  };
}

function atLeastK(k: number): Reducer {
  return (values) => (values.filter((v) => v >= 1).length >= k ? 1 : 0);
}

/** The reducer Inspect names `name`, or null when the checker does not know it. */
export function reducerNamed(name: string | null | undefined): Reducer | null {
  const n = name ?? 'mean';
  if (n === 'mean') return mean;
  if (n === 'median') return median;
  if (n === 'mode') return mode;
  if (n === 'max') return (values) => (values.length === 0 ? NaN : Math.max(...values));
  const atLeast = /^at_least_(\d+)$/.exec(n);
  if (atLeast) return atLeastK(Number(atLeast[1]));
  const passAt = /^pass_at_(\d+)$/.exec(n);
  if (passAt) return passAtK(Number(passAt[1]));
  return null;
}

function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}

export type Metric = (values: readonly number[]) => number;

export const KNOWN_METRICS: Readonly<Record<string, Metric>> = {
  accuracy: mean,
  mean,
  var: sampleVariance,
  std: (values) => Math.sqrt(sampleVariance(values)),
  stderr: (values) => (values.length < 2 ? 0 : Math.sqrt(sampleVariance(values)) / Math.sqrt(values.length)),
};

/** The metric Inspect names `name` (a registry prefix such as `inspect_ai/` ignored), null when unknown or parameterised. */
export function metricNamed(name: string, params: unknown): Metric | null {
  const bare = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  const metric = Object.hasOwn(KNOWN_METRICS, bare) ? KNOWN_METRICS[bare]! : null;
  if (!metric) return null;
  // A clustered stderr or a custom to_float changes the arithmetic: not something to guess.
  if (params && typeof params === 'object' && Object.values(params as Record<string, unknown>).some((v) => v !== null && v !== undefined)) return null;
  return metric;
}

export const METRIC_TOLERANCE = 1e-6;

/** Equal within 1e-6, NaN equal to NaN, infinities equal to themselves. */
export function sameMetric(reported: number, recomputed: number): boolean {
  if (Number.isNaN(reported) || Number.isNaN(recomputed)) return Number.isNaN(reported) && Number.isNaN(recomputed);
  if (!Number.isFinite(reported) || !Number.isFinite(recomputed)) return reported === recomputed;
  return Math.abs(reported - recomputed) <= METRIC_TOLERANCE;
}

/**
 * Two values written with the fewest significant digits (at least 4) that tell them apart, so a
 * mismatch reads "0.9 but its samples give 0.6667", not 0.6666666666666666, and two values that differ
 * only far down still show where.
 */
export function figuresApart(a: number, b: number): [string, string] {
  const written = (x: number, digits: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x));
  for (let digits = 4; digits <= 17; digits++) {
    const pair: [string, string] = [written(a, digits), written(b, digits)];
    if (pair[0] !== pair[1]) return pair;
  }
  return [String(a), String(b)];
}

/** Sample mean and its paired standard error for a list of per-pair differences. */
export function pairedDifference(diffs: readonly number[]): { mean: number; stderr: number } {
  return { mean: mean(diffs), stderr: KNOWN_METRICS.stderr!(diffs) };
}
