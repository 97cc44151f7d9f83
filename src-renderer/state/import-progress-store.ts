/**
 * The running import's progress as main pushes it (`import.progress`): byte counts and a phase, no
 * names. The import call's own answer is authoritative: it settles the state whatever events arrived
 * (an event can race the answer, or be lost with a closed window), and events are ignored unless this
 * window has an import running.
 */
import { create } from 'zustand';
import type { ImportPhase, ImportProgressEvent } from '../../src-shared/ipc/events';
import { registerStoreReset } from './store-reset';

/** What is being imported: the bundled demo, or a package the reviewer chose. */
export type ImportSubject = 'demo' | 'package';

interface ImportProgressState {
  phase: ImportPhase | 'idle';
  subject: ImportSubject;
  bytesDone: number;
  bytesTotal: number;
  begin(subject?: ImportSubject): void;
  /** An event from main; dropped when no import is running here or it has already settled. */
  update(event: ImportProgressEvent): void;
  succeed(bytesTotal: number): void;
  fail(): void;
  reset(): void;
}

const IDLE = { phase: 'idle', subject: 'demo', bytesDone: 0, bytesTotal: 0 } as const;

export const useImportProgressStore = create<ImportProgressState>()((set) => ({
  ...IDLE,
  begin: (subject = 'demo') => set({ phase: 'verifying', subject, bytesDone: 0, bytesTotal: 0 }),
  update: (event) =>
    set((s) => (s.phase === 'verifying' || s.phase === 'storing' || s.phase === 'indexing' ? { phase: event.phase, bytesDone: event.bytesDone, bytesTotal: event.bytesTotal } : s)),
  succeed: (bytesTotal) => set({ phase: 'done', bytesDone: bytesTotal, bytesTotal }),
  fail: () => set({ phase: 'failed' }),
  reset: () => set(IDLE),
}));

registerStoreReset(() => useImportProgressStore.setState(IDLE));
