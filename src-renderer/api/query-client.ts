/**
 * The react-query client for everything fetched over IPC. Data from the vault is never retried blindly
 * (a refused call stays refused) and is dropped as soon as the session ends: when any call answers
 * VAULT_LOCKED (idle lock, OS lock in the main process) the cache and the UI stores are wiped.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { resetAllStores } from '../state/store-reset';
import { isRwError } from '../../src-shared/errors';
import { setSignedIn } from './session-gate';

export const SESSION_STATUS_KEY = ['session.status', {}] as const;

export function createRwQueryClient(): QueryClient {
  const onError = (error: unknown): void => {
    if (isRwError(error) && error.code === 'VAULT_LOCKED' && error.detail['gate'] === undefined) wipeSession(client);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        // Content stays only while a screen uses it; nothing lingers in memory after navigation.
        gcTime: 30_000,
        staleTime: Infinity,
      },
      mutations: { retry: false },
    },
  });
  // The session gate follows the status however it reaches the cache (a fetch, an unlock's answer, a lock's).
  client.getQueryCache().subscribe((event) => {
    if (event.query.queryKey[0] !== SESSION_STATUS_KEY[0]) return;
    const status = event.query.state.data as { vault?: string } | undefined;
    if (status) setSignedIn(status.vault === 'unlocked');
  });
  return client;
}

/**
 * Forget everything the session fetched or selected. The status query itself is kept (and then
 * refreshed or replaced) rather than cleared: its observer is what switches the app to the lock
 * screen, and QueryClient.clear() would strand that observer on a query no longer in the cache.
 */
export function forgetSessionData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_STATUS_KEY[0] });
  client.getMutationCache().clear();
  resetAllStores();
}

/** The main process says the vault is locked: forget everything, then ask who is signed in. */
export function wipeSession(client: QueryClient): void {
  forgetSessionData(client);
  void client.invalidateQueries({ queryKey: SESSION_STATUS_KEY });
}
