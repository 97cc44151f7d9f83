/**
 * Administration from the app: users, passphrases, enrollment and the settings in force. Each action
 * goes through the router like any other (logged, refused by role with a plain message); the ones that
 * change who may sign in also need the acting reviewer's passphrase again, as `rwctl` does.
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { passphrase, userName } from './channels-session';

export const USER_ROLES = ['reviewer', 'auditor'] as const;

const userList = z.object({ users: z.array(z.object({ name: z.string(), role: z.enum(USER_ROLES) })) });
export type UserListView = z.infer<typeof userList>;

/** The acting reviewer's own passphrase, asked again to authorise a change of users. */
const authPassphrase = z.string().min(1, 'Enter your passphrase to authorise this.').max(1024);

export const settingsSchema = z.object({
  policy: z.object({
    version: z.number().int(),
    /** "signed" once enrolled; "built-in default" before. */
    source: z.string(),
    /** SHA-256 of the public key that signed it, or null for the built-in default. */
    signer: z.string().nullable(),
    controls: z.array(z.object({ name: z.string(), value: z.string() })),
  }),
  enrollment: z
    .object({
      serverName: z.string(),
      serverUrl: z.string().nullable(),
      serverKey: z.string(),
      installedAt: z.number().int(),
      trustedSubmitterKeys: z.array(z.string()),
    })
    .nullable(),
  /** Where the keys that may sign the policy come from. */
  trustRoot: z.string(),
  workstationId: z.string(),
});
export type SettingsView = z.infer<typeof settingsSchema>;

/** Who is locked out. Before sign-in only the workstation's own state is shown: the lock screen needs no user list. */
export const lockoutStatusSchema = z.object({
  workstationId: z.string(),
  /** The count a release from the central office must name. */
  failures: z.number().int(),
  workstationLocked: z.boolean(),
  users: z.array(z.object({ user: z.string(), failures: z.number().int(), locked: z.boolean() })),
});
export type LockoutStatusView = z.infer<typeof lockoutStatusSchema>;

const written = z.object({ written: z.boolean(), where: z.string().nullable(), fileName: z.string().nullable() });

export const adminChannels = {
  'admin.users': defineChannel({ request: z.object({}).strict(), response: userList, roles: ['reviewer', 'auditor'], event: 'user.list' }),
  'admin.addUser': defineChannel({
    request: z.object({ name: userName, role: z.enum(USER_ROLES), passphrase, authPassphrase }).strict(),
    response: userList,
    roles: ['reviewer'],
    event: 'user.add',
  }),
  'admin.removeUser': defineChannel({
    request: z.object({ name: userName, authPassphrase }).strict(),
    response: userList,
    roles: ['reviewer'],
    event: 'user.remove',
  }),
  'admin.changePassphrase': defineChannel({
    request: z.object({ current: z.string().min(1, 'Enter your current passphrase.').max(1024), next: passphrase }).strict(),
    response: z.object({ changed: z.literal(true) }),
    roles: ['reviewer', 'auditor'],
    event: 'user.passphrase',
  }),
  'admin.settings': defineChannel({ request: z.object({}).strict(), response: settingsSchema, roles: ['reviewer', 'auditor'], event: 'settings.read' }),
  'admin.enrollRequest': defineChannel({ request: z.object({}).strict(), response: written, roles: ['reviewer'], event: 'enroll.request' }),
  'admin.enrollImport': defineChannel({
    // Electron: main's own chooser (no data); the preview: the approval file's bytes from the page's file input.
    request: z.object({ data: z.instanceof(Uint8Array).refine((d) => d.byteLength > 0 && d.byteLength <= 512 * 1024, 'An approval file of at most 512 KiB.').optional() }).strict(),
    response: z.union([z.object({ cancelled: z.literal(true) }), z.object({ cancelled: z.literal(false), serverName: z.string(), policyVersion: z.number().int(), trustedSubmitterKeys: z.number().int() })]),
    roles: ['reviewer'],
    event: 'policy.change',
  }),
  // Lockout recovery works at the lock screen (nobody can sign in) and for a signed-in reviewer; an
  // auditor is refused: clearing a lockout vouches for someone, a reviewer's duty.
  'lockout.status': defineChannel({ request: z.object({}).strict(), response: lockoutStatusSchema, roles: ['anonymous', 'reviewer', 'auditor'], event: 'lockout.status' }),
  'lockout.clear': defineChannel({
    request: z.object({ user: userName, asUser: userName, asPassphrase: authPassphrase }).strict(),
    response: lockoutStatusSchema,
    roles: ['anonymous', 'reviewer'],
    event: 'lockout.clear',
  }),
  'lockout.release': defineChannel({
    // Electron: main's own chooser (no data); the preview: the release file's bytes from the page's file input.
    request: z.object({ data: z.instanceof(Uint8Array).refine((d) => d.byteLength > 0 && d.byteLength <= 16 * 1024, 'A release file of at most 16 KiB.').optional() }).strict(),
    response: z.union([z.object({ cancelled: z.literal(true) }), z.object({ cancelled: z.literal(false), workstationId: z.string(), failures: z.number().int() })]),
    roles: ['anonymous', 'reviewer'],
    event: 'lockout.release',
  }),
};
