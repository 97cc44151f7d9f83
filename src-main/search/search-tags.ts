/**
 * A unit's kind and case as tokens of the word index's `tags` column (`k<kind>`, `c<hex of the case
 * id>`), so a `kind:` or `case:` filter is a doclist intersection inside FTS5 rather than a walk over
 * matches joined to their unit rows. hex() makes any case id one token of [0-9A-F] (the tokenizer
 * folds case), and a prefix of an id stays a prefix of its token, so `case:case-3f` is a prefix query.
 */
import { toHex, utf8 } from '../../src-shared/encoding';
import type { SearchKind } from '../../src-shared/search/search-kinds';
import { ftsString } from './match-expression';

/**
 * The SQL expression of a unit's tags from its kind and case id expressions. The view the index reads,
 * the delete trigger and the unit writer all use it, so a delete removes exactly the tokens an insert added.
 */
export function tagsSql(kind: string, caseId: string): string {
  return `'k' || ${kind} || ' c' || hex(${caseId})`;
}

export function kindTag(kind: SearchKind): string {
  return ftsString(`k${kind}`);
}

/** The exact case, or (prefix) every case whose id starts with `id`. */
export function caseTag(id: string, prefix: boolean): string {
  return `${ftsString(`c${toHex(utf8(id))}`)}${prefix ? '*' : ''}`;
}
