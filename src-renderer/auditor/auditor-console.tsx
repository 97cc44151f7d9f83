/**
 * The auditor's screen (see ARCHITECTURE: access log): integrity first, then filters, the summaries and charts, the flags,
 * and every matching access-log entry. Auditors hold no content key: nothing here can open an artifact.
 */
import { useAuditFlags, useAuditSummary } from '../api/audit-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useAuditFilterStore } from '../state/audit-filter-store';
import { AuditFilters } from './audit-filters';
import { DwellChart, HourChart } from './charts';
import { utc } from './format';
import { IntegrityBanner } from './integrity-banner';
import { LeafTable } from './leaf-table';
import { PerArtifactTable, PerUserTable } from './summary-tables';
import { WatermarkLookup } from './watermark-lookup';

export function AuditorConsole() {
  const filter = useAuditFilterStore((s) => s.filter);
  const summary = useAuditSummary(filter);
  const flags = useAuditFlags(filter);
  return (
    <main id="main" className="auditor-console" tabIndex={-1}>
      <h1>Access log</h1>
      <IntegrityBanner />
      <AuditFilters />
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
            <PerUserTable rows={summary.data.perUser} />
            <PerArtifactTable rows={summary.data.perArtifact} />
          </div>
        )}
      </section>
      <section aria-labelledby="flags-title">
        <h2 id="flags-title">Flags</h2>
        {flags.isPending ? (
          <p className="loading">Checking…</p>
        ) : flags.isError ? (
          <ErrorAlert error={flags.error} />
        ) : flags.data.offHours.length === 0 && flags.data.fastPaging.length === 0 ? (
          <p>No off-hours activity and no unusually fast paging in this range.</p>
        ) : (
          <ul className="flag-list">
            {flags.data.offHours.slice(0, 50).map((f) => (
              <li key={`off-${f.seq}`}>
                <strong>⚑ Off hours:</strong> {f.user ?? '(no user)'} — {f.event} at {utc(f.ts)} (entry {f.seq})
              </li>
            ))}
            {flags.data.fastPaging.slice(0, 50).map((f) => (
              <li key={`fast-${f.fromSeq}`}>
                <strong>⚑ Fast paging:</strong> {f.user ?? '(no user)'} turned {f.pages} pages of {f.artifactId} at {Math.round(f.msPerPage)} ms per page (entries {f.fromSeq}–{f.toSeq})
              </li>
            ))}
          </ul>
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
