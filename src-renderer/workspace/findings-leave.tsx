/**
 * The findings leaving the workstation: exported as CSAF 2.0, CSAF 2.1 or OpenVEX (validated, then
 * watermarked and written by main into its export folder, with a justification and the passphrase
 * again), or signed as a findings attestation and queued for the central office (passphrase again).
 * Both live in dialogs reachable by keyboard; the renderer never chooses a path nor sees the file.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import type { FindingsExportFormat } from '../../src-shared/ipc/channels-findings';
import { useControlsStatus } from '../api/controls-hooks';
import { useAttestFindings, useExportFindings } from '../api/findings-hooks';
import { DialogActions, JustificationField, justified, StepUpPassphrase } from '../components/step-up-form';

const FORMAT_LABEL: Record<FindingsExportFormat, string> = {
  csaf: 'CSAF 2.0 security advisory (CVSS v4 in a note)',
  csaf21: 'CSAF 2.1 security advisory (native CVSS v4)',
  openvex: 'OpenVEX v0.2.0',
};
const FORMATS = Object.keys(FORMAT_LABEL) as FindingsExportFormat[];
/** The contract's minimum, restated so the renderer bundles no zod. */

export function FindingsLeave({ caseId }: { caseId: string }) {
  const status = useControlsStatus();
  return (
    <div className="row-actions findings-leave">
      {status.data?.printExportMode === 'justify' ? <ExportFindings caseId={caseId} /> : <p className="hint">Exporting findings is disabled by the policy in force.</p>}
      <AttestFindings caseId={caseId} />
    </div>
  );
}

function ExportFindings({ caseId }: { caseId: string }) {
  const exporter = useExportFindings();
  const dialog = useRef<HTMLDialogElement>(null);
  const pass = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [format, setFormat] = useState<FindingsExportFormat>('csaf');
  const [justification, setJustification] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const passphrase = pass.current?.value ?? '';
    if (pass.current) pass.current.value = '';
    exporter.mutate({ caseId, format, justification, passphrase });
  };
  return (
    <>
      <button
        type="button"
        onClick={() => {
          exporter.reset();
          dialog.current?.showModal();
        }}
      >
        Export findings…
      </button>
      <dialog ref={dialog} className="export-dialog" aria-labelledby={`${ids}-title`}>
        <form className="panel-form" onSubmit={submit}>
          <h2 id={`${ids}-title`}>Export the findings</h2>
          <p className="hint">Every finding of this case with its CVSS v4.0 vector and evidence, validated, watermarked with your session, written to the workstation's export folder and recorded in the access log with your justification.</p>
          <label htmlFor={`${ids}-format`}>Format</label>
          <select id={`${ids}-format`} value={format} onChange={(e) => setFormat(e.target.value as FindingsExportFormat)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
          <JustificationField ids={ids} value={justification} onChange={setJustification} />
          <StepUpPassphrase ids={ids} pass={pass} error={exporter.error} />
          {exporter.isSuccess ? (
            <p role="status" className="success-note">
              <strong>Exported:</strong> {exporter.data.findings} finding{exporter.data.findings === 1 ? '' : 's'} as {exporter.data.fileName} ({exporter.data.checks} validation checks passed, sha256 {exporter.data.sha256.slice(0, 16)}…)
            </p>
          ) : null}
          <DialogActions label="Export" disabled={exporter.isPending || !justified(justification)} dialog={dialog} />
        </form>
      </dialog>
    </>
  );
}

function AttestFindings({ caseId }: { caseId: string }) {
  const attest = useAttestFindings();
  const dialog = useRef<HTMLDialogElement>(null);
  const pass = useRef<HTMLInputElement>(null);
  const ids = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const passphrase = pass.current?.value ?? '';
    if (pass.current) pass.current.value = '';
    attest.mutate({ caseId, passphrase });
  };
  return (
    <>
      <button
        type="button"
        onClick={() => {
          attest.reset();
          dialog.current?.showModal();
        }}
      >
        Sign the findings…
      </button>
      <dialog ref={dialog} className="export-dialog" aria-labelledby={`${ids}-title`}>
        <form className="panel-form" onSubmit={submit}>
          <h2 id={`${ids}-title`}>Sign the findings for the central office</h2>
          <p className="hint">The findings, their CVSS scores and evidence references are signed with your reviewer key as a findings attestation and queued in the outbox.</p>
          <StepUpPassphrase ids={ids} pass={pass} error={attest.error} />
          {attest.isSuccess ? (
            <p role="status" className="success-note">
              <strong>Signed:</strong> {attest.data.findings} finding{attest.data.findings === 1 ? '' : 's'}, queued as {attest.data.envelopeSha256.slice(0, 16)}… (sequence {attest.data.sequence}).
            </p>
          ) : null}
          <DialogActions label="Sign and queue" disabled={attest.isPending} dialog={dialog} />
        </form>
      </dialog>
    </>
  );
}
