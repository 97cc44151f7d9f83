/**
 * What the main process tells its watermark overlay (see ARCHITECTURE: insider-risk controls): the visible text fields and the
 * forensic session code. Main encodes it into the overlay page's URL fragment; the overlay parses it
 * with this schema and nothing else (src-overlay has no preload, no IPC and no other input).
 *
 * Pure, no Node and no DOM: the overlay renderer, the main process and the tests share it.
 */
import { z } from 'zod';

export const WATERMARK_FIELDS = ['user', 'workstation', 'session', 'time', 'classification'] as const;
export type WatermarkField = (typeof WATERMARK_FIELDS)[number];

const text = z.string().min(1).max(120);

export const overlayPayloadSchema = z
  .object({
    v: z.literal(1),
    /** Which fields the policy asks for, in order. */
    fields: z.array(z.enum(WATERMARK_FIELDS)).max(WATERMARK_FIELDS.length),
    user: text.nullable(),
    workstation: text.nullable(),
    classification: text.nullable(),
    /** The forensic session code (12 lower-case hex digits), or null while locked (nothing drawn). */
    code: z.string().regex(/^[0-9a-f]{12}$/).nullable(),
  })
  .strict();
export type OverlayPayload = z.infer<typeof overlayPayloadSchema>;

/** The payload of a locked app: nothing to draw (no content is on screen and no session exists). */
export const LOCKED_OVERLAY: OverlayPayload = { v: 1, fields: [], user: null, workstation: null, classification: null, code: null };

/** URL fragment form (without '#'). Fragments never reach a request, a server log or the request filter. */
export function encodeOverlayPayload(payload: OverlayPayload): string {
  return encodeURIComponent(JSON.stringify(overlayPayloadSchema.parse(payload)));
}

/** Parses a fragment (with or without '#'); null for anything that is not a valid payload. */
export function decodeOverlayPayload(fragment: string): OverlayPayload | null {
  const raw = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (raw.length === 0 || raw.length > 4096) return null;
  try {
    const result = overlayPayloadSchema.safeParse(JSON.parse(decodeURIComponent(raw)));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/** "2026-11-28 07:02 UTC": minute resolution, the time field's refresh period. */
export function formatUtcMinute(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** The visible watermark line, fields in the policy's order, at time `now`. Empty when locked. */
export function overlayLine(payload: OverlayPayload, now: number): string {
  if (payload.code === null) return '';
  const parts: string[] = [];
  for (const field of payload.fields) {
    if (field === 'user' && payload.user) parts.push(payload.user);
    if (field === 'workstation' && payload.workstation) parts.push(payload.workstation);
    if (field === 'session') parts.push(`session ${payload.code}`);
    if (field === 'time') parts.push(formatUtcMinute(now));
    if (field === 'classification' && payload.classification) parts.push(payload.classification);
  }
  return parts.join(' · ');
}
