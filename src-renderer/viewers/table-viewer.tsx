/**
 * CSV, TSV and JSON Lines as a table. The main process parses the file into rows and pages them
 * (`artifact.rows`), so the first screen shows at once however large the file is; only the pages in
 * view are asked for, and only the rows in view exist in the DOM. Sort and filter (`view`) run in the
 * main process over every row. ARIA table semantics with aria-rowcount/aria-rowindex tell assistive
 * technology the true size although most rows are not rendered.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ArtifactRows } from '../../src-shared/ipc/channels-cases';
import { TABLE_PAGE_ROWS, useArtifactRowPages, type TableView } from '../api/hooks';
import { ErrorAlert } from '../components/error-alert';
import { Marked } from '../search/marked';
import { toCsv, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';
import { numberAround, selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';

const ROW_HEIGHT = 26;
const NO_VIEW: TableView = {};

type Row = ArtifactRows['rows'][number];

export function TableViewer({ artifactId, name, view = NO_VIEW, onReady }: { artifactId: string; name: string; view?: TableView; onReady?: () => void }) {
  const [pagesInView, setPagesInView] = useState<number[]>([0]);
  const { first, pages } = useArtifactRowPages(artifactId, view, pagesInView);
  const head = first.data;
  const count = head?.matchedRows ?? 0;
  const byPosition = useMemo(() => {
    const rows = new Map<number, Row>();
    for (const page of pages) page.rows.forEach((row, i) => rows.set(page.offset + i, row));
    return rows;
  }, [pages]);
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
              return rows.length > 0 ? `rows ${rows[0]!.row}-${rows[rows.length - 1]!.row}` : 'no rows';
            },
            get: async () => ({ kind: 'csv', csv: toCsv(columns, inView().map((r) => r.cells)) }),
          }
        : null,
    [columns, inView],
  );
  useRegisterExcerpt(count > 0 ? excerpt : null);

  const { report, pending, done } = useViewerPosition();
  const [target, setTarget] = useState<number | null>(null);
  // Words a search hit asked to highlight in the row it opened.
  const [marks, setMarks] = useState<readonly string[]>([]);
  // The selected row, else the first row in view, is where a new note is anchored (its place in the file).
  const reportPosition = useCallback(() => {
    const root = scroller.current;
    if (!root || count === 0) return;
    const selected = numberAround(selectionInside(root)?.anchorNode ?? null, 'row');
    const top = byPosition.get(Math.min(count - 1, Math.floor(root.scrollTop / ROW_HEIGHT)));
    const row = selected ?? top?.row;
    if (row !== undefined) report({ kind: 'row', row });
  }, [count, byPosition, report]);
  useEffect(reportPosition, [reportPosition]);
  useSelectionInside(scroller, reportPosition);
  useEffect(() => {
    if (!pending || pending.anchor.kind !== 'row' || count === 0) return;
    // Anchors name a row of the file; in file order that is its position.
    const row = Math.min(pending.anchor.row, Math.max(1, count));
    virtualizer.scrollToIndex(row - 1, { align: 'start' });
    setTarget(row);
    setMarks(pending.marks);
    scroller.current?.focus({ preventScroll: true });
    done(pending.seq);
  }, [pending, count, virtualizer, done]);

  if (first.isError) return <ErrorAlert error={first.error} />;
  if (!head) {
    return (
      <div className="loading" role="status">
        Indexing the table…
      </div>
    );
  }
  const captionId = `table-caption-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const width = head.columns.length;
  return (
    <div className="table-wrap" data-viewer="table">
      <p id={captionId} className="hint">
        {head.matchedRows === head.totalRows
          ? `${head.totalRows.toLocaleString()} rows × ${width} columns`
          : `${head.matchedRows.toLocaleString()} of ${head.totalRows.toLocaleString()} rows × ${width} columns`}
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
      >
        <div role="rowgroup" className="table-head-group">
          <div role="row" className="table-head" aria-rowindex={1}>
            <span role="columnheader" className="row-number">
              #
            </span>
            {head.columns.map((column, index) => (
              <span role="columnheader" key={`${index}:${column}`} title={column}>
                {column}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="virtual-body table-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = byPosition.get(item.index);
            const number = row?.row ?? item.index + 1;
            return (
              <div
                role="row"
                key={item.key}
                data-row={number}
                aria-rowindex={item.index + 2}
                aria-busy={row ? undefined : true}
                className={target === number ? 'table-row is-target' : 'table-row'}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <span role="rowheader" className="row-number">
                  {number}
                </span>
                {head.columns.map((_, c) => (
                  <span role="cell" key={c} title={row?.cells[c] ?? ''}>
                    {row ? marks.length > 0 ? <Marked text={row.cells[c] ?? ''} marks={marks} /> : (row.cells[c] ?? '') : c === 0 ? '…' : ''}
                  </span>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
