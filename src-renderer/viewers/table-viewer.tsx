/**
 * CSV, TSV and JSON Lines as a table, virtualised (only the rows in view exist in the DOM), so 100 000
 * rows scroll smoothly. ARIA table semantics with aria-rowcount/aria-rowindex tell assistive
 * technology the true size although most rows are not rendered. Rows sort by a column and filter by
 * text (table-view.ts, over the rows held here); a row opens a pane with every cell in full (a click,
 * or arrow keys and Enter on the table; Escape closes it). Row numbers and note anchors stay the
 * row's place in the file, whatever the order shown.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { toCsv, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';
import { parseDelimited, parseJsonLines, type Table } from './delimited';
import { decodeForDisplay } from './text-decode';
import { Marked } from '../search/marked';
import { RowDetailPane, SortableHeader, TableFilterFields } from './table-controls';
import { orderRows, type TableView } from './table-view';
import { numberAround, selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';

const ROW_HEIGHT = 26;
const PAGE_ROWS = 20;

export function TableViewer({ bytes, format, name }: { bytes: Uint8Array; format: 'csv' | 'tsv' | 'jsonl'; name: string }) {
  const table: Table = useMemo(() => {
    const text = decodeForDisplay(bytes);
    return format === 'jsonl' ? parseJsonLines(text) : parseDelimited(text, format === 'csv' ? ',' : '\t');
  }, [bytes, format]);
  const [view, setView] = useState<TableView>({});
  const order = useMemo(() => orderRows(table.rows, view), [table, view]);
  // The active row (a position in `order`) and whether its pane is open.
  const [active, setActive] = useState<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: order.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const range = useRef({ first: 0, last: 0 });
  const items = virtualizer.getVirtualItems();
  range.current = { first: items[0]?.index ?? 0, last: items[items.length - 1]?.index ?? 0 };
  const excerpt = useMemo<ExcerptProvider>(
    () => ({
      // The rows in view: an excerpt, not the file (bulk export is what the gate exists to stop).
      label: () => {
        const shown = order.slice(range.current.first, range.current.last + 1);
        return shown.length === 0 ? 'no rows' : view.sort || view.filter ? `${shown.length} rows in view (sorted or filtered)` : `rows ${shown[0]! + 1}-${shown[shown.length - 1]! + 1}`;
      },
      get: async () => ({ kind: 'csv', csv: toCsv(table.columns, order.slice(range.current.first, range.current.last + 1).map((i) => table.rows[i] ?? [])) }),
    }),
    [table, order, view],
  );
  useRegisterExcerpt(order.length > 0 ? excerpt : null);
  const { report, pending, done } = useViewerPosition();
  const [target, setTarget] = useState<number | null>(null);
  const [marks, setMarks] = useState<readonly string[]>([]);
  // The selected text's row, else the active row, else the first row in view, is where a new note is
  // anchored (its row in the file).
  const reportPosition = useCallback(() => {
    const root = scroller.current;
    if (!root || order.length === 0) return;
    const selected = numberAround(selectionInside(root)?.anchorNode ?? null, 'row');
    const chosen = active !== null && order[active] !== undefined ? order[active] + 1 : null;
    const top = order[Math.min(order.length - 1, Math.floor(root.scrollTop / ROW_HEIGHT))]!;
    report({ kind: 'row', row: selected ?? chosen ?? top + 1 });
  }, [order, active, report]);
  useEffect(reportPosition, [reportPosition]);
  useSelectionInside(scroller, reportPosition);
  useEffect(() => {
    if (!pending || pending.anchor.kind !== 'row') return;
    const row = Math.min(pending.anchor.row, Math.max(1, table.rows.length));
    // An anchor names a row of the file: a view that hides or moves it is dropped, so the row shows.
    let position = order.indexOf(row - 1);
    if (position === -1) {
      setView({});
      position = row - 1;
    }
    virtualizer.scrollToIndex(position, { align: 'start' });
    setTarget(row);
    setMarks(pending.marks);
    scroller.current?.focus({ preventScroll: true });
    done(pending.seq);
  }, [pending, table, order, virtualizer, done]);

  const changeView = (next: TableView) => {
    setView(next);
    setActive(null);
    setDetailOpen(false);
  };
  const moveTo = (position: number) => {
    const p = Math.max(0, Math.min(order.length - 1, position));
    setActive(p);
    virtualizer.scrollToIndex(p, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || order.length === 0) return;
    const at = active ?? -1;
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: Math.max(0, at - 1), PageDown: at + PAGE_ROWS, PageUp: Math.max(0, at - PAGE_ROWS), Home: 0, End: order.length - 1 };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      moveTo(to);
    } else if (e.key === 'Enter' && active !== null) {
      e.preventDefault();
      setDetailOpen(true);
    } else if (e.key === 'Escape' && detailOpen) {
      e.preventDefault();
      setDetailOpen(false);
    }
  };
  const closeDetail = () => {
    setDetailOpen(false);
    scroller.current?.focus({ preventScroll: true });
  };
  const activeRow = active !== null ? order[active] : undefined;

  const captionId = `table-caption-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <div className="table-wrap" data-viewer="table">
      <p id={captionId} className="hint">
        {order.length === table.rows.length ? `${table.rows.length.toLocaleString()} rows` : `${order.length.toLocaleString()} of ${table.rows.length.toLocaleString()} rows`} × {table.columns.length}{' '}
        columns. Arrow keys choose a row, Enter shows it in full.
      </p>
      {table.warnings.length > 0 ? (
        <ul className="table-warnings" aria-label="Parsing warnings">
          {table.warnings.map((w) => (
            <li key={w}>
              <strong>Warning:</strong> {w}
            </li>
          ))}
        </ul>
      ) : null}
      <TableFilterFields columns={table.columns} filter={view.filter} onChange={(filter) => changeView({ ...view, filter })} shown={order.length} total={table.rows.length} />
      <div
        ref={scroller}
        className="table-viewer virtual-scroller"
        tabIndex={0}
        role="table"
        aria-label={name}
        aria-describedby={captionId}
        aria-rowcount={order.length + 1}
        aria-colcount={table.columns.length + 1}
        onScroll={reportPosition}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="table-head-group">
          <div role="row" className="table-head" aria-rowindex={1}>
            <span role="columnheader" className="row-number">
              #
            </span>
            {table.columns.map((column, index) => (
              <SortableHeader key={`${index}:${column}`} column={column} index={index} sort={view.sort} onSort={(sort) => changeView({ ...view, sort })} />
            ))}
          </div>
        </div>
        <div role="rowgroup" className="virtual-body table-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const fileRow = order[item.index] ?? 0;
            const row = table.rows[fileRow] ?? [];
            const classes = ['table-row', target === fileRow + 1 ? 'is-target' : '', active === item.index ? 'is-active' : ''].filter(Boolean).join(' ');
            return (
              <div
                role="row"
                key={item.key}
                data-row={fileRow + 1}
                aria-rowindex={item.index + 2}
                aria-current={active === item.index ? 'true' : undefined}
                className={classes}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActive(item.index);
                  setDetailOpen(true);
                }}
              >
                <span role="rowheader" className="row-number">
                  {fileRow + 1}
                </span>
                {table.columns.map((_, c) => (
                  <span role="cell" key={c} title={row[c] ?? ''}>
                    {marks.length > 0 ? <Marked text={row[c] ?? ''} marks={marks} /> : (row[c] ?? '')}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      {detailOpen && activeRow !== undefined ? <RowDetailPane columns={table.columns} cells={table.rows[activeRow] ?? []} row={activeRow + 1} onClose={closeDetail} /> : null}
    </div>
  );
}
