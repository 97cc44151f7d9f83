/**
 * Copied-text fingerprinting (DESIGN.md §7 "Further"): text that leaves the app through a gated copy
 * carries the session code in two independent channels, each sufficient on its own:
 *
 * - Zero-width channel: frames of U+FEFF followed by 40 base-4 symbols (U+200B, U+200C, U+200D,
 *   U+2060) = 80 bits (code ‖ 32-bit check), inserted after the first word and then every
 *   FRAME_INTERVAL words, so a partial copy keeps one. Survives whitespace and homoglyph
 *   normalisation (NFKC leaves these characters alone); lost when zero-width characters are stripped.
 * - Look-alike channel: every ordinary space and every Latin letter that has a Cyrillic twin is a
 *   slot; slot j carries bit (j mod 80) of the same 80-bit word, 1 = the variant (NO-BREAK SPACE,
 *   Cyrillic letter), 0 = the plain character. The reader tries the 80 cyclic offsets and votes over
 *   repetitions, so a copy that starts anywhere and keeps ≥ 80 slots still decodes. Survives stripping
 *   of zero-width characters; lost when spaces and homoglyphs are normalised.
 *
 * The 32-bit check (session-code.ts) bounds false accepts: ≤ 81 candidate words per text → < 2e-8.
 * Pure string functions: no DOM, no Node.
 */
import { SESSION_CODE_BITS, SESSION_CODE_BYTES, sessionCheck, sessionCodeToHex } from './session-code';

const WORD_BITS = SESSION_CODE_BITS + 32;
const FRAME_MARK = '\uFEFF';
const SYMBOLS = ['\u200B', '\u200C', '\u200D', '\u2060'] as const;
const FRAME_SYMBOLS = WORD_BITS / 2;
export const FRAME_INTERVAL = 40;

const NBSP = '\u00A0';
/** Latin → Cyrillic look-alikes (identical glyphs in common fonts). */
const HOMOGLYPHS: Record<string, string> = {
  a: '\u0430', c: '\u0441', e: '\u0435', o: '\u043E', p: '\u0440', x: '\u0445', y: '\u0443',
  A: '\u0410', B: '\u0412', C: '\u0421', E: '\u0415', H: '\u041D', K: '\u041A', M: '\u041C',
  O: '\u041E', P: '\u0420', T: '\u0422', X: '\u0425',
};
const PLAIN_OF: Record<string, string> = Object.fromEntries(Object.entries(HOMOGLYPHS).map(([latin, cyr]) => [cyr, latin]));

function wordBits(code: Uint8Array): Uint8Array {
  const check = sessionCheck(code);
  const bits = new Uint8Array(WORD_BITS);
  for (let i = 0; i < SESSION_CODE_BITS; i++) bits[i] = ((code[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  for (let i = 0; i < 32; i++) bits[SESSION_CODE_BITS + i] = (check >>> (31 - i)) & 1;
  return bits;
}

function codeFromBits(bits: ArrayLike<number>): Uint8Array | null {
  const code = new Uint8Array(SESSION_CODE_BYTES);
  for (let i = 0; i < SESSION_CODE_BITS; i++) if (bits[i]) code[i >> 3] = (code[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  let check = 0;
  for (let i = 0; i < 32; i++) check = ((check << 1) | (bits[SESSION_CODE_BITS + i] ? 1 : 0)) >>> 0;
  return check === sessionCheck(code) ? code : null;
}

function frame(bits: Uint8Array): string {
  let out = FRAME_MARK;
  for (let i = 0; i < WORD_BITS; i += 2) out += SYMBOLS[((bits[i] ?? 0) << 1) | (bits[i + 1] ?? 0)];
  return out;
}

function isSlot(ch: string): boolean {
  return ch === ' ' || ch === NBSP || ch in HOMOGLYPHS || ch in PLAIN_OF;
}

/** Marks `text` with `code` in both channels. Renders identically in ordinary fonts. */
export function embedTextFingerprint(text: string, code: Uint8Array): string {
  if (code.length !== SESSION_CODE_BYTES) throw new RangeError(`A session code is ${SESSION_CODE_BYTES} bytes.`);
  const bits = wordBits(code);
  const zw = frame(bits);
  let out = '';
  let slot = 0;
  let words = 0;
  let prevSpace = true;
  for (const ch of text) {
    let emitted = ch;
    if (ch === ' ') emitted = bits[slot++ % WORD_BITS] ? NBSP : ' ';
    else if (ch in HOMOGLYPHS) emitted = bits[slot++ % WORD_BITS] ? (HOMOGLYPHS[ch] ?? ch) : ch;
    const space = /\s/.test(ch);
    if (space && !prevSpace) {
      // A word just ended: the first one and then every FRAME_INTERVAL-th get a zero-width frame.
      if (words % FRAME_INTERVAL === 0) out += zw;
      words++;
    }
    prevSpace = space;
    out += emitted;
  }
  if (words === 0 && text.length > 0) out += zw;
  return out;
}

function fromZeroWidth(text: string): Uint8Array | null {
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== FRAME_MARK) continue;
    const bits: number[] = [];
    for (let k = 1; k <= FRAME_SYMBOLS; k++) {
      const s = SYMBOLS.indexOf(chars[i + k] as (typeof SYMBOLS)[number]);
      if (s < 0) break;
      bits.push(s >> 1, s & 1);
    }
    if (bits.length !== WORD_BITS) continue;
    const code = codeFromBits(bits);
    if (code) return code;
  }
  return null;
}

function fromLookAlikes(text: string): Uint8Array | null {
  const slots: number[] = [];
  for (const ch of text) {
    if (!isSlot(ch)) continue;
    slots.push(ch === NBSP || ch in PLAIN_OF ? 1 : 0);
  }
  if (slots.length < WORD_BITS) return null;
  // The copy may start at any slot: try every alignment, majority-vote each bit over repetitions.
  for (let offset = 0; offset < WORD_BITS; offset++) {
    const votes = new Int32Array(WORD_BITS);
    for (let j = 0; j < slots.length; j++) {
      const bit = (j + offset) % WORD_BITS;
      votes[bit] = (votes[bit] ?? 0) + (slots[j] ? 1 : -1);
    }
    const code = codeFromBits(Array.from(votes, (v) => (v > 0 ? 1 : 0)));
    if (code) return code;
  }
  return null;
}

/** The session code (lowercase hex) a text carries in either channel, or null. */
export function extractTextFingerprint(text: string): string | null {
  const code = fromZeroWidth(text) ?? fromLookAlikes(text);
  return code ? sessionCodeToHex(code) : null;
}
