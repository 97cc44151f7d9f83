/**
 * Plain text and source with line numbers, virtualised so a log of a million lines scrolls as easily
 * as a page. Lines are not wrapped (fixed row height); the area scrolls sideways instead.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { decodeForDisplay, splitLines } from './text-decode';

const ROW_HEIGHT = 19;

export function TextViewer({ bytes, name }: { bytes: Uint8Array; name: string }) {
  const lines = useMemo(() => splitLines(decodeForDisplay(bytes)), [bytes]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 30 });
  const digits = String(lines.length).length;
  return (
    <div ref={scroller} className="text-viewer virtual-scroller" tabIndex={0} role="region" aria-label={`${name}, ${lines.length} lines`}>
      {/* Geometry only, set through the CSSOM by React (not parsed style attributes, which the CSP blocks). */}
      <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} className="text-line" style={{ transform: `translateY(${item.start}px)` }}>
            <span className="ln" aria-hidden="true">
              {String(item.index + 1).padStart(digits, ' ')}
            </span>
            <span className="code">{lines[item.index]}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
