import { z } from 'zod';
import { defineChannel } from './channel';
import { ROLES } from './roles';

export const userName = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}._ -]+$/u, 'Letters, digits, space, dot, dash and underscore only.');
export const passphrase = z.string().min(12, 'At least 12 characters.').max(1024);

export const sessionStatus = z.object({
  vault: z.enum(['none', 'locked', 'unlocked']),
  user: z.string().nullable(),
  role: z.enum(ROLES),
  workstationId: z.string().nullable(),
  consentBanner: z.string(),
  classification: z.string(),
  /** True in the browser preview, where Electron-only controls are not in force. */
  preview: z.boolean(),
});
export type SessionStatus = z.infer<typeof sessionStatus>;

export const sessionChannels = {
  'session.status': defineChannel({
    request: z.object({}).strict(),
    response: sessionStatus,
    roles: ['anonymous', 'reviewer', 'auditor'],
    event: 'session.status',
  }),
  'session.unlock': defineChannel({
    request: z.object({ user: userName, passphrase: z.string().min(1).max(1024) }).strict(),
    response: sessionStatus,
    roles: ['anonymous'],
    event: 'unlock',
  }),
  'session.lock': defineChannel({
    request: z.object({ reason: z.enum(['manual', 'idle', 'os']) }).strict(),
    response: sessionStatus,
    roles: ['reviewer', 'auditor'],
    event: 'lock',
  }),
  'vault.create': defineChannel({
    request: z.object({ user: userName, passphrase }).strict(),
    response: sessionStatus,
    roles: ['anonymous'],
    event: 'vault.create',
  }),
};
