/**
 * The reviewer's workspace over IPC: notes, findings, the review checklist and a case's progress.
 * Every channel is reviewer-only and marked `content` (the router refuses auditors by construction);
 * events follow DESIGN §5 (note/finding create/edit/delete) so the access log names what changed.
 */
import { z } from 'zod';
import { defineChannel } from './channel';

/** Case and artifact ids are minted by the package importer; accept its plain-token shape only. */
export const caseIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'Not a valid id.');
export const artifactIdSchema = caseIdSchema;
/** Notes and findings: 128-bit random ids in lower-case hex. */
export const recordIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a valid id.');
const revisionSchema = z.number().int().min(1).max(1_000_000_000);
const position = z.number().int().min(1).max(100_000_000);
const time = z.number().int().nonnegative();

export const SEVERITY_VALUES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const CHECKLIST_STATUS_VALUES = ['unreviewed', 'pass', 'concern', 'fail', 'not-applicable'] as const;
/** Where a finding stands: raised, confirmed by the evidence, mitigated by the developer, or withdrawn by the reviewer. */
export const FINDING_STATUS_VALUES = ['open', 'confirmed', 'mitigated', 'withdrawn'] as const;
export const severitySchema = z.enum(SEVERITY_VALUES);
export const findingStatusSchema = z.enum(FINDING_STATUS_VALUES);
export type FindingStatus = z.infer<typeof findingStatusSchema>;
export const checklistStatusSchema = z.enum(CHECKLIST_STATUS_VALUES);
export type Severity = z.infer<typeof severitySchema>;
export type ChecklistStatus = z.infer<typeof checklistStatusSchema>;

/** Where in an artifact a note points: a PDF page, a text line range, a table row, or a heading. */
export const anchorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), page: position }).strict(),
  z
    .object({ kind: z.literal('line'), line: position, endLine: position.optional() })
    .strict()
    .refine((a) => a.endLine === undefined || a.endLine >= a.line, { message: 'endLine is before line.' }),
  z.object({ kind: z.literal('row'), row: position, sheet: z.string().min(1).max(200).optional() }).strict(),
  z.object({ kind: z.literal('heading'), heading: z.string().min(1).max(500) }).strict(),
]);
export type Anchor = z.infer<typeof anchorSchema>;

const noteBody = z.string().min(1).max(100_000);
const excerpt = z.string().min(1).max(4000);
/** Shape only; the service checks the CVSS v4.0 grammar (metric names, values, order). */
const cvssVector = z.string().min(1).max(400);
const artifactIds = z.array(artifactIdSchema).max(200);
/** Shape only; the service parses each reference (claim:, sample:, artifact:) against the case. */
const evidenceRefs = z.array(z.string().min(1).max(500)).max(50);

/** Who wrote a kept record and where it stands: notes and findings alike are revised, never overwritten. */
const recordStanding = {
  author: z.string(),
  createdAt: time,
  updatedAt: time,
  revision: z.number().int(),
  deletedAt: time.nullable(),
};

/** One revision in a record's history: what was done, by whom, when. */
const historyStep = {
  revision: z.number().int(),
  action: z.enum(['create', 'edit', 'delete']),
  author: z.string(),
  at: time,
};

export const noteSchema = z
  .object({
    id: recordIdSchema,
    caseId: caseIdSchema,
    artifactId: artifactIdSchema.nullable(),
    anchor: anchorSchema.nullable(),
    excerpt: z.string().nullable(),
    body: z.string(),
    ...recordStanding,
  })
  .strict();
export type Note = z.infer<typeof noteSchema>;

export const noteHistoryEntrySchema = z
  .object({
    ...historyStep,
    anchor: anchorSchema.nullable(),
    excerpt: z.string().nullable(),
    body: z.string(),
  })
  .strict();
export type NoteHistoryEntry = z.infer<typeof noteHistoryEntrySchema>;

export const noteCreateSchema = z
  .object({
    caseId: caseIdSchema,
    artifactId: artifactIdSchema.nullable().optional(),
    anchor: anchorSchema.nullable().optional(),
    excerpt: excerpt.nullable().optional(),
    body: noteBody,
  })
  .strict()
  .refine((n) => (n.anchor == null && n.excerpt == null) || n.artifactId != null, { message: 'An anchor or excerpt needs an artifact.' });
export type NoteCreate = z.infer<typeof noteCreateSchema>;

