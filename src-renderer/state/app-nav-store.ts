/** Which top-level screen shows besides the reviewer's or auditor's own: administration or settings. */
import { create } from 'zustand';
import { registerStoreReset } from './store-reset';

export type AppScreen = 'home' | 'admin' | 'settings';

interface AppNavState {
  screen: AppScreen;
  show(screen: AppScreen): void;
}

export const useAppNavStore = create<AppNavState>()((set) => ({
  screen: 'home',
  show: (screen) => set({ screen }),
}));

registerStoreReset(() => useAppNavStore.setState({ screen: 'home' }));
