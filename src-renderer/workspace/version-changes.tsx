/**
 * What a new version changed since the previous one: files added, removed and changed (by signed
 * digest), and for a changed text document a side-by-side line diff. Opened from the case header.
 */
import { useState } from 'react';
import { useCaseComparison, useCaseDiff } from '../api/import-hooks';
import { ErrorAlert } from '../components/error-alert';
import { formatBytes } from '../viewers/viewer-kind';

export function VersionLine({ caseId, model, version, onShowChanges }: { caseId: string; model: string; version: string; onShowChanges(): void }) {
  const comparison = useCaseComparison(caseId);
  const previous = comparison.data?.previous;
  if (!previous) return null;
  return (
    <p className="version-line">
      Version {version} of {model}, previous: {previous.version}.{' '}
      <button type="button" className="link-button" onClick={onShowChanges}>
        Changes since {previous.version}
      </button>
    </p>
  );
}

export function VersionChanges({ caseId, onClose }: { caseId: string; onClose(): void }) {
  const comparison = useCaseComparison(caseId);
  const [path, setPath] = useState<string | null>(null);
  if (comparison.isPending) return <p className="loading">Comparing versions…</p>;
  if (comparison.isError) return <ErrorAlert error={comparison.error} />;
  const c = comparison.data;
  if (!c.previous) return <p>This is the first version of this model in the vault.</p>;
  return (
    <section className="version-changes" aria-labelledby="version-changes-heading">
      <div className="version-changes-header">
        <h2 id="version-changes-heading">Changes since version {c.previous.version}</h2>
        <button type="button" onClick={onClose}>
          Close changes
        </button>
      </div>
      <p>
        {c.added.length} added, {c.removed.length} removed, {c.changed.length} changed, {c.unchanged} unchanged.
      </p>
      <table className="files-changed">
        <caption className="visually-hidden">Files changed</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Change</th>
            <th scope="col">Size</th>
            <th scope="col">Compare</th>
          </tr>
        </thead>
        <tbody>
          {c.added.map((f) => (
            <tr key={`a-${f.path}`}>
              <th scope="row">{f.path}</th>
              <td>Added</td>
              <td>{formatBytes(f.size)}</td>
              <td />
            </tr>
          ))}
          {c.removed.map((f) => (
            <tr key={`r-${f.path}`}>
              <th scope="row">{f.path}</th>
              <td>Removed</td>
              <td>{formatBytes(f.size)}</td>
              <td />
            </tr>
          ))}
          {c.changed.map((f) => (
            <tr key={`c-${f.path}`}>
              <th scope="row">{f.path}</th>
              <td>
                Changed <span className="digest" title={`${f.previousSha256} → ${f.sha256}`}>(digest {f.previousSha256.slice(0, 8)}… → {f.sha256.slice(0, 8)}…)</span>
              </td>
              <td>
                {formatBytes(f.previousSize)} → {formatBytes(f.size)}
              </td>
              <td>
                {f.diffable ? (
                  <button type="button" aria-pressed={path === f.path} onClick={() => setPath(f.path)}>
                    Show differences in {f.path}
                  </button>
                ) : (
                  'Not text'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {path ? <SideBySide caseId={caseId} path={path} previousVersion={c.previous.version} /> : null}
    </section>
  );
}

function SideBySide({ caseId, path, previousVersion }: { caseId: string; path: string; previousVersion: string }) {
  const diff = useCaseDiff(caseId, path);
  if (diff.isPending) return <p className="loading">Comparing {path}…</p>;
  if (diff.isError) return <ErrorAlert error={diff.error} />;
  if (!diff.data.complete) return <p>The two versions of {path} differ too much to show line by line.</p>;
  const changedRows = diff.data.rows.filter((r) => r.kind !== 'same').length;
  const mark = (kind: string, side: 'left' | 'right') => (kind === 'same' ? '' : kind === 'changed' ? '~' : (kind === 'removed') === (side === 'left') ? (side === 'left' ? '−' : '+') : '');
  return (
    <div className="diff-scroll" tabIndex={0} role="region" aria-label={`Differences in ${path}`}>
      <table className="diff-table">
        <caption>
          {path}: {changedRows} line{changedRows === 1 ? '' : 's'} differ
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Version {previousVersion}</th>
            <th scope="col">Line</th>
            <th scope="col">This version</th>
          </tr>
        </thead>
        <tbody>
          {diff.data.rows.map((r, i) => (
            <tr key={i} className={`diff-${r.kind}`}>
              <td className="line-no">{r.leftNo ?? ''}</td>
              <td className="diff-left">
                {r.left !== null ? (
                  <>
                    <span className="diff-mark" aria-hidden="true">
                      {mark(r.kind, 'left')}
                    </span>
                    {r.kind === 'same' ? null : <span className="visually-hidden">{r.kind === 'changed' ? 'changed: ' : 'removed: '}</span>}
                    {r.left}
                  </>
                ) : null}
              </td>
              <td className="line-no">{r.rightNo ?? ''}</td>
              <td className="diff-right">
                {r.right !== null ? (
                  <>
                    <span className="diff-mark" aria-hidden="true">
                      {mark(r.kind, 'right')}
                    </span>
                    {r.kind === 'same' ? null : <span className="visually-hidden">{r.kind === 'changed' ? 'changed: ' : 'added: '}</span>}
                    {r.right}
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
