/**
 * The table viewer's own controls: a filter (text, in one column or any), sortable column headers
 * (aria-sort says the order in words to assistive technology), and the detail pane that shows one row
 * with every cell in full. State lives in the viewer; these only draw and report.
 */
import { useEffect, useId, useRef, type CSSProperties } from 'react';
import { cellInFull, nextSort, type TableFilter, type TableSort } from './table-view';

export function TableFilterFields({ columns, filter, onChange, shown, total }: { columns: readonly string[]; filter: TableFilter | undefined; onChange: (f: TableFilter | undefined) => void; shown: number; total: number }) {
  const ids = useId();
  const text = filter?.text ?? '';
  const column = filter?.column;
  const set = (nextText: string, nextColumn: number | undefined) => onChange(nextText.length > 0 ? { text: nextText, ...(nextColumn !== undefined ? { column: nextColumn } : {}) } : undefined);
  return (
    <div className="table-filter" role="search" aria-label="Filter the rows">
      <label htmlFor={`${ids}-text`}>Filter rows</label>
      <input id={`${ids}-text`} type="search" value={text} maxLength={200} onChange={(e) => set(e.target.value, column)} />
      <label htmlFor={`${ids}-column`}>in</label>
      <select id={`${ids}-column`} value={column === undefined ? '' : String(column)} onChange={(e) => set(text, e.target.value === '' ? undefined : Number(e.target.value))}>
        <option value="">any column</option>
        {columns.map((c, i) => (
          <option key={`${i}:${c}`} value={String(i)}>
            {c}
          </option>
        ))}
      </select>
      <span className="hint" aria-live="polite">
        {text.length > 0 ? `${shown.toLocaleString()} of ${total.toLocaleString()} rows match` : ''}
      </span>
    </div>
  );
}

export function SortableHeader({
  column,
  index,
  sort,
  onSort,
  style,
}: {
  column: string;
  index: number;
  sort: TableSort | undefined;
  onSort: (s: TableSort | undefined) => void;
  /** The column's width (the table viewer sizes columns to their content). */
  style?: CSSProperties | undefined;
}) {
  const direction = sort?.column === index ? sort.direction : undefined;
  const ariaSort = direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none';
  const mark = direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : '';
  return (
    <span role="columnheader" aria-sort={ariaSort} title={column} style={style}>
      <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, index))} aria-label={`${column}: sort ${direction === 'asc' ? 'descending' : direction === 'desc' ? 'in file order' : 'ascending'}`}>
        {column}
        <span aria-hidden="true">{mark}</span>
      </button>
    </span>
  );
}

/** One row with every cell in full; Escape or "Close" closes it and gives focus back to the table. */
export function RowDetailPane({ columns, cells, row, onClose }: { columns: readonly string[]; cells: readonly string[]; row: number; onClose: () => void }) {
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [row]);
  return (
    <section
      className="row-detail"
      aria-labelledby={`${ids}-title`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <div className="row-detail-head">
        <h3 id={`${ids}-title`} ref={heading} tabIndex={-1}>
          Row {row} in full
        </h3>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl>
        {columns.map((c, i) => (
          <div key={`${i}:${c}`} className="row-detail-cell">
            <dt>{c}</dt>
            <dd>
              <pre>{cellInFull(cells[i] ?? '')}</pre>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
