/** Administration and settings over IPC: users, passphrases, enrollment, the settings in force. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LockoutStatusView, SettingsView, UserListView } from '../../src-shared/ipc/channels-admin';
import type { RwError } from '../../src-shared/errors';
import { rwCall } from './rw-call';

const USERS_KEY = ['admin.users', {}] as const;
const SETTINGS_KEY = ['admin.settings', {}] as const;

export function useUsers() {
  return useQuery<UserListView, RwError>({ queryKey: USERS_KEY, queryFn: () => rwCall('admin.users', {}), staleTime: 0 });
}

export function useAddUser() {
  const client = useQueryClient();
  return useMutation<UserListView, RwError, { name: string; role: 'reviewer' | 'auditor'; passphrase: string; authPassphrase: string }>({
    mutationFn: (input) => rwCall('admin.addUser', input),
    onSuccess: (list) => client.setQueryData(USERS_KEY, list),
  });
}

export function useRemoveUser() {
  const client = useQueryClient();
  return useMutation<UserListView, RwError, { name: string; authPassphrase: string }>({
    mutationFn: (input) => rwCall('admin.removeUser', input),
    onSuccess: (list) => client.setQueryData(USERS_KEY, list),
  });
}

export function useChangePassphrase() {
  return useMutation<{ changed: true }, RwError, { current: string; next: string }>({ mutationFn: (input) => rwCall('admin.changePassphrase', input) });
}

export function useSettings() {
  return useQuery<SettingsView, RwError>({ queryKey: SETTINGS_KEY, queryFn: () => rwCall('admin.settings', {}), staleTime: 0 });
}

export function useEnrollRequest() {
  return useMutation<{ written: boolean; where: string | null; fileName: string | null }, RwError, void>({ mutationFn: () => rwCall('admin.enrollRequest', {}) });
}

export type EnrollImportResult = { cancelled: true } | { cancelled: false; serverName: string; policyVersion: number; trustedSubmitterKeys: number };

export function useEnrollImport() {
  const client = useQueryClient();
  return useMutation<EnrollImportResult, RwError, { file: File } | null>({
    mutationFn: async (input) => (input ? rwCall('admin.enrollImport', { data: new Uint8Array(await input.file.arrayBuffer()) }) : rwCall('admin.enrollImport', {})),
    // The policy in force and the session's banner text may have changed.
    onSuccess: () => client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'admin.settings' || q.queryKey[0] === 'session.status' || q.queryKey[0] === 'controls.status' }),
  });
}

// ---- lockouts ---------------------------------------------------------------------------------------

const LOCKOUT_KEY = ['lockout.status', {}] as const;

/** Who is locked out (before sign-in: the workstation's id, count and state only). */
export function useLockoutStatus() {
  return useQuery<LockoutStatusView, RwError>({ queryKey: LOCKOUT_KEY, queryFn: () => rwCall('lockout.status', {}), staleTime: 0 });
}

export function useClearLockout() {
  const client = useQueryClient();
  return useMutation<LockoutStatusView, RwError, { user: string; asUser: string; asPassphrase: string }>({
    mutationFn: (input) => rwCall('lockout.clear', input),
    onSuccess: (view) => client.setQueryData(LOCKOUT_KEY, view),
  });
}

export type LockoutReleaseResult = { cancelled: true } | { cancelled: false; workstationId: string; failures: number };

/** Electron: main's chooser (null); the preview: the file from the page's file field. */
export function useLockoutRelease() {
  const client = useQueryClient();
  return useMutation<LockoutReleaseResult, RwError, { file: File } | null>({
    mutationFn: async (input) => (input ? rwCall('lockout.release', { data: new Uint8Array(await input.file.arrayBuffer()) }) : rwCall('lockout.release', {})),
    onSuccess: () => client.invalidateQueries({ queryKey: LOCKOUT_KEY }),
  });
}
