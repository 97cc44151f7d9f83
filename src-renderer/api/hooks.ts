/**
 * React hooks over the IPC contract: the only way screens read or change anything in the main
 * process. Queries are keyed by [channel, request] so two screens asking the same thing share one call.
 */
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { SESSION_STATUS_KEY, forgetSessionData } from './query-client';
import { rwCall, type RwCallError } from './rw-call';

export function useSessionStatus(): UseQueryResult<SessionStatus, RwCallError> {
  return useQuery<SessionStatus, RwCallError>({
    queryKey: SESSION_STATUS_KEY,
    queryFn: () => rwCall('session.status', {}),
    staleTime: 0,
  });
}

export function useCreateVault() {
  const client = useQueryClient();
  return useMutation<SessionStatus, RwCallError, { user: string; passphrase: string }>({
    mutationFn: (input) => rwCall('vault.create', input),
    onSuccess: (status) => client.setQueryData(SESSION_STATUS_KEY, status),
  });
}

export function useUnlock() {
  const client = useQueryClient();
  return useMutation<SessionStatus, RwCallError, { user: string; passphrase: string }>({
    mutationFn: (input) => rwCall('session.unlock', input),
    onSuccess: (status) => client.setQueryData(SESSION_STATUS_KEY, status),
  });
}

/**
 * Lock: the main process drops its keys first; then, whatever it answered, the renderer forgets every
 * fetched value and every UI selection (a failed lock call must not leave content on screen).
 */
export function useLock(): (reason?: 'manual' | 'idle' | 'os') => Promise<void> {
  const client = useQueryClient();
  return async (reason = 'manual') => {
    let status: SessionStatus | null = null;
    try {
      status = await rwCall('session.lock', { reason });
    } catch {
      status = null;
    }
    // The lock screen first (unmounting every content view), then the cache and stores are emptied.
    if (status) client.setQueryData(SESSION_STATUS_KEY, status);
    else await client.invalidateQueries({ queryKey: SESSION_STATUS_KEY });
    forgetSessionData(client);
  };
}
