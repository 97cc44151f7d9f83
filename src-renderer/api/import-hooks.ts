/**
 * The demo import and its progress: the call (one access-log entry) plus the `import.progress` events
 * main pushes to this window while it runs, so the bar moves without polling (every call is logged).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useImportProgressStore } from '../state/import-progress-store';
import { rwCall, rwSubscribe } from './rw-call';
import { RwError } from '../../src-shared/errors';

/**
 * Forwards `import.progress` events into the store while the calling component is mounted. Unmounting
 * forgets the progress too: the import's answer would no longer reach this screen to settle it.
 */
export function useImportProgressEvents(): void {
  useEffect(() => {
    const unsubscribe = rwSubscribe('import.progress', (event) => useImportProgressStore.getState().update(event));
    return () => {
      unsubscribe();
      useImportProgressStore.getState().reset();
    };
  }, []);
}

export function useImportDemo() {
  const client = useQueryClient();
  useImportProgressEvents();
  return useMutation<{ caseId: string; artifactCount: number; totalBytes: number }, RwError, void>({
    mutationFn: () => rwCall('cases.importDemo', {}),
    onMutate: () => useImportProgressStore.getState().begin(),
    onSuccess: (result) => {
      useImportProgressStore.getState().succeed(result.totalBytes);
      return client.invalidateQueries({ queryKey: ['cases.list'] });
    },
    onError: () => useImportProgressStore.getState().fail(),
  });
}
