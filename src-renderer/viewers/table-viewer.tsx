/**
 * CSV, TSV and JSON Lines as a table. The main process parses the file into rows and pages them
 * (`artifact.rows`), so the first screen shows at once however large the file is; only the pages in
 * view are asked for, and only the rows in view exist in the DOM. Rows sort by a column and filter by
 * text (table-controls.tsx); the main process does both over every row. A row opens a pane with every
 * cell in full (a click, or arrow keys and Enter on the table; Escape closes it). Row numbers and note
 * anchors stay the row's place in the file, whatever the order shown. ARIA table semantics with
 * aria-rowcount/aria-rowindex tell assistive technology the true size although most rows are not rendered.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ArtifactRows } from '../../src-shared/ipc/channels-cases';
import { TABLE_PAGE_ROWS, useArtifactRowPages } from '../api/hooks';
import { ErrorAlert } from '../components/error-alert';
import { Marked } from '../search/marked';
import { toCsv, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';
import { RowDetailPane, SortableHeader, TableFilterFields } from './table-controls';
import { columnWidthsCh, type TableView } from './table-view';
import { numberAround, selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';

const ROW_HEIGHT = 26;
const PAGE_ROWS = 20;

/**
 * A width for `n` characters of the table's text. In em, not ch: the bold header's ch is wider than
 * the cells', and the two rows' columns must line up.
 */
function charactersWide(n: number): string {
  return `calc(${(n * 0.62).toFixed(2)}em + 1rem)`;
}

type Row = ArtifactRows['rows'][number];

