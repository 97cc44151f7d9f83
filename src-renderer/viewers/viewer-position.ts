/**
 * The viewers' side of note anchors: report where the reader is (the page, the first visible or the
 * selected lines, the row, the section) and carry out a pending "Go to" for the open artifact.
 */
import { useCallback, useEffect } from 'react';
import type { Anchor } from '../../src-shared/ipc/channels-workspace';
import { useViewerPositionStore, type GoToRequest } from '../state/viewer-position-store';
import { useWorkspaceStore } from '../state/workspace-store';

export interface ViewerPosition {
  report(anchor: Anchor | null): void;
  /** A "Go to" for this artifact not yet carried out. */
  pending: GoToRequest | null;
  done(seq: number): void;
}

export function useViewerPosition(): ViewerPosition {
  // One viewer is open at a time, for the workspace's open artifact.
  const artifactId = useWorkspaceStore((s) => s.artifactId);
  const report = useViewerPositionStore((s) => s.report);
  const goTo = useViewerPositionStore((s) => s.goTo);
  const done = useViewerPositionStore((s) => s.doneGoTo);
  const reportHere = useCallback((anchor: Anchor | null) => {
    if (artifactId) report(artifactId, anchor);
  }, [artifactId, report]);
  // A closed viewer is nowhere: a note must not be anchored to where the last one was.
  useEffect(() => () => reportHere(null), [reportHere]);
  return { report: reportHere, pending: goTo && goTo.artifactId === artifactId ? goTo : null, done };
}

/** The non-empty selection if it lies wholly inside root. */
export function selectionInside(root: Element | null): Selection | null {
  const selection = document.getSelection();
  if (!root || !selection || selection.isCollapsed || !selection.anchorNode || !selection.focusNode) return null;
  return root.contains(selection.anchorNode) && root.contains(selection.focusNode) ? selection : null;
}

/** The number in `data-<name>` on the nearest element around node (a line or row of a viewer). */
export function numberAround(node: Node | null, name: string): number | null {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  const value = element?.closest(`[data-${name}]`)?.getAttribute(`data-${name}`);
  return value ? Number(value) : null;
}

/** Calls onChange when the selection changes inside root (a selection elsewhere leaves the position be). */
export function useSelectionInside(root: { current: Element | null }, onChange: () => void): void {
  useEffect(() => {
    const listener = () => {
      const anchorNode = document.getSelection()?.anchorNode ?? null;
      if (root.current && anchorNode && root.current.contains(anchorNode)) onChange();
    };
    document.addEventListener('selectionchange', listener);
    return () => document.removeEventListener('selectionchange', listener);
  }, [root, onChange]);
}
