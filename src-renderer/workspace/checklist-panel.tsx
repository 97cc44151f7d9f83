/**
 * The review checklist from the rubric: a status per item (saved at once) and an optional comment. A
 * documentation criterion shows where the app proposes the documents answer it (the reviewer confirms
 * the place, which links the document to the item); "claims match the evidence" shows the status the
 * claims ledger proposes (the reviewer confirms it). Criteria not yet answered are listed first.
 */
import { useId, useState } from 'react';
import type { Checklist, ChecklistItemState, ChecklistStatus } from '../../src-shared/ipc/channels-workspace';
import type { ClaimCounts } from '../../src-shared/ipc/channels-claims';
import { useClaimsLedger } from '../api/claims-hooks';
import { useChecklist, useSetChecklistItem } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';

const STATUS_LABEL: Record<ChecklistStatus, string> = {
  unreviewed: 'Not reviewed',
  pass: 'Pass',
  concern: 'Concern',
  fail: 'Fail',
  'not-applicable': 'Not applicable',
};
// Type-only contract import (no zod in the renderer bundle); the Record above keeps the list complete.
const CHECKLIST_STATUS_VALUES = Object.keys(STATUS_LABEL) as ChecklistStatus[];

export function ChecklistPanel({ caseId }: { caseId: string }) {
  const checklist = useChecklist(caseId);
  if (checklist.isPending) return <p className="loading">Loading the checklist…</p>;
  if (checklist.isError) return <ErrorAlert error={checklist.error} />;
  const c = checklist.data;
  return (
    <div>
      <h2 className="panel-title">{c.rubric.title}</h2>
      <p className="hint">Rubric version {c.rubric.version}</p>
      <Unanswered unanswered={c.unanswered} />
      {c.sections.map((section) => (
        <section key={section.id} aria-labelledby={`section-${section.id}`}>
          <h3 id={`section-${section.id}`}>{section.title}</h3>
          <ul className="checklist">
            {section.items.map((item) => (
              <ChecklistItem key={item.id} item={item} caseId={caseId} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ChecklistItem({ item, caseId }: { item: ChecklistItemState; caseId: string }) {
  const set = useSetChecklistItem(caseId);
  const ids = useId();
  const [comment, setComment] = useState(item.comment);
  const save = (status: ChecklistStatus, text: string) =>
    set.mutate({ caseId, itemId: item.id, status, comment: text, artifactIds: item.artifactIds, revision: item.revision });
  return (
    <li>
      <div className="checklist-item">
        <p className="checklist-title" id={`${ids}-title`}>
          {item.title}
        </p>
        {item.guidance ? <p className="hint">{item.guidance}</p> : null}
        <label htmlFor={`${ids}-status`}>Status</label>
        <select id={`${ids}-status`} value={item.status} onChange={(e) => save(e.target.value as ChecklistStatus, comment)} aria-describedby={`${ids}-title`} disabled={set.isPending}>
          {CHECKLIST_STATUS_VALUES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </select>
        <details>
          <summary>Comment{item.comment ? ' (1)' : ''}</summary>
          <label htmlFor={`${ids}-comment`}>Comment on “{item.title}”</label>
          <textarea id={`${ids}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={20_000} />
          <button type="button" onClick={() => save(item.status, comment)} disabled={set.isPending || comment === item.comment}>
            Save comment
          </button>
        </details>
        {item.prefill === 'claims-ledger' ? <LedgerProposal caseId={caseId} item={item} onConfirm={(status, text) => save(status, text)} busy={set.isPending} /> : null}
        {item.answer ? (
          <AnswerPlace
            item={item}
            busy={set.isPending}
            onConfirm={(artifactId, note) => set.mutate({ caseId, itemId: item.id, status: item.status, comment: item.comment ? `${item.comment}\n${note}` : note, artifactIds: [artifactId], revision: item.revision })}
          />
        ) : null}
        {item.updatedBy ? (
          <p className="item-meta">
            {STATUS_LABEL[item.status]} · set by {item.updatedBy}
          </p>
        ) : null}
        <ErrorAlert error={set.error} />
      </div>
    </li>
  );
}

function Unanswered({ unanswered }: { unanswered: Checklist['unanswered'] }) {
  if (unanswered.length === 0) return <p className="hint">Every documentation criterion has a confirmed answer.</p>;
  return (
    <details className="unanswered">
      <summary>
        {unanswered.length} documentation criteri{unanswered.length === 1 ? 'on' : 'a'} not yet answered
      </summary>
      <ul aria-label="Criteria not yet answered">
        {unanswered.map((u) => (
          <li key={u.id}>
            {u.title}
            {u.proposed ? ' (a place is proposed: confirm it below)' : ' (no place found in the documentation)'}
          </li>
        ))}
      </ul>
    </details>
  );
}

function AnswerPlace({ item, busy, onConfirm }: { item: ChecklistItemState; busy: boolean; onConfirm(artifactId: string, note: string): void }) {
  const proposal = item.answer?.proposal ?? null;
  if (item.artifactIds.length > 0) return <p className="item-meta">Answered in the linked document{item.artifactIds.length === 1 ? '' : 's'} (confirmed).</p>;
  if (!proposal) return <p className="item-meta">No place in the documentation answers this criterion yet.</p>;
  const place = `${proposal.path}, ${proposal.where}${proposal.section ? ` (section “${proposal.section}”)` : ''}`;
  return (
    <div className="answer-proposal">
      <p className="item-meta">
        Proposed answer: {place}: “{proposal.excerpt}”
      </p>
      <button type="button" onClick={() => onConfirm(proposal.artifactId, `Answered in ${place}.`)} disabled={busy}>
        Confirm the answer to “{item.title}”
      </button>
    </div>
  );
}

/** The status the claims ledger's counts propose: any contradiction fails; anything unchecked is a concern. */
export function proposedFromLedger(counts: ClaimCounts): ChecklistStatus | null {
  const total = counts.supported + counts.contradicted + counts.unverifiable + counts.unlinked;
  if (total === 0) return null;
  if (counts.contradicted > 0) return 'fail';
  if (counts.unverifiable + counts.unlinked > 0) return 'concern';
  return 'pass';
}

function LedgerProposal({ caseId, item, onConfirm, busy }: { caseId: string; item: ChecklistItemState; onConfirm(status: ChecklistStatus, comment: string): void; busy: boolean }) {
  const ledger = useClaimsLedger(caseId);
  if (ledger.isPending) return <p className="item-meta">Reading the claims ledger…</p>;
  if (ledger.isError) return <ErrorAlert error={ledger.error} />;
  const c = ledger.data.counts;
  const status = proposedFromLedger(c);
  const summary = `${c.supported} supported, ${c.contradicted} contradicted, ${c.unverifiable} unverifiable, ${c.unlinked} unlinked`;
  if (status === null) return <p className="item-meta">The claims ledger found no numeric claims in the documentation.</p>;
  return (
    <div className="answer-proposal">
      <p className="item-meta">
        From the claims ledger: {summary}. Proposed: {STATUS_LABEL[status]}.
      </p>
      {item.status === status ? null : (
        <button type="button" onClick={() => onConfirm(status, `From the claims ledger: ${summary}.`)} disabled={busy}>
          Confirm {STATUS_LABEL[status]} for “{item.title}”
        </button>
      )}
    </div>
  );
}
