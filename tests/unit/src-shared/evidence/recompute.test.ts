import { describe, expect, it } from 'vitest';
import { figuresApart, metricNamed, reducerNamed, sameMetric, valueToFloat } from '../../../../src-shared/evidence/recompute';
import { compareRuns } from '../../../../src-shared/evidence/compare-runs';
import type { SampleRow } from '../../../../src-shared/evidence/evidence-report';

describe('valueToFloat (Inspect value_to_float)', () => {
  it.each([
    ['C', 1], ['P', 0.5], ['I', 0], ['N', 0], [true, 1], [false, 0], [0.25, 0.25], ['0.75', 0.75], ['3', 3],
    ['yes', 1], ['TRUE', 1], ['No', 0], ['false', 0], ['-1', 0], ['abc', 0], [null, 0], [[1], 0],
  ])('%j → %d', (value, expected) => {
    expect(valueToFloat(value)).toBe(expected);
  });
});

describe('reducers', () => {
  const r = (name: string, values: number[]) => reducerNamed(name)!(values);
  it('mean is the default', () => expect(reducerNamed(undefined)!([0, 1, 1, 0])).toBe(0.5));
  it('median', () => {
    expect(r('median', [3, 1, 2])).toBe(2);
    expect(r('median', [4, 1, 2, 3])).toBe(2.5);
  });
  it('mode: the most common, the first met on a tie', () => {
    expect(r('mode', [0, 1, 1])).toBe(1);
    expect(r('mode', [0, 1, 1, 0])).toBe(0);
  });
  it('max', () => expect(r('max', [0, 0.5, 0.25])).toBe(0.5));
  it('at_least_k', () => {
    expect(r('at_least_2', [1, 0, 1])).toBe(1);
    expect(r('at_least_3', [1, 0, 1])).toBe(0);
  });
  it('pass_at_k: 1 − C(n−c, k)/C(n, k)', () => {
    // n = 5, c = 2, k = 2: 1 − C(3,2)/C(5,2) = 1 − 3/10
    expect(r('pass_at_2', [1, 0, 1, 0, 0])).toBeCloseTo(0.7, 12);
    expect(r('pass_at_1', [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    expect(r('pass_at_3', [1, 0, 1, 0])).toBe(1);
  });
  it('an unknown reducer is null (not verified)', () => expect(reducerNamed('custom_reducer')).toBeNull());
});

describe('metrics', () => {
  const m = (name: string, values: number[]) => metricNamed(name, {})!(values);
  it('accuracy and mean', () => {
    expect(m('accuracy', [1, 0, 1, 1])).toBe(0.75);
    expect(m('inspect_ai/mean', [2, 4])).toBe(3);
  });
  it('std, var (ddof 1) and stderr (std/√n)', () => {
    expect(m('var', [1, 2, 3, 4])).toBeCloseTo(1.6666666667, 9);
    expect(m('std', [1, 2, 3, 4])).toBeCloseTo(1.2909944487, 9);
    expect(m('stderr', [1, 2, 3, 4])).toBeCloseTo(0.6454972244, 9);
    expect(m('stderr', [1])).toBe(0);
    expect(m('std', [1])).toBe(0);
  });
  it('unknown or parameterised metrics are null (not verified)', () => {
    expect(metricNamed('bootstrap_stderr', {})).toBeNull();
    expect(metricNamed('stderr', { cluster: 'category' })).toBeNull();
    expect(metricNamed('stderr', { cluster: null })).not.toBeNull();
  });
  it('sameMetric: 1e-6 tolerance, NaN only equals NaN', () => {
    expect(sameMetric(0.75, 0.7500005)).toBe(true);
    expect(sameMetric(0.75, 0.751)).toBe(false);
    expect(sameMetric(NaN, NaN)).toBe(true);
    expect(sameMetric(NaN, 0)).toBe(false);
    expect(sameMetric(Infinity, Infinity)).toBe(true);
  });
});

describe('figuresApart (a mismatch written for a reader)', () => {
  it.each([
    [0.9, 2 / 3, '0.9', '0.6667'],
    [0.34, 0.3, '0.34', '0.3'],
    // Equal at 4 digits: as many more as it takes to tell them apart.
    [1234.5678, 1234.5679, '1234.5678', '1234.5679'],
    [0.123456, 0.123458, '0.123456', '0.123458'],
    // Tiny values keep their size, not a rounded 0.
    [1e-9, 5e-6, '1e-9', '0.000005'],
    [NaN, 0.5, 'NaN', '0.5'],
    [Infinity, 1, 'Infinity', '1'],
  ])('%d against %d reads %s against %s', (a, b, fa, fb) => {
    const written = figuresApart(a, b);
    expect(written).toEqual([fa, fb]);
    // Whatever is written is the value rounded, never another number.
    if (Number.isFinite(a)) expect(Math.abs(Number(written[0]) - a)).toBeLessThanOrEqual(Math.abs(a) * 1e-3);
  });
});

describe('compareRuns', () => {
  const row = (id: number, epoch: number, score: number | null, error: string | null = null): SampleRow => ({
    id, epoch, scores: { match: score }, displayScore: '', target: '', answer: '', error, limit: null, tokens: null, time: null, ref: { kind: 'entry', name: `samples/${id}_epoch_${epoch}.json` },
  });
  it('pairs by id and epoch, gives the difference with its paired stderr and the flips either way', () => {
    const a = [row(1, 1, 1), row(2, 1, 0), row(3, 1, 1), row(4, 1, 0), row(5, 1, 1)];
    const b = [row(1, 1, 0), row(2, 1, 1), row(3, 1, 1), row(4, 1, 1), row(6, 1, 1)];
    const c = compareRuns(a, b, 'match');
    expect(c).toMatchObject({ pairs: 4, onlyInA: 1, onlyInB: 1, meanA: 0.5, meanB: 0.75, difference: 0.25 });
    // diffs −1, 1, 0, 1: sd (ddof 1) = √(2.75/3), stderr = sd/2
    expect(c.stderr).toBeCloseTo(Math.sqrt(2.75 / 3) / 2, 12);
    expect(c.improved.map((p) => p.id)).toEqual([2, 4]);
    expect(c.regressed.map((p) => p.id)).toEqual([1]);
  });
  it('leaves errored and unscored records out of the pairs', () => {
    const c = compareRuns([row(1, 1, 1, 'boom'), row(2, 1, null)], [row(1, 1, 0), row(2, 1, 1)], 'match');
    expect(c).toMatchObject({ pairs: 0, difference: null, stderr: null });
  });
});
