/**
 * Insider-risk controls over IPC (DESIGN §2 "curious or malicious reviewer"; ARCHITECTURE: insider-risk controls): what the renderer
 * may ask about copy, print and export, and the auditor's lookup of a forensic session code. Every
 * decision is taken in main against the policy in force; the renderer only reports attempts and asks.
 */
import { z } from 'zod';
import { defineChannel } from './channel';

/** An artifact id as the viewers hold it (the importer's "art-" ids). */
const artifactId = z.string().regex(/^art-[0-9a-f]{32}$/, 'Not a valid artifact id.');

/** Largest selection that may be copied at once (characters). Larger copies are bulk exfiltration. */
export const MAX_COPY_CHARS = 200_000;
/** Justification bounds for an export ("justification"; 20 characters forces a sentence). */
export const MIN_JUSTIFICATION_CHARS = 20;
export const MAX_JUSTIFICATION_CHARS = 2000;
/** Largest excerpt image accepted from the renderer (PNG bytes) and largest CSV excerpt (characters). */
export const MAX_EXPORT_PNG_BYTES = 16 * 1024 * 1024;
export const MAX_EXPORT_CSV_CHARS = 2_000_000;

export const controlsStatusSchema = z.object({
  copyMode: z.enum(['deny', 'fingerprint']),
  printExportMode: z.enum(['deny', 'justify']),
  classification: z.string(),
});
export type ControlsStatus = z.infer<typeof controlsStatusSchema>;

export const copyResultSchema = z.object({
  decision: z.enum(['allowed', 'denied']),
  /**
   * Where the fingerprinted text was placed: 'main' (Electron's clipboard, written by the main process;
   * `text` is null) or 'renderer' (browser preview and harness, which have no main-process clipboard:
   * `text` is the fingerprinted text for navigator.clipboard.writeText). null when denied.
   */
  placedBy: z.enum(['main', 'renderer']).nullable(),
  text: z.string().nullable(),
  /** Number of characters of the selection (as logged). */
  length: z.number().int().nonnegative(),
});
export type CopyResult = z.infer<typeof copyResultSchema>;

export const exportRequestSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('png'),
      artifactId,
      /** What the excerpt is (e.g. "page 3"), for the log and the file name. */
      label: z.string().trim().min(1).max(80),
      justification: z.string().trim().min(MIN_JUSTIFICATION_CHARS, `At least ${MIN_JUSTIFICATION_CHARS} characters.`).max(MAX_JUSTIFICATION_CHARS),
      passphrase: z.string().min(1).max(1024),
      /** The page as the viewer rendered it; decoded and re-encoded by main, never written as given. */
      png: z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_EXPORT_PNG_BYTES, 'PNG size out of range.'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('csv'),
      artifactId,
      label: z.string().trim().min(1).max(80),
      justification: z.string().trim().min(MIN_JUSTIFICATION_CHARS, `At least ${MIN_JUSTIFICATION_CHARS} characters.`).max(MAX_JUSTIFICATION_CHARS),
      passphrase: z.string().min(1).max(1024),
      csv: z.string().min(1).max(MAX_EXPORT_CSV_CHARS),
    })
    .strict(),
]);
export type ExportRequest = z.infer<typeof exportRequestSchema>;

export const exportResultSchema = z.object({
  /** The file name in the main-chosen export folder (never a path the renderer chose). */
  fileName: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;

export const watermarkResolutionSchema = z.object({
  code: z.string(),
  found: z.boolean(),
  user: z.string().nullable(),
  session: z.string().nullable(),
  workstation: z.string().nullable(),
  /** UTC ms of the `watermark.session` leaf (the unlock), and of the session's last leaf. */
  from: z.number().int().nullable(),
  to: z.number().int().nullable(),
  /** Access-log sequence number of the `watermark.session` leaf. */
  seq: z.number().int().nullable(),
});
export type WatermarkResolution = z.infer<typeof watermarkResolutionSchema>;

const reviewerContent = { roles: ['reviewer'] as const, content: true };

export const controlsChannels = {
  'controls.status': defineChannel({
    request: z.object({}).strict(),
    response: controlsStatusSchema,
    roles: ['reviewer', 'auditor'],
    event: 'controls.status',
  }),
  /** copyMode 'deny': the renderer prevented a copy/cut in a viewer and reports it (length only, no text). */
  'controls.copyAttempt': defineChannel({
    request: z.object({ artifactId, action: z.enum(['copy', 'cut']), length: z.number().int().min(0).max(100_000_000) }).strict(),
    response: z.object({ decision: z.literal('denied') }),
    ...reviewerContent,
    event: 'copy.attempt',
  }),
  /** copyMode 'fingerprint': main fingerprints the selection with the session code, logs and places it. */
  'controls.copy': defineChannel({
    // tabular: the selection comes from a table viewer, so main neutralises spreadsheet formulas in its cells.
    request: z.object({ artifactId, action: z.enum(['copy', 'cut']).default('copy'), text: z.string().min(1).max(MAX_COPY_CHARS), tabular: z.boolean().default(false) }).strict(),
    response: copyResultSchema,
    ...reviewerContent,
    event: 'copy.decision',
  }),
  /** window.print or beforeprint in any frame: always refused; the attempt is logged. */
  'controls.printAttempt': defineChannel({
    request: z.object({ where: z.enum(['window', 'frame', 'beforeprint']) }).strict(),
    response: z.object({ decision: z.literal('denied') }),
    roles: ['reviewer', 'auditor'],
    event: 'print.attempt',
  }),
  'controls.export': defineChannel({
    request: exportRequestSchema,
    response: exportResultSchema,
    ...reviewerContent,
    event: 'export.decision',
  }),
  /** The auditor console: a code decoded from a leaked screenshot or text → who, which session, when. */
  'audit.resolveWatermark': defineChannel({
    request: z.object({ code: z.string().regex(/^[0-9a-fA-F]{12}$/, 'A session code is 12 hex digits.') }).strict(),
    response: watermarkResolutionSchema,
    roles: ['auditor'],
    event: 'watermark.resolve',
  }),
};
