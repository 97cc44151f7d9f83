/** Whether the access log verifies, said first and in words (with a symbol), never by colour alone. */
import { useAuditIntegrity, useAuditProgress } from '../api/audit-hooks';
import { ErrorAlert } from '../components/error-alert';
import { utc } from './format';

export function IntegrityBanner() {
  const integrity = useAuditIntegrity();
  const progress = useAuditProgress();
  if (integrity.isPending) {
    // A first check of a large log takes a while (in the audit worker, so the window stays usable).
    return (
      <p className="loading" role="status">
        Verifying the access log…
        {progress && progress.total > 0 ? (
          <>
            {' '}
            <progress max={progress.total} value={progress.done} aria-label="Access log entries verified" /> {progress.done} of {progress.total} entries
          </>
        ) : null}
      </p>
    );
  }
  if (integrity.isError) return <ErrorAlert error={integrity.error} />;
  const i = integrity.data;
  const checkpoint = i.lastCheckpoint ? `last signed checkpoint at size ${i.lastCheckpoint.size} (${utc(i.lastCheckpoint.ts)})` : 'no signed checkpoint yet';
  const witnessed = i.lastWitnessed
    ? `witnessed by the central server at size ${i.lastWitnessed.size} (${utc(i.lastWitnessed.ts)})${i.lastWitnessed.ok ? '' : ' — cosignature does NOT verify'}`
    : 'not yet witnessed off this laptop';
  const again = (
    <button type="button" onClick={() => void integrity.refetch()} disabled={integrity.isFetching}>
      {integrity.isFetching ? 'Verifying…' : 'Verify again'}
    </button>
  );
  if (i.ok) {
    return (
      <div className="integrity integrity-ok" role="status">
        <strong>✓ Log intact:</strong> {i.size} entries, all verified (through leaf {Math.max(0, i.verifiedSize - 1)}); {checkpoint}; {witnessed}. Root{' '}
        <code className="digest">{i.root.slice(0, 16)}…</code>, checked {utc(i.checkedAt)}.
        {i.resumed ? (
          <>
            {' '}
            Entries 0–{i.resumed.from - 1} were verified by an interrupted check begun {utc(i.resumed.verifiedAt)}, which this one resumed at entry {i.resumed.from}
            {' '}(not read again).
          </>
        ) : null}{' '}
        {again}
      </div>
    );
  }
  return (
    <div className="integrity integrity-bad" role="alert">
      <strong>✗ Log integrity problem:</strong> {i.size} entries, verified only through leaf {i.verifiedSize > 0 ? i.verifiedSize - 1 : 'none'}; {checkpoint}; {witnessed}.
      <ul>
        {i.problems.slice(0, 20).map((p) => (
          <li key={`${p.seq}:${p.kind}`}>
            Entry {p.seq}: {p.kind} — {p.message}
          </li>
        ))}
      </ul>
      {again}
    </div>
  );
}
