/**
 * Access-log leaves as a virtualised table: only rows in view exist in the DOM, and only the pages
 * (500 leaves each) under the viewport are fetched, so a log of millions of entries scrolls freely.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { LeafViewDto } from '../../src-shared/ipc/channels-audit';
import { AUDIT_PAGE_SIZE, useLeafPages } from '../api/audit-hooks';
import { ErrorAlert } from '../components/error-alert';
import type { AuditFilter } from '../state/audit-filter-store';
import { utc } from './format';

const ROW_HEIGHT = 28;
const COLUMNS = ['Seq', 'Time (UTC)', 'User', 'Role', 'Event', 'Object', 'Outcome', 'Detail'];

function objectText(leaf: LeafViewDto): string {
  if (!leaf.object) return '';
  return `${leaf.object.kind}:${leaf.object.name ?? leaf.object.id}`;
}

function detailText(leaf: LeafViewDto): string {
  return Object.entries(leaf.detail)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

export function LeafTable({ filter }: { filter: AuditFilter }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [visiblePages, setVisiblePages] = useState<number[]>([0]);
  const pages = useLeafPages(filter, visiblePages);
  const total = pages.total ?? 0;
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const wanted: number[] = [];
  for (let p = Math.floor(first / AUDIT_PAGE_SIZE); p <= Math.floor(last / AUDIT_PAGE_SIZE); p += 1) wanted.push(p);
  const wantedKey = wanted.join(',');
  // Fetch the pages under the viewport once scrolling settles on them (state, so a change re-renders).
  useEffect(() => {
    setVisiblePages(wantedKey.split(',').map(Number));
  }, [wantedKey]);
  const rowAt = (index: number): LeafViewDto | undefined => pages.byPage.get(Math.floor(index / AUDIT_PAGE_SIZE))?.rows[index % AUDIT_PAGE_SIZE];

  if (pages.error) return <ErrorAlert error={pages.error} />;
  return (
    <div>
      <p className="hint" id="leaf-count">
        {pages.pending ? 'Loading entries…' : `${total.toLocaleString()} entries match the filter.`}
      </p>
      <div
        ref={scroller}
        className="table-viewer virtual-scroller leaf-table"
        tabIndex={0}
        role="table"
        aria-label="Access-log entries"
        aria-describedby="leaf-count"
        aria-rowcount={total + 1}
        aria-colcount={COLUMNS.length}
      >
        <div role="rowgroup" className="table-head-group">
          <div role="row" className="table-head" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span role="columnheader" key={c} className={`col-${c.split(' ')[0]!.toLowerCase()}`}>
                {c}
              </span>
            ))}
          </div>
        </div>
        <div role="rowgroup" className="virtual-body table-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const leaf = rowAt(item.index);
            return (
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                className={`table-row${leaf?.damaged ? ' is-damaged' : ''}${leaf && leaf.outcome !== 'success' ? ` outcome-${leaf.outcome}` : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {leaf ? (
                  <>
                    <span role="cell" className="col-seq">
                      {leaf.seq}
                      {leaf.damaged ? ' ⚠ damaged' : ''}
                    </span>
                    <span role="cell" className="col-time">
                      {utc(leaf.ts)}
                    </span>
                    <span role="cell" className="col-user">
                      {leaf.actor.user ?? '—'}
                    </span>
                    <span role="cell" className="col-role">
                      {leaf.actor.role}
                    </span>
                    <span role="cell" className="col-event">
                      {leaf.event}
                    </span>
                    <span role="cell" className="col-object" title={objectText(leaf)}>
                      {objectText(leaf)}
                    </span>
                    <span role="cell" className="col-outcome">
                      {leaf.outcome === 'success' ? leaf.outcome : `✗ ${leaf.outcome}`}
                    </span>
                    <span role="cell" className="col-detail" title={detailText(leaf)}>
                      {detailText(leaf)}
                    </span>
                  </>
                ) : (
                  <span role="cell" className="col-seq">
                    Loading…
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
