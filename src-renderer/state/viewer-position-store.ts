/**
 * Where the open viewer is (page, line range, row, heading: numbers and a heading title, never the
 * artifact's text) so a new note can be anchored there, and a pending "Go to" a viewer should carry out.
 */
import { create } from 'zustand';
import type { Anchor } from '../../src-shared/ipc/channels-workspace';
import { registerStoreReset } from './store-reset';

export interface GoToRequest {
  artifactId: string;
  anchor: Anchor;
  /** Distinguishes two requests for the same place, so "Go to" twice scrolls back twice. */
  seq: number;
  /** Text to highlight there (a search hit's matched words); empty for a note's "Go to". */
  marks: readonly string[];
}

interface ViewerPositionState {
  current: { artifactId: string; anchor: Anchor } | null;
  goTo: GoToRequest | null;
  report(artifactId: string, anchor: Anchor | null): void;
  requestGoTo(artifactId: string, anchor: Anchor, marks?: readonly string[]): void;
  /** The viewer carried out the request with this seq (a newer request stays pending). */
  doneGoTo(seq: number): void;
}

const initial = { current: null, goTo: null };
let nextSeq = 1;

export const useViewerPositionStore = create<ViewerPositionState>()((set) => ({
  ...initial,
  // Scrolling reports on every frame: an unchanged position must not re-render the notes form.
  report: (artifactId, anchor) =>
    set((s) => {
      const next = anchor ? { artifactId, anchor } : null;
      return JSON.stringify(next) === JSON.stringify(s.current) ? s : { current: next };
    }),
  requestGoTo: (artifactId, anchor, marks = []) => set({ goTo: { artifactId, anchor, seq: nextSeq++, marks } }),
  doneGoTo: (seq) => set((s) => (s.goTo?.seq === seq ? { goTo: null } : s)),
}));

registerStoreReset(() => useViewerPositionStore.setState(initial));
