/**
 * The search box's language, parsed into values (pure; the renderer uses it for filter chips, main to
 * build the FTS5 expression). Nothing the user typed reaches MATCH as syntax: every term becomes an
 * FTS5 string later, so `NEAR(`, `col:`, `^`, `AND`, quotes and SQL are only ever text to look for.
 *
 *   word            a word (diacritics and case ignored)
 *   "two words"     a phrase (an unclosed quote runs to the end)
 *   pre*            words starting with pre
 *   cyber_ctf       an identifier (letters with digits, or parts joined by _ . - / : # @): matched whole
 *   *ber_ct*        a substring of an identifier (3 characters or more)
 *   -word, -"a b"   leaves out what contains it
 *   case:ID         only this case (an id or its first characters)
 *   kind:pdf        only this kind (pdf, md, text, json, csv, jsonl, log, note, finding, claim, table…)
 */
import { isIdentifier, MIN_IDENTIFIER } from './identifiers';
import { kindsNamed, SEARCH_KINDS, type SearchKind } from './search-kinds';

export type QueryTerm =
  /** Matched in the word index (unicode61). */
  | { type: 'word'; text: string; prefix: boolean; exclude: boolean }
  | { type: 'phrase'; text: string; exclude: boolean }
  /** Matched in the identifier index (trigram): a whole identifier or a substring of one. */
  | { type: 'identifier'; text: string; exclude: boolean };

export interface ParsedQuery {
  terms: QueryTerm[];
  /** Case ids or id prefixes (any of them). */
  cases: string[];
  /** Kinds (any of them); empty means all. */
  kinds: SearchKind[];
}

export type ParseResult = { ok: true; query: ParsedQuery } | { ok: false; message: string };

export const MAX_QUERY_LENGTH = 500;
export const MAX_TERMS = 24;
/** Shorter prefixes match a large part of any vocabulary (and the prefix index starts at 3). */
export const MIN_PREFIX = 3;

/** What a `case:` filter takes: a case id or its first characters. */
const CASE_FILTER_VALUE = /^[A-Za-z0-9-]{1,64}$/u;
const HAS_TEXT = /[\p{L}\p{N}]/u;
/** Punctuation a reviewer types around a word (a comma, a full stop, brackets) that is not part of it. */
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;

function refuse(message: string): ParseResult {
  return { ok: false, message };
}

interface RawToken {
  text: string;
  quoted: boolean;
  exclude: boolean;
  /** Where the token stands in the input, its sign and quotes included. */
  start: number;
  end: number;
}

