/** Which case and artifact are open and which side-panel tab shows: selection only, never content. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type SideTab = 'notes' | 'findings' | 'checklist' | 'attestation';
/** The middle of the workspace: the documents and their viewer, the evidence review of evaluation logs, or the claims ledger. */
export type WorkspaceMode = 'documents' | 'evidence' | 'claims';

/** A note or finding a search hit opened: its item in the side panel is scrolled to and marked. */
export interface FoundRecord {
  kind: 'note' | 'finding';
  id: string;
}

interface WorkspaceState {
  caseId: string | null;
  artifactId: string | null;
  sideTab: SideTab;
  mode: WorkspaceMode;
  found: FoundRecord | null;
  setMode(mode: WorkspaceMode): void;
  openCase(caseId: string): void;
  closeCase(): void;
  openArtifact(artifactId: string | null): void;
  setSideTab(tab: SideTab): void;
  /** Shows a note or finding in its tab of the side panel (a search hit on it). */
  showRecord(record: FoundRecord): void;
}

const initial = { caseId: null, artifactId: null, sideTab: 'notes' as SideTab, mode: 'documents' as WorkspaceMode, found: null };

export const useWorkspaceStore = create<WorkspaceState>()((set) => ({
  ...initial,
  openCase: (caseId) => set({ caseId, artifactId: null, mode: 'documents', found: null }),
  closeCase: () => set({ caseId: null, artifactId: null, mode: 'documents', found: null }),
  setMode: (mode) => set({ mode }),
  openArtifact: (artifactId) => set({ artifactId }),
  setSideTab: (sideTab) => set({ sideTab }),
  showRecord: (found) => set({ sideTab: found.kind === 'note' ? 'notes' : 'findings', found }),
}));

registerStoreReset(() => useWorkspaceStore.setState(initial));
