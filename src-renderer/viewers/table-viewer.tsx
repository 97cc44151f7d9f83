/**
 * CSV, TSV and JSON Lines as a table, virtualised (only the rows in view exist in the DOM), so 100 000
 * rows scroll smoothly. ARIA table semantics with aria-rowcount/aria-rowindex tell assistive
 * technology the true size although most rows are not rendered.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toCsv, useRegisterExcerpt, type ExcerptProvider } from './excerpt-context';
import { parseDelimited, parseJsonLines, type Table } from './delimited';
import { decodeForDisplay } from './text-decode';
import { Marked } from '../search/marked';
import { numberAround, selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';

const ROW_HEIGHT = 26;

export function TableViewer({ bytes, format, name }: { bytes: Uint8Array; format: 'csv' | 'tsv' | 'jsonl'; name: string }) {
  const table: Table = useMemo(() => {
    const text = decodeForDisplay(bytes);
    return format === 'jsonl' ? parseJsonLines(text) : parseDelimited(text, format === 'csv' ? ',' : '\t');
  }, [bytes, format]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: table.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const range = useRef({ first: 0, last: 0 });
  const items = virtualizer.getVirtualItems();
  range.current = { first: items[0]?.index ?? 0, last: items[items.length - 1]?.index ?? 0 };
  const excerpt = useMemo<ExcerptProvider>(
    () => ({
      // The rows in view: an excerpt, not the file (bulk export is what the gate exists to stop).
      label: () => `rows ${range.current.first + 1}-${range.current.last + 1}`,
      get: async () => ({ kind: 'csv', csv: toCsv(table.columns, table.rows.slice(range.current.first, range.current.last + 1)) }),
    }),
    [table],
  );
  useRegisterExcerpt(table.rows.length > 0 ? excerpt : null);
  const { report, pending, done } = useViewerPosition();
  const [target, setTarget] = useState<number | null>(null);
  const [marks, setMarks] = useState<readonly string[]>([]);
  // The selected row, else the first row in view, is where a new note is anchored.
  const reportPosition = useCallback(() => {
    const root = scroller.current;
    if (!root || table.rows.length === 0) return;
    const selected = numberAround(selectionInside(root)?.anchorNode ?? null, 'row');
    report({ kind: 'row', row: selected ?? Math.min(table.rows.length, Math.floor(root.scrollTop / ROW_HEIGHT) + 1) });
  }, [table, report]);
  useEffect(reportPosition, [reportPosition]);
  useSelectionInside(scroller, reportPosition);
  useEffect(() => {
    if (!pending || pending.anchor.kind !== 'row') return;
    const row = Math.min(pending.anchor.row, Math.max(1, table.rows.length));
    virtualizer.scrollToIndex(row - 1, { align: 'start' });
    setTarget(row);
    setMarks(pending.marks);
    scroller.current?.focus({ preventScroll: true });
    done(pending.seq);
  }, [pending, table, virtualizer, done]);
  const captionId = `table-caption-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <div className="table-wrap" data-viewer="table">
      <p id={captionId} className="hint">
        {table.rows.length.toLocaleString()} rows × {table.columns.length} columns
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
      <div
        ref={scroller}
        className="table-viewer virtual-scroller"
        tabIndex={0}
        role="table"
        aria-label={name}
        aria-describedby={captionId}
        aria-rowcount={table.rows.length + 1}
        aria-colcount={table.columns.length + 1}
        onScroll={reportPosition}
      >
        <div role="rowgroup" className="table-head-group">
          <div role="row" className="table-head" aria-rowindex={1}>
            <span role="columnheader" className="row-number">
              #
            </span>
            {table.columns.map((column, index) => (
              <span role="columnheader" key={`${index}:${column}`} title={column}>
                {column}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="virtual-body table-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = table.rows[item.index] ?? [];
            return (
              <div
                role="row"
                key={item.key}
                data-row={item.index + 1}
                aria-rowindex={item.index + 2}
                className={target === item.index + 1 ? 'table-row is-target' : 'table-row'}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <span role="rowheader" className="row-number">
                  {item.index + 1}
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
    </div>
  );
}
