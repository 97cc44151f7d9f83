import { describe, expect, it } from 'vitest';
import { diffLines, sideBySide, splitLines, type DiffOp } from '../../../src-shared/text-diff';

/** Applies an edit script to `a`; must give `b` exactly. */
function apply(a: string[], b: string[], ops: DiffOp[]): string[] {
  const out: string[] = [];
  for (const op of ops) {
    if (op.kind === 'same') {
      expect(a[op.left!]).toBe(b[op.right!]);
      out.push(a[op.left!]!);
    } else if (op.kind === 'added') out.push(b[op.right!]!);
  }
  return out;
}

function lcsLength(a: string[], b: string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe('diffLines', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['both empty', [], []],
    ['all added', [], ['a', 'b']],
    ['all removed', ['a', 'b'], []],
    ['identical', ['a', 'b', 'c'], ['a', 'b', 'c']],
    ['one changed line', ['a', 'b', 'c'], ['a', 'B', 'c']],
    ['insert in the middle', ['a', 'c'], ['a', 'b', 'c']],
    ['classic Myers example', 'ABCABBA'.split(''), 'CBABAC'.split('')],
  ];
  it.each(cases)('%s: the script rebuilds the new text and keeps a longest common subsequence', (_name, a, b) => {
    const ops = diffLines(a, b)!;
    expect(apply(a, b, ops)).toEqual(b);
    expect(ops.filter((o) => o.kind === 'same')).toHaveLength(lcsLength(a, b));
    expect(ops.filter((o) => o.kind !== 'added').map((o) => a[o.left!])).toEqual(a);
  });

  it('random texts: minimal scripts, 200 trials', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rand(12) }, () => 'xyz'[rand(3)]!);
      const b = Array.from({ length: rand(12) }, () => 'xyz'[rand(3)]!);
      const ops = diffLines(a, b)!;
      expect(apply(a, b, ops)).toEqual(b);
      expect(ops.filter((o) => o.kind === 'same')).toHaveLength(lcsLength(a, b));
    }
  });

  it('gives up (null) past the edit budget instead of spending quadratic memory', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`);
    expect(diffLines(a, b, 20)).toBeNull();
    expect(diffLines(a, b, 100)).not.toBeNull();
  });
});

describe('sideBySide', () => {
  it('pairs a removed run with the added run after it, and numbers lines from 1', () => {
    const a = ['title', 'old 1', 'old 2', 'end'];
    const b = ['title', 'new 1', 'end', 'tail'];
    const rows = sideBySide(a, b, diffLines(a, b)!);
    expect(rows).toEqual([
      { kind: 'same', leftNo: 1, rightNo: 1, left: 'title', right: 'title' },
      { kind: 'changed', leftNo: 2, rightNo: 2, left: 'old 1', right: 'new 1' },
      { kind: 'removed', leftNo: 3, rightNo: null, left: 'old 2', right: null },
      { kind: 'same', leftNo: 4, rightNo: 3, left: 'end', right: 'end' },
      { kind: 'added', leftNo: null, rightNo: 4, left: null, right: 'tail' },
    ]);
  });
});

describe('splitLines', () => {
  it('splits LF and CRLF and drops the empty line after a final newline', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\n\nb')).toEqual(['a', '', 'b']);
  });
});
