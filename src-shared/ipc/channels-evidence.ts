/**
 * Evidence review over IPC: the Inspect evaluation logs of a case, each checked (headline metrics
 * recomputed, flags), its samples paged with sort and filter, one sample's transcript, and two runs
 * compared. Reviewer-only and `content` (the logs live in content.db). Opening a transcript is its own
 * access-log event naming the sample, as opening an artifact is.
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { importedArtifactIdSchema, importedCaseIdSchema } from './channels-cases';
import { FLAG_CODES } from '../evidence/evidence-report';

/** Metric values may be NaN or infinite (Python writes them): any JS number, not zod's finite one. */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'Not a number.');
const nullableNumber = anyNumber.nullable();

export const evidenceFlagSchema = z.object({
  code: z.enum(FLAG_CODES),
  message: z.string(),
  scorer: z.string().optional(),
  metric: z.string().optional(),
  sample: z.string().optional(),
});

export const scoreCheckSchema = z.object({
  name: z.string(),
  scorer: z.string(),
  reducer: z.string(),
  metric: z.string(),
  reported: nullableNumber,
  recomputed: nullableNumber,
  verdict: z.enum(['match', 'mismatch', 'not-verified', 'not-reported']),
  scoredSamples: z.number().int().nonnegative(),
  note: z.string().optional(),
});

export const evidenceReportSchema = z.object({
  file: z.string(),
  format: z.enum(['eval', 'json', 'unknown']),
  status: z.enum(['clean', 'flagged', 'malformed']),
  logStatus: z.string().nullable(),
  headerSource: z.enum(['header.json', 'journal', 'document']).nullable(),
  logVersion: z.number().nullable(),
  task: z.string().nullable(),
  model: z.string().nullable(),
  created: z.string().nullable(),
  runId: z.string().nullable(),
  evalId: z.string().nullable(),
  dataset: z.object({ name: z.string().nullable(), location: z.string().nullable(), samples: z.number().nullable(), sampleIds: z.number().nullable() }),
  config: z.record(z.string(), z.unknown()),
  generation: z.record(z.string(), z.unknown()),
  revision: z.record(z.string(), z.unknown()).nullable(),
  packages: z.record(z.string(), z.string()),
  samples: z.object({ expected: z.number().nullable(), present: z.number(), errored: z.number(), unscored: z.number(), limitsHit: z.number() }),
  scores: z.array(scoreCheckSchema),
  flags: z.array(evidenceFlagSchema),
});

export const evidenceLogSummarySchema = z.object({
  artifactId: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  /** The last check of this log in this session, or null when not checked yet. */
  status: z.enum(['clean', 'flagged', 'malformed']).nullable(),
  task: z.string().nullable(),
  model: z.string().nullable(),
  flagCount: z.number().int().nonnegative().nullable(),
});
export type EvidenceLogSummary = z.infer<typeof evidenceLogSummarySchema>;

export const SAMPLE_SORT_COLUMNS = ['id', 'epoch', 'score', 'tokens', 'time', 'error'] as const;
export const SAMPLE_SHOW = ['all', 'errored', 'limited', 'failed', 'passed'] as const;

export const sampleRowViewSchema = z.object({
  id: z.union([z.string(), z.number()]),
  epoch: z.number().int(),
  score: nullableNumber,
  displayScore: z.string(),
  target: z.string(),
  answer: z.string(),
  error: z.string().nullable(),
  limit: z.string().nullable(),
  tokens: z.number().nullable(),
  time: z.number().nullable(),
});
export type SampleRowView = z.infer<typeof sampleRowViewSchema>;

const partSchema = z.object({ kind: z.enum(['text', 'image', 'reasoning', 'other']), text: z.string() });
const messageSchema = z.object({
  role: z.string(),
  parts: z.array(partSchema),
  toolCalls: z.array(z.object({ id: z.string(), function: z.string(), arguments: z.string() })),
  toolCallId: z.string().nullable(),
  error: z.string().nullable(),
});
export const transcriptSchema = z.object({
  id: z.union([z.string(), z.number()]),
  epoch: z.number(),
  input: z.array(messageSchema),
  target: z.string(),
  messages: z.array(messageSchema),
  output: z.string(),
  scores: z.array(z.object({ name: z.string(), value: z.string(), answer: z.string(), explanation: z.string() })),
  error: z.string().nullable(),
  events: z.array(z.object({ event: z.string(), timestamp: z.string().nullable(), summary: z.string() })),
  metadata: z.string(),
});

const pairSchema = z.object({ id: z.union([z.string(), z.number()]), epoch: z.number(), a: anyNumber, b: anyNumber });
export const runComparisonSchema = z.object({
  score: z.string(),
  scores: z.array(z.string()),
  a: z.object({ artifactId: z.string(), path: z.string(), task: z.string().nullable(), model: z.string().nullable() }),
  b: z.object({ artifactId: z.string(), path: z.string(), task: z.string().nullable(), model: z.string().nullable() }),
  sameTask: z.boolean(),
  pairs: z.number().int().nonnegative(),
  onlyInA: z.number().int().nonnegative(),
  onlyInB: z.number().int().nonnegative(),
  meanA: nullableNumber,
  meanB: nullableNumber,
  difference: nullableNumber,
  stderr: nullableNumber,
  improved: z.array(pairSchema),
  regressed: z.array(pairSchema),
});
export type RunComparisonView = z.infer<typeof runComparisonSchema>;

const reviewerContent = { roles: ['reviewer'] as const, content: true };
const sampleIdSchema = z.string().min(1).max(512);

export const evidenceChannels = {
  'evidence.list': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema }).strict(),
    response: z.array(evidenceLogSummarySchema),
    ...reviewerContent,
    event: 'evidence.list',
  }),
  'evidence.check': defineChannel({
    request: z.object({ artifactId: importedArtifactIdSchema }).strict(),
    response: evidenceReportSchema,
    ...reviewerContent,
    event: 'evidence.check',
  }),
  'evidence.samples': defineChannel({
    request: z
      .object({
        artifactId: importedArtifactIdSchema,
        offset: z.number().int().nonnegative().max(10_000_000),
        limit: z.number().int().min(1).max(500),
        sort: z.enum(SAMPLE_SORT_COLUMNS),
        descending: z.boolean(),
        show: z.enum(SAMPLE_SHOW),
        text: z.string().max(200),
      })
      .strict(),
    response: z.object({ total: z.number().int().nonnegative(), scoreName: z.string().nullable(), rows: z.array(sampleRowViewSchema) }),
    ...reviewerContent,
    event: 'evidence.samples',
  }),
  'evidence.sample': defineChannel({
    request: z.object({ artifactId: importedArtifactIdSchema, sampleId: sampleIdSchema, epoch: z.number().int().nonnegative().max(1_000_000) }).strict(),
    response: transcriptSchema,
    ...reviewerContent,
    event: 'evidence.sample.open',
  }),
  'evidence.compare': defineChannel({
    request: z.object({ a: importedArtifactIdSchema, b: importedArtifactIdSchema, score: z.string().max(200).optional() }).strict(),
    response: runComparisonSchema,
    ...reviewerContent,
    event: 'evidence.compare',
  }),
};
