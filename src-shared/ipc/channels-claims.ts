/**
 * The claims ledger over IPC: every numeric claim of a case's documentation with its status against
 * the recomputed evidence, and the reviewer's hand on it — link a claim to a log (or relink, or return
 * it to the automatic link), unlink it, override its status with a reason. Reviewer-only and `content`:
 * the claims quote the card, and the decisions live in content.db. The access log names the claim and
 * the decision, never the claim's sentence or the reason's text (they are review content).
 */
import { z } from 'zod';
import { defineChannel } from './channel';
import { importedArtifactIdSchema, importedCaseIdSchema } from './channels-cases';

export const CLAIM_STATUS_VALUES = ['supported', 'contradicted', 'unverifiable', 'unlinked'] as const;
export const claimStatusSchema = z.enum(CLAIM_STATUS_VALUES);
export type ClaimStatusValue = z.infer<typeof claimStatusSchema>;

/** `<artifact id>@<character offset>`: where the claim stands in an immutable document. */
export const claimKeySchema = z.string().regex(/^art-[0-9a-f]{32}@\d{1,9}$/, 'Not a claim reference.');
/** Same bounds as the service's: a reason is a sentence, not a word. */
export const MIN_OVERRIDE_REASON = 10;
export const MAX_OVERRIDE_REASON = 2000;

const nullableNumber = z.number().nullable();
const revision = z.number().int().min(0).max(1_000_000_000);

export const claimCountsSchema = z.object({ supported: z.number().int().nonnegative(), contradicted: z.number().int().nonnegative(), unverifiable: z.number().int().nonnegative(), unlinked: z.number().int().nonnegative() }).strict();
export type ClaimCounts = z.infer<typeof claimCountsSchema>;

export const ledgerEntrySchema = z
  .object({
    key: claimKeySchema,
    artifactId: z.string(),
    /** The number as it stands ("45%"), at `offset` characters into the document's text. */
    text: z.string(),
    offset: z.number().int().nonnegative(),
    sentence: z.string(),
    where: z.string(),
    task: z.string().nullable(),
    metric: z.string(),
    claimed: z.number(),
    status: claimStatusSchema,
    computedStatus: claimStatusSchema,
    message: z.string(),
    evidence: z.string().nullable(),
    evidenceRef: z.string().nullable(),
    linkedBy: z.enum(['task', 'reviewer']).nullable(),
    scorer: z.string().nullable(),
    reported: nullableNumber,
    recomputed: nullableNumber,
    override: z.object({ status: claimStatusSchema, reason: z.string(), by: z.string() }).strict().nullable(),
    link: z.enum(['auto', 'log', 'none']),
    /** The stored decision's revision (0: none yet); a change names it so a stale one is refused. */
    revision,
  })
  .strict();
export type LedgerEntryView = z.infer<typeof ledgerEntrySchema>;

export const ledgerSchema = z
  .object({
    caseId: z.string(),
    counts: claimCountsSchema,
    entries: z.array(ledgerEntrySchema),
    documents: z.array(z.object({ artifactId: z.string(), path: z.string(), text: z.string() }).strict()),
    logs: z.array(z.object({ artifactId: z.string(), path: z.string(), task: z.string(), model: z.string().nullable(), readable: z.boolean() }).strict()),
  })
  .strict();
export type LedgerView = z.infer<typeof ledgerSchema>;

export const claimLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }).strict(),
  z.object({ kind: z.literal('log'), artifactId: importedArtifactIdSchema }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
]);

const decisionSchema = z
  .object({
    caseId: z.string(),
    claimKey: claimKeySchema,
    link: claimLinkSchema,
    override: z.object({ status: claimStatusSchema, reason: z.string() }).strict().nullable(),
    author: z.string(),
    updatedAt: z.number().int().nonnegative(),
    revision: z.number().int().min(1),
  })
  .strict();

const reviewerContent = { roles: ['reviewer'] as const, content: true };

export const claimsChannels = {
  'claims.list': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema }).strict(),
    response: ledgerSchema,
    ...reviewerContent,
    // The same event `rwctl claims check --vault` writes: a check of the case's claims.
    event: 'claims.check',
  }),
  'claims.link': defineChannel({
    request: z.object({ caseId: importedCaseIdSchema, claimKey: claimKeySchema, link: claimLinkSchema, revision: revision.optional() }).strict(),
    response: decisionSchema,
    ...reviewerContent,
    event: 'claim.link',
  }),
  'claims.override': defineChannel({
    request: z
      .object({
        caseId: importedCaseIdSchema,
        claimKey: claimKeySchema,
        /** null clears the override: the evidence decides again. */
        override: z.object({ status: claimStatusSchema, reason: z.string().trim().min(MIN_OVERRIDE_REASON).max(MAX_OVERRIDE_REASON) }).strict().nullable(),
        revision: revision.optional(),
      })
      .strict(),
    response: decisionSchema,
    ...reviewerContent,
    event: 'claim.override',
  }),
};
