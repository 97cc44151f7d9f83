import { describe, expect, it } from 'vitest';
import { casesInText, describeTerm, kindsInText, onlyCaseInText, parseQuery, toggleKindInText, toggleOnlyCaseInText, type ParsedQuery } from '../../../../src-shared/search/query-parser';
import { identifiersIn, isIdentifier } from '../../../../src-shared/search/identifiers';
import { combined, matchPlan } from '../../../../src-main/search/match-expression';

function parsed(input: string): ParsedQuery {
  const result = parseQuery(input);
  if (!result.ok) throw new Error(result.message);
  return result.query;
}

function refusal(input: string): string {
  const result = parseQuery(input);
  if (result.ok) throw new Error(`accepted ${input}`);
  return result.message;
}

describe('parseQuery', () => {
  it('reads words, phrases, prefixes, identifiers, substrings, exclusions and filters', () => {
    const q = parsed('quokka "dual use" uplift* cyber_ctf *ber_ct* -refusal -"safe completion" case:case-3f2a kind:pdf kind:table');
    expect(q.terms).toEqual([
      { type: 'word', text: 'quokka', prefix: false, exclude: false },
      { type: 'phrase', text: 'dual use', exclude: false },
      { type: 'word', text: 'uplift', prefix: true, exclude: false },
      { type: 'identifier', text: 'cyber_ctf', exclude: false },
      { type: 'identifier', text: 'ber_ct', exclude: false },
      { type: 'word', text: 'refusal', prefix: false, exclude: true },
      { type: 'phrase', text: 'safe completion', exclude: true },
    ]);
    expect(q.cases).toEqual(['case-3f2a']);
    expect(q.kinds).toEqual(['pdf', 'csv', 'jsonl']);
    expect(q.terms.map(describeTerm).join(' ')).toBe('quokka "dual use" uplift* cyber_ctf ber_ct -refusal -"safe completion"');
  });

  it('an unclosed quote runs to the end; punctuation around words is dropped', () => {
    expect(parsed('"open phrase here').terms).toEqual([{ type: 'phrase', text: 'open phrase here', exclude: false }]);
    expect(parsed('(uplift), end.').terms.map((t) => t.text)).toEqual(['uplift', 'end']);
    expect(parsed("don't").terms).toEqual([{ type: 'phrase', text: "don't", exclude: false }]);
  });

  const refusals: Array<[string, RegExp]> = [
    ['', /Type a word/],
    ['   ', /Type a word/],
    ['*', /Type a word/],
    ['"" ***', /Type a word/],
    ['-alone', /only leaves results out/],
    ['-kind:pdf word', /cannot be excluded/],
    ['kind: word', /needs a value/],
    ['kind:exe word', /Unknown kind/],
    ["case:x';-- word", /takes a case id/],
    ['*ab*', /at least 3/],
    ['ab*', /at least 3 letters/],
    ['a'.repeat(501), /too long/],
    [Array.from({ length: 30 }, (_, i) => `w${i}x`).join(' '), /Too many terms/],
  ];
  it.each(refusals)('refuses %j with a clear message', (input, message) => {
    expect(refusal(input)).toMatch(message);
  });
});

describe('match expressions never carry user syntax', () => {
  it.each([
    ['NEAR(a b)', '"NEAR(a" AND "b"'],
    ['body:secret', '"body:secret"'],
    ['a" OR "b', '"a" AND "OR" AND "b"'],
    ['^start', '"start"'],
    ['word -other', '("word") NOT ("other")'],
  ])('%j', (input, expected) => {
    const plan = matchPlan(parsed(input).terms);
    expect(combined(plan.words) ?? combined(plan.identifiers)).toBe(expected);
  });

  it('doubles quotes inside phrases', () => {
    expect(combined(matchPlan([{ type: 'phrase', text: 'say "hi"', exclude: false }]).words)).toBe('"say ""hi"""');
  });
});