/** Splits on whitespace, keeping quoted runs together; a quote left open runs to the end. */
function tokenize(input: string): RawToken[] {
  const tokens: RawToken[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/u.test(input[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let exclude = false;
    if (input[i] === '-' && i + 1 < n && !/\s/u.test(input[i + 1]!)) {
      exclude = true;
      i++;
    }
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      const end = close === -1 ? n : close;
      i = close === -1 ? n : close + 1;
      tokens.push({ text: input.slice(start + (exclude ? 2 : 1), end), quoted: true, exclude, start, end: i });
      continue;
    }
    const from = i;
    while (i < n && !/\s/u.test(input[i]!) && input[i] !== '"') i++;
    tokens.push({ text: input.slice(from, i), quoted: false, exclude, start, end: i });
  }
  return tokens;
}

function filterOf(text: string): { name: 'case' | 'kind'; value: string } | null {
  const m = /^(case|kind):(.*)$/isu.exec(text);
  if (!m) return null;
  return { name: m[1]!.toLowerCase() as 'case' | 'kind', value: m[2]! };
}

export function parseQuery(input: string): ParseResult {
  if (input.length > MAX_QUERY_LENGTH) return refuse(`The query is too long (at most ${MAX_QUERY_LENGTH} characters).`);
  const terms: QueryTerm[] = [];
  const cases: string[] = [];
  const kinds = new Set<SearchKind>();
  for (const token of tokenize(input)) {
    if (token.quoted) {
      const text = token.text.trim().replace(/\s+/gu, ' ');
      if (HAS_TEXT.test(text)) terms.push({ type: 'phrase', text, exclude: token.exclude });
      continue;
    }
    const filter = filterOf(token.text);
    if (filter) {
      if (token.exclude) return refuse(`A ${filter.name}: filter cannot be excluded; name the ${filter.name === 'case' ? 'case' : 'kinds'} to keep instead.`);
      if (filter.value.length === 0) return refuse(`${filter.name}: needs a value, for example ${filter.name === 'case' ? 'case:case-3f2a' : 'kind:pdf'}.`);
      if (filter.name === 'case') {
        if (!CASE_FILTER_VALUE.test(filter.value)) return refuse('case: takes a case id (letters, digits and -).');
        cases.push(filter.value.toLowerCase());
      } else {
        const named = kindsNamed(filter.value);
        if (!named) return refuse(`Unknown kind "${filter.value.slice(0, 40)}": use one of ${SEARCH_KINDS.join(', ')}.`);
        for (const k of named) kinds.add(k);
      }
      continue;
    }
    let text = token.text;
    const substring = text.startsWith('*');
    const prefix = /\*$/u.test(text);
    text = text.replace(/\*/gu, '').replace(EDGE_PUNCTUATION, '');
    if (!HAS_TEXT.test(text)) continue;
    if (substring) {
      if (text.length < MIN_IDENTIFIER) return refuse(`A substring search (*…*) needs at least ${MIN_IDENTIFIER} characters: "${text}" is too short.`);
      terms.push({ type: 'identifier', text, exclude: token.exclude });
    } else if (isIdentifier(text)) {
      terms.push({ type: 'identifier', text, exclude: token.exclude });
    } else if (/[^\p{L}\p{N}]/u.test(text)) {
      // Words joined by other punctuation ("don't", "R&D"): the word tokenizer splits them; as a phrase they stay in order.
      terms.push({ type: 'phrase', text, exclude: token.exclude });
    } else {
      if (prefix && text.length < MIN_PREFIX) return refuse(`A prefix search needs at least ${MIN_PREFIX} letters before the *: "${text}*" would match too much.`);
      terms.push({ type: 'word', text, prefix, exclude: token.exclude });
    }
  }
  if (terms.length > MAX_TERMS) return refuse(`Too many terms (at most ${MAX_TERMS}).`);
  if (terms.length === 0) return refuse('Type a word to search for.');
  if (terms.every((t) => t.exclude)) return refuse('Add a word to search for: a term with - only leaves results out.');
  return { ok: true, query: { terms, cases, kinds: [...kinds] } };
}

/** The query back as text a reviewer can read and edit (chips, the access log). */
export function describeTerm(term: QueryTerm): string {
  const sign = term.exclude ? '-' : '';
  switch (term.type) {
    case 'word':
      return `${sign}${term.text}${term.prefix ? '*' : ''}`;
    case 'phrase':
      return `${sign}"${term.text}"`;
    case 'identifier':
      return `${sign}${term.text}`;
  }
}

/** The filters of a query's text that parse as filters (quoted or excluded text is not a filter). */
function filterTokens(input: string): { token: RawToken; name: 'case' | 'kind'; value: string }[] {
  const found: { token: RawToken; name: 'case' | 'kind'; value: string }[] = [];
  for (const token of tokenize(input)) {
    const filter = token.quoted || token.exclude ? null : filterOf(token.text);
    if (filter) found.push({ token, ...filter });
  }
  return found;
}

/** The text with each token in `edits` replaced by its text (spaces tidied), the rest as typed. */
function editTokens(input: string, edits: readonly { token: RawToken; text: string }[]): string {
  let out = '';
  let at = 0;
  for (const { token, text } of edits) {
    out += input.slice(at, token.start) + text;
    at = token.end;
  }
  return (out + input.slice(at)).replace(/\s+/gu, ' ').trim();
}

function withFilter(input: string, filter: string): string {
  return `${input.trimEnd()}${input.trim() ? ' ' : ''}${filter}`;
}

/** The `kind:` filters of a query's text and the kinds each names (invalid values are not filters). */
function kindFilters(input: string): { token: RawToken; kinds: readonly SearchKind[] }[] {
  return filterTokens(input).flatMap(({ token, name, value }) => {
    const kinds = name === 'kind' ? kindsNamed(value) : null;
    return kinds ? [{ token, kinds }] : [];
  });
}

/** The kinds the text's `kind:` filters name, whether or not the rest of it parses yet (the chips show them). */
export function kindsInText(input: string): SearchKind[] {
  return [...new Set(kindFilters(input).flatMap((f) => f.kinds))];
}

/**
 * The text with `kind` added as a filter, or taken out of every filter naming it (a filter naming other
 * kinds too, as `kind:table` does, keeps those). The chips edit the text, so what is typed and what is
 * pressed never disagree.
 */
export function toggleKindInText(input: string, kind: SearchKind): string {
  const filters = kindFilters(input).filter((f) => f.kinds.includes(kind));
  if (filters.length === 0) return withFilter(input, `kind:${kind}`);
  return editTokens(
    input,
    filters.map(({ token, kinds }) => ({ token, text: kinds.filter((k) => k !== kind).map((k) => `kind:${k}`).join(' ') })),
  );
}


function caseFilters(input: string): { token: RawToken; value: string }[] {
  return filterTokens(input).flatMap(({ token, name, value }) => (name === 'case' && CASE_FILTER_VALUE.test(value) ? [{ token, value: value.toLowerCase() }] : []));
}

/** The case ids or id prefixes the text's `case:` filters name (the search screen names their cases). */
export function casesInText(input: string): string[] {
  return [...new Set(caseFilters(input).map((f) => f.value))];
}

/** Whether the text keeps its search to this one case: it has case filters and each selects this case. */
export function onlyCaseInText(input: string, caseId: string): boolean {
  const filters = caseFilters(input);
  return filters.length > 0 && filters.every((f) => caseId.toLowerCase().startsWith(f.value));
}

/**
 * The "only this case" chip as an edit of the text: pressed (onlyCaseInText) it takes the case filters
 * out; otherwise it puts `case:<id>` in place of any other case filter, since a second filter would
 * widen the search (case filters are any-of), not narrow it to this case.
 */
export function toggleOnlyCaseInText(input: string, caseId: string): string {
  const without = editTokens(input, caseFilters(input).map(({ token }) => ({ token, text: '' })));
  return onlyCaseInText(input, caseId) ? without : withFilter(without, `case:${caseId}`);
}
