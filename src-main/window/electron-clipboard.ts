/**
 * The main-process clipboard writer for the copy gate (clipboard-gate.ts): in Electron the fingerprinted
 * text is placed by main, so the content renderer needs no clipboard permission at all (the session's
 * permission handler refuses every request, clipboard included).
 */
import type { Clipboard } from 'electron';
import type { ClipboardWriter } from '../controls/clipboard-gate';

export function electronClipboardWriter(clipboard: Pick<Clipboard, 'writeText'>): ClipboardWriter {
  return (text) => {
    clipboard.writeText(text);
    return { placedBy: 'main' };
  };
}
