/**
 * The access log over IPC (see ARCHITECTURE: access log). Auditor channels read audit.db only (an auditor's slot opens
 * nothing else); the integrity banner is open to reviewers too (anyone signed in may know whether the log
 * is intact). `artifact.view` is the viewers' report of what is in view (open, the page or region shown,
 * close with the dwell time): a reviewer-only content channel whose every call is itself the leaf.
 */
import { z } from 'zod';
import { defineChannel } from './channel';

const time = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const page = z.number().int().min(1).max(1_000_000);
const token = z.string().min(1).max(256);
/** Artifact ids are minted by the importer (plain tokens). */
const artifactId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'Not a valid id.');
export const auditOutcomeSchema = z.enum(['success', 'failure', 'denied']);

export const leafFilterSchema = z
  .object({
    from: time.optional(),
    to: time.optional(),
    user: z.string().min(1).max(64).optional(),
    event: token.optional(),
    /** Any object id; for artifacts, the artifact id. */
    artifactId: z.string().min(1).max(512).optional(),
    outcome: auditOutcomeSchema.optional(),
    page: page.optional(),
    /** Only what happened before anyone signed in (the "(before sign-in)" row). */
    beforeSignIn: z.literal(true).optional(),
  })
  .strict()
  .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { message: 'from is after to.' });
export type LeafFilterRequest = z.infer<typeof leafFilterSchema>;

export const leafViewSchema = z.object({
  v: z.number().int(),
  seq: z.number().int(),
  ts: z.number().int(),
  mono: z.number().int(),
  device: z.string(),
  app: z.string(),
  actor: z.object({ user: z.string().nullable(), role: z.string() }),
  session: z.string().nullable(),
  event: z.string(),
  object: z.object({ kind: z.string(), id: z.string(), name: z.string().nullable(), digest: z.string().nullable() }).nullable(),
  outcome: auditOutcomeSchema,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  /** The stored bytes no longer parse: shown, flagged, never hidden. */
  damaged: z.boolean().optional(),
});
export type LeafViewDto = z.infer<typeof leafViewSchema>;

export const auditSummarySchema = z.object({
  perUser: z.array(z.object({ user: z.string().nullable(), role: z.string(), events: z.number(), denied: z.number(), first: z.number(), last: z.number() })),
  /** name: what the log called the artifact (its path in the package), null when no leaf named it. */
  perArtifact: z.array(z.object({ artifactId: z.string(), name: z.string().nullable(), events: z.number(), users: z.number(), opens: z.number(), dwellMs: z.number() })),
  /** Start of each hour (UTC ms) with its event count, ascending. */
  perHour: z.array(z.object({ hour: z.number(), events: z.number() })),
  /** Count of closes per dwell bucket (labels in dwellBuckets), per artifact. */
  dwell: z.array(z.object({ artifactId: z.string(), buckets: z.array(z.number()) })),
  dwellBuckets: z.array(z.string()),
});
export type AuditSummaryDto = z.infer<typeof auditSummarySchema>;

export const auditProblemSchema = z.object({ seq: z.number(), kind: z.string(), message: z.string() });

export const auditIntegritySchema = z.object({
  ok: z.boolean(),
  /** Leaves in the log. */
  size: z.number(),
  /** Leaves 0..verifiedSize-1 passed every check ("verified through leaf verifiedSize-1"). */
  verifiedSize: z.number(),
  root: z.string(),
  problems: z.array(auditProblemSchema),
  lastCheckpoint: z.object({ size: z.number(), ts: z.number() }).nullable(),
  /** The latest checkpoint the central witness cosigned (size S at time T), when any. */
  lastWitnessed: z.object({ size: z.number(), ts: z.number(), ok: z.boolean() }).nullable(),
  checkedAt: z.number(),
  /** Set when this check resumed one saved half way: entries 0..from-1 were verified by it, begun at verifiedAt. */
  resumed: z.object({ from: z.number(), verifiedAt: z.number() }).nullable().optional(),
});
export type AuditIntegrityDto = z.infer<typeof auditIntegritySchema>;

