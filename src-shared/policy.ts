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
    lockout: z.object({ delayAfter: z.number().int().min(1).max(20), lockAfter: z.number().int().min(2).max(100) }).strict(),
    copyMode: z.enum(['deny', 'fingerprint']),
    printExportMode: z.enum(['deny', 'justify']),
    watermark: z.object({ fields: z.array(z.enum(['user', 'workstation', 'session', 'time', 'classification'])).min(1) }).strict(),
    server: z.object({ url: z.string().url(), publicKey: z.string().min(1) }).strict().nullable(),
  })
  .strict();

export type Policy = z.infer<typeof policySchema>;

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
