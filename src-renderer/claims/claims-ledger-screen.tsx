/**
 * The claims ledger of a case: the documentation on one side with every numeric claim marked by its
 * status (an icon and a word as well as a colour), the ledger on the other — what each claim says,
 * what the evidence recomputes, and why it is supported, contradicted, unverifiable or unlinked. A claim
 * opens the evidence screen at its log and metric; the reviewer can link, relink or unlink a claim and
 * override its status with a reason, each in a dialog reachable by keyboard.
 */
import { Fragment, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { RwError } from '../../src-shared/errors';
import type { ClaimStatusValue, LedgerEntryView, LedgerView } from '../../src-shared/ipc/channels-claims';
import { useClaimsLedger, useLinkClaim, useOverrideClaim } from '../api/claims-hooks';
import { ErrorAlert } from '../components/error-alert';
import { useEvidenceStore } from '../state/evidence-store';
import { useWorkspaceStore } from '../state/workspace-store';
import { CLAIM_STATUS_ICON, CLAIM_STATUS_WORDS, CLAIM_STATUSES, formatClaimValue } from './claim-words';

export function ClaimsLedgerScreen({ caseId }: { caseId: string }) {
  const ledger = useClaimsLedger(caseId);
  const [selected, setSelected] = useState<string | null>(null);
  if (ledger.isPending) {
    return (
      <div className="claims-ledger">
        <p className="loading" role="status">
          Reading the documentation and recomputing every evaluation log…
        </p>
      </div>
    );
  }
  if (ledger.isError) {
    return (
      <div className="claims-ledger">
        <ErrorAlert error={ledger.error} />
      </div>
    );
  }
  const view = ledger.data;
  return (
    <div className="claims-ledger">
      <section className="claims-card" aria-labelledby="claims-card-h" tabIndex={0}>
        <h2 id="claims-card-h">Documentation</h2>
        <StatusLegend />
        {view.documents.length === 0 ? <p>The case has no Markdown or text documentation to read claims from.</p> : null}
        {view.documents.map((d) => (
          <ClaimedDocument key={d.artifactId} doc={d} entries={view.entries.filter((e) => e.artifactId === d.artifactId)} onSelect={setSelected} />
        ))}
      </section>
      <section className="claims-table-area" aria-labelledby="claims-ledger-h" tabIndex={0}>
        <h2 id="claims-ledger-h">Claims ledger</h2>
        <Counts counts={view.counts} />
        {view.entries.length === 0 ? (
          <p>No numeric claims were found in the documentation.</p>
        ) : (
          <ol className="ledger-list" aria-label="Claims">
            {view.entries.map((e) => (
              <LedgerRow key={e.key} entry={e} view={view} caseId={caseId} selected={selected === e.key} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function StatusLegend() {
  return (
    <p className="claims-legend" aria-label="Legend">
      {CLAIM_STATUSES.map((s) => (
        <span key={s} className={`claim-status claim-${s}`}>
          <span aria-hidden="true">{CLAIM_STATUS_ICON[s]} </span>
          {CLAIM_STATUS_WORDS[s]}
        </span>
      ))}
    </p>
  );
}

function Counts({ counts }: { counts: LedgerView['counts'] }) {
  return (
    <p className="claims-counts" aria-label="Claims by status">
      {CLAIM_STATUSES.map((s, i) => (
        <Fragment key={s}>
          {i > 0 ? ' · ' : ''}
          <span className={`claim-status claim-${s}`}>
            <span aria-hidden="true">{CLAIM_STATUS_ICON[s]} </span>
            {counts[s]} {CLAIM_STATUS_WORDS[s].toLowerCase()}
          </span>
        </Fragment>
      ))}
    </p>
  );
}

/** Opens the evidence screen at the claim's log, with the claim's metric marked in its headline table. */
function useOpenEvidence() {
  const setMode = useWorkspaceStore((s) => s.setMode);
  const openAt = useEvidenceStore((s) => s.openAt);
  return (e: LedgerEntryView) => {
    if (!e.evidenceRef) return;
    openAt(e.evidenceRef, { scorer: e.scorer, metric: e.metric });
    setMode('evidence');
  };
}

/** The document's text with each claim marked; a mark opens the evidence, or shows the claim in the ledger. */
function ClaimedDocument({ doc, entries, onSelect }: { doc: LedgerView['documents'][number]; entries: LedgerEntryView[]; onSelect(key: string): void }) {
  const openEvidence = useOpenEvidence();
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const e of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (e.offset < at || doc.text.slice(e.offset, e.offset + e.text.length) !== e.text) continue;
    parts.push(doc.text.slice(at, e.offset));
    parts.push(
      <button
        key={e.key}
        type="button"
        className={`claim-mark claim-${e.status}`}
        aria-label={`${e.text}, ${CLAIM_STATUS_WORDS[e.status].toLowerCase()}${e.evidenceRef ? ': open the evidence' : ': show in the ledger'}`}
        onClick={() => {
          onSelect(e.key);
          if (e.evidenceRef) openEvidence(e);
          else document.getElementById(rowId(e.key))?.focus();
        }}
      >
        <span aria-hidden="true">{CLAIM_STATUS_ICON[e.status]}</span>
        {e.text}
      </button>,
    );
    at = e.offset + e.text.length;
  }
  parts.push(doc.text.slice(at));
  return (
    <article className="claims-doc" aria-label={doc.path}>
      <h3>{doc.path}</h3>
      <pre className="claims-doc-text">{parts}</pre>
    </article>
  );
}

function rowId(key: string): string {
  return `claim-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function LedgerRow({ entry: e, view, caseId, selected }: { entry: LedgerEntryView; view: LedgerView; caseId: string; selected: boolean }) {
  const openEvidence = useOpenEvidence();
  const row = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li ref={row} id={rowId(e.key)} tabIndex={-1} className={`ledger-row claim-${e.status}${selected ? ' is-selected' : ''}`} aria-label={`${e.text} at ${e.where}`}>
      <p className="ledger-head">
        <span className={`claim-status claim-${e.status}`}>
          <span aria-hidden="true">{CLAIM_STATUS_ICON[e.status]} </span>
          {CLAIM_STATUS_WORDS[e.status]}
        </span>{' '}
        <strong>{e.text}</strong> <span className="muted">{e.where}</span>
        {e.override ? <span className="muted"> · overridden (the evidence says {CLAIM_STATUS_WORDS[e.computedStatus].toLowerCase()})</span> : null}
      </p>
      <blockquote className="ledger-sentence">{e.sentence}</blockquote>
      <dl className="ledger-facts">
        <div>
          <dt>Task</dt>
          <dd>{e.task ?? '—'}</dd>
        </div>
        <div>
          <dt>Metric</dt>
          <dd>
            {e.scorer ? `${e.scorer}/` : ''}
            {e.metric}
          </dd>
        </div>
        <div>
          <dt>Claimed</dt>
          <dd>{formatClaimValue(e.claimed)}</dd>
        </div>
        <div>
          <dt>Log header</dt>
          <dd>{formatClaimValue(e.reported)}</dd>
        </div>
        <div>
          <dt>Recomputed</dt>
          <dd>{formatClaimValue(e.recomputed)}</dd>
        </div>
        <div>
          <dt>Evidence</dt>
          <dd>
            {e.evidence ?? '—'}
            {e.linkedBy === 'reviewer' ? ' (linked by the reviewer)' : e.linkedBy === 'task' ? ' (by its task)' : ''}
          </dd>
        </div>
      </dl>
      <p className="ledger-message">{e.message}</p>
      {e.override ? (
        <p className="ledger-override">
          Overridden by {e.override.by}: {e.override.reason}
        </p>
      ) : null}
      <div className="row-actions">
        {e.evidenceRef ? (
          <button type="button" onClick={() => openEvidence(e)}>
            Open the evidence for {e.text}
          </button>
        ) : null}
        <LinkDialog entry={e} view={view} caseId={caseId} />
        <OverrideDialog entry={e} caseId={caseId} />
      </div>
    </li>
  );
}

/**
 * A button that opens a modal form about one claim: the ledger's link and override dialogs share the
 * opening (state reset to the entry's), the title, the error and the save/cancel actions.
 */
function ClaimDialog(props: {
  opener: ReactNode;
  title: ReactNode;
  submitLabel: string;
  pending: boolean;
  error: RwError | null;
  onOpen(): void;
  onSubmit(done: () => void): void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => ref.current?.close();
  return (
    <>
      <button
        type="button"
        onClick={() => {
          props.onOpen();
          ref.current?.showModal();
        }}
      >
        {props.opener}
      </button>
      <dialog ref={ref} className="claim-dialog" aria-labelledby={titleId}>
        <form
          className="panel-form"
          onSubmit={(ev: FormEvent) => {
            ev.preventDefault();
            props.onSubmit(close);
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          {props.children}
          <ErrorAlert error={props.error} />
          <div className="row-actions">
            <button type="submit" className="primary" disabled={props.pending}>
              {props.submitLabel}
            </button>
            <button type="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

function LinkDialog({ entry: e, view, caseId }: { entry: LedgerEntryView; view: LedgerView; caseId: string }) {
  const link = useLinkClaim(caseId);
  const ids = useId();
  const current = e.link === 'log' ? (e.evidenceRef ?? 'auto') : e.link;
  const [choice, setChoice] = useState(current);
  return (
    <ClaimDialog
      opener={`${e.status === 'unlinked' ? 'Link' : 'Relink'} ${e.text}…`}
      title={`Link “${e.text}” to a log`}
      submitLabel="Save the link"
      pending={link.isPending}
      error={link.error}
      onOpen={() => {
        link.reset();
        setChoice(current);
      }}
      onSubmit={(done) => {
        const value = choice === 'auto' ? { kind: 'auto' as const } : choice === 'none' ? { kind: 'none' as const } : { kind: 'log' as const, artifactId: choice };
        link.mutate({ claimKey: e.key, link: value, revision: e.revision }, { onSuccess: done });
      }}
    >
      <p className="hint">{e.sentence}</p>
      <label htmlFor={`${ids}-log`}>Evidence for this claim</label>
      <select id={`${ids}-log`} value={choice} onChange={(ev) => setChoice(ev.target.value)}>
        <option value="auto">Automatic: the log of the task it names</option>
        {view.logs.map((l) => (
          <option key={l.artifactId} value={l.artifactId}>
            {l.path} ({l.task || 'no task'}
            {l.model ? `, ${l.model}` : ''})
          </option>
        ))}
        <option value="none">Not linked to any log</option>
      </select>
    </ClaimDialog>
  );
}

const MIN_REASON = 10;

function OverrideDialog({ entry: e, caseId }: { entry: LedgerEntryView; caseId: string }) {
  const override = useOverrideClaim(caseId);
  const ids = useId();
  const [status, setStatus] = useState<ClaimStatusValue | 'none'>(e.override?.status ?? 'none');
  const [reason, setReason] = useState(e.override?.reason ?? '');
  return (
    <ClaimDialog
      opener={`Override the status of ${e.text}…`}
      title={`Override the status of “${e.text}”`}
      submitLabel="Save the status"
      pending={override.isPending}
      error={override.error}
      onOpen={() => {
        override.reset();
        setStatus(e.override?.status ?? 'none');
        setReason(e.override?.reason ?? '');
      }}
      onSubmit={(done) => override.mutate({ claimKey: e.key, override: status === 'none' ? null : { status, reason }, revision: e.revision }, { onSuccess: done })}
    >
      <p className="hint">
        The evidence says: {CLAIM_STATUS_WORDS[e.computedStatus].toLowerCase()}. {e.message}
      </p>
      <label htmlFor={`${ids}-status`}>Status</label>
      <select id={`${ids}-status`} value={status} onChange={(ev) => setStatus(ev.target.value as ClaimStatusValue | 'none')}>
        <option value="none">No override: the evidence decides</option>
        {CLAIM_STATUSES.map((s) => (
          <option key={s} value={s}>
            {CLAIM_STATUS_WORDS[s]}
          </option>
        ))}
      </select>
      {status !== 'none' ? (
        <>
          <label htmlFor={`${ids}-reason`}>Reason</label>
          <textarea id={`${ids}-reason`} value={reason} onChange={(ev) => setReason(ev.target.value)} minLength={MIN_REASON} maxLength={2000} required aria-describedby={`${ids}-reason-hint`} />
          <p id={`${ids}-reason-hint`} className="hint">
            At least {MIN_REASON} characters; kept with the claim's history and shown in the ledger.
          </p>
        </>
      ) : null}
    </ClaimDialog>
  );
}
