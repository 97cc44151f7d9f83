/**
 * Identifiers: names that mix letters with digits or join parts with _ . - / : # @ (`cyber_ctf`,
 * `v7.0.2`, `sha256:9f2c…`, `run-42`). The word tokenizer splits them at the punctuation, so
 * `cyber_ctf` would also match the prose "cyber CTF"; they are therefore kept a second time, whole,
 * in a trigram index, where a query for an identifier or a substring of one matches exactly. Plain
 * words stay out of the trigram index: measured, trigrams over all text cost ~15x the word index in
 * time and ~8x in size, which a 200 MB corpus cannot afford. Query parser and indexer share this rule.
 */

/** Runs of letters, digits and the joining characters, not starting or ending with a joiner. */
const CANDIDATE = /[\p{L}\p{N}_](?:[\p{L}\p{N}_.:/#@-]*[\p{L}\p{N}_])?/gu;
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

/** The distinct identifiers in text, in first-seen order, joined by spaces (what the trigram index holds). */
export function identifiersIn(text: string): string {
  let seen: Set<string> | null = null;
  for (const match of text.matchAll(CANDIDATE)) {
    const token = match[0];
    if (!isIdentifier(token)) continue;
    seen ??= new Set();
    seen.add(token.length > MAX_IDENTIFIER ? token.slice(0, MAX_IDENTIFIER) : token);
  }
  return seen ? [...seen].join(' ') : '';
}
