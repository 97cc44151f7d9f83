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

/**
 * Narrowest and widest a column is drawn, in characters: a wider cell ends in an ellipsis (its row
 * opens in full). At least 8: widths come from the first rows, and a column of row ids or counts grows
 * further down (1 to 99979 in a 100 000-row table).
 */
export const COLUMN_MIN_CH = 8;
export const COLUMN_MAX_CH = 40;

/**
 * Each column's width in characters, from its header (with room for the sort arrow) and the widest of
 * its cells in the sample rows: short values get narrow columns, so a table of ids and scores shows its
 * columns side by side instead of 12rem each and the last ones out of sight.
 */
export function columnWidthsCh(columns: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return columns.map((header, c) => {
    let widest = [...header].length + 2;
    for (const cells of rows) widest = Math.max(widest, [...(cells[c] ?? '')].length);
    return Math.min(COLUMN_MAX_CH, Math.max(COLUMN_MIN_CH, widest));
  });
}
