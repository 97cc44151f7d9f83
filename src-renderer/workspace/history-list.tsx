/**
 * A record's history (a finding's or a note's revisions): who, when, and what changed, worked out from
 * consecutive snapshots (src-shared/record-changes.ts). Behind a disclosure, and fetched only when
 * opened, so a long list of findings does not ask for every history at once.
 */
import type { ReactNode } from 'react';
import type { FieldChange } from '../../src-shared/record-changes';
import type { RwError } from '../../src-shared/errors';
import { ErrorAlert } from '../components/error-alert';

export interface HistoryRow {
  revision: number;
  action: 'create' | 'edit' | 'delete';
  author: string;
  at: number;
  changes: FieldChange[];
}

const LONG = 120;

function clip(text: string): string {
  return text.length > LONG ? `${text.slice(0, LONG)}…` : text;
}

export function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function whatChanged(row: HistoryRow, created: string): ReactNode {
  if (row.action === 'create') return created;
  if (row.action === 'delete') return 'deleted';
  if (row.changes.length === 0) return 'saved without changes';
  return (
    <ul className="history-changes">
      {row.changes.map((c) => (
        <li key={c.field}>
          {c.field}: <span title={c.from}>{clip(c.from)}</span> → <span title={c.to}>{clip(c.to)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The caller keeps `open` and runs its history query only while it is true. */
export function HistoryDisclosure({
  label,
  created,
  open,
  onToggle,
  history,
}: {
  label: string;
  created: string;
  open: boolean;
  onToggle: (open: boolean) => void;
  history: { rows: HistoryRow[] | undefined; error: RwError | null };
}) {
  return (
    <details className="history" onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>History</summary>
      {!open ? null : history.error ? (
        <ErrorAlert error={history.error} />
      ) : history.rows === undefined ? (
        <p className="loading">Loading the history…</p>
      ) : (
        <ol className="history-list" aria-label={label}>
          {history.rows.map((row) => (
            <li key={row.revision}>
              <p className="item-meta">
                Revision {row.revision} · {row.author} · {when(row.at)}
              </p>
              {whatChanged(row, created)}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
