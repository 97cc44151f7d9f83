import { describe, expect, it } from 'vitest';
import { cellInFull, COLUMN_MAX_CH, COLUMN_MIN_CH, columnWidthsCh, nextSort } from '../../../../src-renderer/viewers/table-view';

describe('table view', () => {
  it('cycles a header through ascending, descending and file order', () => {
    expect(nextSort(undefined, 2)).toEqual({ column: 2, direction: 'asc' });
    expect(nextSort({ column: 2, direction: 'asc' }, 2)).toEqual({ column: 2, direction: 'desc' });
    expect(nextSort({ column: 2, direction: 'desc' }, 2)).toBeUndefined();
    expect(nextSort({ column: 2, direction: 'desc' }, 0)).toEqual({ column: 0, direction: 'asc' });
  });

  it('shows JSON cells pretty-printed and anything else, malformed JSON included, as it is', () => {
    expect(cellInFull('{"role":"user","content":"hi"}')).toBe('{\n  "role": "user",\n  "content": "hi"\n}');
    expect(cellInFull('{not json')).toBe('{not json');
    expect(cellInFull('plain')).toBe('plain');
  });
});

describe('columnWidthsCh', () => {
  it('sizes each column to its widest of header (with the sort arrow) and sample cells, within bounds', () => {
    const columns = ['id', 'benchmark', 'comment', 'n', 'previous_release'];
    const rows = [
      ['1', 'reading-comp', 'x'.repeat(200), '5', '0.5'],
      ['10', 'grade-school-math', 'short', '', '0.25'],
    ];
    expect(columnWidthsCh(columns, rows)).toEqual([COLUMN_MIN_CH, 'grade-school-math'.length, COLUMN_MAX_CH, COLUMN_MIN_CH, 'previous_release'.length + 2]);
  });

  it('counts characters, not UTF-16 units, and takes a missing cell as empty', () => {
    expect(columnWidthsCh(['a', 'b'], [['😀'.repeat(10)], []])).toEqual([10, COLUMN_MIN_CH]);
  });

  it('with no rows, the headers alone', () => {
    expect(columnWidthsCh(['previous_release'], [])).toEqual(['previous_release'.length + 2]);
  });
});
