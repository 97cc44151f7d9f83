/**
 * Parsed query terms as FTS5 MATCH expressions. Every term is written as an FTS5 string ("…", with "
 * doubled), so nothing typed is ever read as FTS5 syntax (column filters, NEAR, ^, boolean words);
 * the operators between strings are ours. Words and phrases go to the word index, identifiers to the
 * trigram index; each side gets what must match and what must not.
 */
import type { QueryTerm } from '../../src-shared/search/query-parser';

export function ftsString(text: string): string {
  return `"${text.replace(/"/gu, '""')}"`;
}

function termExpression(term: QueryTerm): string {
  if (term.type === 'word') return term.prefix ? `${ftsString(term.text)}*` : ftsString(term.text);
  return ftsString(term.text);
}

export interface SideExpression {
  /** All must match (AND), or null when this side has no positive term. */
  include: string | null;
  /** Any of these leaves a unit out (OR), or null. */
  exclude: string | null;
}

export interface MatchPlan {
  words: SideExpression;
  identifiers: SideExpression;
}

function side(terms: readonly QueryTerm[]): SideExpression {
  const include = terms.filter((t) => !t.exclude).map(termExpression);
  const exclude = terms.filter((t) => t.exclude).map(termExpression);
  return {
    include: include.length > 0 ? include.join(' AND ') : null,
    exclude: exclude.length > 0 ? exclude.join(' OR ') : null,
  };
}

export function matchPlan(terms: readonly QueryTerm[]): MatchPlan {
  return {
    words: side(terms.filter((t) => t.type !== 'identifier')),
    identifiers: side(terms.filter((t) => t.type === 'identifier')),
  };
}

/** include NOT (exclude): one expression for the index that drives the query. */
export function combined(s: SideExpression): string | null {
  if (s.include === null) return null;
  return s.exclude === null ? s.include : `(${s.include}) NOT (${s.exclude})`;
}
