/**
 * Copy out of a viewer (see ARCHITECTURE: insider-risk controls): under policy copyMode 'deny' nothing is copied and the attempt is
 * logged with its length; under 'fingerprint' main marks the text with the session code
 * (embedTextFingerprint: zero-width frames plus space/homoglyph variants, each channel sufficient on its
 * own), logs length, artifact and decision, and places it on the clipboard. The renderer never writes
 * unmarked artifact text to the clipboard: it cancels the native copy and asks here.
 *
 * Where the text is placed: in Electron, by the main process through Electron's clipboard
 * (electron-clipboard.ts), so the renderer never needs clipboard permission. The browser preview and the
 * Chromium harness have no main-process clipboard; their writer returns the marked text and the
 * renderer places it with navigator.clipboard.writeText (the page's only clipboard write).
 */
import { neutraliseTableText } from '../../src-shared/csv-formula';
import { RwError } from '../../src-shared/errors';
import type { CopyResult } from '../../src-shared/ipc/channels-controls';
import type { Policy } from '../../src-shared/policy';
import { embedTextFingerprint } from '../../src-shared/watermark/text-fingerprint';

export type ClipboardPlacement = { placedBy: 'main' } | { placedBy: 'renderer'; text: string };

/** Puts fingerprinted text on the clipboard, or hands it back for the renderer to place. */
export type ClipboardWriter = (text: string) => ClipboardPlacement;

/** Preview and harness: no main-process clipboard; the renderer writes the returned text. */
export const rendererClipboardWriter: ClipboardWriter = (text) => ({ placedBy: 'renderer', text });

export interface CopyGateDeps {
  policy(): Policy;
  /** The current session's watermark code, or null when none is active. */
  sessionCode(): Uint8Array | null;
  writeClipboard: ClipboardWriter;
}

export interface CopyDecision {
  result: CopyResult;
  /** For the access-log entry: never the text itself. */
  detail: Record<string, string | number | boolean>;
}

export function decideCopy(request: { text: string; action: 'copy' | 'cut'; tabular?: boolean }, deps: CopyGateDeps): CopyDecision {
  const length = [...request.text].length;
  const mode = deps.policy().copyMode;
  const base = { action: request.action, length, mode };
  if (mode === 'deny') {
    return { result: { decision: 'denied', placedBy: null, text: null, length }, detail: { ...base, decision: 'denied' } };
  }
  const code = deps.sessionCode();
  // No session, no fingerprint: copying without one would put untraceable text on the clipboard.
  if (!code) throw new RwError('VAULT_LOCKED', 'The workstation is locked.');
  // Cells copied out of a table reach spreadsheets: a cell that would run as a formula is neutralised.
  const marked = embedTextFingerprint(request.tabular ? neutraliseTableText(request.text) : request.text, code);
  const placed = deps.writeClipboard(marked);
  return {
    result: { decision: 'allowed', placedBy: placed.placedBy, text: placed.placedBy === 'renderer' ? placed.text : null, length },
    detail: { ...base, decision: 'allowed', fingerprinted: true, placedBy: placed.placedBy, ...(request.tabular ? { tabular: true } : {}) },
  };
}
