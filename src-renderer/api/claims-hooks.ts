/**
 * Hooks for the claims ledger channels: the ledger of a case (react-query, keyed by channel and case)
 * and the reviewer's link and override decisions, which refresh the ledger and the case's progress.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RequestOf, ResponseOf } from '../../src-shared/ipc/channel';
import type { Contract } from '../../src-shared/ipc/contract';
import type { LedgerView } from '../../src-shared/ipc/channels-claims';
import type { RwError } from '../../src-shared/errors';
import { rwCall } from './rw-call';

export function useClaimsLedger(caseId: string) {
  return useQuery<LedgerView, RwError>({ queryKey: ['claims.list', { caseId }], queryFn: () => rwCall('claims.list', { caseId }) });
}

function useRefreshLedger(caseId: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['claims.list', { caseId }] });
}

export function useLinkClaim(caseId: string) {
  const refresh = useRefreshLedger(caseId);
  return useMutation<ResponseOf<Contract['claims.link']>, RwError, Omit<RequestOf<Contract['claims.link']>, 'caseId'>>({
    mutationFn: (input) => rwCall('claims.link', { caseId, ...input }),
    onSuccess: () => refresh(),
  });
}

export function useOverrideClaim(caseId: string) {
  const refresh = useRefreshLedger(caseId);
  return useMutation<ResponseOf<Contract['claims.override']>, RwError, Omit<RequestOf<Contract['claims.override']>, 'caseId'>>({
    mutationFn: (input) => rwCall('claims.override', { caseId, ...input }),
    onSuccess: () => refresh(),
  });
}
