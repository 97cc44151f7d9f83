/**
 * Runs a parsed query over content.db's index. The first page is found without counting or scoring
 * every hit: bm25 ranks a bounded window of matches (RANK_WINDOW below). Snippets
 * come from FTS5 (word queries) or are cut around the first identifier hit; text-line units are
 * narrowed to the exact line of their first hit so a hit opens where it is.
 */
import type { Database } from '@signalapp/sqlcipher';
import { RwError } from '../../src-shared/errors';
import { SEARCH_RANK_WINDOW } from '../../src-shared/search/rank-window';
import { parseQuery, type ParsedQuery, type QueryTerm } from '../../src-shared/search/query-parser';
import type { SearchKind } from '../../src-shared/search/search-kinds';
import { CHECK_TABLE, clearCheckTable, fillCheckTable, identifierPrefilter } from './identifier-prefilter';
import { combined, matchPlan } from './match-expression';
import { caseTag, kindTag } from './search-tags';
import type { LocKind } from './search-units';

export interface SnippetSegment {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  caseId: string;
  kind: SearchKind;
  /** Artifact id, or the note/finding/claim id. */
  sourceId: string;
  /** The artifact the hit opens (null for a finding, or a note on the case itself). */
  artifactId: string | null;
  /** The artifact's path in the package (null for records). */
  path: string | null;
  place: { kind: LocKind; n: number } | null;
  /** Markdown section heading or sample id. */
  label: string | null;
  /** In words: "page 3", "line 120", "row 5", "sample 12"; empty for notes and findings. */
  where: string;
  segments: SnippetSegment[];
  /** The snippet as plain text with each hit wrapped in **. */
  snippet: string;
  /** bm25 for word queries (lower is better, as FTS5 gives it); for identifier queries see IDENTIFIER_SCORE. */
  score: number;
  /** The text that matched, for the viewer to highlight. */
  marks: string[];
}

export interface SearchRequest {
  query: string;
  /** Only this case (in addition to any case: in the query). */
  caseId?: string;
  kinds?: readonly SearchKind[];
  limit: number;
  offset?: number;
  /** How many matches bm25 ranks (RANK_WINDOW unless a bench or test asks otherwise). */
  rankWindow?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  /** There are hits after this page (or beyond the ranked window: not every hit was counted). */
  more: boolean;
}

export const MAX_LIMIT = 200;
/**
 * How many matches a query ranks. A word in every tenth unit of a 200 MB corpus has tens of thousands
 * of matches, and bm25 over all of them before the first page cost ~150 ms; so a query takes the
 * RANK_WINDOW most recently indexed matches that pass its filters (newest first in rowid order: the
 * case imported last, its artifacts in path order), ranks those by bm25 and pages through them. A
 * query with fewer matches is ranked exactly; one with more says so (`more`, shown as "N+").
 */
export const RANK_WINDOW = SEARCH_RANK_WINDOW;
const SNIPPET_TOKENS = 16;
const OPEN = '\u0001';
const CLOSE = '\u0002';

function segmentsOf(marked: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let hit = false;
  let text = '';
  for (const c of marked) {
    if (c === OPEN || c === CLOSE) {
      if (text) segments.push({ text, hit });
      text = '';
      hit = c === OPEN;
      continue;
    }
    text += c;
  }
  if (text) segments.push({ text, hit });
  return segments.map((s) => ({ ...s, text: s.text.replace(/\s+/gu, ' ') }));
}

function starred(segments: readonly SnippetSegment[]): string {
  return segments.map((s) => (s.hit ? `**${s.text}**` : s.text)).join('');
}

/** A snippet around the first case-insensitive occurrence of any of the needles (identifier hits). */
function cutSnippet(body: string, needles: readonly string[]): { marked: string; offset: number } {
  const lower = body.toLowerCase();
  let at = -1;
  let len = 0;
  for (const needle of needles) {
    const i = lower.indexOf(needle.toLowerCase());
    if (i !== -1 && (at === -1 || i < at)) {
      at = i;
      len = needle.length;
    }
  }
  if (at === -1) return { marked: body.slice(0, 160) + (body.length > 160 ? '…' : ''), offset: -1 };
  const start = Math.max(0, at - 70);
  const end = Math.min(body.length, at + len + 70);
  const marked = `${start > 0 ? '…' : ''}${body.slice(start, at)}${OPEN}${body.slice(at, at + len)}${CLOSE}${body.slice(at + len, end)}${end < body.length ? '…' : ''}`;
  return { marked, offset: at };
}

