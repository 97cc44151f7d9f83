/**
 * The artifact views of this sign-in that the access log has opened and not closed, followed from the
 * router's records, so that a lock closes them in the log with their dwell (see ARCHITECTURE: access
 * log). A window reports its own close when a viewer goes away, but a lock (the idle timer, the OS, the
 * Lock button, shutdown) closes the session first: the window's close then finds no session to log to,
 * and the view the auditor most wants timed, the one left open, would have no dwell at all.
 *
 * Dwell here is main's monotonic time from the logged open to the lock.
 */
import type { AuditRecord } from '../ipc/router';

export interface OpenView {
  artifactId: string;
  name: string | null;
  digest: string | null;
  /** Monotonic ms when its open was logged. */
  since: number;
}

export interface OpenViews {
  /** Follows a record the log has just written: a successful `artifact.view` open adds a view, a close removes one. */
  observe(record: AuditRecord): void;
  /** The views still open with their dwell so far, and forgets them. */
  drain(): { view: OpenView; dwellMs: number }[];
}

export function openViews(monotonic: () => number): OpenViews {
  let views: OpenView[] = [];
  return {
    observe(record) {
      if (record.event !== 'artifact.view' || record.outcome !== 'success' || record.object?.kind !== 'artifact') return;
      const { id, name, digest } = record.object;
      const action = record.detail?.['action'];
      if (action === 'open') views.push({ artifactId: id, name: name ?? null, digest: digest ?? null, since: monotonic() });
      else if (action === 'close') {
        // The same artifact may be open in two places; a close ends the one opened first.
        const at = views.findIndex((v) => v.artifactId === id);
        if (at >= 0) views.splice(at, 1);
      }
    },
    drain() {
      const now = monotonic();
      const open = views.map((view) => ({ view, dwellMs: Math.max(0, Math.round(now - view.since)) }));
      views = [];
      return open;
    },
  };
}
