/** The polite live region's text: status changes a screen-reader user would otherwise miss. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

interface AnnounceState {
  message: string;
  announce(message: string): void;
}

export const useAnnounceStore = create<AnnounceState>()((set) => ({
  message: '',
  announce: (message) => set({ message }),
}));

registerStoreReset(() => useAnnounceStore.setState({ message: '' }));
