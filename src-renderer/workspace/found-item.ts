/**
 * The side-panel item of the note or finding a search hit opened: scrolled into view and focused when it
 * appears (the list may still be loading when the tab opens), and marked while it is the one found, so
 * the reviewer lands on the record the hit was in, not at the top of a long list.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { useWorkspaceStore, type FoundRecord } from '../state/workspace-store';

export function useFoundItem(kind: FoundRecord['kind'], id: string): { ref: RefObject<HTMLLIElement | null>; props: { tabIndex?: number; className?: string } } {
  const found = useWorkspaceStore((s) => s.found?.kind === kind && s.found.id === id);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (!found) return;
    // A frame later: the search dialog closing in the same render gives focus back to its opener first.
    const frame = requestAnimationFrame(() => {
      ref.current?.scrollIntoView({ block: 'nearest' });
      ref.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [found]);
  return { ref, props: found ? { tabIndex: -1, className: 'is-found' } : {} };
}
