/**
 * Copy and cut out of a viewer (see ARCHITECTURE: insider-risk controls). The native copy of a viewer selection is always cancelled:
 * the renderer never puts unmarked artifact text on the clipboard. Then, by policy (asked of main once
 * per session): 'deny' reports the attempt with its length (`controls.copyAttempt`, no text); 'fingerprint'
 * sends the selection to main (`controls.copy`), which marks it with the session's text fingerprint, logs
 * it and places it — itself in Electron, or by handing it back here in the browser preview and the
 * harness, where navigator.clipboard.writeText is the page's only clipboard write. Dragging a selection
 * out of a viewer is refused too (it would carry the same text without a copy event).
 * Selections outside viewers (notes, findings the reviewer wrote) copy normally.
 */
import type { ControlsStatus, CopyResult } from '../../src-shared/ipc/channels-controls';

/** Viewer regions: the artifact view and anything a viewer marks with data-viewer. */
export const VIEWER_SELECTOR = '.artifact-view, [data-viewer]';
/** Table viewers: what is copied out of them is pasted into spreadsheets, so main neutralises formulas. */
export const TABLE_SELECTOR = '[data-viewer="table"]';

export interface CopyGuardDeps {
  /** The artifact in the open viewer. */
  artifactId(): string | null;
  status(): Promise<ControlsStatus>;
  copyAttempt(request: { artifactId: string; action: 'copy' | 'cut'; length: number }): Promise<unknown>;
  copy(request: { artifactId: string; action: 'copy' | 'cut'; text: string; tabular: boolean }): Promise<CopyResult>;
  writeClipboard(text: string): Promise<void>;
  announce(message: string): void;
}

function inViewer(node: Node | null, selector = VIEWER_SELECTOR): boolean {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  return element?.closest(selector) != null;
}

/** True when any end of the selection lies in a viewer (a selection that only starts in one counts). */
export function selectionTouchesViewer(selection: Selection | null, selector = VIEWER_SELECTOR): boolean {
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return false;
  if (inViewer(selection.anchorNode, selector) || inViewer(selection.focusNode, selector)) return true;
  for (let i = 0; i < selection.rangeCount; i++) {
    const range = selection.getRangeAt(i);
    const root = range.commonAncestorContainer;
    const scope = root instanceof Element ? root : root.parentElement;
    if (!scope) continue;
    for (const viewer of scope.querySelectorAll(selector)) if (range.intersectsNode(viewer)) return true;
  }
  return false;
}

export interface CopyGuard {
  /** Forget the cached policy (lock). */
  reset(): void;
  /** The promise of the last handled copy (tests and the harness await it). */
  settled(): Promise<void>;
}

export function installCopyGuard(doc: Document, deps: CopyGuardDeps): CopyGuard {
  let mode: Promise<ControlsStatus['copyMode']> | null = null;
  let last: Promise<void> = Promise.resolve();

  const copyMode = () => {
    mode ??= deps.status().then(
      (s) => s.copyMode,
      (error: unknown) => {
        mode = null;
        throw error;
      },
    );
    return mode;
  };

  const handle = async (action: 'copy' | 'cut', text: string, artifactId: string, tabular: boolean): Promise<void> => {
    const length = [...text].length;
    if ((await copyMode()) === 'deny') {
      await deps.copyAttempt({ artifactId, action, length });
      deps.announce('Copying from artifacts is not allowed by the policy in force. The attempt was logged.');
      return;
    }
    const result = await deps.copy({ artifactId, action, text, tabular });
    if (result.decision !== 'allowed') {
      deps.announce('Copying from artifacts is not allowed by the policy in force. The attempt was logged.');
      return;
    }
    if (result.placedBy === 'renderer' && result.text !== null) await deps.writeClipboard(result.text);
    deps.announce(`Copied ${length} characters, marked for this session and logged.`);
  };

  const onCopy = (action: 'copy' | 'cut') => (event: ClipboardEvent) => {
    const selection = doc.getSelection();
    if (!selectionTouchesViewer(selection)) return;
    // Synchronously, before anything async: the browser's own copy never happens.
    event.preventDefault();
    event.stopImmediatePropagation();
    const text = selection?.toString() ?? '';
    const artifactId = deps.artifactId();
    if (!artifactId || text.length === 0) return;
    last = handle(action, text, artifactId, selectionTouchesViewer(selection, TABLE_SELECTOR)).catch(() => {
      deps.announce('The copy could not be completed.');
    });
  };

  doc.addEventListener('copy', onCopy('copy'), true);
  doc.addEventListener('cut', onCopy('cut'), true);
  doc.addEventListener(
    'dragstart',
    (event) => {
      if (inViewer(event.target as Node | null)) event.preventDefault();
    },
    true,
  );
  return {
    reset() {
      mode = null;
    },
    settled: () => last,
  };
}
