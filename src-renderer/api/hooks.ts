/**
 * React hooks over the IPC contract: the only way screens read or change anything in the main
 * process. Queries are keyed by [channel, request] so two screens asking the same thing share one call.
 */
import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient, type QueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { ArtifactRows, ArtifactRowsRequest, ArtifactSummary, CaseDetail, CaseSummary } from '../../src-shared/ipc/channels-cases';
import type { SessionStatus } from '../../src-shared/ipc/channels-session';
import { useLoadProgressStore } from '../state/load-progress-store';
import { SESSION_STATUS_KEY, forgetSessionData } from './query-client';
import { setSignedIn } from './session-gate';
import { rwCall } from './rw-call';
import { RwError } from '../../src-shared/errors';

export function useSessionStatus(): UseQueryResult<SessionStatus, RwError> {
  return useQuery<SessionStatus, RwError>({
    queryKey: SESSION_STATUS_KEY,
    queryFn: () => rwCall('session.status', {}),
    staleTime: 0,
  });
}

export function useCreateVault() {
  const client = useQueryClient();
  return useMutation<SessionStatus, RwError, { user: string; passphrase: string }>({
    mutationFn: (input) => rwCall('vault.create', input),
    onSuccess: (status) => client.setQueryData(SESSION_STATUS_KEY, status),
  });
}