export function TableViewer({ artifactId, name, onReady }: { artifactId: string; name: string; onReady?: () => void }) {
  const [view, setView] = useState<TableView>({});
  const [pagesInView, setPagesInView] = useState<number[]>([0]);
  const { first, pages } = useArtifactRowPages(artifactId, view, pagesInView);
  const head = first.data;
  const count = head?.matchedRows ?? 0;
  // Column widths from the first rows that arrive, kept while the table is sorted, filtered and scrolled
  // (columns that changed width with every page would move under the reader's eye).
  const [widths, setWidths] = useState<{ artifactId: string; ch: number[] } | null>(null);
  if (head && widths?.artifactId !== artifactId) setWidths({ artifactId, ch: columnWidthsCh(head.columns, head.rows.map((r) => r.cells)) });
  const columnStyle = (c: number) => {
    const ch = widths?.artifactId === artifactId ? widths.ch[c] : undefined;
    return ch === undefined ? undefined : { flexBasis: charactersWide(ch) };
  };
  // The row numbers' column holds the file's largest row number, not a fixed 5rem (a character more:
  // digits are wider than the average character).
  const numberStyle = head ? { flexBasis: charactersWide(Math.max(2, String(head.totalRows).length) + 1) } : undefined;
  const byPosition = useMemo(() => {
    const rows = new Map<number, Row>();
    for (const page of pages) page.rows.forEach((row, i) => rows.set(page.offset + i, row));
    return rows;
  }, [pages]);
  // The active row (a position in the view) and whether its pane is open.
  const [active, setActive] = useState<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    const from = Math.floor(firstIndex / TABLE_PAGE_ROWS);
    const to = Math.floor(lastIndex / TABLE_PAGE_ROWS);
    setPagesInView((current) => (current.length === to - from + 1 && current[0] === from ? current : Array.from({ length: to - from + 1 }, (_, i) => from + i)));
  }, [firstIndex, lastIndex]);
  const ready = head !== undefined;
  useEffect(() => {
    if (ready) onReady?.();
  }, [ready, onReady]);

  const range = useRef({ first: 0, last: 0 });
  range.current = { first: firstIndex, last: lastIndex };
  const inView = useCallback(() => {
    const rows: Row[] = [];
    for (let i = range.current.first; i <= range.current.last; i++) {
      const row = byPosition.get(i);
      if (row) rows.push(row);
    }
    return rows;
  }, [byPosition]);
  const columns = head?.columns;
  const excerpt = useMemo<ExcerptProvider | null>(
    () =>
      columns
        ? {
            // The rows in view: an excerpt, not the file (bulk export is what the gate exists to stop).
            label: () => {
              const rows = inView();
              if (rows.length === 0) return 'no rows';
              return view.sort || view.filter ? `${rows.length} rows in view (sorted or filtered)` : `rows ${rows[0]!.row}-${rows[rows.length - 1]!.row}`;
            },
            get: async () => ({ kind: 'csv', csv: toCsv(columns, inView().map((r) => r.cells)) }),
          }
        : null,
    [columns, inView, view],
  );
  useRegisterExcerpt(count > 0 ? excerpt : null);

  const { report, pending, done } = useViewerPosition();
  const [target, setTarget] = useState<number | null>(null);
  // Words a search hit asked to highlight in the row it opened.
  const [marks, setMarks] = useState<readonly string[]>([]);
  // The selected text's row, else the active row, else the first row in view, is where a new note is
  // anchored (its row in the file).
  const reportPosition = useCallback(() => {
    const root = scroller.current;
    if (!root || count === 0) return;
    const selected = numberAround(selectionInside(root)?.anchorNode ?? null, 'row');
    const chosen = active !== null ? byPosition.get(active)?.row : undefined;
    // The first row mostly in view: the one the header half hides is not what the reader sees first.
    const top = byPosition.get(Math.min(count - 1, Math.round(root.scrollTop / ROW_HEIGHT)));
    const row = selected ?? chosen ?? top?.row;
    if (row !== undefined) report({ kind: 'row', row });
  }, [count, active, byPosition, report]);
  useEffect(reportPosition, [reportPosition]);
  useSelectionInside(scroller, reportPosition);
  useEffect(() => {
    if (!pending || pending.anchor.kind !== 'row' || !head) return;
    // An anchor names a row of the file; in file order that is its position. A sorted or filtered view
    // is dropped first, so the row shows where the anchor says.
    if (view.sort || view.filter) {
      setView({});
      return;
    }
    const row = Math.min(pending.anchor.row, Math.max(1, count));
    virtualizer.scrollToIndex(row - 1, { align: 'start' });
    setTarget(row);
    setMarks(pending.marks);
    scroller.current?.focus({ preventScroll: true });
    done(pending.seq);
  }, [pending, head, view, count, virtualizer, done]);

  const changeView = (next: TableView) => {
    setView(next);
    setActive(null);
    setDetailOpen(false);
    virtualizer.scrollToIndex(0);
  };
  const moveTo = (position: number) => {
    const p = Math.max(0, Math.min(count - 1, position));
    setActive(p);
    virtualizer.scrollToIndex(p, { align: 'auto' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || count === 0) return;
    const at = active ?? -1;
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: Math.max(0, at - 1), PageDown: at + PAGE_ROWS, PageUp: Math.max(0, at - PAGE_ROWS), Home: 0, End: count - 1 };
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

  if (first.isError) return <ErrorAlert error={first.error} />;
  if (!head) {
    return (
      <div className="loading" role="status">
        Indexing the table…
      </div>
    );
  }
  const activeRow = active !== null ? byPosition.get(active) : undefined;
  const captionId = `table-caption-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const width = head.columns.length;
  return (
    <div className="table-wrap" data-viewer="table">
      <p id={captionId} className="hint">
        {/* The whole file's size: how many of its rows a filter keeps is the filter's own status line. */}
        {head.totalRows.toLocaleString()} rows × {width} columns.
        Arrow keys choose a row, Enter shows it in full.
      </p>
      {head.warnings.length > 0 ? (
        <ul className="table-warnings" aria-label="Parsing warnings">
          {head.warnings.map((w) => (
            <li key={w}>
              <strong>Warning:</strong> {w}
            </li>
          ))}
        </ul>
      ) : null}
      <TableFilterFields columns={head.columns} filter={view.filter} onChange={(filter) => changeView({ ...view, filter })} shown={head.matchedRows} total={head.totalRows} />
      <div
        ref={scroller}
        className="table-viewer virtual-scroller"
        tabIndex={0}
        role="table"
        aria-label={name}
        aria-describedby={captionId}
        aria-rowcount={count + 1}
        aria-colcount={width + 1}
        onScroll={reportPosition}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" className="table-head-group">
          <div role="row" className="table-head" aria-rowindex={1}>
            <span role="columnheader" className="row-number" style={numberStyle}>
              #
            </span>
            {head.columns.map((column, index) => (
              <SortableHeader key={`${index}:${column}`} column={column} index={index} sort={view.sort} onSort={(sort) => changeView({ ...view, sort })} style={columnStyle(index)} />
            ))}
          </div>
        </div>
        <div role="rowgroup" className="virtual-body table-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = byPosition.get(item.index);
            const number = row?.row ?? item.index + 1;
            const classes = ['table-row', target === number ? 'is-target' : '', active === item.index ? 'is-active' : ''].filter(Boolean).join(' ');
            return (
              <div
                role="row"
                key={item.key}
                data-row={number}
                aria-rowindex={item.index + 2}
                aria-busy={row ? undefined : true}
                aria-current={active === item.index ? 'true' : undefined}
                className={classes}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  setActive(item.index);
                  setDetailOpen(true);
                }}
              >
                <span role="rowheader" className="row-number" style={numberStyle}>
                  {number}
                </span>
                {head.columns.map((_, c) => (
                  <span role="cell" key={c} title={row?.cells[c] ?? ''} style={columnStyle(c)}>
                    {row ? marks.length > 0 ? <Marked text={row.cells[c] ?? ''} marks={marks} /> : (row.cells[c] ?? '') : c === 0 ? '…' : ''}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
      {detailOpen && activeRow ? <RowDetailPane columns={head.columns} cells={activeRow.cells} row={activeRow.row} onClose={closeDetail} /> : null}
    </div>
  );
}
