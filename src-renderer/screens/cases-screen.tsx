/** The reviewer's submissions, with a clear empty state and the demo import (with its progress). */
import { useCases, useSessionStatus } from '../api/hooks';
import { useImportDemo } from '../api/import-hooks';
import { useAllCaseProgress } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';
import { ImportAnnouncement, ImportProgress } from '../components/import-progress';
import { DeadlineBadge } from '../components/deadline-badge';
import { ProgressLine } from '../components/progress-line';
import { useWorkspaceStore } from '../state/workspace-store';
import { formatBytes } from '../viewers/viewer-kind';
import { ImportPackageSection } from './import-package-section';

export function CasesScreen() {
  const cases = useCases();
  // Where each review stands, at a glance: one call for every case (each call is an access-log leaf, so
  // none for an empty list).
  const progress = useAllCaseProgress((cases.data?.length ?? 0) > 0);
  const progressOf = new Map(progress.data?.map((p) => [p.caseId, p]));
  const importDemo = useImportDemo();
  const openCase = useWorkspaceStore((s) => s.openCase);
  const setMode = useWorkspaceStore((s) => s.setMode);
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
      {importDemo.isSuccess ? (
        // The demo's point is the first minute: its model card checked, claim by claim, against its logs.
        <p className="demo-next">
          <button
            type="button"
            className="primary"
            onClick={() => {
              openCase(importDemo.data.caseId);
              setMode('claims');
            }}
          >
            Open the demo's claims ledger
          </button>{' '}
          Each number in the demo's model card, checked against its evaluation logs.
        </p>
      ) : null}
      {cases.isPending ? (
        <p className="loading">Loading submissions…</p>
      ) : cases.isError ? (
        <ErrorAlert error={cases.error} />
      ) : cases.data.length === 0 ? (
        <div className="empty-state">
          <p className="empty-title">No submissions yet</p>
          <p>
            Import a signed submission package, or try the workstation with the fictional demo submission: a model card whose claims the claims
            ledger checks against the evaluation logs that came with it.
          </p>
          {importSection}
        </div>
      ) : (
        <>
          <ul className="case-list" aria-label="Submissions">
            {cases.data.map((c) => {
              const caseProgress = progressOf.get(c.id);
              return (
                <li key={c.id}>
                  <button type="button" className="case-card" onClick={() => openCase(c.id)}>
                    <span className="case-card-title">
                      {c.model} {c.version}
                    </span>
                    <span className="case-card-meta">
                      {c.developer} · public release {c.releaseDate} · {c.artifactCount} files ({formatBytes(c.totalBytes)})
                    </span>
                    <DeadlineBadge deadline={c.reviewDeadline} daysLeft={c.daysLeft} overdue={c.overdue} />
                    {caseProgress ? <ProgressLine progress={caseProgress} /> : null}
                  </button>
                </li>
              );
            })}
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
