/**
 * One case: header (model, developer, version, release date, days to the deadline, progress), the
 * artifact list, the viewer, and the side panel (notes, findings, checklist).
 */
import { useEffect, useRef, useState } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { useArtifacts, useCase } from '../api/hooks';
import { useCaseProgress } from '../api/workspace-hooks';
import { ProgressLine } from '../components/progress-line';
import { DeadlineBadge } from '../components/deadline-badge';
import { ErrorAlert } from '../components/error-alert';
import { useWorkspaceStore } from '../state/workspace-store';
import { ArtifactViewer } from '../viewers/artifact-viewer';
import { kindLabel, viewerKind } from '../viewers/viewer-kind';
import { SidePanel } from '../workspace/side-panel';
import { EvidenceScreen } from '../evidence/evidence-screen';
import { ClaimsLedgerScreen } from '../claims/claims-ledger-screen';
import { VersionChanges, VersionLine } from '../workspace/version-changes';

export function CaseWorkspace({ caseId }: { caseId: string }) {
  const detail = useCase(caseId);
  const artifacts = useArtifacts(caseId);
  const artifactId = useWorkspaceStore((s) => s.artifactId);
  const openArtifact = useWorkspaceStore((s) => s.openArtifact);
  const closeCase = useWorkspaceStore((s) => s.closeCase);
  const mode = useWorkspaceStore((s) => s.mode);
  const setMode = useWorkspaceStore((s) => s.setMode);
  const heading = useRef<HTMLHeadingElement>(null);
  const [showChanges, setShowChanges] = useState(false);
  const selected = artifacts.data?.find((a) => a.id === artifactId) ?? null;

  useEffect(() => {
    heading.current?.focus();
  }, [detail.isSuccess]);

  return (
    <main id="main" className="workspace" tabIndex={-1}>
      {/* Two rows: the title with the view switch at its right, then the submission's facts (the reading
          area keeps the height a third row took). */}
      <div className="workspace-header">
        <div className="workspace-title">
          <button type="button" className="back-button" onClick={closeCase}>
            ← All submissions
          </button>
          {detail.isPending ? (
            <p className="loading">Opening the case…</p>
          ) : detail.isError ? (
            <ErrorAlert error={detail.error} />
          ) : (
            <h1 ref={heading} tabIndex={-1}>
              {detail.data.model} {detail.data.version}
            </h1>
          )}
          <div className="mode-switch" role="group" aria-label="Workspace view">
            <button type="button" aria-pressed={mode === 'documents'} onClick={() => setMode('documents')}>
              Documents
            </button>
            <button type="button" aria-pressed={mode === 'evidence'} onClick={() => setMode('evidence')}>
              Evidence review
            </button>
            <button type="button" aria-pressed={mode === 'claims'} onClick={() => setMode('claims')}>
              Claims ledger
            </button>
          </div>
        </div>
        {detail.isSuccess ? (
          <div className="workspace-facts">
            <dl aria-label="Submission">
              <div>
                <dt>Developer</dt>
                <dd>{detail.data.developer}</dd>
              </div>
              <div>
                <dt>Version</dt>
                <dd>{detail.data.version}</dd>
              </div>
              <div>
                <dt>Public release</dt>
                <dd>{detail.data.releaseDate}</dd>
              </div>
              <div>
                <dt>Deadline</dt>
                <dd>
                  <DeadlineBadge deadline={detail.data.reviewDeadline} daysLeft={detail.data.daysLeft} overdue={detail.data.overdue} />
                </dd>
              </div>
            </dl>
            <VersionLine caseId={caseId} model={detail.data.model} version={detail.data.version} onShowChanges={() => setShowChanges(true)} />
            <ProgressSummary caseId={caseId} />
          </div>
        ) : null}
      </div>
      {mode === 'evidence' ? (
        <EvidenceScreen caseId={caseId} />
      ) : mode === 'claims' ? (
        <ClaimsLedgerScreen caseId={caseId} />
      ) : (
        <>
          <nav className="artifact-nav" aria-label="Artifacts">
            <h2>Artifacts</h2>
            {artifacts.isPending ? (
              <p className="loading">Loading…</p>
            ) : artifacts.isError ? (
              <ErrorAlert error={artifacts.error} />
            ) : (
              <ArtifactList
                artifacts={artifacts.data}
                selectedId={artifactId}
                onSelect={(id) => {
                  setShowChanges(false);
                  openArtifact(id);
                }}
              />
            )}
          </nav>
          {/* Focusable so the keyboard can scroll a long document that has no links or controls inside. */}
          <div className="viewer-area" tabIndex={0} role="region" aria-label={selected ? `Viewer: ${selected.path}` : 'Viewer'}>
            {showChanges ? (
              <VersionChanges caseId={caseId} onClose={() => setShowChanges(false)} />
            ) : selected && artifacts.data ? (
              <ArtifactViewer key={selected.id} artifact={selected} siblings={artifacts.data} />
            ) : (
              <div className="empty-state">
                <p className="empty-title">Choose an artifact</p>
                <p>Pick a file from the list to read it here. Every opening is recorded in the access log.</p>
              </div>
            )}
          </div>
        </>
      )}
      <SidePanel caseId={caseId} artifact={mode === 'documents' ? selected : null} />
    </main>
  );
}

function ArtifactList({ artifacts, selectedId, onSelect }: { artifacts: ArtifactSummary[]; selectedId: string | null; onSelect(id: string): void }) {
  return (
    <ul className="artifact-list">
      {artifacts.map((a) => (
        <li key={a.id}>
          <button type="button" aria-current={a.id === selectedId ? 'true' : undefined} onClick={() => onSelect(a.id)}>
            <span>{a.path}</span>
            <span className="artifact-kind">{kindLabel(viewerKind(a.mediaType, a.path))}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

function ProgressSummary({ caseId }: { caseId: string }) {
  const progress = useCaseProgress(caseId);
  if (!progress.data) return null;
  return (
    <p className="progress-summary" aria-label="Review progress">
      <ProgressLine progress={progress.data} />
    </p>
  );
}
