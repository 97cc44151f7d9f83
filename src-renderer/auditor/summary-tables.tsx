import type { AuditSummaryDto } from '../../src-shared/ipc/channels-audit';
import { duration, utc } from './format';

export function PerUserTable({ rows }: { rows: AuditSummaryDto['perUser'] }) {
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
            <th scope="row">{r.user ?? '(before sign-in)'}</th>
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

export function PerArtifactTable({ rows }: { rows: AuditSummaryDto['perArtifact'] }) {
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
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.artifactId}>
            <th scope="row">
              <code>{r.artifactId}</code>
            </th>
            <td>{r.events}</td>
            <td>{r.users}</td>
            <td>{r.opens}</td>
            <td>{duration(r.dwellMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
