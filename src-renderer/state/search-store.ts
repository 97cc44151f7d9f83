/** Whether the search screen is open (UI state only: the query and hits live in the screen and react-query). */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

interface SearchUiState {
  open: boolean;
  /**
   * How many times the screen was asked to show: a request made while `open` is still true (the dialog
   * already closed by Escape, its close event not yet handled) must still open it.
   */
  shown: number;
  show(): void;
  hide(): void;
}

export const useSearchStore = create<SearchUiState>()((set) => ({
  open: false,
  shown: 0,
  show: () => set((s) => ({ open: true, shown: s.shown + 1 })),
  hide: () => set({ open: false }),
}));

registerStoreReset(() => useSearchStore.setState({ open: false }));
