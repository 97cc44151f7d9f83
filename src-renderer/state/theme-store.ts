/** Theme preference: follow the OS (prefers-color-scheme) unless the user picks one. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type ThemeChoice = 'system' | 'light' | 'dark';

interface ThemeState {
  choice: ThemeChoice;
  setChoice(choice: ThemeChoice): void;
}

export const useThemeStore = create<ThemeState>()((set) => ({
  choice: 'system',
  setChoice: (choice) => set({ choice }),
}));

registerStoreReset(() => useThemeStore.setState({ choice: 'system' }));
