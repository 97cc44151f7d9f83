/**
 * Search end to end on a real encrypted content.db: a signed package imported with the real importer
 * (indexed in its transaction), notes and findings through their services, queries through the parser.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeCase } from '../../../../src-main/artifacts/remove-case';
import { search, type SearchHit } from '../../../../src-main/search/search-service';
import { clearCheckTable, fillCheckTable, identifierPhrase, identifierPrefilter } from '../../../../src-main/search/identifier-prefilter';
import { combined, matchPlan } from '../../../../src-main/search/match-expression';
import { parseQuery, type ParsedQuery } from '../../../../src-shared/search/query-parser';
import { createNote, deleteNote, editNote } from '../../../../src-main/workspace/notes-service';
import { createFinding, deleteFinding } from '../../../../src-main/workspace/findings-service';
import { testActor } from '../workspace/content-fixture';
import { ONLY_IN, openSearchFixture, vaultFiles, type SearchFixture } from './search-fixture';

let f: SearchFixture;
const actor = testActor('alice');
let noteId: string;
let findingId: string;

const find = (query: string, extra: { caseId?: string; limit?: number } = {}) => search(f.db, { query, limit: extra.limit ?? 50, ...(extra.caseId ? { caseId: extra.caseId } : {}) });
const parseQueryOk = (query: string): ParsedQuery => {
  const parsed = parseQuery(query);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.query;
};
const paths = (hits: readonly SearchHit[]) => hits.map((h) => h.path ?? h.sourceId);

beforeAll(async () => {
  f = await openSearchFixture();
  const artifact = f.db.prepare("SELECT id FROM artifacts WHERE case_id = ? AND path = 'model-card.md'").get([f.caseId]);
  noteId = createNote(f.db, actor, { caseId: f.caseId, artifactId: String(artifact?.id), anchor: { kind: 'heading', heading: 'Risks' }, body: `Check the ${ONLY_IN.note} claim again.` }).id;
  findingId = createFinding(f.db, actor, { caseId: f.caseId, title: `A ${ONLY_IN.finding} gap`, severity: 'high', category: 'evaluation', description: 'The cyber suite stopped early.' }).id;
}, 30_000);
afterAll(() => {
  f.db.close();
  fs.rmSync(f.dir, { recursive: true, force: true });
});

describe('each source kind is found by a word that occurs only there', () => {
  const expected: Array<[keyof typeof ONLY_IN, string, string]> = [
    ['pdf', 'reports/system-card.pdf', 'page 2'],
    ['md', 'model-card.md', '“Risks”, line 7'],
    ['text', 'logs/train.log', 'line 300'],
    ['json', 'eval/results.json', 'line 5'],
    // Row 2 spans two lines in a quoted field: still one row, as the table viewer counts.
    ['csv', 'eval/results.csv', 'row 3'],
    ['jsonl', 'eval/samples.jsonl', 'row 2'],
  ];
  it.each(expected)('%s', (kind, path, where) => {
    const { hits, more } = find(ONLY_IN[kind]);
    expect(more).toBe(false);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind, path, where, caseId: f.caseId });
    expect(hits[0]!.snippet).toContain(`**${ONLY_IN[kind]}**`);
    expect(hits[0]!.score).toBeLessThan(0);
  });

  it('an Inspect log, one hit per sample, each naming its sample id and epoch', () => {
    const { hits } = find('calculator');
    expect(hits.map((h) => [h.kind, h.path, h.where, h.label, h.place]).sort((a, b) => String(a[3]).localeCompare(String(b[3])))).toEqual(
      [1, 2, 3].map((id) => ['log', 'logs/run.eval', `sample ${id}, epoch 1`, String(id), { kind: 'sample', n: 1 }]),
    );
    // Input, messages, output and the scorer's explanation are all in the sample's unit.
    expect(find('"is the number 17 prime"').hits.map((h) => h.label)).toEqual(['2']);
    expect(find('"does not match the target"').hits.every((h) => h.kind === 'log')).toBe(true);
  });

  it('a .json that is not an Inspect log is indexed as JSON text, not as a log', () => {
    expect(f.db.prepare("SELECT s.kind FROM search_sources s JOIN artifacts a ON a.id = s.source_id WHERE a.path = 'eval/results.json'").get()).toEqual({ kind: 'json' });
  });

  it('a note, opening the artifact it is anchored to', () => {
    const { hits } = find(ONLY_IN.note);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'note', sourceId: noteId, path: 'model-card.md' });
  });

  it('a finding', () => {
    const { hits } = find(ONLY_IN.finding);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ kind: 'finding', sourceId: findingId, artifactId: null, where: '' });
    expect(hits[0]!.snippet).toBe(`A **${ONLY_IN.finding}** gap evaluation The cyber suite stopped early.`);
  });

  it('records how each artifact was indexed (binary files have no text)', () => {
    const rows = f.db.prepare('SELECT a.path, s.status, s.kind FROM search_sources s JOIN artifacts a ON a.id = s.source_id ORDER BY a.path').all();
    expect(rows.find((r) => r.path === 'img/blob.bin')).toMatchObject({ status: 'no-text' });
    expect(rows.find((r) => r.path === 'reports/system-card.pdf')).toMatchObject({ status: 'indexed', kind: 'pdf' });
  });

  it('reported an indexing phase ending at the package total', () => {
    const indexing = f.progress.filter((p) => p.phase === 'indexing');
    expect(indexing.length).toBeGreaterThan(1);
    expect(indexing.at(-1)!.bytesDone).toBe(indexing.at(-1)!.bytesTotal);
    expect(f.progress.findIndex((p) => p.phase === 'indexing')).toBeGreaterThan(f.progress.findLastIndex((p) => p.phase === 'storing'));
  });
});

describe('query language', () => {
  it('ignores case and diacritics', () => {
    expect(paths(find('CAFE resume naive').hits)).toEqual(['model-card.md']);
  });

  it('phrases match words in order only', () => {
    expect(paths(find('"threshold was crossed"').hits)).toEqual(['logs/train.log']);
    expect(find('"crossed was threshold"').hits).toEqual([]);
  });

  it('prefix* matches the start of words', () => {
    expect(paths(find('quokka*').hits)).toEqual(['reports/system-card.pdf']);
    expect(find('quokka').hits).toEqual([]);
  });

  it('-exclude leaves out units that contain the word', () => {
    const all = paths(find('page').hits);
    expect(all).toContain('reports/system-card.pdf');
    expect(paths(find('page -quokkaflux').hits).filter((p) => p === 'reports/system-card.pdf')).toHaveLength(all.filter((p) => p === 'reports/system-card.pdf').length - 1);
  });

  it('identifiers match whole, substrings with *…*, in the trigram index', () => {
    expect(find('cyber_ctf_v2').hits[0]).toMatchObject({ path: 'logs/train.log', where: 'line 300' });
    expect(find('*ber_ctf*').hits[0]!.snippet).toContain('cy**ber_ctf**_v2');
    expect(paths(find('*2c4e7a*').hits)).toEqual(['logs/train.log']);
    // An identifier and a word together: both indexes must agree.
    expect(paths(find('marmolite cyber_ctf_v2').hits)).toEqual(['logs/train.log']);
    expect(find('quokkaflux cyber_ctf_v2').hits).toEqual([]);
    expect(find('marmolite -cyber_ctf_v2').hits).toEqual([]);
  });

  it('an identifier narrowed by the word index matches exactly what the trigram index matches, and leaves no copy behind', () => {
    expect(identifierPhrase('cyber_ctf_v2')).toBe('"ctf"');
    expect(identifierPhrase('run.cyber-ctf_v22')).toBe('"cyber ctf v22"*');
    // No inner piece and a last piece shorter than the prefix index, a mark, or one piece: no phrase.
    expect(identifierPhrase('ab_v2')).toBeNull();
    expect(identifierPhrase('cyber_ctf\u0301_v2')).toBeNull();
    expect(identifierPhrase('9f2c4e7a1b3d')).toBeNull();
    const trigram = (expr: string) => f.db.prepare('SELECT rowid FROM search_idents WHERE search_idents MATCH ? ORDER BY rowid', { pluck: true }).all([expr]);
    for (const query of ['cyber_ctf_v2', '*ber_ctf*', '*r_ctf_v*', 'CYBER_CTF_V2']) {
      const terms = parseQueryOk(query).terms;
      const expr = combined(matchPlan(terms).identifiers)!;
      const prefilter = identifierPrefilter(terms);
      expect(prefilter, query).not.toBeNull();
      expect(fillCheckTable(f.db, prefilter!, null)).toBe(true);
      const checked = f.db.prepare('SELECT rowid FROM temp.search_check WHERE search_check MATCH ? ORDER BY rowid', { pluck: true }).all([expr]);
      clearCheckTable(f.db);
      expect(checked, query).toEqual(trigram(expr));
      expect(checked.length, query).toBeGreaterThan(0);
    }
    // Over the cap the trigram index answers alone, with the same hits.
    const prefilter = identifierPrefilter(parseQueryOk('cyber_ctf_v2').terms)!;
    expect(fillCheckTable(f.db, prefilter, null, 0)).toBe(false);
    expect(find('cyber_ctf_v2').hits[0]).toMatchObject({ path: 'logs/train.log', where: 'line 300' });
    expect(f.db.prepare('SELECT count(*) AS n FROM temp.search_check').get()?.n).toBe(0);
  });

  it('kind: and case: filters', async () => {
    const other = await f.importAnother();
    expect(find('page kind:pdf').hits.every((h) => h.kind === 'pdf')).toBe(true);
    expect(find('marmolite kind:pdf').hits).toEqual([]);
    expect(find('marmolite kind:table').hits).toEqual([]);
    expect(find('brindlewick kind:table').hits.map((h) => h.caseId).sort()).toEqual([f.caseId, other].sort());
    expect(find(`brindlewick case:${other}`).hits.map((h) => h.caseId)).toEqual([other]);
    expect(find(`brindlewick case:${other.slice(0, 12)}`).hits.map((h) => h.caseId)).toEqual([other]);
    expect(find('brindlewick', { caseId: f.caseId }).hits.map((h) => h.caseId)).toEqual([f.caseId]);
    removeCase(f.db, other);
  });

  it('gives each hit its own snippet and place (several hits in one PDF)', () => {
    const hits = find('page kind:pdf').hits;
    expect(hits.map((h) => h.where).sort()).toEqual(['page 1', 'page 2', 'page 3']);
    const byPage = Object.fromEntries(hits.map((h) => [h.where, h.snippet]));
    expect(byPage['page 1']).toContain('System card, **page** one');
    expect(byPage['page 2']).toContain('Second **page**');
    expect(byPage['page 3']).toContain('Third **page**');
  });

  it('pages with a limit and says whether there is more, without counting every hit', () => {
    const first = find('line', { limit: 2 });
    expect(first.hits).toHaveLength(2);
    expect(first.more).toBe(true);
  });

  it('pages through its rank window as slices of one ranking: none twice, none skipped, the last page too', () => {
    const all = find('the').hits;
    expect(all.length).toBeGreaterThanOrEqual(6);
    const window = all.length - 1;
    const key = (h: SearchHit) => `${h.sourceId}:${h.where}`;
    const ranked = search(f.db, { query: 'the', limit: window, rankWindow: window }).hits.map(key);
    const paged: string[] = [];
    for (let offset = 0; offset < window; offset += 2) {
      const page = search(f.db, { query: 'the', limit: Math.min(2, window - offset), offset, rankWindow: window });
      paged.push(...page.hits.map(key));
      // The window holds fewer than all matches, so every page says there are more.
      expect(page.more).toBe(true);
    }
    expect(paged).toEqual(ranked);
  });

  const hostile: Array<[string, 'results' | RegExp]> = [
    ['"unbalanced quote marmolite', 'results'],
    ['marmolite"', 'results'],
    ['NEAR(marmolite threshold)', 'results'],
    ['NEAR(', /Type a word|results/],
    ['*', /Type a word/],
    ['* * *', /Type a word/],
    ['body:marmolite', 'results'],
    ['search_words:marmolite', 'results'],
    ['{body idents}: marmolite', 'results'],
    ["marmolite' OR 1=1; DROP TABLE cases; --", 'results'],
    ['marmolite AND OR NOT', 'results'],
    ['^marmolite', 'results'],
    ['marmolite + - ( ) : ^', 'results'],
    ['-marmolite', /only leaves results out/],
    ['kind:exe marmolite', /Unknown kind "exe"/],
    ['case: marmolite', /case: needs a value/],
    ['case:%25 marmolite', /case: takes a case id/],
    ['*ab*', /at least 3 characters/],
    ['\u0000marmolite\u0001', 'results'],
    ['x'.repeat(600), /too long/],
  ];
  it.each(hostile)('hostile query %j gives results or a clear refusal', (query, outcome) => {
    let result: ReturnType<typeof find> | null = null;
    let message = '';
    try {
      result = find(query);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_INPUT' });
      message = (error as Error).message;
    }
    if (outcome === 'results') {
      expect(result).not.toBeNull();
      expect(Array.isArray(result!.hits)).toBe(true);
    } else if (result === null) {
      expect(message).toMatch(outcome);
    }
    expect(f.db.prepare('SELECT count(*) AS n FROM cases').get()?.n).toBe(1);
  });
});

describe('notes and findings stay current', () => {
  it('an edit replaces the old wording; a delete removes the hit', () => {
    const note = createNote(f.db, actor, { caseId: f.caseId, body: 'first wording: pellucid' });
    expect(paths(find('pellucid').hits)).toEqual([note.id]);
    editNote(f.db, actor, { id: note.id, revision: 1, body: 'second wording: lambent' });
    expect(find('pellucid').hits).toEqual([]);
    expect(paths(find('lambent').hits)).toEqual([note.id]);
    deleteNote(f.db, actor, { id: note.id, revision: 2 });
    expect(find('lambent').hits).toEqual([]);
    const finding = createFinding(f.db, actor, { caseId: f.caseId, title: 'susurrus', severity: 'low', category: 'x' });
    expect(paths(find('susurrus').hits)).toEqual([finding.id]);
    deleteFinding(f.db, actor, { id: finding.id, revision: 1 });
    expect(find('susurrus').hits).toEqual([]);
  });
});

describe('the index is as protected as the content', () => {
  it('no searched word appears in any file under the vault folder', () => {
    f.db.pragma('wal_checkpoint(PASSIVE)');
    for (const word of [...Object.values(ONLY_IN), 'cyber_ctf_v2', 'threshold']) {
      expect(find(word).hits.length).toBeGreaterThan(0);
      for (const file of vaultFiles(f.dir)) {
        const bytes = fs.readFileSync(file);
        expect(bytes.includes(Buffer.from(word, 'utf8')), `${word} in ${file}`).toBe(false);
        expect(bytes.includes(Buffer.from(word, 'utf16le')), `${word} (UTF-16) in ${file}`).toBe(false);
      }
    }
  });

  it('a removed case leaves no hit, no unit, no source row and no table-row index', async () => {
    const other = await f.importAnother();
    const rowIndexOf = (table: string) => f.db.prepare(`SELECT count(*) AS n FROM ${table} WHERE artifact_id IN (SELECT id FROM artifacts WHERE case_id = ?)`).get([other])?.n;
    expect(find(`marmolite case:${other}`).hits).toHaveLength(1);
    expect(rowIndexOf('artifact_row_index')).toBeGreaterThan(0);
    removeCase(f.db, other);
    expect(f.db.prepare('SELECT count(*) AS n FROM artifact_row_index WHERE artifact_id NOT IN (SELECT id FROM artifacts)').get()?.n).toBe(0);
    expect(f.db.prepare('SELECT count(*) AS n FROM artifact_row_chunks WHERE artifact_id NOT IN (SELECT id FROM artifacts)').get()?.n).toBe(0);
    expect(find(`marmolite case:${other}`).hits).toEqual([]);
    expect(find('marmolite').hits.map((h) => h.caseId)).toEqual([f.caseId]);
    expect(f.db.prepare('SELECT count(*) AS n FROM search_units WHERE case_id = ?').get([other])?.n).toBe(0);
    expect(f.db.prepare('SELECT count(*) AS n FROM search_sources WHERE case_id = ?').get([other])?.n).toBe(0);
    expect(f.db.prepare("SELECT * FROM search_words('\"marmolite\"')").all()).toHaveLength(1);
    expect(() => removeCase(f.db, other)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
