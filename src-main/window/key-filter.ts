/**
 * Keyboard shortcuts the main process swallows before the page sees them (`before-input-event`).
 * Print is always blocked: printing leaves only through the gated export flow. DevTools, view-source
 * and reload are blocked in production, where they would let a reviewer inspect or reset the page.
 */
import type { Input, WebContents } from 'electron';

export type KeyInput = Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'shift' | 'alt'>;

export type KeyDecision = 'allow' | 'block-print' | 'block-debug';

export function decideKey(input: KeyInput, isPackaged: boolean): KeyDecision {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return 'allow';
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (command && key === 'p') return 'block-print';
  if (!isPackaged) return 'allow';
  const devtools = key === 'f12' || (command && input.shift && (key === 'i' || key === 'j' || key === 'c')) || (input.meta && input.alt && key === 'i');
  const viewSource = command && key === 'u';
  const reload = key === 'f5' || (command && key === 'r');
  return devtools || viewSource || reload ? 'block-debug' : 'allow';
}

export function installKeyFilter(contents: WebContents, isPackaged: boolean, onBlocked: (decision: KeyDecision) => void): void {
  contents.on('before-input-event', (event, input) => {
    const decision = decideKey(input, isPackaged);
    if (decision === 'allow') return;
    event.preventDefault();
    onBlocked(decision);
  });
}
