/** Whether the search screen is open (UI state only: the query and hits live in the screen and react-query). */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

interface SearchUiState {
  open: boolean;
  show(): void;
  hide(): void;
}

export const useSearchStore = create<SearchUiState>()((set) => ({
  open: false,
  show: () => set({ open: true }),
  hide: () => set({ open: false }),
}));

registerStoreReset(() => useSearchStore.setState({ open: false }));
