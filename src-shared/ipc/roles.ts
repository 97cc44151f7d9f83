/** Who is at the keyboard. `anonymous` is the locked app: it may only see status and unlock. */
export const ROLES = ['anonymous', 'reviewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];
