/**
 * From a leaked screenshot or text to a session (see ARCHITECTURE: insider-risk controls): the auditor enters the 12-hex-digit code
 * the decoder (`rwctl watermark decode`) recovered, and the access log says who, on which workstation,
 * in which session and when.
 */
import { useId, useState, type FormEvent } from 'react';
import { useResolveWatermark } from '../api/controls-hooks';
import { ErrorAlert } from '../components/error-alert';
import { utc } from './format';

export function WatermarkLookup() {
  const resolve = useResolveWatermark();
  const ids = useId();
  const [code, setCode] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    resolve.mutate(code.trim());
  };
  const r = resolve.data;
  return (
    <form className="panel-form watermark-lookup" onSubmit={onSubmit} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Trace a watermark code</h2>
      <label htmlFor={`${ids}-code`}>Session code (12 hex digits)</label>
      <input
        id={`${ids}-code`}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        pattern="[0-9a-fA-F]{12}"
        maxLength={12}
        aria-describedby={`${ids}-hint`}
        autoComplete="off"
        spellCheck={false}
      />
      <p id={`${ids}-hint`} className="hint">
        As decoded from a screenshot, photo or copied text by rwctl watermark decode.
      </p>
      <button type="submit" className="primary" disabled={resolve.isPending || !/^[0-9a-fA-F]{12}$/.test(code.trim())}>
        Trace
      </button>
      <ErrorAlert error={resolve.error} />
      {r ? (
        r.found ? (
          <p role="status" className="success-note">
            <strong>Code {r.code}:</strong> {r.user ?? '(unknown user)'} on workstation {r.workstation ?? '?'}, session {r.session ?? '?'}, from{' '}
            {r.from !== null ? utc(r.from) : '?'} to {r.to !== null ? utc(r.to) : '?'} (access-log entry {r.seq ?? '?'}).
          </p>
        ) : (
          <p role="status">
            <strong>Code {r.code}:</strong> no session on this workstation's log carries this code.
          </p>
        )
      ) : null}
    </form>
  );
}
