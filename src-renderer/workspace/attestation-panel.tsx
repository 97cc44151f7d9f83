/**
 * The attestation tab (see ARCHITECTURE: attestations and sync): the reviewer picks a verdict and writes the release summary,
 * sees the exact Statement JSON that would leave, and signs with the passphrase again (step-up).
 * Below, what awaits transfer: offline is the normal state, so each item says in words whether it is
 * pending or delivered, and removable media is offered alongside (not instead of) the network.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Verdict } from '../../src-shared/attestation-types';
import { useAttestPreview, useAttestSign, useExportMedia, useOutbox, useSyncNow, type SyncNowResult } from '../api/attest-hooks';
import { ErrorAlert } from '../components/error-alert';

const VERDICT_LABEL: Record<Verdict, string> = {
  'no-objection': 'No objection',
  concerns: 'Concerns',
  objection: 'Objection',
};
// Type-only contract import (no zod in the renderer bundle); the Record above keeps the list complete.
const VERDICT_VALUES = Object.keys(VERDICT_LABEL) as Verdict[];
/** RELEASE_SUMMARY_MAX_CHARS in src-shared/attestation-types.ts (a value import would bundle zod). */
const SUMMARY_MAX = 4000;

export function AttestationPanel({ caseId }: { caseId: string }) {
  const ids = useId();
  const preview = useAttestPreview();
  const sign = useAttestSign();
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [summary, setSummary] = useState('');
  const [passphrase, setPassphrase] = useState('');

  // A preview shown for other inputs than those now in the form would not be what leaves.
  const previewCurrent = preview.data && preview.variables?.verdict === verdict && preview.variables.releaseSummary === summary;

  const onPreview = () => {
    if (verdict) preview.mutate({ caseId, verdict, releaseSummary: summary });
  };
  const onSign = (e: FormEvent) => {
    e.preventDefault();
    if (!verdict || passphrase.length === 0) return;
    sign.reset();
    // The passphrase is dropped from the form whatever the outcome: it is asked for each signing.
    sign.mutate({ caseId, verdict, releaseSummary: summary, passphrase }, { onSettled: () => setPassphrase('') });
  };

  return (
    <div>
      <h2 className="panel-title">Attestation</h2>
      <form className="panel-form" onSubmit={onSign}>
        <fieldset className="verdict-group">
          <legend>Verdict</legend>
          {VERDICT_VALUES.map((v) => (
            <label key={v} className="radio-option">
              <input type="radio" name={`${ids}-verdict`} value={v} checked={verdict === v} onChange={() => setVerdict(v)} />
              {VERDICT_LABEL[v]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${ids}-summary`}>Release summary</label>
        <textarea
          id={`${ids}-summary`}
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          maxLength={SUMMARY_MAX}
          aria-describedby={`${ids}-count`}
        />
        <p className="hint" id={`${ids}-count`}>
          {summary.length} of {SUMMARY_MAX} characters
        </p>
        <button type="button" onClick={onPreview} disabled={!verdict || preview.isPending}>
          Preview what will leave
        </button>
        <ErrorAlert error={preview.error} />
        {previewCurrent && preview.data ? (
          <div className="attest-preview">
            <p className="hint" id={`${ids}-preview-label`}>
              Exactly what leaves this workstation
            </p>
            {preview.data.predictedFields.length > 0 ? (
              <p className="hint">Fixed only at signing (shown as predicted): {preview.data.predictedFields.join(', ')}</p>
            ) : null}
            <pre className="attest-json" role="region" aria-labelledby={`${ids}-preview-label`} tabIndex={0}>
              {preview.data.json}
            </pre>
          </div>
        ) : null}
        <label htmlFor={`${ids}-passphrase`}>Passphrase (asked again to sign)</label>
        <input id={`${ids}-passphrase`} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} maxLength={1024} />
        <button type="submit" disabled={!verdict || passphrase.length === 0 || sign.isPending}>
          Sign attestation
        </button>
        <ErrorAlert error={sign.error} stepUp />
        {sign.data ? (
          <p role="status" className="success-note">
            Attestation signed (sequence {sign.data.sequence}, access-log entry {sign.data.accessLogIndex}). It awaits transfer below.
          </p>
        ) : null}
      </form>
      <Outbox />
    </div>
  );
}

function describeSync(r: SyncNowResult, serverUrl: string | null): string {
  if (r.mode === 'offline' || !serverUrl) return 'No server is named by the policy in force: carry attestations on removable media instead.';
  return `Delivered ${r.delivered}, failed ${r.failed}, deferred ${r.deferred}.`;
}

function Outbox() {
  const outbox = useOutbox();
  const exportMedia = useExportMedia();
  const syncNow = useSyncNow();
  const ids = useId();
  return (
    <section aria-labelledby={`${ids}-outbox`} className="outbox">
      <h3 id={`${ids}-outbox`}>Awaiting transfer</h3>
      {outbox.isPending ? <p className="loading">Loading the outbox…</p> : null}
      <ErrorAlert error={outbox.error} />
      {outbox.data ? (
        <>
          <p className="hint">{outbox.data.serverUrl ? `Server named by the policy: ${outbox.data.serverUrl}` : 'Offline: the policy names no server.'}</p>
          {outbox.data.items.length === 0 ? (
            <p className="hint">Nothing signed yet.</p>
          ) : (
            <ul className="outbox-list">
              {outbox.data.items.map((item) => (
                <li key={item.envelopeSha256} className={`outbox-item outbox-${item.state}`}>
                  <span className="outbox-label">{item.label}</span>{' '}
                  <span className="outbox-state">{item.state === 'pending' ? 'Pending transfer' : 'Delivered'}</span>
                  <span className="item-meta">
                    {new Date(item.createdAt).toISOString()}
                    {item.serverLogIndex !== null ? ` · server log entry ${item.serverLogIndex}` : ''}
                    {item.lastError ? ` · last error: ${item.lastError}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      <div className="button-row">
        <button type="button" onClick={() => exportMedia.mutate()} disabled={exportMedia.isPending}>
          Export to removable media
        </button>
        <button type="button" onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
          Send now
        </button>
      </div>
      <ErrorAlert error={exportMedia.error} />
      <ErrorAlert error={syncNow.error} />
      {exportMedia.data ? (
        <p role="status" className="success-note">
          Wrote {exportMedia.data.items} item(s) to the bundle “{exportMedia.data.bundleName}” in the export folder.
        </p>
      ) : null}
      {syncNow.data ? <p role="status">{describeSync(syncNow.data, outbox.data?.serverUrl ?? null)}</p> : null}
    </section>
  );
}
