/**
 * The search hook. Part of the api module (with hooks.ts, the only code that reaches window.rw).
 * Every search is an access-log leaf, so a search runs when the reviewer asks (submit, a chip, "Show
 * more"), never again behind their back: no refetch on focus or reconnect, no retry, nothing kept once
 * the screen is closed.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import type { SearchRequestInput, SearchResponse } from '../../src-shared/ipc/channels-search';
import { SEARCH_RANK_WINDOW } from '../../src-shared/search/rank-window';
import { rwCall } from './rw-call';
import type { RwError } from '../../src-shared/errors';

/**
 * Where the next page of a search starts, or undefined when there is none to ask for: the last page
 * said there are more, and the next page ends within the rank window (within it every page is a slice
 * of one ranking, so no hit is shown twice or skipped; past it a narrower search is the way on).
 */
export function nextSearchOffset(more: boolean, pagesLoaded: number, limit: number): number | undefined {
  const next = pagesLoaded * limit;
  return more && next + limit <= SEARCH_RANK_WINDOW ? next : undefined;
}

/**
 * A search and the pages after its first, fetched one by one as the reviewer asks (`fetchNextPage`).
 */
export function useSearch(request: (SearchRequestInput & { limit: number }) | null) {
  return useInfiniteQuery<SearchResponse, RwError, { pages: SearchResponse[] }, readonly unknown[], number>({
    queryKey: ['search.query', request],
    queryFn: ({ pageParam }) => rwCall('search.query', { ...request!, offset: pageParam }),
    initialPageParam: 0,
    // The page size is the request's own, never main's default: the next offset counts whole pages.
    getNextPageParam: (last, pages) => nextSearchOffset(last.more, pages.length, request!.limit),
    enabled: request !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
