/** How far an artifact's chunked read has got, for the viewer's progress bar. Counts only, no bytes. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

interface LoadProgressState {
  byArtifact: Record<string, { loaded: number; total: number }>;
  set(artifactId: string, loaded: number, total: number): void;
}

export const useLoadProgressStore = create<LoadProgressState>()((set) => ({
  byArtifact: {},
  set: (artifactId, loaded, total) => set((s) => ({ byArtifact: { ...s.byArtifact, [artifactId]: { loaded, total } } })),
}));

registerStoreReset(() => useLoadProgressStore.setState({ byArtifact: {} }));