export const noteEditSchema = z
  .object({
    id: recordIdSchema,
    /** The revision the editor saw: a stale edit is refused (CONFLICT) instead of overwriting. */
    revision: revisionSchema.optional(),
    body: noteBody.optional(),
    anchor: anchorSchema.nullable().optional(),
    excerpt: excerpt.nullable().optional(),
  })
  .strict();
export type NoteEdit = z.infer<typeof noteEditSchema>;

export const findingSchema = z
  .object({
    id: recordIdSchema,
    caseId: caseIdSchema,
    title: z.string(),
    severity: severitySchema,
    status: findingStatusSchema,
    category: z.string(),
    cvssVector: z.string().nullable(),
    description: z.string(),
    artifactIds: z.array(artifactIdSchema),
    /** References to claims, samples and artifact pages (findings/finding-evidence.ts). */
    evidence: z.array(z.string()),
    ...recordStanding,
  })
  .strict();
export type Finding = z.infer<typeof findingSchema>;

export const findingHistoryEntrySchema = z
  .object({
    ...historyStep,
    title: z.string(),
    severity: severitySchema,
    status: findingStatusSchema,
    category: z.string(),
    cvssVector: z.string().nullable(),
    description: z.string(),
    artifactIds: z.array(artifactIdSchema),
    /** Null in revisions written before evidence was part of the snapshot. */
    evidence: z.array(z.string()).nullable(),
  })
  .strict();
export type FindingHistoryEntry = z.infer<typeof findingHistoryEntrySchema>;

const findingTitle = z.string().trim().min(1).max(300);
const findingCategory = z.string().trim().min(1).max(120);
const findingDescription = z.string().max(100_000);

export const findingCreateSchema = z
  .object({
    caseId: caseIdSchema,
    title: findingTitle,
    severity: severitySchema,
    category: findingCategory,
    cvssVector: cvssVector.nullable().optional(),
    description: findingDescription.default(''),
    artifactIds: artifactIds.default([]),
    status: findingStatusSchema.optional(),
    evidence: evidenceRefs.optional(),
  })
  .strict();
export type FindingCreate = z.input<typeof findingCreateSchema>;

export const findingEditSchema = z
  .object({
    id: recordIdSchema,
    revision: revisionSchema.optional(),
    title: findingTitle.optional(),
    severity: severitySchema.optional(),
    category: findingCategory.optional(),
    cvssVector: cvssVector.nullable().optional(),
    description: findingDescription.optional(),
    artifactIds: artifactIds.optional(),
    status: findingStatusSchema.optional(),
    evidence: evidenceRefs.optional(),
  })
  .strict();
export type FindingEdit = z.infer<typeof findingEditSchema>;

const deleteSchema = z.object({ id: recordIdSchema, revision: revisionSchema.optional() }).strict();

/** Where the app proposes the documentation answers a criterion (the reviewer confirms by linking it). */
export const checklistAnswerPlaceSchema = z
  .object({
    artifactId: artifactIdSchema,
    path: z.string(),
    /** "page 2", "line 44". */
    where: z.string(),
    /** The Markdown section the place is in, when known. */
    section: z.string().nullable(),
    excerpt: z.string(),
    /** The rubric phrase that found it. */
    phrase: z.string(),
  })
  .strict();
export type ChecklistAnswerPlace = z.infer<typeof checklistAnswerPlaceSchema>;

export const checklistItemStateSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    guidance: z.string(),
    status: checklistStatusSchema,
    comment: z.string(),
    artifactIds: z.array(artifactIdSchema),
    updatedBy: z.string().nullable(),
    updatedAt: time.nullable(),
    /** 0 until the item is first set. */
    revision: z.number().int().nonnegative(),
    /** Where the status is proposed from (the claims ledger), for the reviewer to confirm. */
    prefill: z.literal('claims-ledger').optional(),
    /** A criterion the documentation should answer: the proposed place, or null when none was found. */
    answer: z.object({ proposal: checklistAnswerPlaceSchema.nullable() }).strict().optional(),
  })
  .strict();
export type ChecklistItemState = z.infer<typeof checklistItemStateSchema>;

export const checklistSchema = z
  .object({
    caseId: caseIdSchema,
    rubric: z.object({ id: z.string(), version: z.string(), title: z.string() }).strict(),
    sections: z.array(z.object({ id: z.string(), title: z.string(), items: z.array(checklistItemStateSchema) }).strict()),
    /** Criteria the documentation should answer whose place the reviewer has not confirmed (no linked document). */
    unanswered: z.array(z.object({ id: z.string(), title: z.string(), proposed: z.boolean() }).strict()),
  })
  .strict();
