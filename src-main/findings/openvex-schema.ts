/**
 * OpenVEX v0.2.0 (the OpenVEX specification v0.2.0 and its JSON schema, written here as zod): the
 * document needs @context, @id, author, timestamp, version ≥ 1 and at least one statement; a statement
 * a vulnerability with a name and one of four statuses; `not_affected` exactly one of a justification
 * or an impact statement; `affected` an action statement. Nothing beyond the listed properties.
 */
import { z } from 'zod';

const dateTime = z.iso.datetime({ offset: true });
const iri = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'an IRI');

const identifiers = z.object({ purl: z.string().optional(), '@cpe22': z.string().optional(), '@cpe23': z.string().optional() }).strict();
const hashNames = ['md5', 'sha1', 'sha-256', 'sha-384', 'sha-512', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'blake2s-256', 'blake2b-256', 'blake2b-512'] as const;
const hashes = z.object(Object.fromEntries(hashNames.map((h) => [h, z.string().optional()]))).strict();
const subcomponent = z.object({ '@id': iri.optional(), identifiers: identifiers.optional(), hashes: hashes.optional() }).strict();
const component = z
  .object({ '@id': iri.optional(), identifiers: identifiers.optional(), hashes: hashes.optional(), subcomponents: z.array(subcomponent).optional() })
  .strict();

export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

const statement = z
  .object({
    '@id': iri.optional(),
    version: z.number().int().min(1).optional(),
    vulnerability: z.object({ '@id': iri.optional(), name: z.string(), description: z.string().optional(), aliases: z.array(z.string()).optional() }).strict(),
    timestamp: dateTime.optional(),
    last_updated: dateTime.optional(),
    products: z.array(component).optional(),
    status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
    supplier: z.string().optional(),
    status_notes: z.string().optional(),
    justification: z.enum(OPENVEX_JUSTIFICATIONS).optional(),
    impact_statement: z.string().optional(),
    action_statement: z.string().optional(),
    action_statement_timestamp: dateTime.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.status === 'not_affected' && (s.justification === undefined) === (s.impact_statement === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a not_affected statement needs exactly one of justification or impact_statement' });
    }
    if (s.status === 'affected' && s.action_statement === undefined) ctx.addIssue({ code: 'custom', message: 'an affected statement needs an action_statement' });
  });

function unique<T>(items: readonly T[]): boolean {
  const seen = new Set(items.map((i) => JSON.stringify(i)));
  return seen.size === items.length;
}

export const openVexDocumentSchema = z
  .object({
    '@context': z.literal('https://openvex.dev/ns/v0.2.0'),
    '@id': iri,
    author: z.string(),
    role: z.string().optional(),
    timestamp: dateTime,
    last_updated: dateTime.optional(),
    version: z.number().int().min(1),
    tooling: z.string().optional(),
    statements: z.array(statement).min(1).refine(unique, 'statements must be unique'),
  })
  .strict();

export function checkOpenVex(doc: unknown): { ok: true } | { ok: false; errors: string[] } {
  const parsed = openVexDocumentSchema.safeParse(doc);
  if (parsed.success) return { ok: true };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('/') || '(document)'}: ${i.message}`) };
}
