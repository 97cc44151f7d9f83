/**
 * The indexer numbers lines and rows exactly as the viewers do (a hit must open where it is), whatever
 * the chunk boundaries: checked against the viewers' own parsers on generated input cut at random.
 */
import { describe, expect, it } from 'vitest';
import { delimitedRows, jsonLineRows, lineBlocks, linesOf, markdownHeading, LINE_PIECE_CHARS } from '../../../../src-main/search/text-units';
import { parseDelimited, parseJsonLines } from '../../../../src-shared/tabular/delimited';
import { splitLines } from '../../../../src-renderer/viewers/text-decode';

function cut(text: string, seed: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  let at = 0;
  let s = seed;
  while (at < bytes.length) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const n = 1 + (s % 7);
    chunks.push(bytes.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

function generated(seed: number): string {
  const pieces = ['a', 'é', '"', ',', '\n', '\r\n', '\r', ' ', 'x1', '""', '€', '\t'];
  let s = seed;
  let out = '';
  for (let i = 0; i < 300; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out += pieces[s % pieces.length];
  }
  return out;
}

describe('linesOf', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('numbers lines as the text viewer does (seed %i)', (seed) => {
    const text = generated(seed);
    const lines = [...linesOf(cut(text, seed))];
    const viewer = splitLines(text);
    expect(lines.map((l) => l.text)).toEqual(viewer.length === 1 && viewer[0] === '' ? [] : viewer);
    expect(lines.map((l) => l.n)).toEqual(lines.map((_, i) => i + 1));
  });
});

describe('delimitedRows', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('numbers CSV rows as the table viewer does (seed %i)', (seed) => {
    const text = generated(seed * 7);
    const rows = [...delimitedRows(cut(text, seed), ',')];
    const table = parseDelimited(text, ',');
    const nonEmpty = table.rows.map((r, i) => ({ text: r.join('\t'), n: i + 1 })).filter((r) => r.text.trim().length > 0);
    expect(rows.filter((r) => r.text.trim().length > 0).map((r) => ({ text: r.text, n: r.loc!.n }))).toEqual(nonEmpty);
  });

  it('cuts a huge field instead of holding it', () => {
    const rows = [...delimitedRows([new TextEncoder().encode(`h\n"${'x'.repeat(LINE_PIECE_CHARS * 3)}"\n`)], ',')];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text.length).toBe(LINE_PIECE_CHARS);
  });
});

describe('jsonLineRows', () => {
  it('numbers rows as the table viewer does (blank lines skipped, bad lines kept)', () => {
    const text = '{"a":1}\n\n  \nnot json\n{"b":"quokka"}\n';
    const rows = [...jsonLineRows(linesOf(cut(text, 3)))];
    expect(rows.map((r) => r.loc!.n)).toEqual([1, 2, 3]);
    expect(parseJsonLines(text).rows).toHaveLength(3);
    expect(rows[2]!.text).toContain('quokka');
  });
});

describe('lineBlocks', () => {
  it('starts a unit at each Markdown heading and names it', () => {
    const lines = linesOf([new TextEncoder().encode('# Title\nintro\n## **Risks** ##\nbody\n')]);
    expect([...lineBlocks(lines, markdownHeading)]).toEqual([
      { text: '# Title\nintro', loc: { kind: 'line', n: 1 }, label: 'Title' },
      { text: '## **Risks** ##\nbody', loc: { kind: 'line', n: 3 }, label: 'Risks' },
    ]);
  });

  it('indexes a very long line in pieces, all with its line number', () => {
    const long = 'y'.repeat(LINE_PIECE_CHARS * 2 + 5);
    const units = [...lineBlocks(linesOf([new TextEncoder().encode(`short\n${long}\nafter`)]))];
    expect(units.map((u) => [u.loc!.n, u.text.length])).toEqual([
      [1, 5],
      [2, LINE_PIECE_CHARS],
      [2, LINE_PIECE_CHARS],
      [2, 5],
      [3, 5],
    ]);
  });
});
