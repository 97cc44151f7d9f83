/**
 * The insider-risk policy: what the consent banner says, when the app locks, what may leave it.
 * Before enrollment the built-in default applies; afterwards only a policy signed by the pinned
 * policy key replaces it (src-main/controls/signed-policy.ts).
 */
import { z } from 'zod';

export const policySchema = z
  .object({
    version: z.number().int().min(1),
    consentBanner: z.string().min(1).max(4000),
    classification: z.string().min(1).max(80),
    idleMinutes: z.number().int().min(1).max(240),
    lockout: z
      .object({
        delayAfter: z.number().int().min(1).max(20),
        /** Failures that lock one user out (another reviewer clears it). */
        lockAfter: z.number().int().min(2).max(100),
        /** Failures on the workstation, every name together, that lock it out until a release file; default 3 × lockAfter. */
        workstationLockAfter: z.number().int().min(2).max(1000).optional(),
      })
      .strict(),
    /**
     * When work is expected, for the auditor's "off hours" flag: local hours [startHour, endHour) in an
     * IANA time zone, weekends off or not. Absent from older policies: DEFAULT_WORKING_HOURS then.
     * Optional rather than defaulted, so a policy's digest stays that of the bytes the office signed.
     */
    workingHours: z
      .object({
        startHour: z.number().int().min(0).max(23),
        endHour: z.number().int().min(1).max(24),
        timeZone: z.string().min(1).max(64).refine(isTimeZone, 'An IANA time zone, e.g. America/New_York.'),
        weekendsOff: z.boolean(),
      })
      .strict()
      .refine((h) => h.startHour < h.endHour, 'startHour must be before endHour.')
      .optional(),
    copyMode: z.enum(['deny', 'fingerprint']),
    printExportMode: z.enum(['deny', 'justify']),
    watermark: z.object({ fields: z.array(z.enum(['user', 'workstation', 'session', 'time', 'classification'])).min(1) }).strict(),
    server: z.object({ url: z.string().url(), publicKey: z.string().min(1) }).strict().nullable(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;
export type PolicyWorkingHours = NonNullable<Policy['workingHours']>;

/** Working hours when the policy names none: 07:00–19:00 UTC, Monday to Friday. */
export const DEFAULT_WORKING_HOURS: PolicyWorkingHours = { startHour: 7, endHour: 19, timeZone: 'UTC', weekendsOff: true };

export function workingHoursOf(policy: Policy): PolicyWorkingHours {
  return policy.workingHours ?? DEFAULT_WORKING_HOURS;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** In force until an enrollment installs a signed policy. Conservative: nothing leaves. */
export const DEFAULT_POLICY: Policy = {
  version: 1,
  consentBanner:
    'You are accessing a U.S. Government information system. Use of this system is monitored and recorded. ' +
    'Submitted materials are confidential commercial information provided for voluntary pre-release review; ' +
    'access is limited to authorised reviewers and every access is logged. Unauthorised use or disclosure ' +
    'may result in criminal and civil penalties. By unlocking, you consent to these terms.',
  classification: 'CUI // PROPRIETARY',
  idleMinutes: 10,
  lockout: { delayAfter: 3, lockAfter: 10 },
  copyMode: 'deny',
  printExportMode: 'deny',
  watermark: { fields: ['user', 'workstation', 'session', 'time', 'classification'] },
  server: null,
};
