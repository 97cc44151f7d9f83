/** Findings: title, severity (in words, not colour), category, optional CVSS v4.0 vector, description. */
import { useId, useState, type FormEvent } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import type { Severity } from '../../src-shared/ipc/channels-workspace';
import { useCreateFinding, useDeleteFinding, useFindings } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';
import { FindingsLeave } from './findings-leave';

// Type-only import of the contract: bundling its zod schemas would make zod probe for eval, which
// the CSP reports. The Record keeps this list complete: a new severity fails to compile here.
const SEVERITY_LABEL: Record<Severity, string> = { info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };
const SEVERITY_VALUES = Object.keys(SEVERITY_LABEL) as Severity[];

const CATEGORIES = ['dangerous capability', 'safety evaluation gap', 'documentation gap', 'misleading claim', 'security', 'other'];

export function FindingsPanel({ caseId, artifact }: { caseId: string; artifact: ArtifactSummary | null }) {
  const findings = useFindings(caseId);
  const create = useCreateFinding(caseId);
  const remove = useDeleteFinding(caseId);
  const ids = useId();
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('medium');
  const [category, setCategory] = useState(CATEGORIES[0]!);
  const [cvss, setCvss] = useState('');
  const [description, setDescription] = useState('');
  const [attach, setAttach] = useState(true);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        caseId,
        title,
        severity,
        category,
        cvssVector: cvss.trim().length > 0 ? cvss.trim() : null,
        description,
        artifactIds: attach && artifact ? [artifact.id] : [],
      },
      {
        onSuccess: () => {
          setTitle('');
          setCvss('');
          setDescription('');
        },
      },
    );
  };

  return (
    <div>
      <h2 className="visually-hidden">Findings</h2>
      <form className="panel-form" onSubmit={onSubmit}>
        <label htmlFor={`${ids}-title`}>Finding title</label>
        <input id={`${ids}-title`} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} required />
        <label htmlFor={`${ids}-severity`}>Severity</label>
        <select id={`${ids}-severity`} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
          {SEVERITY_VALUES.map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABEL[s]}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-category`}>Category</label>
        <select id={`${ids}-category`} value={category} onChange={(e) => setCategory(e.target.value)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-cvss`}>CVSS v4.0 vector (optional)</label>
        <input id={`${ids}-cvss`} value={cvss} onChange={(e) => setCvss(e.target.value)} placeholder="CVSS:4.0/AV:N/AC:L/…" aria-describedby={`${ids}-cvss-hint`} />
        <p id={`${ids}-cvss-hint`} className="hint">
          Checked against the CVSS v4.0 grammar when saved.
        </p>
        <label htmlFor={`${ids}-desc`}>Description</label>
        <textarea id={`${ids}-desc`} value={description} onChange={(e) => setDescription(e.target.value)} />
        {artifact ? (
          <label className="checkbox">
            <input type="checkbox" checked={attach} onChange={(e) => setAttach(e.target.checked)} /> Cite {artifact.path}
          </label>
        ) : null}
        <ErrorAlert error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending || title.trim().length === 0}>
          Record finding
        </button>
      </form>
      {findings.isPending ? (
        <p className="loading">Loading findings…</p>
      ) : findings.isError ? (
        <ErrorAlert error={findings.error} />
      ) : findings.data.length === 0 ? (
        <p className="hint">No findings yet.</p>
      ) : (
        <ul className="item-list" aria-label="Findings">
          {findings.data.map((f) => (
            <li key={f.id}>
              <p>
                <span className={`severity severity-${f.severity}`}>{f.severity}</span> <strong>{f.title}</strong>
              </p>
              <p className="item-meta">
                {f.category}
                {f.cvssVector ? ` · ${f.cvssVector}` : ''} · {f.artifactIds.length} artifact{f.artifactIds.length === 1 ? '' : 's'} cited · {f.author}
              </p>
              {f.description ? <p>{f.description}</p> : null}
              <button type="button" onClick={() => remove.mutate({ id: f.id, revision: f.revision })} aria-label={`Delete finding ${f.title}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert error={remove.error} />
      {findings.data && findings.data.length > 0 ? <FindingsLeave caseId={caseId} /> : null}
    </div>
  );
}
