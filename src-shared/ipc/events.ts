/**
 * Every event the main process may push to the renderer, in one place (the other direction of
 * contract.ts). Events carry numbers only: no paths, no entry names, no ids, because they bypass the
 * access log (a progress tick is not an access; the call that caused it is logged once by the router).
 * The preload validates each payload against its schema before the page sees it, and main validates
 * before sending, so a bug on either side cannot widen what crosses.
 */
import { z } from 'zod';

/** Import phases: `verifying` the package signature (total not known yet), `storing` while every
 * file streams through its digest check into content.db, `indexing` its text for search (bytes
 * counted again from 0), then exactly one terminal `done` or `failed`. */
export const IMPORT_PHASES = ['verifying', 'storing', 'indexing', 'done', 'failed'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

const byteCount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const importProgressSchema = z
  .object({ bytesDone: byteCount, bytesTotal: byteCount, phase: z.enum(IMPORT_PHASES) })
  .strict()
  .refine((p) => p.bytesDone <= p.bytesTotal, { message: 'bytesDone exceeds bytesTotal' });
export type ImportProgressEvent = z.infer<typeof importProgressSchema>;

/** Reading an evaluation log: sample records read of those in the log, then one terminal `done`. */
export const evidenceProgressSchema = z
  .object({ samplesDone: byteCount, samplesTotal: byteCount, phase: z.enum(['reading', 'done']) })
  .strict()
  .refine((p) => p.samplesDone <= p.samplesTotal, { message: 'samplesDone exceeds samplesTotal' });
export type EvidenceProgressEvent = z.infer<typeof evidenceProgressSchema>;

/** Verifying the access log for the integrity banner: leaves verified of those the check covers. */
export const auditProgressSchema = z
  .object({ leavesDone: byteCount, leavesTotal: byteCount, phase: z.enum(['verifying']) })
  .strict()
  .refine((p) => p.leavesDone <= p.leavesTotal, { message: 'leavesDone exceeds leavesTotal' });
export type AuditProgressEvent = z.infer<typeof auditProgressSchema>;

export const EVENTS = {
  'import.progress': importProgressSchema,
  'evidence.progress': evidenceProgressSchema,
  'audit.progress': auditProgressSchema,
};

export type Events = typeof EVENTS;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

/** Where main sends events: the one window (Electron webContents, or the harness's page) that called. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
