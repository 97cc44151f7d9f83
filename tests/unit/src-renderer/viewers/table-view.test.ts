import { describe, expect, it } from 'vitest';
import { cellInFull, nextSort, orderRows } from '../../../../src-renderer/viewers/table-view';

const rows = [
  ['b', '10', 'Alpha'],
  ['a', '9', ''],
  ['c', '', 'beta'],
  ['a', '100', 'alpha two'],
];

describe('table view', () => {
  it('keeps file order without a view', () => {
    expect(orderRows(rows, {})).toEqual([0, 1, 2, 3]);
  });

  it('sorts numbers as numbers, empty cells last in both directions, ties in file order', () => {
    expect(orderRows(rows, { sort: { column: 1, direction: 'asc' } })).toEqual([1, 0, 3, 2]);
    expect(orderRows(rows, { sort: { column: 1, direction: 'desc' } })).toEqual([3, 0, 1, 2]);
    expect(orderRows(rows, { sort: { column: 0, direction: 'asc' } })).toEqual([1, 3, 0, 2]);
  });

  it('sorts text case-folded when any cell is not a number', () => {
    expect(orderRows(rows, { sort: { column: 2, direction: 'asc' } })).toEqual([0, 3, 2, 1]);
  });

  it('filters case-insensitively in one column or any, then sorts what is left', () => {
    expect(orderRows(rows, { filter: { text: 'ALPHA' } })).toEqual([0, 3]);
    expect(orderRows(rows, { filter: { text: 'a', column: 0 } })).toEqual([1, 3]);
    expect(orderRows(rows, { filter: { text: 'a', column: 0 }, sort: { column: 1, direction: 'desc' } })).toEqual([3, 1]);
    expect(orderRows(rows, { filter: { text: 'nowhere' } })).toEqual([]);
    expect(orderRows(rows, { filter: { text: 'x', column: 99 } })).toEqual([]);
  });

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