/**
 * Where the snippet's first hit sits in the body, or -1: a snippet is the body's own text with marks
 * and ellipses added, so the text up to and through its first hit is found in the body. A line hit
 * opens at the line the snippet shows (finding it this way spares marking up a 16 KB body per hit).
 */
function snippetHitOffset(body: string, snippet: string): number {
  const open = snippet.indexOf(OPEN);
  const close = snippet.indexOf(CLOSE, open);
  if (open === -1 || close === -1) return -1;
  const head = snippet.startsWith('…') ? snippet.slice(1, open) : snippet.slice(0, open);
  const at = body.indexOf(head + snippet.slice(open + 1, close));
  return at === -1 ? -1 : at + head.length;
}

function lineOfOffset(body: string, offset: number): number {
  let lines = 0;
  for (let i = body.indexOf('\n'); i !== -1 && i < offset; i = body.indexOf('\n', i + 1)) lines++;
  return lines;
}

function whereOf(kind: SearchKind, place: SearchHit['place'], label: string | null): string {
  if (!place) return '';
  const base = `${place.kind} ${place.n}`;
  if (kind === 'md' && label) return `“${label}”, ${base}`;
  // A log sample's number is its epoch; its label the sample id.
  if (place.kind === 'sample' && label) return `sample ${label}, epoch ${place.n}`;
  return base;
}

/** The kinds a search keeps (query and request together), or null for all. */
function keptKinds(query: ParsedQuery, request: SearchRequest): SearchKind[] | null {
  const asked = request.kinds && request.kinds.length > 0 ? [...request.kinds] : null;
  if (query.kinds.length === 0) return asked;
  return asked ? query.kinds.filter((k) => asked.includes(k)) : [...query.kinds];
}

/** Filters as a tags expression for the word index (null: none), or `false` when nothing can pass. */
function tagFilter(query: ParsedQuery, request: SearchRequest): string | null | false {
  const parts: string[] = [];
  if (request.caseId) parts.push(caseTag(request.caseId, false));
  if (query.cases.length > 0) parts.push(`(${query.cases.map((c) => caseTag(c, true)).join(' OR ')})`);
  const kinds = keptKinds(query, request);
  if (kinds !== null) {
    // Both given and disjoint: nothing can match.
    if (kinds.length === 0) return false;
    parts.push(`(${kinds.map(kindTag).join(' OR ')})`);
  }
  return parts.length > 0 ? parts.join(' AND ') : null;
}

interface Filters {
  sql: string;
  params: unknown[];
}

/** Filters as SQL over the unit row (identifier-driven queries: their matches are few). */
function unitFilters(query: ParsedQuery, request: SearchRequest): Filters {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (request.caseId) {
    clauses.push('u.case_id = ?');
    params.push(request.caseId);
  }
  if (query.cases.length > 0) {
    clauses.push(`(${query.cases.map(() => 'substr(u.case_id, 1, ?) = ?').join(' OR ')})`);
    for (const c of query.cases) params.push(c.length, c);
  }
  const kinds = keptKinds(query, request);
  if (kinds !== null) {
    // An empty IN list is valid SQL and matches nothing.
    clauses.push(`u.kind IN (${kinds.map(() => '?').join(', ')})`);
    params.push(...kinds);
  }
  return { sql: clauses.map((c) => ` AND ${c}`).join(''), params };
}

/** A word-side expression kept to the body column: a typed word never matches a unit's tags. */
function inBody(expression: string): string {
  return `{body} : (${expression})`;
}

function positiveTexts(terms: readonly QueryTerm[], type: QueryTerm['type']): string[] {
  return terms.filter((t) => !t.exclude && t.type === type).map((t) => t.text);
}

/**
 * The FTS5 snippets of a page's hits, in one statement: one statement per hit re-ran the query for
 * each (opening every term's iterators and seeking them) and cost more than the ranking (measured at
 * 50 MB: 20 hits of a prefix query, 17 ms). The page's rows lie in the window's rowid range, which
 * FTS5 walks cheaply; the `+` keeps the id list a filter on that walk instead of a lookup per id.
 * CAST: the driver binds JavaScript numbers as REAL, and FTS5 ignores a rowid constraint that is not
 * an INTEGER (it then returns every match).
 */
