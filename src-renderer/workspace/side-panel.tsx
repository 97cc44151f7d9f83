/** Notes, findings and checklist arrive with the workspace channels; until then the panel says so. */
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';

export function SidePanel(_props: { caseId: string; artifact: ArtifactSummary | null }) {
  return (
    <aside className="side-panel" aria-label="Review work">
      <p className="hint">Notes, findings and the checklist are not available in this build yet.</p>
    </aside>
  );
}
