/**
 * Full-text search over content.db (DESIGN §5 "Search"). Reviewer-only and marked `content`: an
 * auditor holds no key for content.db and so has no search over it. Every call is one access-log
 * leaf (event `search`) with the query and the number of hits returned.
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { importedCaseIdSchema } from './channels-cases';
import { MAX_QUERY_LENGTH } from '../search/query-parser';
import { SEARCH_KINDS } from '../search/search-kinds';

export const SEARCH_PAGE_MAX = 100;

export const searchRequestSchema = z
  .object({
    query: z.string().min(1).max(MAX_QUERY_LENGTH),
    caseId: importedCaseIdSchema.optional(),
    kinds: z.array(z.enum(SEARCH_KINDS)).max(SEARCH_KINDS.length).optional(),
    limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).optional(),
    offset: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type SearchRequestInput = z.input<typeof searchRequestSchema>;

export const searchHitSchema = z.object({
  caseId: z.string(),
  kind: z.enum(SEARCH_KINDS),
  sourceId: z.string(),
  artifactId: z.string().nullable(),
  path: z.string().nullable(),
  place: z.object({ kind: z.enum(['page', 'line', 'row', 'sample']), n: z.number().int() }).nullable(),
  label: z.string().nullable(),
  where: z.string(),
  segments: z.array(z.object({ text: z.string(), hit: z.boolean() })),
  snippet: z.string(),
  score: z.number(),
  marks: z.array(z.string()),
});
export type SearchHitView = z.infer<typeof searchHitSchema>;

/** While cases stored before the index existed are being indexed (after sign-in): how far it has got. */
export const indexingSchema = z.object({ bytesDone: z.number().int().nonnegative(), bytesTotal: z.number().int().nonnegative() }).nullable();

export const searchResponseSchema = z.object({ hits: z.array(searchHitSchema), more: z.boolean(), indexing: indexingSchema.optional() });
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const searchChannels = {
  'search.query': defineChannel({ request: searchRequestSchema, response: searchResponseSchema, roles: ['reviewer'] as const, content: true, event: 'search' }),
};