/** Per user and session: `views` is how often the artifact was opened (with a page: how often that page came into view), `dwellMs` for how long. */
export const whoSawSchema = z.object({
  rows: z.array(z.object({ user: z.string().nullable(), session: z.string().nullable(), views: z.number(), first: z.number(), last: z.number(), dwellMs: z.number() })),
});

export type WhoSawDto = z.infer<typeof whoSawSchema>;

export const workingHoursSchema = z
  .object({
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
    utcOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60),
    weekendsOff: z.boolean(),
  })
  .strict()
  .refine((h) => h.startHour < h.endHour, { message: 'startHour must be before endHour.' });

export const auditFlagsSchema = z.object({
  /** One per session: its first off-hours leaf, how many it had and the last one's time. */
  offHours: z.array(
    z.object({
      seq: z.number(),
      ts: z.number(),
      user: z.string().nullable(),
      event: z.string(),
      objectId: z.string().nullable(),
      objectName: z.string().nullable(),
      session: z.string().nullable(),
      count: z.number(),
      lastTs: z.number(),
    }),
  ),
  /** The working hours the flag used (the signed policy's), in words. */
  workingHours: z.string(),
  fastPaging: z.array(
    z.object({
      user: z.string().nullable(),
      session: z.string().nullable(),
      artifactId: z.string(),
      artifactName: z.string().nullable(),
      fromSeq: z.number(),
      toSeq: z.number(),
      pages: z.number(),
      startTs: z.number(),
      endTs: z.number(),
      msPerPage: z.number(),
    }),
  ),
});
export type AuditFlagsDto = z.infer<typeof auditFlagsSchema>;

export const artifactViewRequestSchema = z
  .object({
    artifactId,
    action: z.enum(['open', 'view', 'close']),
    page: page.optional(),
    /** What part is in view, e.g. "0,0.25,1,0.5" (x,y,w,h as page fractions) or a heading or row range. */
    region: z.string().min(1).max(200).optional(),
    /** Time the artifact (or page) was in view, for close and view. */
    dwellMs: z.number().int().min(0).max(7 * 24 * 3_600_000).optional(),
  })
  .strict();
export type ArtifactViewRequest = z.infer<typeof artifactViewRequestSchema>;

export const auditChannels = {
  'audit.query': defineChannel({
    request: z.object({ filter: leafFilterSchema, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), limit: z.number().int().min(1).max(1000) }).strict(),
    response: z.object({ total: z.number(), offset: z.number(), rows: z.array(leafViewSchema) }),
    roles: ['auditor'],
    event: 'audit.query',
  }),
  'audit.summary': defineChannel({
    request: z.object({ filter: leafFilterSchema }).strict(),
    response: auditSummarySchema,
    roles: ['auditor'],
    event: 'audit.summary',
  }),
  'audit.integrity': defineChannel({
    request: z.object({}).strict(),
    response: auditIntegritySchema,
    roles: ['auditor', 'reviewer'],
    event: 'audit.integrity',
  }),
  'audit.whoSaw': defineChannel({
    request: z
      .object({ artifactId: z.string().min(1).max(512), page: page.optional(), from: time, to: time })
      .strict()
      .refine((r) => r.from <= r.to, { message: 'from is after to.' }),
    response: whoSawSchema,
    roles: ['auditor'],
    event: 'audit.query',
  }),
  'audit.exportBundle': defineChannel({
    request: z.object({}).strict(),
    response: z.object({ written: z.boolean(), where: z.string().nullable(), fileName: z.string().nullable(), leaves: z.number().int() }),
    roles: ['auditor'],
    event: 'audit.export',
  }),
  'audit.flags': defineChannel({
    request: z
      .object({
        filter: leafFilterSchema,
        hours: workingHoursSchema.optional(),
        pace: z.object({ minMsPerPage: z.number().int().min(100).max(600_000), minPages: z.number().int().min(2).max(1000) }).strict().optional(),
      })
      .strict(),
    response: auditFlagsSchema,
    roles: ['auditor'],
    event: 'audit.query',
  }),
  'artifact.view': defineChannel({
    request: artifactViewRequestSchema,
    response: z.object({ logged: z.literal(true) }),
    roles: ['reviewer'],
    content: true,
    event: 'artifact.view',
  }),
};
