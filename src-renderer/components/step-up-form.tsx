import type { RefObject } from 'react';
import type { RwError } from '../../src-shared/errors';
import { ErrorAlert } from './error-alert';

/** The passphrase a gated action asks for again (step-up), with the refusal it may come back with. */
/** The export gate's floor (main checks it again): a reason someone reading the access log can act on. */
export const MIN_JUSTIFICATION_CHARS = 20;

/** True when a justification is long enough for the gate, so the dialog's Export can be offered. */
export function justified(text: string): boolean {
  return text.trim().length >= MIN_JUSTIFICATION_CHARS;
}

/** The justification every gated export asks for, with its hint. */
export function JustificationField({ ids, value, onChange }: { ids: string; value: string; onChange(value: string): void }) {
  return (
    <>
      <label htmlFor={`${ids}-why`}>Justification</label>
      <textarea id={`${ids}-why`} value={value} onChange={(e) => onChange(e.target.value)} minLength={MIN_JUSTIFICATION_CHARS} maxLength={2000} required aria-describedby={`${ids}-why-hint`} />
      <p id={`${ids}-why-hint`} className="hint">
        At least {MIN_JUSTIFICATION_CHARS} characters: who needs it and why.
      </p>
    </>
  );
}

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
