/**
 * `submission.json`: the package metadata (DESIGN §5), inside the signed set, parsed strictly (no
 * duplicate keys, no unknown fields) only after its bytes matched their signed digest.
 */
import { z } from 'zod';
import { parseStrictJson } from '../../src-shared/strict-json';
import { packageRefused } from './package-refusal';

export const SUBMISSION_FILE = 'submission.json';
export const MAX_SUBMISSION_BYTES = 256 * 1024;

const text = (max: number) => z.string().trim().min(1).max(max);
/** A calendar date (UTC) or a full RFC 3339 timestamp with zone. */
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const submissionSchema = z
  .object({
    model: text(200),
    developer: text(200),
    version: text(100),
    submitted_at: z.iso.datetime({ offset: true }),
    /** Planned public release date. */
    release_date: dateOrTime,
    /** When the review must be complete. */
    review_deadline: dateOrTime,
    description: z.string().max(4000).optional(),
    contact: z.string().max(400).optional(),
  })
  .strict();

export type Submission = z.infer<typeof submissionSchema>;

export function parseSubmission(bytes: Uint8Array): Submission {
  let value: unknown;
  try {
    value = parseStrictJson(bytes, { maxBytes: MAX_SUBMISSION_BYTES, maxDepth: 8 });
  } catch {
    throw packageRefused(SUBMISSION_FILE, 'submission-invalid', 'not strict JSON');
  }
  const parsed = submissionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'document';
    throw packageRefused(SUBMISSION_FILE, 'submission-invalid', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const DAY_MS = 86_400_000;

/** A date-only deadline means the end of that UTC day. */
export function deadlineMs(deadline: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return Date.parse(`${deadline}T00:00:00Z`) + DAY_MS - 1;
  return Date.parse(deadline);
}

/**
 * Days to the deadline, a partial day counting as one either way: 3 means "due within 3 days", -1
 * means "overdue by up to a day". 0 only at the deadline itself.
 */
export function daysLeft(deadline: string, now: number): number {
  const ms = deadlineMs(deadline) - now;
  return ms >= 0 ? Math.ceil(ms / DAY_MS) : -Math.ceil(-ms / DAY_MS);
}
