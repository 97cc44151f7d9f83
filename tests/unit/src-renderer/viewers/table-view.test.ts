import { describe, expect, it } from 'vitest';
import { cellInFull, nextSort } from '../../../../src-renderer/viewers/table-view';

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
