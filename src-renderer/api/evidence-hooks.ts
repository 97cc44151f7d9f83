/**
 * Evidence review over IPC: the case's evaluation logs, a log's check (with `evidence.progress`
 * events while its samples are read), paged samples, a sample's transcript and a run comparison.
 */
import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { RequestOf, ResponseOf } from '../../src-shared/ipc/channel';
import type { Contract } from '../../src-shared/ipc/contract';
import { useEvidenceStore } from '../state/evidence-store';
import { rwCall, rwSubscribe } from './rw-call';
import { RwError } from '../../src-shared/errors';

export type EvidenceReportView = ResponseOf<Contract['evidence.check']>;
export type SamplePage = ResponseOf<Contract['evidence.samples']>;
export type SampleQuery = Omit<RequestOf<Contract['evidence.samples']>, 'artifactId' | 'offset' | 'limit'>;
export type TranscriptView = ResponseOf<Contract['evidence.sample']>;
export type ComparisonView = ResponseOf<Contract['evidence.compare']>;

export const SAMPLE_PAGE = 200;

export function useEvidenceLogs(caseId: string) {
  return useQuery<ResponseOf<Contract['evidence.list']>, RwError>({ queryKey: ['evidence.list', { caseId }], queryFn: () => rwCall('evidence.list', { caseId }) });
}

/** Forwards `evidence.progress` into the store while mounted. */
export function useEvidenceProgressEvents(): void {
  useEffect(() => {
    const off = rwSubscribe('evidence.progress', (event) => useEvidenceStore.getState().setProgress(event.samplesDone, event.samplesTotal, event.phase === 'done'));
    return () => {
      off();
      useEvidenceStore.getState().setProgress(0, 0, true);
    };
  }, []);
}

export function useEvidenceCheck(artifactId: string | null) {
  const client = useQueryClient();
  return useQuery<EvidenceReportView, RwError>({
    queryKey: ['evidence.check', { artifactId }],
    queryFn: async () => {
      const report = await rwCall('evidence.check', { artifactId: artifactId! });
      // The log list shows each log's status once checked.
      void client.invalidateQueries({ queryKey: ['evidence.list'] });
      return report;
    },
    enabled: artifactId !== null,
    staleTime: Infinity,
  });
}

/** The pages of samples the table needs (by index), for one sort and filter. */
export function useSamplePages(artifactId: string, query: SampleQuery, pages: number[], enabled: boolean) {
  return useQueries({
    queries: pages.map((page) => ({
      queryKey: ['evidence.samples', { artifactId, ...query, page }],
      queryFn: () => rwCall('evidence.samples', { artifactId, ...query, offset: page * SAMPLE_PAGE, limit: SAMPLE_PAGE }),
      enabled,
      staleTime: Infinity,
      placeholderData: keepPreviousData,
    })),
  });
}

export function useTranscript(artifactId: string | null, sampleId: string | null, epoch: number | null) {
  return useQuery<TranscriptView, RwError>({
    queryKey: ['evidence.sample', { artifactId, sampleId, epoch }],
    queryFn: () => rwCall('evidence.sample', { artifactId: artifactId!, sampleId: sampleId!, epoch: epoch! }),
    enabled: artifactId !== null && sampleId !== null && epoch !== null,
    // A transcript is content: it leaves memory soon after it closes, and each opening is logged —
    // also a reopening within that time, so it is asked for again rather than shown from memory.
    gcTime: 10_000,
    staleTime: 0,
    refetchOnMount: 'always',
  });
}

export function useComparison(a: string | null, b: string | null, score: string | null) {
  return useQuery<ComparisonView, RwError>({
    queryKey: ['evidence.compare', { a, b, score }],
    queryFn: () => rwCall('evidence.compare', { a: a!, b: b!, ...(score ? { score } : {}) }),
    enabled: a !== null && b !== null,
  });
}
