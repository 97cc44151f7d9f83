import type { RefObject } from 'react';
import type { RwError } from '../../src-shared/errors';
import { ErrorAlert } from './error-alert';

/** The passphrase a gated action asks for again (step-up), with the refusal it may come back with. */
export function StepUpPassphrase({ ids, pass, error }: { ids: string; pass: RefObject<HTMLInputElement | null>; error: RwError | null }) {
  return (
    <>
      <label htmlFor={`${ids}-pass`}>Your passphrase (confirms it is you)</label>
      <input id={`${ids}-pass`} type="password" autoComplete="current-password" ref={pass} required />
      <ErrorAlert error={error} stepUp />
    </>
  );
}

/** A dialog form's submit and Close buttons. */
export function DialogActions({ label, disabled, dialog }: { label: string; disabled: boolean; dialog: RefObject<HTMLDialogElement | null> }) {
  return (
    <div className="row-actions">
      <button type="submit" className="primary" disabled={disabled}>
        {label}
      </button>
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </div>
  );
}