export function useUnlock() {
  const client = useQueryClient();
  return useMutation<SessionStatus, RwError, { user: string; passphrase: string }>({
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
  return (reason = 'manual') => lockSession(client, reason);
}

/** useLock's work, apart from React so a test can drive it with a real QueryClient. */
export async function lockSession(client: QueryClient, reason: 'manual' | 'idle' | 'os'): Promise<void> {
  let status: SessionStatus | null = null;
  // Shut the gate and cancel what is in flight first: nothing of the screen being left may reach main
  // after the vault closed (it would be logged as an anonymous denial, a false alarm for the auditor).
  setSignedIn(false);
  await client.cancelQueries({ predicate: (q) => q.queryKey[0] !== SESSION_STATUS_KEY[0] });
  try {
    status = await rwCall('session.lock', { reason });
  } catch {
    status = null;
  }
  // The lock screen first (unmounting every content view), then the cache and stores are emptied.
  if (status) client.setQueryData(SESSION_STATUS_KEY, status);
  else await client.invalidateQueries({ queryKey: SESSION_STATUS_KEY });
  forgetSessionData(client);
}

// ---- cases and artifacts ------------------------------------------------------------------------

export function useCases() {
  return useQuery<CaseSummary[], RwError>({ queryKey: ['cases.list', {}], queryFn: () => rwCall('cases.list', {}) });
}

export function useCase(caseId: string) {
  return useQuery<CaseDetail, RwError>({ queryKey: ['cases.get', { caseId }], queryFn: () => rwCall('cases.get', { caseId }) });
}

export function useArtifacts(caseId: string) {
  return useQuery<ArtifactSummary[], RwError>({
    queryKey: ['artifacts.list', { caseId }],
    queryFn: () => rwCall('artifacts.list', { caseId }),
  });
}

/** The renderer refuses to assemble more than this in memory for one viewer. */
export const MAX_VIEWABLE_BYTES = 512 * 1024 * 1024;

/**
 * An artifact's bytes: `artifacts.open` (the access-log "open" event), then every chunk by index.
 * Content only ever arrives this way, by id over IPC, never by path or URL.
 */
async function readArtifact(artifactId: string, onProgress: (loaded: number, total: number) => void): Promise<Uint8Array> {
  const summary = await rwCall('artifacts.open', { artifactId });
  if (summary.size > MAX_VIEWABLE_BYTES) {
    throw new RwError('TOO_LARGE', `This artifact is ${summary.size} bytes; the viewer opens at most ${MAX_VIEWABLE_BYTES} bytes.`);
  }
  const bytes = new Uint8Array(summary.size);
  let offset = 0;
  onProgress(0, summary.chunkCount);
  for (let chunk = 0; chunk < summary.chunkCount; chunk += 1) {
    const part = await rwCall('artifacts.read', { artifactId, chunk });
    if (part.chunk !== chunk || offset + part.data.byteLength > bytes.byteLength) {
      throw new RwError('INTERNAL', 'The artifact arrived out of order or longer than announced.');
    }
    bytes.set(part.data, offset);
    offset += part.data.byteLength;
    onProgress(chunk + 1, summary.chunkCount);
  }
  if (offset !== bytes.byteLength) throw new RwError('INTERNAL', 'The artifact arrived shorter than announced.');
  return bytes;
}

function artifactQuery(artifactId: string) {
  return {
    queryKey: ['artifacts.read', { artifactId }] as const,
    queryFn: () => readArtifact(artifactId, (loaded, total) => useLoadProgressStore.getState().set(artifactId, loaded, total)),
    // Content leaves memory soon after its viewer closes.
    gcTime: 10_000,
  };
}

export function useArtifactBytes(artifactId: string, enabled = true) {
  return useQuery<Uint8Array, RwError>({ ...artifactQuery(artifactId), enabled });
}

/** The access-log "open" of an artifact whose content is paged rather than read whole (tables). */
export function useArtifactOpen(artifactId: string) {
  return useQuery<ArtifactSummary, RwError>({ queryKey: ['artifacts.open', { artifactId }], queryFn: () => rwCall('artifacts.open', { artifactId }), gcTime: 10_000 });
}

/** Rows per `artifact.rows` call from the table viewer. */
export const TABLE_PAGE_ROWS = 200;

/** Sort and filter of a table view; both run in the main process over every row. */
export type TableView = Pick<ArtifactRowsRequest, 'sort' | 'filter'>;

/**
 * Pages of a table artifact, parsed in the main process. `pages` are the page numbers in view; the
 * first page is always asked (it carries the columns and the row counts). Returns every page loaded.
 */
export function useArtifactRowPages(artifactId: string, view: TableView, pages: readonly number[]) {
  const wanted = [...new Set([0, ...pages])].sort((a, b) => a - b);
  return useQueries({
    queries: wanted.map((page) => {
      const request: ArtifactRowsRequest = { artifactId, offset: page * TABLE_PAGE_ROWS, limit: TABLE_PAGE_ROWS, ...view };
      return {
        queryKey: ['artifact.rows', request] as const,
        queryFn: () => rwCall('artifact.rows', request),
        // Content leaves memory soon after it scrolls away or the viewer closes.
        gcTime: 10_000,
        placeholderData: page === 0 ? keepPreviousData : undefined,
      };
    }),
    combine: (results) => ({
      first: results[0] as UseQueryResult<ArtifactRows, RwError>,
      pages: results.flatMap((r) => (r.data ? [r.data as ArtifactRows] : [])),
    }),
  });
}

/** For viewers that pull in a sibling artifact (a Markdown image): same cache, same access log. */
export function useArtifactLoader(): (artifactId: string) => Promise<Uint8Array> {
  const client = useQueryClient();
  return (artifactId) => client.fetchQuery<Uint8Array, RwError>(artifactQuery(artifactId));
}

/**
 * The viewers' report of what is in view (see ARCHITECTURE: access log): `open` when content is shown, `view` for a PDF
 * page with the time the previous page was in view, `close` with the dwell time. Best effort: a
 * report that fails must not disturb reading; a close refused because the session just locked is
 * written by main instead, before the lock (audit/open-views.ts).
 */
export function useArtifactViewReport(artifactId: string, active: boolean): (page: number, dwellMs: number) => void {
  const opened = useRef<number | null>(null);
  useEffect(() => {
    if (!active) return;
    opened.current = performance.now();
    void rwCall('artifact.view', { artifactId, action: 'open' }).catch(() => undefined);
    return () => {
      const start = opened.current;
      opened.current = null;
      const dwellMs = start === null ? 0 : Math.round(performance.now() - start);
      void rwCall('artifact.view', { artifactId, action: 'close', dwellMs }).catch(() => undefined);
    };
  }, [artifactId, active]);
  return useCallback(
    (page: number, dwellMs: number) => {
      void rwCall('artifact.view', { artifactId, action: 'view', page, dwellMs: Math.max(0, Math.round(dwellMs)) }).catch(() => undefined);
    },
    [artifactId],
  );
}