function pageSnippets(db: Database, match: string, ids: readonly number[]): Map<number, string> {
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT rowid AS id, snippet(search_words, 0, char(1), char(2), '…', ${SNIPPET_TOKENS}) AS snip FROM search_words WHERE search_words MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) AND +rowid IN (SELECT value FROM json_each(?))`,
    )
    .all([match, Math.min(...ids), Math.max(...ids), JSON.stringify(ids)]);
  for (const row of rows) out.set(Number(row.id), String(row.snip));
  return out;
}

interface Ranked {
  /** The page's rows (one more than the limit when there are more), best first. */
  rows: Array<Record<string, unknown>>;
  /** How many matches the window held. */
  windowed: number;
}

function runQuery(db: Database, sql: string, params: unknown[]): Array<Record<string, unknown>> {
  try {
    return db.prepare(sql).all(params as never);
  } catch {
    // Every term is quoted, so FTS5 should take any query; if it still refuses one, say so plainly.
    throw new RwError('INVALID_INPUT', 'The search index cannot take this query; try simpler words.');
  }
}

/** An identifier hit's score: negative like bm25 (lower is better), in (-1, 0), best for short identifier lists. */
const IDENTIFIER_SCORE = '-100.0 / (100 + length(u.idents))';

/** A window query's rows (id, score) ranked by score, paged. */
function rankWindow(db: Database, window: string, params: unknown[], limit: number, offset: number): Ranked {
  const rows = runQuery(db, `SELECT id, score, count(*) OVER () AS windowed FROM (${window}) ORDER BY score, id DESC LIMIT ? OFFSET ?`, [...params, limit + 1, offset]);
  return { rows, windowed: Number(rows[0]?.windowed ?? 0) };
}

/** Parses and runs a search; a query the parser refuses is an INVALID_INPUT error with its message. */
export function search(db: Database, request: SearchRequest): SearchResult {
  const parsed = parseQuery(request.query);
  if (!parsed.ok) throw new RwError('INVALID_INPUT', parsed.message);
  return searchParsed(db, parsed.query, request);
}

export function searchParsed(db: Database, query: ParsedQuery, request: SearchRequest): SearchResult {
  const limit = Math.min(Math.max(1, Math.floor(request.limit)), MAX_LIMIT);
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const plan = matchPlan(query.terms);
  const wordsDrive = plan.words.include !== null;
  const driverSide = combined(wordsDrive ? plan.words : plan.identifiers);
  if (driverSide === null) throw new RwError('INVALID_INPUT', 'Add a word to search for.');
  // Every page inside the window is a slice of the same ranking (so paging shows no hit twice and skips
  // none); a page reaching past it ranks a larger window. A full window says there may be more.
  const size = Math.max(request.rankWindow ?? RANK_WINDOW, offset + limit);
  // Matches are walked newest first (FTS5 reads its doclists in descending rowid order and stops at
  // the LIMIT), so bm25 scores only the window's rows.
  let driverMatch: string;
  let ranked: Ranked;
  if (wordsDrive) {
    // Filters are tags inside the same MATCH: FTS5 intersects doclists (seeking, not scanning), and
    // the window needs no unit row at all. bm25 weighs the body only.
    const tags = tagFilter(query, request);
    if (tags === false) return { hits: [], more: false };
    const body = inBody(driverSide);
    driverMatch = tags === null ? body : `${body} AND {tags} : (${tags})`;
    let where = 'search_words MATCH ?';
    const params: unknown[] = [driverMatch];
    if (plan.identifiers.include !== null) {
      where += ' AND rowid IN (SELECT rowid FROM search_idents WHERE search_idents MATCH ?)';
      params.push(plan.identifiers.include);
    }
    if (plan.identifiers.exclude !== null) {
      where += ' AND rowid NOT IN (SELECT rowid FROM search_idents WHERE search_idents MATCH ?)';
      params.push(plan.identifiers.exclude);
    }
    if (tags === null) {
      ranked = rankWindow(db, `SELECT rowid AS id, bm25(search_words, 1.0, 0.0) AS score FROM search_words WHERE ${where} ORDER BY rowid DESC LIMIT ?`, [...params, size], limit, offset);
    } else {
      // Two steps: bm25 counts every phrase's matches over the whole index, the tags' too whatever
      // their weight, and a tag such as kcsv is in half the units (measured at 50 MB: `mi kind:table`
      // 53 ms in one statement, 6 ms in two). The window is found with the tags and no bm25, then
      // ranked by the body's terms alone, walking only the window's rowid range.
      const ids = runQuery(db, `SELECT rowid AS id FROM search_words WHERE ${where} ORDER BY rowid DESC LIMIT ?`, [...params, size]).map((r) => Number(r.id));
      const rows =
        ids.length === 0
          ? []
          : runQuery(
              db,
              'SELECT rowid AS id, bm25(search_words, 1.0, 0.0) AS score FROM search_words WHERE search_words MATCH ? AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER) AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY score, id DESC LIMIT ? OFFSET ?',
              [body, Math.min(...ids), Math.max(...ids), JSON.stringify(ids), limit + 1, offset],
            );
      ranked = { rows, windowed: ids.length };
    }
  } else {
    // Identifier-driven: few matches, filtered on their unit rows. Not ranked by bm25: over trigrams
    // it measures how many of the query's trigram instances a unit's identifiers hold against their
    // length, and it cost far more than the match (measured at 200 MB: `*llodort*` 0.5 ms without it,
    // 51 ms with it, counting each trigram phrase over the whole index). A unit whose identifiers are
    // fewer (the match is more of them) ranks first, as with bm25, newest first among equals.
    // The word index narrows it first when it can (identifier-prefilter.ts): the same expression is
    // then matched in a small temporary trigram table holding only the candidates' identifier lists.
    driverMatch = driverSide;
    const prefilter = identifierPrefilter(query.terms);
    const tags = tagFilter(query, request);
    const checked = prefilter !== null && tags !== false && fillCheckTable(db, prefilter, tags);
    const table = checked ? CHECK_TABLE : 'search_idents';
    try {
      let window = `SELECT d.rowid AS id, ${IDENTIFIER_SCORE} AS score FROM ${checked ? 'temp.' : ''}${table} d CROSS JOIN search_units u ON u.id = d.rowid WHERE ${table} MATCH ?`;
      const params: unknown[] = [driverMatch];
      if (plan.words.exclude !== null) {
        window += ' AND u.id NOT IN (SELECT rowid FROM search_words WHERE search_words MATCH ?)';
        params.push(inBody(plan.words.exclude));
      }
      const f = unitFilters(query, request);
      window += `${f.sql} ORDER BY d.rowid DESC LIMIT ?`;
      params.push(...f.params, size);
      ranked = rankWindow(db, window, params, limit, offset);
    } finally {
      if (checked) clearCheckTable(db);
    }
  }
  const { rows } = ranked;
  // A full window may have matches beyond it: there is more whether or not this page is full.
  const more = rows.length > limit || ranked.windowed >= size;
  const page = rows.slice(0, limit);
  const detail = db.prepare(
    `SELECT u.case_id, u.kind, u.source_id, u.artifact_id, u.loc_kind, u.loc, u.label, u.body, a.path FROM search_units u LEFT JOIN artifacts a ON a.id = u.artifact_id WHERE u.id = ?`,
  );
  const snippets = wordsDrive ? pageSnippets(db, driverMatch, page.map((r) => Number(r.id))) : null;
  let wordsHighlight: ReturnType<Database['prepare']> | null = null;
  const identifierNeedles = positiveTexts(query.terms, 'identifier');
  const hits = page.map((row): SearchHit => {
    const id = Number(row.id);
    const unit = detail.get([id])!;
    const body = String(unit.body);
    let snippetMarked: string;
    let firstHit: number;
    if (snippets) {
      snippetMarked = snippets.get(id) ?? body.slice(0, 160);
      firstHit = unit.loc_kind === 'line' ? snippetHitOffset(body, snippetMarked) : -1;
      if (unit.loc_kind === 'line' && firstHit === -1) {
        // Not found in the body (an ellipsis in the text itself, say): mark the whole body instead.
        wordsHighlight ??= db.prepare('SELECT highlight(search_words, 0, char(1), char(2)) AS marked FROM search_words WHERE search_words MATCH ? AND rowid = CAST(? AS INTEGER)');
        firstHit = String(wordsHighlight.get([driverMatch, id])?.marked ?? '').indexOf(OPEN);
      }
    } else {
      const cut = cutSnippet(body, identifierNeedles);
      snippetMarked = cut.marked;
      firstHit = cut.offset;
    }
    const kind = String(unit.kind) as SearchKind;
    const label = typeof unit.label === 'string' ? unit.label : null;
    let place: SearchHit['place'] = typeof unit.loc_kind === 'string' ? { kind: unit.loc_kind as LocKind, n: Number(unit.loc) } : null;
    if (place?.kind === 'line' && firstHit > 0) place = { kind: 'line', n: place.n + lineOfOffset(body, firstHit) };
    const segments = segmentsOf(snippetMarked);
    const marks = [...new Set([...segments.filter((s) => s.hit).map((s) => s.text.trim()), ...positiveTexts(query.terms, 'phrase'), ...identifierNeedles])].filter((m) => m.length > 0);
    return {
      caseId: String(unit.case_id),
      kind,
      sourceId: String(unit.source_id),
      artifactId: typeof unit.artifact_id === 'string' ? unit.artifact_id : null,
      path: typeof unit.path === 'string' ? unit.path : null,
      place,
      label,
      where: whereOf(kind, place, label),
      segments,
      snippet: starred(segments),
      score: Number(row.score),
      marks,
    };
  });
  return { hits, more };
}
