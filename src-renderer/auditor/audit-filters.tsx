/** The console's filter form: time range (UTC), user, event, artifact id, outcome. Applied on submit. */
import { useId, useState, type FormEvent } from 'react';
import { useAuditFilterStore, type AuditFilter } from '../state/audit-filter-store';
import { parseUtcInput, toUtcInput } from './format';

export function AuditFilters() {
  const filter = useAuditFilterStore((s) => s.filter);
  const setFilter = useAuditFilterStore((s) => s.setFilter);
  const ids = useId();
  const [from, setFrom] = useState(toUtcInput(filter.from));
  const [to, setTo] = useState(toUtcInput(filter.to));
  const [user, setUser] = useState(filter.user ?? '');
  const [event, setEvent] = useState(filter.event ?? '');
  const [artifactId, setArtifactId] = useState(filter.artifactId ?? '');
  const [outcome, setOutcome] = useState<string>(filter.outcome ?? '');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next: AuditFilter = {};
    const f = parseUtcInput(from);
    const t = parseUtcInput(to);
    if (f !== undefined) next.from = f;
    if (t !== undefined) next.to = t;
    if (user.trim()) next.user = user.trim();
    if (event.trim()) next.event = event.trim();
    if (artifactId.trim()) next.artifactId = artifactId.trim();
    if (outcome === 'success' || outcome === 'failure' || outcome === 'denied') next.outcome = outcome;
    setFilter(next);
  };
  const onReset = () => {
    setFrom('');
    setTo('');
    setUser('');
    setEvent('');
    setArtifactId('');
    setOutcome('');
    setFilter({});
  };

  return (
    <form className="audit-filters" onSubmit={onSubmit} aria-label="Filter the access log">
      <div>
        <label htmlFor={`${ids}-from`}>From (UTC)</label>
        <input id={`${ids}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div>
        <label htmlFor={`${ids}-to`}>To (UTC)</label>
        <input id={`${ids}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <div>
        <label htmlFor={`${ids}-user`}>User</label>
        <input id={`${ids}-user`} value={user} onChange={(e) => setUser(e.target.value)} maxLength={64} />
      </div>
      <div>
        <label htmlFor={`${ids}-event`}>Event</label>
        <input id={`${ids}-event`} value={event} onChange={(e) => setEvent(e.target.value)} placeholder="e.g. artifact.read" maxLength={256} />
      </div>
      <div>
        <label htmlFor={`${ids}-artifact`}>Object id</label>
        <input id={`${ids}-artifact`} value={artifactId} onChange={(e) => setArtifactId(e.target.value)} maxLength={512} />
      </div>
      <div>
        <label htmlFor={`${ids}-outcome`}>Outcome</label>
        <select id={`${ids}-outcome`} value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="">Any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="denied">denied</option>
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="primary">
          Apply filter
        </button>
        <button type="button" onClick={onReset}>
          Clear
        </button>
      </div>
    </form>
  );
}
