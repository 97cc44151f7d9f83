/**
 * Hooks for the auditor channels (see ARCHITECTURE: access log): pages of access-log leaves, summaries, integrity, flags.
 * Part of the api module (with hooks.ts, the only code that reaches window.rw, through rwCall).
 */
import { useEffect, useState } from 'react';
import { useMutation, useQueries, useQuery } from '@tanstack/react-query';
import type { AuditFlagsDto, AuditIntegrityDto, AuditSummaryDto, LeafViewDto, WhoSawDto } from '../../src-shared/ipc/channels-audit';
import type { AuditFilter } from '../state/audit-filter-store';
import { rwCall, rwSubscribe } from './rw-call';
import type { RwError } from '../../src-shared/errors';

export const AUDIT_PAGE_SIZE = 500;

export interface LeafPage {
  total: number;
  offset: number;
  rows: LeafViewDto[];
}

function leafPageQuery(filter: AuditFilter, pageIndex: number) {
  const request = { filter, offset: pageIndex * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE };
  return { queryKey: ['audit.query', request] as const, queryFn: () => rwCall('audit.query', request) as Promise<LeafPage> };
}

/** The first page (for the total) plus every page the table currently shows. */
export function useLeafPages(filter: AuditFilter, visiblePages: number[]) {
  const pages = [...new Set([0, ...visiblePages])].sort((a, b) => a - b);
  return useQueries({
    queries: pages.map((p) => leafPageQuery(filter, p)),
    combine: (results) => {
      const byPage = new Map<number, LeafPage>();
      results.forEach((r, i) => {
        if (r.data) byPage.set(pages[i]!, r.data);
      });
      const first = results[0];
      return { total: first?.data?.total ?? null, byPage, error: (results.find((r) => r.error)?.error as RwError | undefined) ?? null, pending: first?.isPending ?? true };
    },
  });
}

export function useAuditSummary(filter: AuditFilter) {
  return useQuery<AuditSummaryDto, RwError>({ queryKey: ['audit.summary', { filter }], queryFn: () => rwCall('audit.summary', { filter }) });
}

export function useAuditIntegrity() {
  return useQuery<AuditIntegrityDto, RwError>({ queryKey: ['audit.integrity', {}], queryFn: () => rwCall('audit.integrity', {}) });
}

export function useAuditFlags(filter: AuditFilter) {
  return useQuery<AuditFlagsDto, RwError>({ queryKey: ['audit.flags', { filter }], queryFn: () => rwCall('audit.flags', { filter }) });
}

/** Who opened an artifact (and for how long) in a time range: the `audit.whoSaw` question. */
/** Who saw the artifact, or with `page` who had that page in view. */
export function useWhoSaw(artifactId: string | null, from: number, to: number, page?: number) {
  return useQuery<WhoSawDto, RwError>({
    queryKey: ['audit.whoSaw', { artifactId, from, to, page }],
    queryFn: () => rwCall('audit.whoSaw', { artifactId: artifactId as string, from, to, ...(page === undefined ? {} : { page }) }),
    enabled: artifactId !== null,
  });
}

export function useExportAuditBundle() {
  return useMutation<{ written: boolean; where: string | null; fileName: string | null; leaves: number }, RwError, void>({ mutationFn: () => rwCall('audit.exportBundle', {}) });
}

/** Leaves verified of those the integrity check covers, from `audit.progress` while mounted (null before the first tick). */
export function useAuditProgress(): { done: number; total: number } | null {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => rwSubscribe('audit.progress', (event) => setProgress({ done: event.leavesDone, total: event.leavesTotal })), []);
  return progress;
}
