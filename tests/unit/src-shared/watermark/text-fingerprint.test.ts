import { describe, expect, it } from 'vitest';
import { embedTextFingerprint, extractTextFingerprint } from '../../../../src-shared/watermark/text-fingerprint';
import { sessionCodeToHex } from '../../../../src-shared/watermark/session-code';

const code = Uint8Array.from([0xc0, 0xff, 0xee, 0x12, 0x34, 0x56]);
const hex = sessionCodeToHex(code);
const text =
  'The system card reports refusal rates on the harmful request benchmark. Reviewers compared the claimed ' +
  'scores with the raw evaluation logs and found two discrepancies in the cyber capability section. ' +
  'Appendix C lists the red team elicitation protocol, the compute budget and the safeguards that were ' +
  'active during the evaluation. The developer states that the model will be released after the review. ' +
  'Open questions: how were jailbreak prompts sampled, and which threshold triggers further mitigation?';

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const CYRILLIC_TO_LATIN: Record<string, string> = {
  '\u0430': 'a', '\u0441': 'c', '\u0435': 'e', '\u043E': 'o', '\u0440': 'p', '\u0445': 'x', '\u0443': 'y',
  '\u0410': 'A', '\u0412': 'B', '\u0421': 'C', '\u0415': 'E', '\u041D': 'H', '\u041A': 'K', '\u041C': 'M',
  '\u041E': 'O', '\u0420': 'P', '\u0422': 'T', '\u0425': 'X',
};
/** What a paste into a normalising editor does: NFKC, look-alikes folded to ASCII, spaces collapsed. */
const normalise = (t: string) =>
  t
    .normalize('NFKC')
    .replace(/[\u0400-\u04FF]/g, (c) => CYRILLIC_TO_LATIN[c] ?? c)
    .replace(/[ \u00A0\u2000-\u200A]+/g, ' ');

describe('copied-text fingerprint', () => {
  it('round-trips and leaves the visible text unchanged once normalised', () => {
    const marked = embedTextFingerprint(text, code);
    expect(marked).not.toBe(text);
    expect(extractTextFingerprint(marked)).toBe(hex);
    expect(normalise(marked).replace(ZERO_WIDTH, '')).toBe(text);
  });

  it('survives deletion of every zero-width character (look-alike channel alone)', () => {
    const stripped = embedTextFingerprint(text, code).replace(ZERO_WIDTH, '');
    expect(stripped).not.toMatch(ZERO_WIDTH);
    expect(extractTextFingerprint(stripped)).toBe(hex);
  });

  it('survives normalisation of whitespace and homoglyphs (zero-width channel alone)', () => {
    const normalised = normalise(embedTextFingerprint(text, code));
    expect(normalised).not.toMatch(/[\u00A0\u0400-\u04FF]/);
    expect(extractTextFingerprint(normalised)).toBe(hex);
  });

  it('survives copying a middle part of the text, in each channel', () => {
    const marked = embedTextFingerprint(text.repeat(3), code);
    const part = marked.slice(Math.floor(marked.length / 3), Math.floor((2 * marked.length) / 3));
    expect(extractTextFingerprint(part.replace(ZERO_WIDTH, ''))).toBe(hex);
    expect(extractTextFingerprint(normalise(part))).toBe(hex);
  });

  it('finds nothing in plain text, or when both channels are removed', () => {
    expect(extractTextFingerprint(text)).toBeNull();
    expect(extractTextFingerprint('')).toBeNull();
    expect(extractTextFingerprint(normalise(embedTextFingerprint(text, code)).replace(ZERO_WIDTH, ''))).toBeNull();
  });

  it('rejects a corrupted zero-width frame instead of reading a wrong code', () => {
    const normalised = normalise(embedTextFingerprint(text, code));
    // Swap two symbols inside each frame: the 32-bit check fails, so no code is reported.
    const corrupted = normalised.replace(/\uFEFF(.)(.)/gu, (_m, a: string, b: string) => `\uFEFF${a === b ? (a === '\u200B' ? '\u200C' : '\u200B') : b}${a}`);
    expect(extractTextFingerprint(corrupted)).toBeNull();
  });

  it('refuses a code of the wrong length', () => {
    expect(() => embedTextFingerprint(text, new Uint8Array(4))).toThrow(RangeError);
  });
});
