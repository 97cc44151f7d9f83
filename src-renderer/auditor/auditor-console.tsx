/**
 * The auditor's screen (see ARCHITECTURE: access log): integrity first, then filters, the summaries and charts, the flags,
 * and every matching access-log entry. Auditors hold no content key: nothing here can open an artifact.
 */
import { useId, useState, type FormEvent } from 'react';
import { useAuditFlags, useAuditSummary, useExportAuditBundle, useWhoSaw } from '../api/audit-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useAuditFilterStore } from '../state/audit-filter-store';
import { AuditFilters } from './audit-filters';
import { DwellChart, HourChart } from './charts';
import { duration, utc } from './format';
import { IntegrityBanner } from './integrity-banner';
import { LeafTable } from './leaf-table';
import { PerArtifactTable, PerUserTable } from './summary-tables';
import { WatermarkLookup } from './watermark-lookup';

export function AuditorConsole() {
  const filter = useAuditFilterStore((s) => s.filter);
  const setFilter = useAuditFilterStore((s) => s.setFilter);
  const summary = useAuditSummary(filter);
  const flags = useAuditFlags(filter);
  // The range is fixed when the question is asked (a moving "now" would ask again on every render).
  const [whoSaw, setWhoSaw] = useState<{ id: string; name: string; from: number; to: number } | null>(null);
  return (
    <main id="main" className="auditor-console" tabIndex={-1}>
      <h1>Access log</h1>
      <IntegrityBanner />
      <ExportBundle />
      <AuditFilters />
      {filter.beforeSignIn ? <p role="status">Showing only what happened before anyone signed in.</p> : null}
      <section aria-labelledby="summary-title">
        <h2 id="summary-title">Summary</h2>
        {summary.isPending ? (
          <p className="loading">Summarising…</p>
        ) : summary.isError ? (
          <ErrorAlert error={summary.error} />
        ) : (
          <div className="summary-grid">
            <HourChart perHour={summary.data.perHour} />
            <DwellChart dwell={summary.data.dwell} labels={summary.data.dwellBuckets} />
            <PerUserTable rows={summary.data.perUser} onFilter={setFilter} />
            <PerArtifactTable rows={summary.data.perArtifact} onWhoSaw={(a) => setWhoSaw({ ...a, from: filter.from ?? 0, to: filter.to ?? Date.now() })} />
          </div>
        )}
      </section>
      {whoSaw ? <WhoSawPanel artifact={whoSaw} from={whoSaw.from} to={whoSaw.to} onClose={() => setWhoSaw(null)} /> : null}
      <section aria-labelledby="flags-title">
        <h2 id="flags-title">Flags</h2>
        {flags.isPending ? (
          <p className="loading">Checking…</p>
        ) : flags.isError ? (
          <ErrorAlert error={flags.error} />
        ) : (
          <>
            <p className="hint">Working hours (from the signed policy): {flags.data.workingHours}.</p>
            {flags.data.offHours.length === 0 && flags.data.fastPaging.length === 0 ? (
              <p>No off-hours activity and no unusually fast paging in this range.</p>
            ) : (
              <ul className="flag-list">
                {flags.data.offHours.slice(0, 50).map((f) => (
                  <li key={`off-${f.seq}`}>
                    <strong>⚑ Off hours:</strong> {f.user ?? '(no user)'} — {f.event}
                    {f.objectName ? ` of ${f.objectName}` : ''} at {utc(f.ts)} (entry {f.seq})
                    {f.count > 1 ? `, and ${f.count - 1} more in the same session until ${utc(f.lastTs)}` : ''}
                  </li>
                ))}
                {flags.data.fastPaging.slice(0, 50).map((f) => (
                  <li key={`fast-${f.fromSeq}`}>
                    <strong>⚑ Fast paging:</strong> {f.user ?? '(no user)'} turned {f.pages} pages of {f.artifactName ?? f.artifactId} at {Math.round(f.msPerPage)} ms per page (entries {f.fromSeq}–
                    {f.toSeq})
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>
      <section className="watermark-section">
        <WatermarkLookup />
      </section>
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Entries</h2>
        <LeafTable filter={filter} />
      </section>
    </main>
  );
}

/**
 * Who opened one artifact in the filtered range (the `audit.whoSaw` question), with their dwell time; or,
 * asked about one page, who had that page in view, how often and for how long. Each question is a leaf.
 */
function WhoSawPanel({ artifact, from, to, onClose }: { artifact: { id: string; name: string }; from: number; to: number; onClose(): void }) {
  const id = useId();
  const [page, setPage] = useState<number | undefined>(undefined);
  const [pageDraft, setPageDraft] = useState('');
  const rows = useWhoSaw(artifact.id, from, to, page);
  const subject = page === undefined ? artifact.name : `page ${page} of ${artifact.name}`;
  const ask = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(pageDraft);
    setPage(pageDraft.trim() && Number.isSafeInteger(n) && n >= 1 ? n : undefined);
  };
  return (
    <section aria-labelledby={`${id}-title`} className="who-saw">
      <h2 id={`${id}-title`}>Who saw {subject}</h2>
      <form className="who-saw-page" onSubmit={ask}>
        <label htmlFor={`${id}-page`}>Page (empty: the whole artifact)</label>
        <input id={`${id}-page`} type="number" min={1} step={1} inputMode="numeric" value={pageDraft} onChange={(e) => setPageDraft(e.target.value)} />
        <button type="submit">Ask</button>
      </form>
      {rows.isPending ? <p className="loading">Looking…</p> : null}
      <ErrorAlert error={rows.error} />
      {rows.data ? (
        rows.data.rows.length === 0 ? (
          <p>{page === undefined ? 'Nobody opened it in this range.' : 'Nobody had this page in view in this range.'}</p>
        ) : (
          <table className="data-table">
            <caption className="visually-hidden">Who saw {subject}</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Session</th>
                <th scope="col">{page === undefined ? 'Opens' : 'Times in view'}</th>
                <th scope="col">First (UTC)</th>
                <th scope="col">Last (UTC)</th>
                <th scope="col">Dwell</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.rows.map((r) => (
                <tr key={`${r.user ?? '-'}:${r.session ?? '-'}`}>
                  <th scope="row">{r.user ?? '(no user)'}</th>
                  <td>{r.session ?? '—'}</td>
                  <td>{r.views}</td>
                  <td>{utc(r.first)}</td>
                  <td>{utc(r.last)}</td>
                  <td>{duration(r.dwellMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

/** An audit bundle (leaves, checkpoints, device key, signed manifest) for verifying off this laptop. */
function ExportBundle() {
  const exportBundle = useExportAuditBundle();
  const done = exportBundle.data?.written ? exportBundle.data : null;
  return (
    <div className="admin-row">
      <button type="button" onClick={() => exportBundle.mutate()} disabled={exportBundle.isPending}>
        {exportBundle.isPending ? 'Writing the audit bundle…' : 'Export an audit bundle'}
      </button>
      {done ? (
        <p className="success-note" role="status">
          Audit bundle of {done.leaves} entries written to {done.where}/{done.fileName}. Verify it elsewhere with <code>rwctl audit verify-bundle</code>.
        </p>
      ) : null}
      <ErrorAlert error={exportBundle.error} />
    </div>
  );
}
