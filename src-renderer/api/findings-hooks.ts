/** Hooks for the findings document leaving the workstation: the gated export and the signed attestation. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RequestOf, ResponseOf } from '../../src-shared/ipc/channel';
import type { Contract } from '../../src-shared/ipc/contract';
import type { RwError } from '../../src-shared/errors';
import { rwCall } from './rw-call';

export function useExportFindings() {
  return useMutation<ResponseOf<Contract['findings.export']>, RwError, RequestOf<Contract['findings.export']>>({ mutationFn: (request) => rwCall('findings.export', request) });
}

export function useAttestFindings() {
  const client = useQueryClient();
  return useMutation<ResponseOf<Contract['findings.attest']>, RwError, RequestOf<Contract['findings.attest']>>({
    mutationFn: (request) => rwCall('findings.attest', request),
    // The outbox lists the new envelope.
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox.list'] }),
  });
}
