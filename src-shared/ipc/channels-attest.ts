/**
 * The attestation screen and the outbox over IPC (see ARCHITECTURE: attestations and sync). The app's renderer never names a file path:
 * `sync.exportMedia` writes where the reviewer chose in main's save dialog (a typed folder only in the
 * browser preview, which has no dialog), and `sync.now` contacts only the server the
 * signed policy names. Signing carries the passphrase again (step-up). Reviewer-only; `content` where
 * the call reads content.db (case facts, reviewers' keys).
 */
import { z } from 'zod';
import { RELEASE_SUMMARY_MAX_CHARS, VERDICTS } from '../attestation-types';
import { defineChannel } from './channel';

const caseId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'Not a valid id.');

/** The release summary is taken exactly as typed (no trim): it leaves as the reviewer saw it. */
export const reviewRequestSchema = z
  .object({
    caseId,
    verdict: z.enum(VERDICTS),
    releaseSummary: z.string().max(RELEASE_SUMMARY_MAX_CHARS * 2),
  })
  .strict();
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

export const attestPreviewSchema = z.object({
  /** The exact canonical JSON text of the Statement that would leave. */
  json: z.string(),
  /** Fields whose values are fixed only at signing (shown as predicted). */
  predictedFields: z.array(z.string()),
});

export const attestSignedSchema = z.object({
  envelopeSha256: z.string(),
  /** The signed Statement's canonical JSON text, as it left the signer. */
  json: z.string(),
  sequence: z.number().int(),
  accessLogIndex: z.number().int(),
});

export const outboxItemViewSchema = z.object({
  envelopeSha256: z.string(),
  label: z.string(),
  predicateType: z.string(),
  state: z.enum(['pending', 'delivered']),
  createdAt: z.number().int(),
  attempts: z.number().int(),
  nextAttemptAt: z.number().int(),
  lastError: z.string().nullable(),
  deliveredAt: z.number().int().nullable(),
  /** Index in the central server's log, from the verified receipt. */
  serverLogIndex: z.number().int().nullable(),
});
export type OutboxItemView = z.infer<typeof outboxItemViewSchema>;

export const outboxListSchema = z.object({
  items: z.array(outboxItemViewSchema),
  enrolled: z.boolean(),
  /** The server the signed policy names, or null: then only removable media carry attestations. */
  serverUrl: z.string().nullable(),
  witnessedSize: z.number().int().nullable(),
});

export const mediaExportSchema = z.object({
  /** The bundle folder's name inside the main-chosen export folder. */
  bundleName: z.string(),
  items: z.number().int(),
  files: z.array(z.object({ name: z.string(), sha256: z.string(), size: z.number().int() })),
  witnessSize: z.number().int().nullable(),
});

/**
 * Where a media bundle goes. In the app, main asks with the system's save dialog and the renderer names
 * nothing (a folder sent from the app's renderer is refused); in the browser preview, which has no
 * system dialog, the reviewer may type a folder, which must exist and be absolute. Without either, the
 * workstation's export folder.
 */
export const mediaExportRequestSchema = z.object({ folder: z.string().min(1).max(4096).optional() }).strict();

export const mediaExportResultSchema = z.union([
  z.object({ cancelled: z.literal(true) }).strict(),
  mediaExportSchema.extend({
    cancelled: z.literal(false),
    /** The bundle folder's full path when the reviewer chose where; null for the workstation's export folder. */
    where: z.string().nullable(),
  }),
]);

export const syncNowSchema = z.object({
  mode: z.enum(['offline', 'network']),
  delivered: z.number().int(),
  failed: z.number().int(),
  deferred: z.number().int(),
  witness: z.enum(['cosigned', 'conflict', 'refused', 'unreachable', 'nothing-new', 'not-asked']),
});

const empty = z.object({}).strict();

export const attestChannels = {
  'attest.preview': defineChannel({
    request: reviewRequestSchema,
    response: attestPreviewSchema,
    roles: ['reviewer'],
    event: 'attestation.preview',
    content: true,
  }),
  'attest.sign': defineChannel({
    request: reviewRequestSchema.extend({ passphrase: z.string().min(1).max(1024) }).strict(),
    response: attestSignedSchema,
    roles: ['reviewer'],
    // The service writes `attestation.sign` itself (its leaf index goes into the predicate).
    event: 'attestation.sign.request',
    content: true,
  }),
  'outbox.list': defineChannel({
    request: empty,
    response: outboxListSchema,
    roles: ['reviewer'],
    event: 'outbox.list',
    content: true,
  }),
  'sync.exportMedia': defineChannel({
    request: mediaExportRequestSchema,
    response: mediaExportResultSchema,
    roles: ['reviewer'],
    event: 'sync.export.request',
    content: true,
  }),
  'sync.now': defineChannel({
    request: empty,
    response: syncNowSchema,
    roles: ['reviewer'],
    event: 'sync.request',
    content: true,
  }),
};
