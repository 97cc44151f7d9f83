/**
 * The review rubric: versioned JSON in assets/rubric, parsed with zod so a malformed or duplicated
 * item id is caught at start-up, not when a reviewer marks it. Checklist rows record the rubric
 * version they were set against, so a later rubric can be introduced without rewriting history.
 *
 * The shipped rubric is written for dangerous-capability evaluation reports, after the questions
 * published reporting standards ask (STREAM, arXiv 2508.09853: what was measured, elicitation and its
 * budget, grading, human baselines, results with uncertainty, interpretation), in the project's words.
 * A criterion the documentation should answer names phrases to look for (`lookFor`): the app proposes
 * where it is answered and the reviewer confirms. `prefill` names where an item's answer comes from.
 */
import { z } from 'zod';
import { RwError } from '../../src-shared/errors';
import shippedRubric from '../../assets/rubric/dangerous-capability-v2.json';

const itemSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9.-]{1,100}$/),
    title: z.string().min(1).max(200),
    guidance: z.string().min(1).max(2000),
    /** Phrases that show where the documentation answers this criterion (searched in the case's documents). */
    lookFor: z.array(z.string().min(3).max(80)).min(1).max(8).optional(),
    /** The item's status is proposed from the claims ledger (the reviewer confirms). */
    prefill: z.literal('claims-ledger').optional(),
  })
  .strict();

const sectionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    title: z.string().min(1).max(200),
    items: z.array(itemSchema).min(1).max(50),
  })
  .strict();

export const rubricSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    version: z.string().regex(/^[0-9]+(\.[0-9]+)*$/),
    title: z.string().min(1).max(200),
    sections: z.array(sectionSchema).min(1).max(50),
  })
  .strict()
  .superRefine((rubric, ctx) => {
    const seen = new Set<string>();
    for (const section of rubric.sections) {
      for (const item of section.items) {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `duplicate item id ${item.id}` });
        seen.add(item.id);
      }
    }
  });

export type Rubric = z.infer<typeof rubricSchema>;
export type RubricItem = z.infer<typeof itemSchema>;

export function parseRubric(value: unknown): Rubric {
  const parsed = rubricSchema.safeParse(value);
  if (!parsed.success) throw new RwError('INVALID_INPUT', 'The review rubric is not valid.', { issue: parsed.error.issues[0]?.message ?? 'malformed' });
  return parsed.data;
}

/** The rubric shipped with the app (assets/rubric/dangerous-capability-v2.json). */
export function defaultRubric(): Rubric {
  return parseRubric(shippedRubric);
}

export function rubricItem(rubric: Rubric, itemId: string): RubricItem | null {
  for (const section of rubric.sections) for (const item of section.items) if (item.id === itemId) return item;
  return null;
}

export function rubricItemCount(rubric: Rubric): number {
  return rubric.sections.reduce((n, s) => n + s.items.length, 0);
}
