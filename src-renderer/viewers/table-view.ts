/**
 * The table viewer's sort and filter, as its controls set them and `artifact.rows` takes them (column
 * index, direction; case-insensitive substring in one column or any): the main process sorts and filters
 * every row (src-main/artifacts/table-rows.ts).
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
