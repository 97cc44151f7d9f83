import { describe, expect, test } from 'vitest';
import { parseDelimited, parseJsonLines } from '../../../../src-shared/tabular/delimited';

describe('parseDelimited (RFC 4180 CSV and TSV)', () => {
  test('reads a header and rows, with quoted fields, doubled quotes, embedded commas and newlines', () => {
    const t = parseDelimited('a,b,c\r\n1,"x, y","say ""hi"""\n2,"line1\nline2",3\n', ',');
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x, y', 'say "hi"'],
      ['2', 'line1\nline2', '3'],
    ]);
    expect(t.warnings).toEqual([]);
  });

  test('reads TSV and a last line without a newline', () => {
    const t = parseDelimited('k\tv\none\t1\ntwo\t2', '\t');
    expect(t.rows).toEqual([
      ['one', '1'],
      ['two', '2'],
    ]);
  });

  test('drops a UTF-8 byte-order mark before the header', () => {
    expect(parseDelimited('\uFEFFname,score\nx,1\n', ',').columns).toEqual(['name', 'score']);
  });

  test('names blank and extra columns and warns about ragged rows instead of failing', () => {
    const t = parseDelimited('a,\n1,2,3\n4\n', ',');
    expect(t.columns).toEqual(['a', 'column 2', 'column 3']);
    expect(t.rows).toEqual([['1', '2', '3'], ['4']]);
    expect(t.warnings.join(' ')).toContain('2 rows have a different number of fields than the header (2)');
  });

  test('warns about a quoted field left open at the end of the file', () => {
    const t = parseDelimited('a,b\n1,"open\n', ',');
    expect(t.warnings.join(' ')).toContain('not closed');
    expect(t.rows[0]).toEqual(['1', 'open\n']);
  });

  test('handles 100 000 rows', () => {
    const lines = ['id,value'];
    for (let i = 0; i < 100_000; i += 1) lines.push(`${i},v${i}`);
    const t = parseDelimited(lines.join('\n'), ',');
    expect(t.rows).toHaveLength(100_000);
    expect(t.rows[99_999]).toEqual(['99999', 'v99999']);
  });
});

describe('parseJsonLines', () => {
  test('unions object keys into columns in first-seen order and stringifies nested values', () => {
    const t = parseJsonLines('{"a":1,"b":"x"}\n{"b":"y","c":{"d":[1,2]}}\n\n{"a":null}\n');
    expect(t.columns).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x', ''],
      ['', 'y', '{"d":[1,2]}'],
      ['null', '', ''],
    ]);
  });

  test('puts non-object values in a value column', () => {
    const t = parseJsonLines('1\n"two"\n[3]\n');
    expect(t.columns).toEqual(['value']);
    expect(t.rows).toEqual([['1'], ['two'], ['[3]']]);
  });

  test('shows invalid lines as text with a warning naming the line', () => {
    const t = parseJsonLines('{"a":1}\n{oops\n');
    expect(t.columns).toEqual(['a', '(unparsed line)']);
    expect(t.rows[1]).toEqual(['', '{oops']);
    expect(t.warnings[0]).toContain('Line 2');
  });
});
