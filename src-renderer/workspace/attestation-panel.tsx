/**
 * The attestation tab (see ARCHITECTURE: attestations and sync): the reviewer picks a verdict and writes the release summary,
 * reads a summary of the Statement that would leave (verdict, findings by severity, checklist, claims)
 * with the exact JSON one click away, and signs with the passphrase again (step-up).
 * Below, what awaits transfer: offline is the normal state, so each item says in words whether it is
 * pending or delivered, and removable media is offered alongside (not instead of) the network.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Verdict } from '../../src-shared/attestation-types';
import { useAttestPreview, useAttestSign, useExportMedia, useOutbox, useSyncNow, type MediaExport, type SyncNowResult } from '../api/attest-hooks';
import { useSessionStatus } from '../api/hooks';
import { ErrorAlert } from '../components/error-alert';
import { summariseStatement, type AttestationSummary } from './attestation-summary';

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
        {previewCurrent && preview.data ? <StatementPreview json={preview.data.json} predictedFields={preview.data.predictedFields} /> : null}
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

function verdictLabel(v: string): string {
  return (VERDICT_LABEL as Record<string, string>)[v] ?? v;
}

function SummaryList({ summary }: { summary: AttestationSummary }) {
  const found = summary.findings.filter((f) => f.count > 0);
  return (
    <dl className="attest-summary">
      <dt>Verdict</dt>
      <dd>{verdictLabel(summary.verdict)}</dd>
      <dt>Findings</dt>
      <dd>
        {summary.findingTotal === 0 ? 'none' : `${summary.findingTotal}: ${found.map((f) => `${f.count} ${f.severity}`).join(', ')}`}
        <span className="hint"> (withdrawn findings are not counted)</span>
      </dd>
      <dt>Checklist</dt>
      <dd>
        {summary.checklist.completed} of {summary.checklist.total} items reviewed (rubric {summary.checklist.rubricVersion})
      </dd>
      {summary.claims ? (
        <>
          <dt>Claims</dt>
          <dd>{summary.claims.length === 0 ? 'none' : summary.claims.map((c) => `${c.count} ${c.status}`).join(', ')}</dd>
        </>
      ) : null}
      <dt>Covers</dt>
      <dd>
        {summary.subjects} subject{summary.subjects === 1 ? '' : 's'} (every artifact and the package, by SHA-256)
        {summary.reviewWindow ? `; review window ${summary.reviewWindow.start.slice(0, 10)} to ${summary.reviewWindow.end.slice(0, 10)}` : ''}
      </dd>
      <dt>Release summary</dt>
      <dd className="attest-release-summary">{summary.releaseSummary.length > 0 ? summary.releaseSummary : '(empty)'}</dd>
    </dl>
  );
}

/** What would leave: a summary to read, and the exact statement behind a disclosure. */
function StatementPreview({ json, predictedFields }: { json: string; predictedFields: readonly string[] }) {
  const ids = useId();
  const summary = summariseStatement(json);
  return (
    <section className="attest-preview" aria-labelledby={`${ids}-heading`}>
      <h3 id={`${ids}-heading`}>What this attestation says</h3>
      {summary ? <SummaryList summary={summary} /> : <p className="hint">The statement could not be summarised; read it below.</p>}
      {predictedFields.length > 0 ? <p className="hint">Fixed only at signing (shown as predicted): {predictedFields.join(', ')}</p> : null}
      <details className="attest-raw" open={summary === null}>
        <summary>Show the raw statement (exactly what leaves this workstation)</summary>
        <pre className="attest-json" role="region" aria-label="Exactly what leaves this workstation" tabIndex={0}>
          {json}
        </pre>
      </details>
    </section>
  );
}

function describeSync(r: SyncNowResult, serverUrl: string | null): string {
  if (r.mode === 'offline' || !serverUrl) return 'No server is named by the policy in force: carry attestations on removable media instead.';
  return `Delivered ${r.delivered}, failed ${r.failed}, deferred ${r.deferred}.`;
}

function describeExport(r: MediaExport): string {
  if (r.cancelled) return 'Export cancelled: nothing was written.';
  const place = r.where === null ? `the bundle “${r.bundleName}” in the workstation's export folder` : `the bundle “${r.bundleName}” at ${r.where}`;
  return `Wrote ${r.items} item(s) and ${r.files.length} file(s) to ${place}.`;
}

function Outbox() {
  const outbox = useOutbox();
  const exportMedia = useExportMedia();
  const syncNow = useSyncNow();
  const ids = useId();
  // The app asks where with main's save dialog; the browser preview has none, so the folder is typed.
  const preview = useSessionStatus().data?.preview ?? false;
  const [folder, setFolder] = useState('');
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
      {preview ? (
        <div className="panel-form">
          <label htmlFor={`${ids}-folder`}>Folder to write the bundle to (full path)</label>
          <input id={`${ids}-folder`} value={folder} onChange={(e) => setFolder(e.target.value)} aria-describedby={`${ids}-folder-hint`} maxLength={4096} />
          <p id={`${ids}-folder-hint`} className="hint">
            A mounted drive or any existing folder; the bundle gets a new folder inside it. Empty: the workstation's export folder.
          </p>
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" onClick={() => exportMedia.mutate(preview && folder.trim().length > 0 ? { folder: folder.trim() } : {})} disabled={exportMedia.isPending}>
          {preview ? 'Export to removable media' : 'Export to removable media…'}
        </button>
        <button type="button" onClick={() => syncNow.mutate()} disabled={syncNow.isPending}>
          Send now
        </button>
      </div>
      <ErrorAlert error={exportMedia.error} />
      <ErrorAlert error={syncNow.error} />
      {exportMedia.data ? (
        <p role="status" className={exportMedia.data.cancelled ? undefined : 'success-note'}>
          {describeExport(exportMedia.data)}
        </p>
      ) : null}
      {syncNow.data ? <p role="status">{describeSync(syncNow.data, outbox.data?.serverUrl ?? null)}</p> : null}
    </section>
  );
}
