import type { AuditSummaryDto } from '../../src-shared/ipc/channels-audit';
import type { AuditFilter } from '../state/audit-filter-store';
import { duration, utc } from './format';

/**
 * A user's name filters the log to them. Rows without a user are told apart by role — attempts to sign in
 * ("(before sign-in)") and what the app logged itself ("(workstation)": start, stop, clock jumps) — and both
 * filter to everything that happened while nobody was signed in.
 */
export function PerUserTable({ rows, onFilter }: { rows: AuditSummaryDto['perUser']; onFilter(filter: AuditFilter): void }) {
  return (
    <table className="data-table">
      <caption>Per user</caption>
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Role</th>
          <th scope="col">Events</th>
          <th scope="col">Denied</th>
          <th scope="col">First (UTC)</th>
          <th scope="col">Last (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.user ?? '-'}:${r.role}`}>
            <th scope="row">
              <button type="button" className="link-button" onClick={() => onFilter(r.user === null ? { beforeSignIn: true } : { user: r.user })}>
                {r.user ?? (r.role === 'system' ? '(workstation)' : '(before sign-in)')}
              </button>
            </th>
            <td>{r.role}</td>
            <td>{r.events}</td>
            <td>{r.denied > 0 ? `✗ ${r.denied}` : 0}</td>
            <td>{utc(r.first)}</td>
            <td>{utc(r.last)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PerArtifactTable({ rows, onWhoSaw }: { rows: AuditSummaryDto['perArtifact']; onWhoSaw(artifact: { id: string; name: string }): void }) {
  return (
    <table className="data-table">
      <caption>Per artifact</caption>
      <thead>
        <tr>
          <th scope="col">Artifact</th>
          <th scope="col">Events</th>
          <th scope="col">Users</th>
          <th scope="col">Opens</th>
          <th scope="col">Total dwell</th>
          <th scope="col">Who saw it</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.artifactId}>
            <th scope="row" title={r.artifactId}>
              {r.name ?? <code>{r.artifactId}</code>}
            </th>
            <td>{r.events}</td>
            <td>{r.users}</td>
            <td>{r.opens}</td>
            <td>{duration(r.dwellMs)}</td>
            <td>
              <button type="button" onClick={() => onWhoSaw({ id: r.artifactId, name: r.name ?? r.artifactId })}>
                Who saw {r.name ?? 'this'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
