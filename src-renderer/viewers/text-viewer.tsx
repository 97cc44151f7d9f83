/**
 * Plain text and source with line numbers, virtualised so a log of a million lines scrolls as easily
 * as a page. Lines are not wrapped (fixed row height); the area scrolls sideways instead. Reports the
 * selected lines (or the first line in view) for note anchors and scrolls to a note's lines on "Go to".
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { decodeForDisplay, splitLines } from './text-decode';
import { Marked } from '../search/marked';
import { numberAround, selectionInside, useSelectionInside, useViewerPosition } from './viewer-position';

const ROW_HEIGHT = 19;

export function TextViewer({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const lines = useMemo(() => splitLines(decodeForDisplay(bytes)), [bytes]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 30 });
  const digits = String(lines.length).length;
  const position = useViewerPosition();
  const { report, pending, done } = position;
  const [target, setTarget] = useState<{ from: number; to: number } | null>(null);
  // A search hit's matched words, marked wherever they appear in the lines drawn.
  const [marks, setMarks] = useState<readonly string[]>([]);

  const reportPosition = useCallback(() => {
    const root = scroller.current;
    if (!root || lines.length === 0) return;
    const selection = selectionInside(root);
    const a = selection ? numberAround(selection.anchorNode, 'line') : null;
    const b = selection ? numberAround(selection.focusNode, 'line') : null;
    if (a !== null && b !== null) {
      report(a === b ? { kind: 'line', line: a } : { kind: 'line', line: Math.min(a, b), endLine: Math.max(a, b) });
    } else {
      // The first line mostly in view (one scrolled nearly out is not where the reader is).
      report({ kind: 'line', line: Math.min(lines.length, Math.round(root.scrollTop / ROW_HEIGHT) + 1) });
    }
  }, [lines, report]);
  useEffect(reportPosition, [reportPosition]);
  useSelectionInside(scroller, reportPosition);

  useEffect(() => {
    if (!pending || pending.anchor.kind !== 'line') return;
    const from = Math.min(pending.anchor.line, Math.max(1, lines.length));
    const to = Math.min(pending.anchor.endLine ?? from, Math.max(1, lines.length));
    virtualizer.scrollToIndex(from - 1, { align: 'start' });
    setTarget({ from, to });
    setMarks(pending.marks);
    scroller.current?.focus({ preventScroll: true });
    done(pending.seq);
  }, [pending, lines, virtualizer, done]);

  return (
    <div ref={scroller} className="text-viewer virtual-scroller" tabIndex={0} role="region" aria-label={`${name}, ${lines.length} lines`} onScroll={reportPosition}>
      {/* Geometry only, set through the CSSOM by React (not parsed style attributes, which the CSP blocks). */}
      <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const n = item.index + 1;
          const marked = target !== null && n >= target.from && n <= target.to;
          return (
            <div key={item.key} data-line={n} className={marked ? 'text-line is-target' : 'text-line'} style={{ transform: `translateY(${item.start}px)` }}>
              <span className="ln" aria-hidden="true">
                {String(n).padStart(digits, ' ')}
              </span>
              <span className="code">{marks.length > 0 ? <Marked text={lines[item.index]!} marks={marks} /> : lines[item.index]}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
