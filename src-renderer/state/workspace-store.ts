/** Which case and artifact are open and which side-panel tab shows: selection only, never content. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type SideTab = 'notes' | 'findings' | 'checklist' | 'attestation';

interface WorkspaceState {
  caseId: string | null;
  artifactId: string | null;
  sideTab: SideTab;
  openCase(caseId: string): void;
  closeCase(): void;
  openArtifact(artifactId: string | null): void;
  setSideTab(tab: SideTab): void;
}

const initial = { caseId: null, artifactId: null, sideTab: 'notes' as SideTab };

export const useWorkspaceStore = create<WorkspaceState>()((set) => ({
  ...initial,
  openCase: (caseId) => set({ caseId, artifactId: null }),
  closeCase: () => set({ caseId: null, artifactId: null }),
  openArtifact: (artifactId) => set({ artifactId }),
  setSideTab: (sideTab) => set({ sideTab }),
}));

registerStoreReset(() => useWorkspaceStore.setState(initial));
