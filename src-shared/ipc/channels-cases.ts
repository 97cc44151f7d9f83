/**
 * Cases and their artifacts over IPC. Viewers never get a path or a handle: they ask for an artifact's
 * content one 1 MiB chunk at a time, by id, and every read is an access-log entry (DESIGN §2, §3).
 * Every channel is reviewer-only and marked `content` (auditors hold no key for content.db).
 */
import { z } from 'zod';
import { defineChannel } from './channel';

/** Ids minted by the package importer: "case-" / "art-" and 32 lower-case hex digits. */
export const importedCaseIdSchema = z.string().regex(/^case-[0-9a-f]{32}$/, 'Not a valid case id.');
export const importedArtifactIdSchema = z.string().regex(/^art-[0-9a-f]{32}$/, 'Not a valid artifact id.');

export const caseSummarySchema = z.object({
  id: z.string(),
  model: z.string(),
  developer: z.string(),
  version: z.string(),
  submittedAt: z.string(),
  releaseDate: z.string(),
  reviewDeadline: z.string(),
  /** Days to the review deadline by the main-process clock (a partial day counts as one; negative when overdue). */
  daysLeft: z.number().int(),
  overdue: z.boolean(),
  importedAt: z.number().int(),
  artifactCount: z.number().int().nonnegative(),
  totalBytes: z.number().int().nonnegative(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseDetailSchema = caseSummarySchema.extend({
  /** "sha256:<hex>": the OMS root digest over the signed file digests. */
  packageDigest: z.string(),
  /** "sha256:<hex>" of the DER public key that signed the package. */
  submitterKey: z.string(),
  /** The signed submission.json, as parsed. */
  metadata: z.record(z.string(), z.string()),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const artifactSummarySchema = z.object({
  id: z.string(),
  caseId: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  mediaType: z.string(),
  chunkCount: z.number().int().nonnegative(),
});
export type ArtifactSummary = z.infer<typeof artifactSummarySchema>;

export const artifactChunkSchema = z.object({
  artifactId: z.string(),
  chunk: z.number().int().nonnegative(),
  chunkCount: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  /** At most 1 MiB; structured-cloned across the bridge. */
  data: z.instanceof(Uint8Array),
});
export type ArtifactChunk = z.infer<typeof artifactChunkSchema>;

export const importResultSchema = z.object({ caseId: z.string(), artifactCount: z.number().int().nonnegative(), totalBytes: z.number().int().nonnegative() });

const reviewerContent = { roles: ['reviewer'] as const, content: true };

export const caseChannels = {
  'cases.list': defineChannel({ request: z.object({}).strict(), response: z.array(caseSummarySchema), ...reviewerContent, event: 'case.list' }),
  'cases.get': defineChannel({ request: z.object({ caseId: importedCaseIdSchema }).strict(), response: caseDetailSchema, ...reviewerContent, event: 'case.open' }),
  'artifacts.list': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema }).strict(),
    response: z.array(artifactSummarySchema),
    ...reviewerContent,
    event: 'artifact.list',
  }),
  'artifacts.open': defineChannel({
    request: z.object({ artifactId: importedArtifactIdSchema }).strict(),
    response: artifactSummarySchema,
    ...reviewerContent,
    event: 'artifact.open',
  }),
  'artifacts.read': defineChannel({
    request: z.object({ artifactId: importedArtifactIdSchema, chunk: z.number().int().min(0).max(1_000_000) }).strict(),
    response: artifactChunkSchema,
    ...reviewerContent,
    event: 'artifact.read',
  }),
  'cases.importDemo': defineChannel({ request: z.object({}).strict(), response: importResultSchema, ...reviewerContent, event: 'case.import' }),
  /** Removes a case and everything recorded about it, search index included (secure_delete). */
  'cases.remove': defineChannel({ request: z.object({ caseId: importedCaseIdSchema }).strict(), response: z.object({ caseId: z.string() }), ...reviewerContent, event: 'case.remove' }),
};
