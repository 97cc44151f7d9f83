/** The reviewer's submissions, with a clear empty state and the demo import (with its progress). */
import { useCases, useSessionStatus } from '../api/hooks';
import { useImportDemo } from '../api/import-hooks';
import { ErrorAlert } from '../components/error-alert';
import { ImportAnnouncement, ImportProgress } from '../components/import-progress';
import { DeadlineBadge } from '../components/deadline-badge';
import { useWorkspaceStore } from '../state/workspace-store';
import { formatBytes } from '../viewers/viewer-kind';
import { ImportPackageSection } from './import-package-section';

export function CasesScreen() {
  const cases = useCases();
  const importDemo = useImportDemo();
  const openCase = useWorkspaceStore((s) => s.openCase);
  const preview = useSessionStatus().data?.preview ?? false;

  const importSection = (
    <div className="import-demo">
      <button type="button" className="primary" onClick={() => importDemo.mutate()} disabled={importDemo.isPending}>
        {importDemo.isPending ? 'Importing…' : 'Import the demo submission'}
      </button>
      <ImportProgress />
      {importDemo.isSuccess ? (
        <p className="success-note">
          <strong>Imported:</strong> {importDemo.data.artifactCount} files ({formatBytes(importDemo.data.totalBytes)}), signature and digests verified.
        </p>
      ) : null}
      <ErrorAlert error={importDemo.error} />
    </div>
  );

  return (
    <main id="main" className="cases-screen" tabIndex={-1}>
      <h1>Submissions</h1>
      <ImportAnnouncement />
      {/* Always at this place in the tree: the first import turns the empty state into the list, and the
          section must keep its answer (what was imported, or why not) across that change. */}
      <ImportPackageSection preview={preview} />
      {cases.isPending ? (
        <p className="loading">Loading submissions…</p>
      ) : cases.isError ? (
        <ErrorAlert error={cases.error} />
      ) : cases.data.length === 0 ? (
        <div className="empty-state">
          <p className="empty-title">No submissions yet</p>
          <p>Import a signed submission package, or try the workstation with the fictional demo submission.</p>
          {importSection}
        </div>
      ) : (
        <>
          <ul className="case-list" aria-label="Submissions">
            {cases.data.map((c) => (
              <li key={c.id}>
                <button type="button" className="case-card" onClick={() => openCase(c.id)}>
                  <span className="case-card-title">
                    {c.model} {c.version}
                  </span>
                  <span className="case-card-meta">
                    {c.developer} · public release {c.releaseDate} · {c.artifactCount} files ({formatBytes(c.totalBytes)})
                  </span>
                  <DeadlineBadge deadline={c.reviewDeadline} daysLeft={c.daysLeft} overdue={c.overdue} />
                </button>
              </li>
            ))}
          </ul>
          <details className="more-actions">
            <summary>More actions</summary>
            {importSection}
          </details>
        </>
      )}
    </main>
  );
}
