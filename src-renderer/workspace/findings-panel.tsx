/**
 * Findings: title, severity and status (in words, not colour), category, optional CVSS v4.0 vector,
 * description; each one editable with its history (finding-item.tsx).
 */
import { useId, useState, type FormEvent } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import type { Severity } from '../../src-shared/ipc/channels-workspace';
import { useCreateFinding, useFindings } from '../api/workspace-hooks';
import { ErrorAlert } from '../components/error-alert';
import { FindingItem } from './finding-item';
import { EnumSelect } from './enum-select';
import { CATEGORIES, SEVERITY_LABEL } from './finding-words';

export function FindingsPanel({ caseId, artifact }: { caseId: string; artifact: ArtifactSummary | null }) {
  const findings = useFindings(caseId);
  const create = useCreateFinding(caseId);
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
        <EnumSelect id={`${ids}-severity`} label="Severity" value={severity} labels={SEVERITY_LABEL} onChange={setSeverity} />
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
            <FindingItem key={f.id} finding={f} caseId={caseId} />
          ))}
        </ul>
      )}
    </div>
  );
}
