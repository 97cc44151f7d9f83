/**
 * Identifiers: names that mix letters with digits or join parts with _ . - / : # @ (`cyber_ctf`,
 * `v7.0.2`, `sha256:9f2c…`, `run-42`). The word tokenizer splits them at the punctuation, so
 * `cyber_ctf` would also match the prose "cyber CTF"; they are therefore kept a second time, whole,
 * in a trigram index, where a query for an identifier or a substring of one matches exactly. Plain
 * words stay out of the trigram index: measured, trigrams over all text cost ~15x the word index in
 * time and ~8x in size, which a 200 MB corpus cannot afford. Query parser and indexer share this rule.
 */

const JOINED = /[\p{L}\p{N}][.:/#@-][\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{N}/u;
/** Fast pre-check: a run of pure letters is never an identifier. */
const NOT_PLAIN = /[^\p{L}]/u;

/** The shortest identifier kept (trigram matching needs three characters). */
export const MIN_IDENTIFIER = 3;
/** Longer runs (base64 blobs, minified code) are cut: a query never needs more to be specific. */
export const MAX_IDENTIFIER = 128;

export function isIdentifier(token: string): boolean {
  if (token.length < MIN_IDENTIFIER || !NOT_PLAIN.test(token)) return false;
  // Pure numbers and dates ("7.1", "2026-11-01") are not names; the word index finds numbers.
  if (!LETTER.test(token) && !token.includes('_')) return false;
  return token.includes('_') || JOINED.test(token) || DIGIT.test(token);
}

// Character classes for the scanner: a candidate is a maximal run of letters, digits, _ and the
// joiners . : / # @ -, without the joiners at its ends.
const OTHER = 0;
const LETTER_CLASS = 1;
/** A digit or _: a run holding one is worth a closer look. */
const MARK_CLASS = 2;
const JOINER_CLASS = 3;

const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_CLASS[c] = /[A-Za-z]/u.test(ch) ? LETTER_CLASS : /[0-9_]/u.test(ch) ? MARK_CLASS : '.:/#@-'.includes(ch) ? JOINER_CLASS : OTHER;
}
const LETTER_CP = /^\p{L}$/u;
const NUMBER_CP = /^\p{N}$/u;
/** Classes of the non-ASCII code points met so far (tested once each with the Unicode regexes). */
const wideClass = new Map<number, number>();

function classOf(cp: number): number {
  if (cp < 128) return ASCII_CLASS[cp]!;
  let cls = wideClass.get(cp);
  if (cls === undefined) {
    const ch = String.fromCodePoint(cp);
    cls = LETTER_CP.test(ch) ? LETTER_CLASS : NUMBER_CP.test(ch) ? MARK_CLASS : OTHER;
    wideClass.set(cp, cls);
  }
  return cls;
}

/**
 * The distinct identifiers in text, in first-seen order, joined by spaces (what the trigram index holds).
 * A hand-written scanner, not a global regex: nine words in ten are plain letters, and creating a
 * match for each of them made this a third of the index's CPU time. A run of letters with no digit,
 * _ or inner joiner is passed over without a string being made; any other run is cut out and judged
 * by isIdentifier, so the rule is the one the query parser uses.
 */
export function identifiersIn(text: string): string {
  let seen: Set<string> | null = null;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) cp = text.codePointAt(i)!;
    let width = cp > 0xffff ? 2 : 1;
    let cls = classOf(cp);
    if (cls === OTHER) {
      i += width;
      continue;
    }
    let first = -1;
    let end = -1;
    let joinerAfterFirst = false;
    let worthALook = false;
    while (cls !== OTHER) {
      if (cls === JOINER_CLASS) {
        if (first !== -1) joinerAfterFirst = true;
      } else {
        if (first === -1) first = i;
        else if (joinerAfterFirst) worthALook = true;
        if (cls === MARK_CLASS) worthALook = true;
        end = i + width;
      }
      i += width;
      if (i >= n) break;
      cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp <= 0xdbff) cp = text.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      cls = classOf(cp);
    }
    if (!worthALook || end - first < MIN_IDENTIFIER) continue;
    const token = text.slice(first, end);
    if (!isIdentifier(token)) continue;
    seen ??= new Set();
    seen.add(token.length > MAX_IDENTIFIER ? token.slice(0, MAX_IDENTIFIER) : token);
  }
  return seen ? [...seen].join(' ') : '';
}
