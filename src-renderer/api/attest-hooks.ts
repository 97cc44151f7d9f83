/**
 * Hooks for the attestation screen and the outbox (see ARCHITECTURE: attestations and sync). Part of the api module: with hooks.ts and
 * workspace-hooks.ts, the only code that reaches window.rw (through rwCall). The renderer never names
 * a path or a server: export goes to a folder main chooses, sync to the server the signed policy names.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ResponseOf } from '../../src-shared/ipc/channel';
import type { ReviewRequest } from '../../src-shared/ipc/channels-attest';
import type { Contract } from '../../src-shared/ipc/contract';
import { rwCall } from './rw-call';
import type { RwError } from '../../src-shared/errors';

export type AttestPreview = ResponseOf<Contract['attest.preview']>;
export type AttestSigned = ResponseOf<Contract['attest.sign']>;
export type OutboxList = ResponseOf<Contract['outbox.list']>;
export type MediaExport = ResponseOf<Contract['sync.exportMedia']>;
export type SyncNowResult = ResponseOf<Contract['sync.now']>;

const OUTBOX_KEY = ['outbox.list', {}] as const;

/** A mutation, not a query: the preview is asked for on purpose (it is logged as attestation.preview). */
export function useAttestPreview() {
  return useMutation<AttestPreview, RwError, ReviewRequest>({
    mutationFn: (input) => rwCall('attest.preview', input),
  });
}

export function useAttestSign() {
  const client = useQueryClient();
  return useMutation<AttestSigned, RwError, ReviewRequest & { passphrase: string }>({
    mutationFn: (input) => rwCall('attest.sign', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox.list'] }),
  });
}

export function useOutbox() {
  return useQuery<OutboxList, RwError>({ queryKey: OUTBOX_KEY, queryFn: () => rwCall('outbox.list', {}) });
}

export function useExportMedia() {
  const client = useQueryClient();
  return useMutation<MediaExport, RwError, { folder?: string }>({
    mutationFn: (input) => rwCall('sync.exportMedia', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox.list'] }),
  });
}

export function useSyncNow() {
  const client = useQueryClient();
  return useMutation<SyncNowResult, RwError, void>({
    mutationFn: () => rwCall('sync.now', {}),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox.list'] }),
  });
}
