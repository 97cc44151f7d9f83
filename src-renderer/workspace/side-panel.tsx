/** Notes, findings, the checklist and the attestation as ARIA tabs (arrow keys move between tabs, Tab enters the panel). */
import { useRef, type KeyboardEvent } from 'react';
import type { ArtifactSummary } from '../../src-shared/ipc/channels-cases';
import { useWorkspaceStore, type SideTab } from '../state/workspace-store';
import { AttestationPanel } from './attestation-panel';
import { ChecklistPanel } from './checklist-panel';
import { FindingsPanel } from './findings-panel';
import { NotesPanel } from './notes-panel';

const TABS: Array<{ id: SideTab; label: string }> = [
  { id: 'notes', label: 'Notes' },
  { id: 'findings', label: 'Findings' },
  { id: 'checklist', label: 'Checklist' },
  { id: 'attestation', label: 'Attestation' },
];

export function SidePanel({ caseId, artifact }: { caseId: string; artifact: ArtifactSummary | null }) {
  const tab = useWorkspaceStore((s) => s.sideTab);
  const setTab = useWorkspaceStore((s) => s.setSideTab);
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  const onKeyDown = (e: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const move = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    let next: SideTab | null = null;
    if (move !== 0) next = TABS[(index + move + TABS.length) % TABS.length]!.id;
    if (e.key === 'Home') next = TABS[0]!.id;
    if (e.key === 'End') next = TABS[TABS.length - 1]!.id;
    if (next) {
      e.preventDefault();
      setTab(next);
      refs.current[next]?.focus();
    }
  };

  return (
    <aside className="side-panel" aria-label="Review work">
      <div className="tabs" role="tablist" aria-label="Review work" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} tabIndex={0}>
        {tab === 'notes' ? <NotesPanel caseId={caseId} artifact={artifact} /> : null}
        {tab === 'findings' ? <FindingsPanel caseId={caseId} artifact={artifact} /> : null}
        {tab === 'checklist' ? <ChecklistPanel caseId={caseId} /> : null}
        {tab === 'attestation' ? <AttestationPanel caseId={caseId} /> : null}
      </div>
    </aside>
  );
}
