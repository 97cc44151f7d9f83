/**
 * Hooks for the insider-risk controls shown in screens (issue 6): what the policy allows, the justified
 * excerpt export, and the auditor's watermark-code lookup. (The copy and print guards are installed
 * outside React, by src-renderer/controls.)
 * Part of the api module (with hooks.ts, the only code that reaches window.rw, through rwCall).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { ControlsStatus, ExportRequest, ExportResult, WatermarkResolution } from '../../src-shared/ipc/channels-controls';
import { rwCall, type RwCallError } from './rw-call';

export function useControlsStatus(enabled = true) {
  return useQuery<ControlsStatus, RwCallError>({ queryKey: ['controls.status', {}], queryFn: () => rwCall('controls.status', {}), enabled });
}

export function useExport() {
  return useMutation<ExportResult, RwCallError, ExportRequest>({ mutationFn: (request) => rwCall('controls.export', request) });
}

export function useResolveWatermark() {
  return useMutation<WatermarkResolution, RwCallError, string>({ mutationFn: (code) => rwCall('audit.resolveWatermark', { code }) });
}
