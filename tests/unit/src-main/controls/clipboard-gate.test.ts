import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../../src-shared/node/crypto';
import { DEFAULT_POLICY, type Policy } from '../../../../src-shared/policy';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';
import { extractTextFingerprint } from '../../../../src-shared/watermark/text-fingerprint';
import { decideCopy, rendererClipboardWriter, type ClipboardWriter } from '../../../../src-main/controls/clipboard-gate';

const TEXT = 'The model refused 93 percent of the harmful requests in the red-team evaluation, and the remaining cases were escalated to the safety board for review before release.';
const FINGERPRINT: Policy = { ...DEFAULT_POLICY, version: 2, copyMode: 'fingerprint' };

describe('the copy gate', () => {
  it('denies under copyMode deny: nothing placed, the attempt described by length only', () => {
    const placed: string[] = [];
    const decision = decideCopy({ text: TEXT, action: 'copy' }, { policy: () => DEFAULT_POLICY, sessionCode: () => randomBytes(6), writeClipboard: (t) => (placed.push(t), { placedBy: 'main' }) });
    expect(decision.result).toEqual({ decision: 'denied', placedBy: null, text: null, length: [...TEXT].length });
    expect(decision.detail).toEqual({ action: 'copy', length: [...TEXT].length, mode: 'deny', decision: 'denied' });
    expect(placed).toEqual([]);
    expect(JSON.stringify(decision.detail)).not.toContain('refused');
  });

  it('under fingerprint, main writes the clipboard with text that carries the session code', () => {
    const code = randomBytes(6);
    const placed: string[] = [];
    const writer: ClipboardWriter = (t) => (placed.push(t), { placedBy: 'main' });
    const decision = decideCopy({ text: TEXT, action: 'cut' }, { policy: () => FINGERPRINT, sessionCode: () => code, writeClipboard: writer });
    expect(decision.result).toEqual({ decision: 'allowed', placedBy: 'main', text: null, length: [...TEXT].length });
    expect(placed).toHaveLength(1);
    expect(placed[0]).not.toBe(TEXT);
    expect(extractTextFingerprint(placed[0]!)).toBe(sessionCodeToHex(code));
    expect(decision.detail).toMatchObject({ decision: 'allowed', fingerprinted: true, placedBy: 'main', action: 'cut' });
  });

  it('in the preview the fingerprinted text goes back to the renderer, never the plain text', () => {
    const code = randomBytes(6);
    const decision = decideCopy({ text: TEXT, action: 'copy' }, { policy: () => FINGERPRINT, sessionCode: () => code, writeClipboard: rendererClipboardWriter });
    expect(decision.result.placedBy).toBe('renderer');
    expect(decision.result.text).not.toBe(TEXT);
    expect(extractTextFingerprint(decision.result.text ?? '')).toBe(sessionCodeToHex(code));
  });

  it('refuses to copy without a watermark session', () => {
    expect(() => decideCopy({ text: TEXT, action: 'copy' }, { policy: () => FINGERPRINT, sessionCode: () => null, writeClipboard: rendererClipboardWriter })).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    );
  });

  it('neutralises formula cells in a copy out of a table, and only there', () => {
    const placed: string[] = [];
    const deps = { policy: () => FINGERPRINT, sessionCode: () => randomBytes(6), writeClipboard: (t: string) => (placed.push(t), { placedBy: 'main' as const }) };
    const invisible = /[\u200b-\u200f\u2060-\u2064\ufeff]/g;
    const table = 'name\tscore\n=cmd|\' /C calc\'!A0\t@SUM(A1)\n-1\t+2';
    const decision = decideCopy({ text: table, action: 'copy', tabular: true }, deps);
    const cells = placed[0]!.replace(invisible, '').split(/\n/).flatMap((row) => row.split('\t'));
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    expect(cells.filter((c) => c.startsWith("'"))).toHaveLength(4);
    expect(decision.detail).toMatchObject({ tabular: true });
    // Prose keeps its dashes: a list item copied from a document is not a spreadsheet cell.
    decideCopy({ text: '- a list item', action: 'copy' }, deps);
    expect(placed[1]!.replace(invisible, '').startsWith('-')).toBe(true);
  });
});
