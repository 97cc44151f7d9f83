/**
 * Hooks for the reviewer's workspace channels (notes, findings, checklist, progress). Part of the
 * api module: with hooks.ts, the only code that reaches window.rw (through rwCall).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CaseProgress,
  Checklist,
  ChecklistItemState,
  ChecklistSet,
  Finding,
  FindingCreate,
  FindingEdit,
  Note,
  NoteCreate,
  NoteEdit,
} from '../../src-shared/ipc/channels-workspace';
import type { RequestOf, ResponseOf } from '../../src-shared/ipc/channel';
import type { Contract } from '../../src-shared/ipc/contract';
import { rwCall } from './rw-call';
import type { RwError } from '../../src-shared/errors';

// ---- workspace: notes, findings, checklist ------------------------------------------------------

function useInvalidateCase(caseId: string) {
  const client = useQueryClient();
  return (channel: string) =>
    Promise.all([
      client.invalidateQueries({ predicate: (q) => q.queryKey[0] === channel && (q.queryKey[1] as { caseId?: string } | undefined)?.caseId === caseId }),
      client.invalidateQueries({ queryKey: ['case.progress', { caseId }] }),
      client.invalidateQueries({ queryKey: ['cases.progress'] }),
    ]);
}

export function useCaseProgress(caseId: string) {
  return useQuery<CaseProgress, RwError>({ queryKey: ['case.progress', { caseId }], queryFn: () => rwCall('case.progress', { caseId }) });
}

/** Every case's progress, for the cases list (one call, one access-log leaf; none while `enabled` is false). */
export function useAllCaseProgress(enabled: boolean) {
  return useQuery<CaseProgress[], RwError>({ queryKey: ['cases.progress', {}], queryFn: () => rwCall('cases.progress', {}), enabled });
}

export function useNotes(caseId: string) {
  return useQuery<Note[], RwError>({
    queryKey: ['notes.list', { caseId }],
    queryFn: async () => (await rwCall('notes.list', { caseId })).notes,
  });
}

export function useCreateNote(caseId: string) {
  const invalidate = useInvalidateCase(caseId);
  return useMutation<Note, RwError, NoteCreate>({
    mutationFn: (input) => rwCall('notes.create', input),
    onSuccess: () => invalidate('notes.list'),
  });
}

type HistoryChannel = 'notes.history' | 'findings.history';

/** After a note or finding changed: its case's list and progress, and its history if it was opened. */
function useInvalidateRecord(caseId: string, list: 'notes.list' | 'findings.list', history: HistoryChannel) {
  const invalidate = useInvalidateCase(caseId);
  const client = useQueryClient();
  return (record: { id: string }) => Promise.all([invalidate(list), client.invalidateQueries({ queryKey: [history, { id: record.id }] })]);
}

/** Every revision of a note or finding, asked for only when its history is opened. */
function useHistory<C extends HistoryChannel>(channel: C, id: string, enabled: boolean) {
  return useQuery<ResponseOf<Contract[C]>['entries'], RwError>({
    queryKey: [channel, { id }],
    // Both history channels take { id }; the generic cannot see that through the contract's mapped type.
    queryFn: async () => (await rwCall(channel, { id } as RequestOf<Contract[C]>)).entries,
    enabled,
  });
}

export function useEditNote(caseId: string) {
  const invalidate = useInvalidateRecord(caseId, 'notes.list', 'notes.history');
  return useMutation<Note, RwError, NoteEdit>({ mutationFn: (input) => rwCall('notes.edit', input), onSuccess: invalidate });
}

export function useNoteHistory(id: string, enabled: boolean) {
  return useHistory('notes.history', id, enabled);
}

export function useDeleteNote(caseId: string) {
  const invalidate = useInvalidateRecord(caseId, 'notes.list', 'notes.history');
  return useMutation<Note, RwError, { id: string; revision: number }>({ mutationFn: (input) => rwCall('notes.delete', input), onSuccess: invalidate });
}

export function useFindings(caseId: string) {
  return useQuery<Finding[], RwError>({
    queryKey: ['findings.list', { caseId }],
    queryFn: async () => (await rwCall('findings.list', { caseId })).findings,
  });
}

export function useCreateFinding(caseId: string) {
  const invalidate = useInvalidateCase(caseId);
  return useMutation<Finding, RwError, FindingCreate>({
    mutationFn: (input) => rwCall('findings.create', input),
    onSuccess: () => invalidate('findings.list'),
  });
}

export function useEditFinding(caseId: string) {
  const invalidate = useInvalidateRecord(caseId, 'findings.list', 'findings.history');
  return useMutation<Finding, RwError, FindingEdit>({ mutationFn: (input) => rwCall('findings.edit', input), onSuccess: invalidate });
}

export function useFindingHistory(id: string, enabled: boolean) {
  return useHistory('findings.history', id, enabled);
}

export function useDeleteFinding(caseId: string) {
  const invalidate = useInvalidateRecord(caseId, 'findings.list', 'findings.history');
  return useMutation<Finding, RwError, { id: string; revision: number }>({ mutationFn: (input) => rwCall('findings.delete', input), onSuccess: invalidate });
}

export function useChecklist(caseId: string) {
  return useQuery<Checklist, RwError>({ queryKey: ['checklist.get', { caseId }], queryFn: () => rwCall('checklist.get', { caseId }) });
}

export function useSetChecklistItem(caseId: string) {
  const invalidate = useInvalidateCase(caseId);
  return useMutation<ChecklistItemState, RwError, ChecklistSet>({
    mutationFn: (input) => rwCall('checklist.set', input),
    onSuccess: () => invalidate('checklist.get'),
  });
}
