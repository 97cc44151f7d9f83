/**
 * The demo import and its progress: the call (one access-log entry) plus the `import.progress` events
 * main pushes to this window while it runs, so the bar moves without polling (every call is logged).
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CaseComparisonView, ImportOutcome, TextDiffView } from '../../src-shared/ipc/channels-import';
import { useEffect } from 'react';
import { useImportProgressStore } from '../state/import-progress-store';
import { rwCall, rwSubscribe } from './rw-call';
import { RwError } from '../../src-shared/errors';

/** A new case changes the list and every case's progress with it. */
function invalidateCases(client: QueryClient) {
  return Promise.all([client.invalidateQueries({ queryKey: ['cases.list'] }), client.invalidateQueries({ queryKey: ['cases.progress'] })]);
}

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
    onMutate: () => useImportProgressStore.getState().begin('demo'),
    onSuccess: (result) => {
      useImportProgressStore.getState().succeed(result.totalBytes);
      return invalidateCases(client);
    },
    onError: () => useImportProgressStore.getState().fail(),
  });
}

/** What a chosen package import answers; `cancelled` when the Electron chooser was closed without a choice. */
export type ChosenImport = ImportOutcome | { cancelled: true };

/**
 * A package chosen by the reviewer: in Electron main opens the system chooser (`kind` says file or
 * folder, and the path stays in main); in the preview the page's file input hands over the .zip.
 */
export function useImportPackage() {
  const client = useQueryClient();
  useImportProgressEvents();
  return useMutation<ChosenImport, RwError, { kind: 'zip' | 'folder' } | { file: File }>({
    mutationFn: async (input) => {
      if ('file' in input) {
        const data = new Uint8Array(await input.file.arrayBuffer());
        return rwCall('cases.importUpload', { name: input.file.name, data });
      }
      const answer = await rwCall('cases.importChoose', input);
      if (answer.cancelled) return { cancelled: true };
      const { cancelled: _cancelled, ...outcome } = answer;
      return outcome;
    },
    onMutate: () => useImportProgressStore.getState().begin('package'),
    onSuccess: (result) => {
      if ('cancelled' in result) {
        useImportProgressStore.getState().reset();
        return;
      }
      useImportProgressStore.getState().succeed(result.totalBytes);
      return invalidateCases(client);
    },
    onError: () => useImportProgressStore.getState().fail(),
  });
}

export function useCaseComparison(caseId: string) {
  return useQuery<CaseComparisonView, RwError>({ queryKey: ['cases.compare', { caseId }], queryFn: () => rwCall('cases.compare', { caseId }) });
}

export function useCaseDiff(caseId: string, path: string | null) {
  return useQuery<TextDiffView, RwError>({
    queryKey: ['cases.diff', { caseId, path }],
    queryFn: () => rwCall('cases.diff', { caseId, path: path ?? '' }),
    enabled: path !== null,
    gcTime: 10_000,
  });
}
