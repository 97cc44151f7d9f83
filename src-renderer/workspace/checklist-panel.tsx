/** The review checklist from the rubric: a status per item (saved at once) and an optional comment. */
import { useId, useState } from 'react';
import type { ChecklistItemState, ChecklistStatus } from '../../src-shared/ipc/channels-workspace';
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
