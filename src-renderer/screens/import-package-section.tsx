/**
 * Importing a real submission package: in Electron the system chooser (a .zip or a folder, removable
 * drives included) opened by main; in the browser preview a file input for a .zip. Says what it did in
 * one sentence, names the previous version it links to, and on a duplicate offers the existing case.
 */
import { useId, useRef, useState } from 'react';
import type { ImportOutcome } from '../../src-shared/ipc/channels-import';
import { useImportPackage } from '../api/import-hooks';
import { ErrorAlert } from '../components/error-alert';
import { ImportProgress } from '../components/import-progress';
import { useWorkspaceStore } from '../state/workspace-store';
import { formatBytes } from '../viewers/viewer-kind';

/** "sha256:ab12…" shortened to what a person compares by eye; the full value is in the title. */
export function shortKey(key: string): string {
  const hex = key.replace(/^sha256:/, '');
  return `sha256:${hex.slice(0, 16)}…`;
}

export function importSentence(o: ImportOutcome): string {
  // The shortened key ends in an ellipsis, so it does not end the sentence ("…." reads as a typo).
  return `Imported ${o.model} ${o.version} as case ${o.caseId}, signature by ${shortKey(o.signer)}: ${o.artifactCount} files, ${formatBytes(o.totalBytes)}.`;
}

export function ImportPackageSection({ preview }: { preview: boolean }) {
  const importPackage = useImportPackage();
  const openCase = useWorkspaceStore((s) => s.openCase);
  const [file, setFile] = useState<File | null>(null);
  const [missing, setMissing] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const missingId = useId();
  const result = importPackage.data && !('cancelled' in importPackage.data) ? importPackage.data : null;
  const duplicateOf = importPackage.error?.code === 'CONFLICT' ? importPackage.error.detail['caseId'] : undefined;

  return (
    <section className="import-package" aria-labelledby={`${inputId}-heading`}>
      <h2 id={`${inputId}-heading`}>Import a signed submission package</h2>
      <p id={hintId} className="hint">
        The signature and every file digest are checked before anything is stored. A package already imported is refused; a new version of a model is linked to the
        previous one.
      </p>
      {preview ? (
        <form
          className="import-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!file) {
              setMissing(true);
              input.current?.focus();
              return;
            }
            importPackage.mutate({ file });
          }}
        >
          <label htmlFor={inputId}>Package file (.zip)</label>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept=".zip,application/zip"
            aria-describedby={missing ? `${hintId} ${missingId}` : hintId}
            aria-invalid={missing || undefined}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setMissing(false);
            }}
          />
          {missing ? (
            <p id={missingId} className="field-error">
              Choose a package file first.
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={importPackage.isPending}>
            {importPackage.isPending ? 'Importing…' : 'Import package'}
          </button>
        </form>
      ) : (
        <div className="import-buttons">
          <button type="button" className="primary" disabled={importPackage.isPending} onClick={() => importPackage.mutate({ kind: 'zip' })} aria-describedby={hintId}>
            Choose a .zip file…
          </button>
          <button type="button" disabled={importPackage.isPending} onClick={() => importPackage.mutate({ kind: 'folder' })} aria-describedby={hintId}>
            Choose a folder…
          </button>
        </div>
      )}
      <ImportProgress subject="package" />
      {result ? (
        <div className="import-result">
          <p className="success-note">
            <strong>{importSentence(result)}</strong>
          </p>
          {result.previous ? (
            <p>
              Version {result.version} of {result.model}, previous: {result.previous.version}.
            </p>
          ) : null}
          <button type="button" onClick={() => openCase(result.caseId)}>
            Open {result.model} {result.version}
          </button>
        </div>
      ) : null}
      <ErrorAlert error={importPackage.error} />
      {typeof duplicateOf === 'string' ? (
        <button type="button" onClick={() => openCase(duplicateOf)}>
          Open the existing case
        </button>
      ) : null}
    </section>
  );
}
