/**
 * A case's review progress in one line (checklist items answered, findings, notes), with a bar for the
 * checklist. The workspace header and each card of the cases list show the same words.
 */
import type { CaseProgress } from '../../src-shared/ipc/channels-workspace';

export function ProgressLine({ progress }: { progress: CaseProgress }) {
  const { checklist, findings, notes } = progress;
  return (
    <span className="progress-line">
      {/* The words say it all; the bar is for the eye (a progressbar inside a card's button would join its name). */}
      <span className="progress-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(checklist.completion * 100)}%` }} />
      </span>
      Checklist {checklist.reviewed}/{checklist.total} · Findings {findings.total} · Notes {notes}
    </span>
  );
}