describe('identifiers', () => {
  it.each([
    ['cyber_ctf', true],
    ['v7.0.2', true],
    ['sha256:9f2c', true],
    ['run-42', true],
    ['gpt4o', true],
    ['well-known', true],
    ['7.1', false],
    ['2026-11-01', false],
    ['word', false],
    ['ab', false],
  ])('%s → %s', (token, expected) => {
    expect(isIdentifier(token)).toBe(expected);
  });

  it('collects distinct identifiers from text, not plain words', () => {
    expect(identifiersIn('Run cyber_ctf_v2 (see v7.0.2), then cyber_ctf_v2 again at 2026-11-01.')).toBe('cyber_ctf_v2 v7.0.2');
  });
});

describe('kind filters in the text (the chips edit the query)', () => {
  it.each([
    ['capture', []],
    ['capture kind:pdf', ['pdf']],
    ['KIND:Markdown capture kind:pdf', ['md', 'pdf']],
    ['capture kind:table', ['csv', 'jsonl']],
    // Quoted, excluded or unknown: not a filter.
    ['"kind:pdf" capture', []],
    ['-kind:pdf capture', []],
    ['capture kind:spreadsheet', []],
    // The rest need not parse yet: the chips follow what is typed.
    ['kind:log', ['log']],
  ] as const)('%s names %j', (text, kinds) => {
    expect(kindsInText(text)).toEqual(kinds);
  });

  it.each([
    ['capture', 'pdf', 'capture kind:pdf'],
    ['capture  ', 'pdf', 'capture kind:pdf'],
    ['', 'note', 'kind:note'],
    ['capture kind:pdf', 'pdf', 'capture'],
    ['kind:pdf capture KIND:PDF "the kind:pdf phrase"', 'pdf', 'capture "the kind:pdf phrase"'],
    ['capture kind:pdf', 'md', 'capture kind:pdf kind:md'],
    // A filter naming two kinds keeps the other.
    ['capture kind:table', 'csv', 'capture kind:jsonl'],
    ['capture -kind:log', 'log', 'capture -kind:log kind:log'],
  ] as const)('%s, toggling %s, gives %s', (text, kind, expected) => {
    const next = toggleKindInText(text, kind);
    expect(next).toBe(expected);
    // Toggled again, the kind is gone or back: the chip and the text agree either way.
    expect(kindsInText(next).includes(kind)).toBe(!kindsInText(text).includes(kind));
  });
});

describe('case filters in the text (the "only this case" chip edits the query)', () => {
  const open = 'case-0f3c2b9e5d7a41e8b6c2d9f0a1b2c3d4';
  const other = 'case-77aa00bb11cc22dd33ee44ff55006611';

  it.each([
    ['capture', []],
    [`capture case:${open}`, [open]],
    ['CASE:Case-0F3C capture case:case-77', ['case-0f3c', 'case-77']],
    // Quoted, excluded or not an id: not a filter.
    [`"case:${open}" capture`, []],
    [`-case:${open} capture`, []],
    ['capture case:a;b', []],
  ] as const)('%s names %j', (text, cases) => {
    expect(casesInText(text)).toEqual(cases);
  });

  it.each([
    ['capture', false],
    [`capture case:${open}`, true],
    // A prefix of the open case selects it; a filter that also lets another case in does not keep the search to it.
    ['capture case:CASE-0f3', true],
    [`capture case:${open} case:${other}`, false],
    [`capture case:${other}`, false],
    [`capture -case:${open}`, false],
  ] as const)('%s keeps to the open case: %s', (text, only) => {
    expect(onlyCaseInText(text, open)).toBe(only);
  });

  it.each([
    ['capture', `capture case:${open}`],
    ['', `case:${open}`],
    [`capture case:${open} kind:pdf`, 'capture kind:pdf'],
    ['case:case-0f3 capture', 'capture'],
    // Pressed over another case's filter, it replaces it: adding would search both cases.
    [`capture case:${other}`, `capture case:${open}`],
    [`case:${other} capture case:${open}`, `capture case:${open}`],
    // Quoted text stays text.
    [`"case:${open}" capture`, `"case:${open}" capture case:${open}`],
  ] as const)('%s, toggled, gives %s', (text, expected) => {
    const next = toggleOnlyCaseInText(text, open);
    expect(next).toBe(expected);
    expect(onlyCaseInText(next, open)).toBe(!onlyCaseInText(text, open));
    // Whatever the chip wrote parses (when the rest does) and keeps the rest of the query.
    if (parseQuery(text).ok && next.trim()) expect(parseQuery(next).ok).toBe(true);
  });
});
