import { describe, expect, it } from 'vitest';
import { nextSearchOffset } from '../../../../src-renderer/api/search-hooks';
import { SEARCH_RANK_WINDOW } from '../../../../src-shared/search/rank-window';

describe('nextSearchOffset (the search screen\'s "Show more hits")', () => {
  it('asks for the page after those loaded while the last one says there are more', () => {
    expect(nextSearchOffset(true, 1, 50)).toBe(50);
    expect(nextSearchOffset(true, 3, 50)).toBe(150);
    expect(nextSearchOffset(false, 1, 50)).toBeUndefined();
  });

  it('stops where the next page would leave the ranked window, so every page is a slice of one ranking', () => {
    const pagesInWindow = SEARCH_RANK_WINDOW / 50;
    expect(nextSearchOffset(true, pagesInWindow - 1, 50)).toBe(SEARCH_RANK_WINDOW - 50);
    expect(nextSearchOffset(true, pagesInWindow, 50)).toBeUndefined();
    // A page size that does not divide the window stops before it too.
    expect(nextSearchOffset(true, Math.floor(SEARCH_RANK_WINDOW / 30), 30)).toBeUndefined();
  });
});
