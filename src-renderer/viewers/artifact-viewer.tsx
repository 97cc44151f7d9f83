/**
 * Loads one artifact's bytes over IPC (with a progress bar) and hands them to the viewer for its type.
 * Tables are the exception: the main process pages their rows, so nothing is read whole.
 */
import { useCallback, useState } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { useArtifactBytes, useArtifactOpen, useArtifactViewReport } from '../api/hooks';
import { ErrorAlert } from '../components/error-alert';
import { useLoadProgressStore } from '../state/load-progress-store';
import { ExcerptContext, type ExcerptProvider } from './excerpt-context';
import { ExportExcerpt } from './export-dialog';
import { ImageViewer } from './image-viewer';
import { JsonViewer } from './json-viewer';
import { MarkdownViewer } from './markdown-viewer';
import { PdfViewer } from './pdf-viewer';
import { TableViewer } from './table-viewer';
import { TextViewer } from './text-viewer';
import { formatBytes, kindLabel, viewerKind } from './viewer-kind';

const PAGED: ReadonlySet<string> = new Set(['csv', 'tsv', 'jsonl']);

export function ArtifactViewer({ artifact, siblings }: { artifact: ArtifactSummary; siblings: ArtifactSummary[] }) {
  const kind = viewerKind(artifact.mediaType, artifact.path);
  if (PAGED.has(kind)) return <PagedTableArtifact artifact={artifact} kind={kind} />;
  return <WholeArtifact artifact={artifact} siblings={siblings} kind={kind} />;
}

function ArtifactHeader({ artifact, kind, excerpt }: { artifact: ArtifactSummary; kind: ReturnType<typeof viewerKind>; excerpt: ExcerptProvider | null }) {
  return (
    <header className="artifact-view-header">
      <h2 id="artifact-title">{artifact.path}</h2>
      <p className="hint">
        {kindLabel(kind)} · {artifact.mediaType} · {formatBytes(artifact.size)} · <span className="digest">sha256 {artifact.sha256.slice(0, 16)}…</span>
      </p>
      <ExportExcerpt artifactId={artifact.id} provider={excerpt} />
    </header>
  );
}

function PagedTableArtifact({ artifact, kind }: { artifact: ArtifactSummary; kind: ReturnType<typeof viewerKind> }) {
  const opened = useArtifactOpen(artifact.id);
  const [shown, setShown] = useState(false);
  useArtifactViewReport(artifact.id, shown);
  const onReady = useCallback(() => setShown(true), []);
  const [excerpt, setExcerpt] = useState<ExcerptProvider | null>(null);
  return (
    <section className="artifact-view" aria-labelledby="artifact-title">
      <ArtifactHeader artifact={artifact} kind={kind} excerpt={excerpt} />
      {opened.isError ? (
        <ErrorAlert error={opened.error} />
      ) : opened.isSuccess ? (
        <ExcerptContext.Provider value={setExcerpt}>
          <TableViewer artifactId={artifact.id} name={artifact.path} onReady={onReady} />
        </ExcerptContext.Provider>
      ) : (
        <div className="loading" role="status">
          Opening the artifact…
        </div>
      )}
    </section>
  );
}

function WholeArtifact({ artifact, siblings, kind }: { artifact: ArtifactSummary; siblings: ArtifactSummary[]; kind: ReturnType<typeof viewerKind> }) {
  const content = useArtifactBytes(artifact.id, kind !== 'none');
  const progress = useLoadProgressStore((s) => s.byArtifact[artifact.id]);
  const reportView = useArtifactViewReport(artifact.id, content.isSuccess);
  const [excerpt, setExcerpt] = useState<ExcerptProvider | null>(null);

  return (
    <section className="artifact-view" aria-labelledby="artifact-title">
      <ArtifactHeader artifact={artifact} kind={kind} excerpt={excerpt} />
      {kind === 'none' ? (
        <ViewerFor kind={kind} bytes={new Uint8Array(0)} artifact={artifact} siblings={siblings} />
      ) : content.isPending ? (
        <div className="loading">
          <label>
            Reading the artifact ({progress ? `${progress.loaded} of ${progress.total} chunks` : 'starting'})
            <progress max={progress?.total || 1} value={progress?.loaded ?? 0} />
          </label>
        </div>
      ) : content.isError ? (
        <ErrorAlert error={content.error} />
      ) : (
        <ExcerptContext.Provider value={setExcerpt}>
          <ViewerFor kind={kind} bytes={content.data} artifact={artifact} siblings={siblings} onPageView={reportView} />
        </ExcerptContext.Provider>
      )}
    </section>
  );
}

interface ViewerForProps {
  kind: ReturnType<typeof viewerKind>;
  bytes: Uint8Array;
  artifact: ArtifactSummary;
  siblings: ArtifactSummary[];
  onPageView?: (page: number, dwellMs: number) => void;
}

function ViewerFor({ kind, bytes, artifact, siblings, onPageView }: ViewerForProps) {
  switch (kind) {
    case 'markdown':
      return <MarkdownViewer bytes={bytes} artifact={artifact} siblings={siblings} />;
    case 'pdf':
      return <PdfViewer bytes={bytes} name={artifact.path} onPageView={onPageView} />;
    case 'json':
      return <JsonViewer bytes={bytes} name={artifact.path} />;
    case 'image':
      return <ImageViewer bytes={bytes} mediaType={artifact.mediaType} name={artifact.path} />;
    case 'text':
      return <TextViewer bytes={bytes} name={artifact.path} />;
    default:
      return (
        <p className="empty-state">
          No viewer for {artifact.mediaType}. The file is kept in the vault with its signed digest; it is not opened here.
        </p>
      );
  }
}
