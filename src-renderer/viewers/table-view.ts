/**
 * Sort and filter of a table's rows, in the renderer over the rows the viewer already holds. The shape
 * is the one a main-process row index would take (column index, direction; case-insensitive substring
 * in one column or any), so the viewer's controls do not change if the work moves there.
 */
export interface TableSort {
  column: number;
  direction: 'asc' | 'desc';
}
export interface TableFilter {
  text: string;
  /** Absent: any column. */
  column?: number;
}
export interface TableView {
  sort?: TableSort;
  filter?: TableFilter;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Numbers sort as numbers when every non-empty cell of the column is one, else as case-folded text. */
function comparer(rows: readonly (readonly string[])[], order: readonly number[], column: number): (a: number, b: number) => number {
  const cells = (i: number) => (rows[i]?.[column] ?? '').trim();
  const numeric = order.every((i) => cells(i) === '' || NUMBER.test(cells(i))) && order.some((i) => cells(i) !== '');
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return (a, b) => {
    const x = cells(a);
    const y = cells(b);
    // Empty cells go last whichever the direction (the caller flips only the non-empty comparison).
    if (x === '' || y === '') return 0;
    return numeric ? Number(x) - Number(y) : collator.compare(x, y);
  };
}

/**
 * Positions (0-based, into `rows`) of the rows the view shows, in the order it shows them. Ties and
 * unsorted views keep file order; empty cells of the sort column come last.
 */
export function orderRows(rows: readonly (readonly string[])[], view: TableView): number[] {
  const needle = view.filter?.text.trim().toLowerCase() ?? '';
  const column = view.filter?.column;
  let order: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (needle === '') order.push(i);
    else {
      const row = rows[i]!;
      const hit = column !== undefined ? (row[column] ?? '').toLowerCase().includes(needle) : row.some((c) => c.toLowerCase().includes(needle));
      if (hit) order.push(i);
    }
  }
  const sort = view.sort;
  if (sort) {
    const compare = comparer(rows, order, sort.column);
    const sign = sort.direction === 'asc' ? 1 : -1;
    const empty = (i: number) => (rows[i]?.[sort.column] ?? '').trim() === '';
    order = order
      .map((i, position) => ({ i, position }))
      .sort((a, b) => {
        const ea = empty(a.i);
        const eb = empty(b.i);
        if (ea !== eb) return ea ? 1 : -1;
        return sign * compare(a.i, b.i) || a.position - b.position;
      })
      .map((p) => p.i);
  }
  return order;
}

/** The next sort when a column's header is pressed: ascending, then descending, then file order. */
export function nextSort(current: TableSort | undefined, column: number): TableSort | undefined {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : undefined;
}

/** A cell shown in full: JSON objects and arrays (JSON Lines cells) pretty-printed, anything else as is. */
export function cellInFull(value: string): string {
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return value;
  }
}
