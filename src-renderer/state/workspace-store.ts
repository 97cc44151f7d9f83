/** Which case and artifact are open and which side-panel tab shows: selection only, never content. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type SideTab = 'notes' | 'findings' | 'checklist' | 'attestation';
/** The middle of the workspace: the documents and their viewer, or the evidence review of evaluation logs. */
export type WorkspaceMode = 'documents' | 'evidence';

interface WorkspaceState {
  caseId: string | null;
  artifactId: string | null;
  sideTab: SideTab;
  mode: WorkspaceMode;
  setMode(mode: WorkspaceMode): void;
  openCase(caseId: string): void;
  closeCase(): void;
  openArtifact(artifactId: string | null): void;
  setSideTab(tab: SideTab): void;
}

const initial = { caseId: null, artifactId: null, sideTab: 'notes' as SideTab, mode: 'documents' as WorkspaceMode };

export const useWorkspaceStore = create<WorkspaceState>()((set) => ({
  ...initial,
  openCase: (caseId) => set({ caseId, artifactId: null, mode: 'documents' }),
  closeCase: () => set({ caseId: null, artifactId: null, mode: 'documents' }),
  setMode: (mode) => set({ mode }),
  openArtifact: (artifactId) => set({ artifactId }),
  setSideTab: (sideTab) => set({ sideTab }),
}));

registerStoreReset(() => useWorkspaceStore.setState(initial));
