/**
 * The gated excerpt export (see ARCHITECTURE: insider-risk controls): only when the signed policy says `justify`. The reviewer
 * states why (at least 20 characters) and re-enters the passphrase (step-up); main decodes and
 * re-encodes the excerpt, burns in the watermark, writes it to its own export folder and logs it.
 * The renderer never chooses a path and never sees the file.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { useControlsStatus, useExport } from '../api/controls-hooks';
import { DialogActions, JustificationField, justified, StepUpPassphrase } from '../components/step-up-form';
import type { ExcerptProvider } from './excerpt-context';

/** The contract's minimum (channels-controls.ts; the router enforces it): restated here so the renderer bundles no zod. */

export function ExportExcerpt({ artifactId, provider }: { artifactId: string; provider: ExcerptProvider | null }) {
  const status = useControlsStatus();
  const exporter = useExport();
  const dialog = useRef<HTMLDialogElement>(null);
  const pass = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [justification, setJustification] = useState('');
  const [label, setLabel] = useState('');

  if (status.data?.printExportMode !== 'justify') {
    return <p className="hint">Export and print are disabled by the policy in force.</p>;
  }
  if (!provider) return null;

  const open = () => {
    exporter.reset();
    setLabel(provider.label());
    dialog.current?.showModal();
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const passphrase = pass.current?.value ?? '';
    if (pass.current) pass.current.value = '';
    const excerpt = await provider.get();
    const common = { artifactId, label, justification, passphrase };
    exporter.mutate(excerpt.kind === 'png' ? { kind: 'png', ...common, png: excerpt.png } : { kind: 'csv', ...common, csv: excerpt.csv });
  };

  return (
    <>
      <button type="button" onClick={open}>
        Export excerpt…
      </button>
      <dialog ref={dialog} className="export-dialog" aria-labelledby={`${ids}-title`}>
        <form onSubmit={(e) => void onSubmit(e)} className="panel-form">
          <h2 id={`${ids}-title`}>Export an excerpt</h2>
          <p className="hint">
            The excerpt ({label}) is watermarked with your session, written to the workstation's export folder, and recorded in the access log with
            your justification.
          </p>
          <p className="hint">
            In a table excerpt, cells that a spreadsheet would run as formulas (starting with =, +, -, @, a tab or a carriage return) are written
            with a leading apostrophe, so they open as text.
          </p>
          <JustificationField ids={ids} value={justification} onChange={setJustification} />
          <StepUpPassphrase ids={ids} pass={pass} error={exporter.error} />
          {exporter.isSuccess ? (
            <p role="status" className="success-note">
              <strong>Exported:</strong> {exporter.data.fileName} ({exporter.data.bytes} bytes, sha256 {exporter.data.sha256.slice(0, 16)}…)
            </p>
          ) : null}
          <DialogActions label="Export" disabled={exporter.isPending || !justified(justification)} dialog={dialog} />
        </form>
      </dialog>
    </>
  );
}
