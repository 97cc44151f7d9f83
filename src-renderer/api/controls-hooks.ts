/**
 * Hooks for the insider-risk controls shown in screens (see ARCHITECTURE: insider-risk controls): what the policy allows, the justified
 * excerpt export, and the auditor's watermark-code lookup. (The copy and print guards are installed
 * outside React, by src-renderer/controls.)
 * Part of the api module (with hooks.ts, the only code that reaches window.rw, through rwCall).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ControlsStatus, ExportRequest, ExportResult, WatermarkResolution } from '../../src-shared/ipc/channels-controls';
import { rwCall } from './rw-call';
import type { RwError } from '../../src-shared/errors';

export function useControlsStatus(enabled = true) {
  return useQuery<ControlsStatus, RwError>({ queryKey: ['controls.status', {}], queryFn: () => rwCall('controls.status', {}), enabled });
}

export function useExport() {
  return useMutation<ExportResult, RwError, ExportRequest>({ mutationFn: (request) => rwCall('controls.export', request) });
}

export function useResolveWatermark() {
  return useMutation<WatermarkResolution, RwError, string>({ mutationFn: (code) => rwCall('audit.resolveWatermark', { code }) });
}