export type Checklist = z.infer<typeof checklistSchema>;

export const checklistSetSchema = z
  .object({
    caseId: caseIdSchema,
    itemId: z.string().min(1).max(100).regex(/^[a-z0-9.-]+$/),
    status: checklistStatusSchema,
    comment: z.string().max(20_000).default(''),
    artifactIds: artifactIds.default([]),
    revision: z.number().int().nonnegative().optional(),
  })
  .strict();
export type ChecklistSet = z.input<typeof checklistSetSchema>;

const countsBy = <T extends readonly [string, ...string[]]>(values: T) => z.object(Object.fromEntries(values.map((v) => [v, z.number().int().nonnegative()])) as { [K in T[number]]: z.ZodNumber }).strict();

export const caseProgressSchema = z
  .object({
    caseId: caseIdSchema,
    rubricVersion: z.string(),
    checklist: z
      .object({
        total: z.number().int().nonnegative(),
        /** Items with any status other than `unreviewed`. */
        reviewed: z.number().int().nonnegative(),
        /** reviewed / total, 0..1. */
        completion: z.number().min(0).max(1),
        byStatus: countsBy(CHECKLIST_STATUS_VALUES),
      })
      .strict(),
    findings: z.object({ total: z.number().int().nonnegative(), bySeverity: countsBy(SEVERITY_VALUES) }).strict(),
    notes: z.number().int().nonnegative(),
  })
  .strict();
export type CaseProgress = z.infer<typeof caseProgressSchema>;

const reviewerContent = { roles: ['reviewer'] as const, content: true } as const;

export const workspaceChannels = {
  'notes.list': defineChannel({
    request: z.object({ caseId: caseIdSchema, artifactId: artifactIdSchema.optional(), includeDeleted: z.boolean().optional() }).strict(),
    response: z.object({ notes: z.array(noteSchema) }).strict(),
    ...reviewerContent,
    event: 'note.list',
  }),
  'notes.create': defineChannel({ request: noteCreateSchema, response: noteSchema, ...reviewerContent, event: 'note.create' }),
  'notes.edit': defineChannel({ request: noteEditSchema, response: noteSchema, ...reviewerContent, event: 'note.edit' }),
  'notes.delete': defineChannel({ request: deleteSchema, response: noteSchema, ...reviewerContent, event: 'note.delete' }),
  'notes.history': defineChannel({
    request: z.object({ id: recordIdSchema }).strict(),
    response: z.object({ entries: z.array(noteHistoryEntrySchema) }).strict(),
    ...reviewerContent,
    event: 'note.history',
  }),
  'findings.list': defineChannel({
    request: z.object({ caseId: caseIdSchema, includeDeleted: z.boolean().optional() }).strict(),
    response: z.object({ findings: z.array(findingSchema) }).strict(),
    ...reviewerContent,
    event: 'finding.list',
  }),
  'findings.create': defineChannel({ request: findingCreateSchema, response: findingSchema, ...reviewerContent, event: 'finding.create' }),
  'findings.edit': defineChannel({ request: findingEditSchema, response: findingSchema, ...reviewerContent, event: 'finding.edit' }),
  'findings.delete': defineChannel({ request: deleteSchema, response: findingSchema, ...reviewerContent, event: 'finding.delete' }),
  'findings.history': defineChannel({
    request: z.object({ id: recordIdSchema }).strict(),
    response: z.object({ entries: z.array(findingHistoryEntrySchema) }).strict(),
    ...reviewerContent,
    event: 'finding.history',
  }),
  'checklist.get': defineChannel({ request: z.object({ caseId: caseIdSchema }).strict(), response: checklistSchema, ...reviewerContent, event: 'checklist.view' }),
  'checklist.set': defineChannel({ request: checklistSetSchema, response: checklistItemStateSchema, ...reviewerContent, event: 'checklist.set' }),
  'case.progress': defineChannel({ request: z.object({ caseId: caseIdSchema }).strict(), response: caseProgressSchema, ...reviewerContent, event: 'case.progress' }),
  /** Every case's progress at once, for the cases list: one call and one leaf, not one per case. */
  'cases.progress': defineChannel({ request: z.object({}).strict(), response: z.array(caseProgressSchema), ...reviewerContent, event: 'case.progress' }),
};
