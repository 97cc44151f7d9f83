/**
 * The search hook. Part of the api module (with hooks.ts, the only code that reaches window.rw).
 * Every search is an access-log leaf, so a search runs when the reviewer asks (submit, a chip),
 * never again behind their back: no refetch on focus or reconnect, no retry, nothing kept once the
 * screen is closed.
 */
import { useQuery } from '@tanstack/react-query';
import type { SearchRequestInput, SearchResponse } from '../../src-shared/ipc/channels-search';
import { rwCall } from './rw-call';
import type { RwError } from '../../src-shared/errors';

export function useSearch(request: SearchRequestInput | null) {
  return useQuery<SearchResponse, RwError>({
    queryKey: ['search.query', request],
    queryFn: () => rwCall('search.query', request!),
    enabled: request !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
}
