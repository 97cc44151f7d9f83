/**
 * Importing a real package from disk, and what a new version changed. The renderer never names a path:
 * in Electron the main process opens the system file chooser itself (`cases.importChoose`); in the
 * browser preview, where there is no main-process dialog, the page's file input hands the .zip's bytes
 * over (`cases.importUpload`). Either way the same importer verifies the signature and every digest.
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { importedCaseIdSchema } from './channels-cases';

/** The largest .zip the preview accepts through its file input (the bytes are held in memory once). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

const caseRefSchema = z.object({ caseId: z.string(), model: z.string(), version: z.string() });
export type CaseRefView = z.infer<typeof caseRefSchema>;

export const importOutcomeSchema = z.object({
  caseId: z.string(),
  model: z.string(),
  developer: z.string(),
  version: z.string(),
  artifactCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
  /** "sha256:<hex>" of the submitter key that signed the package. */
  signer: z.string(),
  previous: caseRefSchema.nullable(),
});
export type ImportOutcome = z.infer<typeof importOutcomeSchema>;

const fileChange = z.object({ path: z.string(), size: z.number().int().nonnegative(), mediaType: z.string() });

export const caseComparisonSchema = z.object({
  previous: caseRefSchema.nullable(),
  added: z.array(fileChange),
  removed: z.array(fileChange),
  changed: z.array(
    fileChange.extend({ previousSize: z.number().int().nonnegative(), sha256: z.string(), previousSha256: z.string(), diffable: z.boolean() }),
  ),
  unchanged: z.number().int().nonnegative(),
});
export type CaseComparisonView = z.infer<typeof caseComparisonSchema>;

export const textDiffSchema = z.object({
  path: z.string(),
  previous: caseRefSchema,
  rows: z.array(
    z.object({
      kind: z.enum(['same', 'changed', 'removed', 'added']),
      leftNo: z.number().int().positive().nullable(),
      rightNo: z.number().int().positive().nullable(),
      left: z.string().nullable(),
      right: z.string().nullable(),
    }),
  ),
  complete: z.boolean(),
});
export type TextDiffView = z.infer<typeof textDiffSchema>;

const reviewerContent = { roles: ['reviewer'] as const, content: true };

export const importChannels = {
  'cases.importChoose': defineChannel({
    request: z.object({ kind: z.enum(['zip', 'folder']) }).strict(),
    // Cancelling the chooser is not an error: nothing was imported and nothing is said.
    response: z.union([importOutcomeSchema.extend({ cancelled: z.literal(false) }), z.object({ cancelled: z.literal(true) })]),
    ...reviewerContent,
    event: 'case.import',
  }),
  'cases.importUpload': defineChannel({
    request: z
      .object({
        name: z.string().min(1).max(255),
        data: z.instanceof(Uint8Array).refine((d) => d.byteLength > 0 && d.byteLength <= MAX_UPLOAD_BYTES, `A package file of at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MiB.`),
      })
      .strict(),
    response: importOutcomeSchema,
    ...reviewerContent,
    event: 'case.import',
  }),
  'cases.compare': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema }).strict(),
    response: caseComparisonSchema,
    ...reviewerContent,
    event: 'case.compare',
  }),
  'cases.diff': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema, path: z.string().min(1).max(1024) }).strict(),
    response: textDiffSchema,
    ...reviewerContent,
    event: 'artifact.diff',
  }),
};
