/**
 * The notice shown at the top of the app and read by screen readers (role=status): policy refusals
 * (copy, print) and other changes a user would otherwise miss.
 */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

interface AnnounceState {
  message: string;
  /** Bumped on each announcement so the same sentence twice is still announced. */
  serial: number;
  announce(message: string): void;
  dismiss(): void;
}

export const useAnnounceStore = create<AnnounceState>()((set) => ({
  message: '',
  serial: 0,
  announce: (message) => set((s) => ({ message, serial: s.serial + 1 })),
  dismiss: () => set({ message: '' }),
}));

registerStoreReset(() => useAnnounceStore.setState({ message: '', serial: 0 }));
