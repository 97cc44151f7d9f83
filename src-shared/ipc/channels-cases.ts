/**
 * Cases and their artifacts over IPC. Viewers never get a path or a handle: they ask for an artifact's
 * content one 1 MiB chunk at a time, by id, and every read is an access-log entry (DESIGN §2, §3).
 * Every channel is reviewer-only and marked `content` (auditors hold no key for content.db).
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { TABLE_FORMATS } from '../tabular/table-format';

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

/** Most rows one `artifact.rows` call returns (a screen or two). */
export const MAX_ROWS_PER_PAGE = 500;

/**
 * A page of a table artifact (CSV, TSV, JSON Lines), parsed in the main process from its row index:
 * the renderer never holds the whole file. Sort and filter run over every row in the main process; the
 * page is then taken from the ordered, filtered rows.
 */
export const artifactRowsRequestSchema = z
  .object({
    artifactId: importedArtifactIdSchema,
    /** Position in the sorted, filtered rows (0-based). */
    offset: z.number().int().min(0).max(100_000_000),
    limit: z.number().int().min(1).max(MAX_ROWS_PER_PAGE),
    /** Column index into `columns`; ties keep file order. */
    sort: z
      .object({ column: z.number().int().min(0).max(100_000), direction: z.enum(['asc', 'desc']) })
      .strict()
      .optional(),
    /** Case-insensitive substring, in one column or in any. */
    filter: z
      .object({ text: z.string().min(1).max(200), column: z.number().int().min(0).max(100_000).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type ArtifactRowsRequest = z.infer<typeof artifactRowsRequestSchema>;

export const artifactRowsSchema = z.object({
  artifactId: z.string(),
  format: z.enum(TABLE_FORMATS),
  columns: z.array(z.string()),
  /** Problems found while indexing (first few only). */
  warnings: z.array(z.string()),
  /** Data rows in the file (the CSV header is not one). */
  totalRows: z.number().int().nonnegative(),
  /** Rows left after the filter (= totalRows without one). */
  matchedRows: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  /** `row` is the 1-based position in the file, whatever the order shown. */
  rows: z.array(z.object({ row: z.number().int().positive(), cells: z.array(z.string()) })),
});
export type ArtifactRows = z.infer<typeof artifactRowsSchema>;

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
  'artifact.rows': defineChannel({ request: artifactRowsRequestSchema, response: artifactRowsSchema, ...reviewerContent, event: 'artifact.rows' }),
  'cases.importDemo': defineChannel({ request: z.object({}).strict(), response: importResultSchema, ...reviewerContent, event: 'case.import' }),
  /** Removes a case and everything recorded about it, search index included (secure_delete). */
  'cases.remove': defineChannel({ request: z.object({ caseId: importedCaseIdSchema }).strict(), response: z.object({ caseId: z.string() }), ...reviewerContent, event: 'case.remove' }),
};
