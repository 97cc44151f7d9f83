/**
 * Every sample record of a log in a virtualised table (50 000 rows scroll like 50): pages of 200 rows
 * are fetched as they come into view, sorted and filtered in the main process. Column headers sort
 * (again to reverse); "Open" on a row opens its transcript (an access-log entry naming the sample).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useRef } from 'react';
import { SAMPLE_PAGE, useSamplePages, type SamplePage } from '../api/evidence-hooks';
import { useEvidenceStore, type SampleShow, type SampleSort } from '../state/evidence-store';
import { formatMetric } from './evidence-words';

const ROW_HEIGHT = 30;

const COLUMNS: Array<{ key: SampleSort | null; label: string; className: string }> = [
  { key: 'id', label: 'Sample', className: 'c-id' },
  { key: 'epoch', label: 'Epoch', className: 'c-epoch' },
  { key: 'score', label: 'Score', className: 'c-score' },
  { key: null, label: 'Target', className: 'c-text' },
  { key: null, label: 'Answer', className: 'c-text' },
  { key: 'error', label: 'Error or limit', className: 'c-text' },
  { key: 'tokens', label: 'Tokens', className: 'c-num' },
  { key: 'time', label: 'Time (s)', className: 'c-num' },
];

const SHOW_LABELS: Record<SampleShow, string> = { all: 'All samples', errored: 'Errored', limited: 'Stopped at a limit', failed: 'Scored below 1', passed: 'Scored 1' };

export function SamplesTable({ artifactId, total }: { artifactId: string; total: number }) {
  const { sort, descending, show, text, setSort, setShow, setText, openSample, sample } = useEvidenceStore();
  const scroller = useRef<HTMLDivElement>(null);
  const filterId = useId();
  const query = { sort, descending, show, text };
  // The first page says how many rows the filter keeps; until then, the log's own count.
  const first = useSamplePages(artifactId, query, [0], true)[0];
  const count = first?.data?.total ?? total;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 15 });
  const items = virtualizer.getVirtualItems();
  const pageNumbers = [...new Set(items.map((i) => Math.floor(i.index / SAMPLE_PAGE)))];
  const pages = useSamplePages(artifactId, query, pageNumbers, true);
  const byPage = new Map<number, SamplePage>();
  pageNumbers.forEach((p, i) => {
    const data = pages[i]?.data;
    if (data) byPage.set(p, data);
  });

  return (
    <section className="samples" aria-labelledby={`${filterId}-h`}>
      <h3 id={`${filterId}-h`}>Samples</h3>
      <div className="samples-filters">
        <label>
          Show{' '}
          <select value={show} onChange={(e) => setShow(e.target.value as SampleShow)}>
            {(Object.keys(SHOW_LABELS) as SampleShow[]).map((k) => (
              <option key={k} value={k}>
                {SHOW_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Find in id, target, answer or error <input type="search" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        </label>
        <span role="status" className="muted">
          {count} of {total} sample records
        </span>
      </div>
      <div ref={scroller} className="samples-table virtual-scroller" tabIndex={0} role="table" aria-label="Samples" aria-rowcount={count + 1}>
        <div role="rowgroup" className="samples-head-group">
          <div role="row" className="samples-row samples-head" aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <span role="columnheader" key={c.label} className={c.className} aria-sort={c.key && c.key === sort ? (descending ? 'descending' : 'ascending') : undefined}>
                {c.key ? (
                  <button type="button" className="link-button" onClick={() => setSort(c.key!)}>
                    {c.label}
                    {c.key === sort ? (descending ? ' ▼' : ' ▲') : ''}
                  </button>
                ) : (
                  c.label
                )}
              </span>
            ))}
            <span role="columnheader" className="c-open">
              Transcript
            </span>
          </div>
        </div>
        <div role="rowgroup" className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const page = byPage.get(Math.floor(item.index / SAMPLE_PAGE));
            const row = page?.rows[item.index % SAMPLE_PAGE];
            const current = row && sample?.artifactId === artifactId && sample.sampleId === String(row.id) && sample.epoch === row.epoch;
            return (
              <div role="row" key={item.key} aria-rowindex={item.index + 2} className={current ? 'samples-row is-target' : 'samples-row'} style={{ transform: `translateY(${item.start}px)` }}>
                {row ? (
                  <>
                    <span role="cell" className="c-id">
                      {String(row.id)}
                    </span>
                    <span role="cell" className="c-epoch">
                      {row.epoch}
                    </span>
                    <span role="cell" className="c-score" title={row.displayScore}>
                      {row.displayScore || formatMetric(row.score)}
                    </span>
                    <span role="cell" className="c-text" title={row.target}>
                      {row.target}
                    </span>
                    <span role="cell" className="c-text" title={row.answer}>
                      {row.answer}
                    </span>
                    <span role="cell" className="c-text" title={row.error ?? row.limit ?? ''}>
                      {row.error ? `Error: ${row.error}` : row.limit ? `Limit: ${row.limit}` : ''}
                    </span>
                    <span role="cell" className="c-num">
                      {row.tokens ?? '—'}
                    </span>
                    <span role="cell" className="c-num">
                      {row.time === null ? '—' : row.time.toFixed(1)}
                    </span>
                    <span role="cell" className="c-open">
                      <button type="button" onClick={() => openSample({ artifactId, sampleId: String(row.id), epoch: row.epoch })} aria-label={`Open the transcript of sample ${String(row.id)}, epoch ${row.epoch}`}>
                        Open
                      </button>
                    </span>
                  </>
                ) : (
                  <span role="cell" className="muted">
                    Loading…
                  </span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
