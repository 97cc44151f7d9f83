/**
 * A line diff for showing two versions of a document side by side (Myers 1986, "An O(ND) difference
 * algorithm", greedy forward search with the trace kept for the walk back). Pure and bounded: past
 * `maxEdits` differences it gives up and says so, rather than spending quadratic memory on two
 * unrelated files.
 */

export type DiffOp = { kind: 'same' | 'removed' | 'added'; left: number | null; right: number | null };

export interface SideBySideRow {
  /** same: both sides equal; changed: a removed line paired with an added one; removed/added: one side only. */
  kind: 'same' | 'changed' | 'removed' | 'added';
  /** 1-based line numbers, null where that side has no line. */
  leftNo: number | null;
  rightNo: number | null;
  left: string | null;
  right: string | null;
}

/** The edit script from `a` to `b`, or null when they differ by more than `maxEdits` lines. */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 4000): DiffOp[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  if (!found) {
    for (let d = 0; d <= max; d += 1) {
      trace.push(v.slice());
      const next = v.slice();
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
        let y = x - k;
        while (x < n && y < m && a[x] === b[y]) {
          x += 1;
          y += 1;
        }
        next[offset + k] = x;
        if (x >= n && y >= m) {
          found = true;
          break;
        }
      }
      v = next;
      if (found) break;
    }
  }
  if (!found) return null;
  // Walk back through the trace from (n, m) to (0, 0).
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x -= 1;
      y -= 1;
      ops.push({ kind: 'same', left: x, right: y });
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'added', left: null, right: prevY });
      else ops.push({ kind: 'removed', left: prevX, right: null });
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x -= 1;
    y -= 1;
    ops.push({ kind: 'same', left: x, right: y });
  }
  return ops.reverse();
}

/** Pairs each run of removed lines with the run of added lines after it, as side-by-side rows. */
export function sideBySide(a: readonly string[], b: readonly string[], ops: readonly DiffOp[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (op.kind === 'same') {
      rows.push({ kind: 'same', leftNo: op.left! + 1, rightNo: op.right! + 1, left: a[op.left!]!, right: b[op.right!]! });
      i += 1;
      continue;
    }
    const removed: number[] = [];
    const added: number[] = [];
    while (i < ops.length && ops[i]!.kind !== 'same') {
      const o = ops[i]!;
      if (o.kind === 'removed') removed.push(o.left!);
      else added.push(o.right!);
      i += 1;
    }
    const pairs = Math.max(removed.length, added.length);
    for (let p = 0; p < pairs; p += 1) {
      const l = removed[p];
      const r = added[p];
      rows.push({
        kind: l !== undefined && r !== undefined ? 'changed' : l !== undefined ? 'removed' : 'added',
        leftNo: l === undefined ? null : l + 1,
        rightNo: r === undefined ? null : r + 1,
        left: l === undefined ? null : a[l]!,
        right: r === undefined ? null : b[r]!,
      });
    }
  }
  return rows;
}

/** Splits text into lines (LF or CRLF), without a phantom empty line after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
