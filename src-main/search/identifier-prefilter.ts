/**
 * A faster way to an identifier query's matches. The trigram index answers `dorzen_tologar_v18` as a
 * phrase of 16 trigrams, and in identifier-rich text every trigram is common: FTS5 walks 16 long
 * doclists to find a handful of units (measured at 200 MB: 40-80 ms for one match). The word index
 * narrows it first: an identifier's pieces between its joiners are whole words there (`_` `.` `:`
 * `/` `#` `@` `-` all split words), so a unit that holds the identifier, or any text containing the
 * query as a substring, holds the inner pieces as consecutive words followed by a word beginning with
 * the last piece (the first piece may be the end of a longer word, so it is left out). That phrase is
 * a superset of the matches, and usually a small one (same identifier: 17 units in 4-10 ms). When it
 * has at most PREFILTER_CAP units, their identifier lists are put in a temporary trigram table (in
 * memory: temp_store is MEMORY) and the user's identifier expression is matched there, by the same
 * tokenizer as the real index, so the matches are exactly the ones the trigram index gives. Otherwise
 * the query goes to the trigram index as before.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { QueryTerm } from '../../src-shared/search/query-parser';
import { MIN_PREFIX } from '../../src-shared/search/query-parser';
import { ftsString } from './match-expression';

/** At most this many candidate units are checked in the temporary table (more: the trigram index is used). */
export const PREFILTER_CAP = 400;

/** The temporary table's name, as the MATCH column and in FROM. */
export const CHECK_TABLE = 'search_check';

/** Joiners: word separators for unicode61 and identifier joiners for identifiers.ts. */
const JOINERS = /[_.:/#@-]+/u;
/** Only letters, digits and joiners: any other character (a combining mark, say) may tokenize differently. */
const PLAIN_IDENTIFIER = /^[\p{L}\p{N}_.:/#@-]+$/u;

/** The word-index phrase every unit matching this identifier text holds, or null when there is none worth using. */
export function identifierPhrase(text: string): string | null {
  if (!PLAIN_IDENTIFIER.test(text) || /\p{M}/u.test(text)) return null;
  const pieces = text.split(JOINERS);
  if (pieces.length < 2) return null;
  const inner = pieces.slice(1, -1).filter((p) => p.length > 0);
  const last = pieces[pieces.length - 1]!;
  // A prefix shorter than the prefix index walks every word under it: leave it out.
  const useLast = last.length >= MIN_PREFIX;
  const words = useLast ? [...inner, last] : inner;
  if (words.length === 0) return null;
  return `${ftsString(words.join(' '))}${useLast ? '*' : ''}`;
}

/** The word-index expression (body column) narrowing the positive identifier terms, or null. */
export function identifierPrefilter(terms: readonly QueryTerm[]): string | null {
  const phrases = terms
    .filter((t) => t.type === 'identifier' && !t.exclude)
    .map((t) => identifierPhrase(t.text))
    .filter((p): p is string => p !== null);
  return phrases.length > 0 ? `{body} : (${phrases.join(' AND ')})` : null;
}

/**
 * Fills the temporary check table with the identifier lists of the units the prefilter finds (within
 * `tags`, when given), and returns true; false (table left empty) when there are more than the cap.
 */
export function fillCheckTable(db: Database, prefilter: string, tags: string | null, cap = PREFILTER_CAP): boolean {
  const match = tags === null ? prefilter : `${prefilter} AND {tags} : (${tags})`;
  let ids: unknown[];
  try {
    ids = db.prepare('SELECT rowid AS id FROM search_words WHERE search_words MATCH ? ORDER BY rowid DESC LIMIT ?', { pluck: true }).all([match, cap + 1]);
  } catch {
    // Every piece is quoted, so FTS5 should take it; if not, the trigram index answers alone.
    return false;
  }
  if (ids.length > cap) return false;
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.${CHECK_TABLE} USING fts5(idents, tokenize='trigram remove_diacritics 1')`);
  clearCheckTable(db);
  db.prepare(`INSERT INTO temp.${CHECK_TABLE}(rowid, idents) SELECT u.id, u.idents FROM search_units u WHERE u.id IN (SELECT value FROM json_each(?))`).run([JSON.stringify(ids)]);
  return true;
}

export function clearCheckTable(db: Database): void {
  db.exec(`DELETE FROM temp.${CHECK_TABLE}`);
}
