/** The auditor console's filter (what the table, summaries and charts show). Criteria only, no data. */
import { create } from 'zustand';
import type { LeafFilterRequest } from '../../src-shared/ipc/channels-audit';
import { registerStoreReset } from './store-reset';

export type AuditFilter = Omit<LeafFilterRequest, 'page'>;

interface AuditFilterState {
  filter: AuditFilter;
  setFilter(filter: AuditFilter): void;
}

export const useAuditFilterStore = create<AuditFilterState>()((set) => ({
  filter: {},
  setFilter: (filter) => set({ filter }),
}));

registerStoreReset(() => useAuditFilterStore.setState({ filter: {} }));
