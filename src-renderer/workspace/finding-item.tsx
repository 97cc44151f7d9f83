/**
 * One finding in the list: what it says, where it stands (status in words), and its history; "Edit"
 * opens a form for title, status, severity, CVSS vector, description and evidence references. Saves
 * are revision-checked: an edit over someone else's newer one is refused, not lost.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Finding, FindingStatus, Severity } from '../../src-shared/ipc/channels-workspace';
import { FINDING_FIELD_LABELS, withChanges } from '../../src-shared/record-changes';
import { useDeleteFinding, useEditFinding, useFindingHistory } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';
import { HistoryDisclosure, type HistoryRow } from './history-list';
import { EnumSelect } from './enum-select';
import { evidenceLines, SEVERITY_LABEL, STATUS_LABEL } from './finding-words';
import { useFoundItem } from './found-item';

function FindingHistory({ finding }: { finding: Finding }) {
  const [open, setOpen] = useState(false);
  const history = useFindingHistory(finding.id, open);
  const rows: HistoryRow[] | undefined = history.data && withChanges(history.data, FINDING_FIELD_LABELS, ['evidence']);
  return <HistoryDisclosure label={`History of ${finding.title}`} created="recorded" open={open} onToggle={setOpen} history={{ rows, error: history.error }} />;
}

export function FindingItem({ finding: f, caseId }: { finding: Finding; caseId: string }) {
  const edit = useEditFinding(caseId);
  const remove = useDeleteFinding(caseId);
  const [editing, setEditing] = useState(false);
  const found = useFoundItem('finding', f.id);
  return (
    <li ref={found.ref} {...found.props}>
      {editing ? (
        <FindingEditForm finding={f} pending={edit.isPending} onCancel={() => setEditing(false)} onSave={(change) => edit.mutate({ id: f.id, revision: f.revision, ...change }, { onSuccess: () => setEditing(false) })} />
      ) : (
        <>
          <p>
            <span className={`severity severity-${f.severity}`}>{f.severity}</span> <span className={`finding-status status-${f.status}`}>{STATUS_LABEL[f.status]}</span>{' '}
            <strong>{f.title}</strong>
          </p>
          <p className="item-meta">
            {f.category}
            {f.cvssVector ? ` · ${f.cvssVector}` : ''} · {f.artifactIds.length} artifact{f.artifactIds.length === 1 ? '' : 's'} cited · {f.author} · revision {f.revision}
          </p>
          {f.description ? <p>{f.description}</p> : null}
          {f.evidence.length > 0 ? (
            <ul className="evidence-refs" aria-label={`Evidence for ${f.title}`}>
              {f.evidence.map((r) => (
                <li key={r}>
                  <code>{r}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      <ErrorAlert error={edit.error ?? remove.error} />
      {!editing ? (
        <div className="row-actions">
          <button type="button" onClick={() => setEditing(true)} aria-label={`Edit finding ${f.title}`}>
            Edit
          </button>
          <button type="button" onClick={() => remove.mutate({ id: f.id, revision: f.revision })} aria-label={`Delete finding ${f.title}`}>
            Delete
          </button>
        </div>
      ) : null}
      <FindingHistory finding={f} />
    </li>
  );
}

interface FindingChange {
  title: string;
  status: FindingStatus;
  severity: Severity;
  cvssVector: string | null;
  description: string;
  evidence: string[];
}

function FindingEditForm({ finding, pending, onSave, onCancel }: { finding: Finding; pending: boolean; onSave: (change: FindingChange) => void; onCancel: () => void }) {
  const ids = useId();
  const [title, setTitle] = useState(finding.title);
  const [status, setStatus] = useState<FindingStatus>(finding.status);
  const [severity, setSeverity] = useState<Severity>(finding.severity);
  const [cvss, setCvss] = useState(finding.cvssVector ?? '');
  const [description, setDescription] = useState(finding.description);
  const [evidence, setEvidence] = useState(finding.evidence.join('\n'));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onSave({ title, status, severity, cvssVector: cvss.trim().length > 0 ? cvss.trim() : null, description, evidence: evidenceLines(evidence) });
  };
  return (
    <form className="panel-form" onSubmit={onSubmit} aria-label={`Edit finding ${finding.title}`}>
      <label htmlFor={`${ids}-title`}>Title</label>
      <input id={`${ids}-title`} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />
      <EnumSelect id={`${ids}-status`} label="Status" value={status} labels={STATUS_LABEL} onChange={setStatus} />
      <EnumSelect id={`${ids}-severity`} label="Severity" value={severity} labels={SEVERITY_LABEL} onChange={setSeverity} />
      <label htmlFor={`${ids}-cvss`}>CVSS v4.0 vector</label>
      <input id={`${ids}-cvss`} value={cvss} onChange={(e) => setCvss(e.target.value)} placeholder="CVSS:4.0/AV:N/AC:L/…" />
      <label htmlFor={`${ids}-desc`}>Description</label>
      <textarea id={`${ids}-desc`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={100_000} />
      <label htmlFor={`${ids}-evidence`}>Evidence references (one per line)</label>
      <textarea id={`${ids}-evidence`} value={evidence} onChange={(e) => setEvidence(e.target.value)} aria-describedby={`${ids}-evidence-hint`} />
      <p id={`${ids}-evidence-hint`} className="hint">
        claim:&lt;file&gt;:&lt;line&gt;, sample:&lt;log&gt;#&lt;id&gt;/&lt;epoch&gt; or artifact:&lt;file&gt;[#page=&lt;n&gt;]
      </p>
      <div className="row-actions">
        <button type="submit" className="primary" disabled={pending || title.trim().length === 0}>
          Save finding
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
