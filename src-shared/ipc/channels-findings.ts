/**
 * The findings document leaving the workstation: exported as CSAF 2.0, CSAF 2.1 or OpenVEX through the
 * export gate (policy, watermark session, justification, step-up; validated before it is written into
 * main's export folder), and signed as an attestation of its own predicate type, queued in the outbox
 * for the central office. Reviewer-only and `content`.
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { importedCaseIdSchema } from './channels-cases';
import { MAX_JUSTIFICATION_CHARS, MIN_JUSTIFICATION_CHARS } from './channels-controls';

/** The formats the findings export writes (as rwctl findings export --format names them). */
export const FINDINGS_EXPORT_FORMATS = ['csaf', 'csaf21', 'openvex'] as const;
export type FindingsExportFormat = (typeof FINDINGS_EXPORT_FORMATS)[number];

const passphrase = z.string().min(1).max(1024);
const reviewerContent = { roles: ['reviewer'] as const, content: true };

export const findingsChannels = {
  'findings.export': defineChannel({
    request: z
      .object({
        caseId: importedCaseIdSchema,
        format: z.enum(FINDINGS_EXPORT_FORMATS),
        justification: z.string().trim().min(MIN_JUSTIFICATION_CHARS, `At least ${MIN_JUSTIFICATION_CHARS} characters.`).max(MAX_JUSTIFICATION_CHARS),
        passphrase,
      })
      .strict(),
    response: z
      .object({
        /** The file name in the main-chosen export folder (never a path the renderer chose). */
        fileName: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        bytes: z.number().int().nonnegative(),
        findings: z.number().int().nonnegative(),
        /** Validation checks the document passed before it was written. */
        checks: z.number().int().nonnegative(),
      })
      .strict(),
    ...reviewerContent,
    event: 'export.decision',
  }),
  'findings.attest': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema, passphrase }).strict(),
    response: z.object({ envelopeSha256: z.string().regex(/^[0-9a-f]{64}$/), sequence: z.number().int().min(1), accessLogIndex: z.number().int().nonnegative(), findings: z.number().int().min(1) }).strict(),
    ...reviewerContent,
    // The service writes `findings.attest` itself (its leaf index goes into the predicate).
    event: 'findings.attest.request',
  }),
};
