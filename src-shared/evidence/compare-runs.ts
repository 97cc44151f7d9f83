/**
 * Two runs of one task compared sample by sample: records paired by sample id and epoch, the mean
 * difference of one score (B − A) with its paired standard error (the stderr of the per-pair
 * differences, ddof 1), and every pair whose score changed, either way.
 */
import type { SampleRow } from './evidence-report';
import { pairedDifference } from './recompute';

export interface PairedSample {
  id: string | number;
  epoch: number;
  a: number;
  b: number;
}

export interface RunComparison {
  score: string;
  pairs: number;
  onlyInA: number;
  onlyInB: number;
  meanA: number | null;
  meanB: number | null;
  difference: number | null;
  stderr: number | null;
  /** Pairs whose score went up from A to B. */
  improved: PairedSample[];
  /** Pairs whose score went down from A to B. */
  regressed: PairedSample[];
}

function key(row: Pick<SampleRow, 'id' | 'epoch'>): string {
  return `${typeof row.id}:${String(row.id)}#${row.epoch}`;
}

export function compareRuns(a: readonly SampleRow[], b: readonly SampleRow[], score: string): RunComparison {
  const inB = new Map(b.map((row) => [key(row), row]));
  const pairs: PairedSample[] = [];
  let onlyInA = 0;
  const matched = new Set<string>();
  for (const row of a) {
    const k = key(row);
    const other = inB.get(k);
    const va = row.scores[score];
    const vb = other?.scores[score];
    if (!other) {
      onlyInA++;
      continue;
    }
    matched.add(k);
    // An errored or unscored record on either side has nothing to compare.
    if (va === null || va === undefined || vb === null || vb === undefined || row.error !== null || other.error !== null) continue;
    pairs.push({ id: row.id, epoch: row.epoch, a: va, b: vb });
  }
  const onlyInB = b.filter((row) => !matched.has(key(row))).length;
  if (pairs.length === 0) return { score, pairs: 0, onlyInA, onlyInB, meanA: null, meanB: null, difference: null, stderr: null, improved: [], regressed: [] };
  const diff = pairedDifference(pairs.map((p) => p.b - p.a));
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  return {
    score,
    pairs: pairs.length,
    onlyInA,
    onlyInB,
    meanA: mean(pairs.map((p) => p.a)),
    meanB: mean(pairs.map((p) => p.b)),
    difference: diff.mean,
    stderr: diff.stderr,
    improved: pairs.filter((p) => p.b > p.a),
    regressed: pairs.filter((p) => p.b < p.a),
  };
}
