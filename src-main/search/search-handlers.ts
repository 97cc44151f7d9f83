/**
 * The search channel. The router has checked sender, schema and role (reviewer; content channels are
 * never open to auditors). The access-log leaf names the query and the hits returned, also for a
 * refused query (with 0), so what a reviewer looked for is on record either way.
 */
import type { Database } from '@signalapp/sqlcipher';
import type { searchChannels } from '../../src-shared/ipc/channels-search';
import type { Handler } from '../ipc/router';
import type { IndexProgress } from './index-artifacts';
import { search } from './search-service';

type SearchChannels = typeof searchChannels;
export type SearchHandlers = { [K in keyof SearchChannels]: Handler<SearchChannels[K]> };

export const DEFAULT_PAGE = 50;

/** `indexing`: the catch-up's progress while it runs (results may miss what it has not reached). */
export function searchHandlers(contentDb: () => Database, indexing: () => IndexProgress | null = () => null): SearchHandlers {
  return {
    'search.query': async (request, ctx) => {
      const object = request.caseId ? { kind: 'case', id: request.caseId } : undefined;
      ctx.describe(object, { query: request.query, results: 0 });
      const result = search(contentDb(), {
        query: request.query,
        ...(request.caseId ? { caseId: request.caseId } : {}),
        ...(request.kinds ? { kinds: request.kinds } : {}),
        limit: request.limit ?? DEFAULT_PAGE,
        offset: request.offset ?? 0,
      });
      ctx.describe(object, { query: request.query, results: result.hits.length });
      return { ...result, indexing: indexing() };
    },
  };
}
