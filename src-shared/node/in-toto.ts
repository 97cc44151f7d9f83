/**
 * in-toto Statement v1 (github.com/in-toto/attestation spec/v1/statement.md): what our attestations and
 * OMS submission signatures say, carried as a DSSE payload of type application/vnd.in-toto+json.
 *
 * Parsing is stricter than the spec where the spec allows ambiguity that could mislead a reviewer or the
 * central office: a sha256 digest is required on every subject (the only algorithm we check), digests must
 * be lowercase hex, subject names must be unique, and the predicate must be a JSON object. Unknown
 * top-level and subject members are dropped (the spec tells consumers to ignore them).
 */
import { z } from 'zod';
import { RwError } from '../errors';
import { canonicalBytes } from '../canonical-json';
import { parseStrictJson } from '../strict-json';
import { toHex } from '../encoding';
import type { VerifiedEnvelope } from './dsse';

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

const hexDigest = (length: number) => z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), { message: `must be ${length} lowercase hex digits` });

export const inTotoSubjectSchema = z.object({
  name: z.string().min(1),
  digest: z
    .object({ sha256: hexDigest(64) })
    // Other algorithms may ride along (spec DigestSet) but must still be lowercase hex.
    .catchall(z.string().regex(/^[0-9a-f]+$/, { message: 'must be lowercase hex' })),
});

/** An absolute URI with a scheme (predicate types are URIs, e.g. https://model_signing/signature/v1.0). */
const uriSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/, { message: 'must be an absolute URI' });

export const inTotoStatementSchema = z
  .object({
    _type: z.literal(IN_TOTO_STATEMENT_V1),
    subject: z.array(inTotoSubjectSchema).min(1),
    predicateType: uriSchema,
    predicate: z.record(z.string(), z.unknown()),
  })
  .superRefine((statement, ctx) => {
    const names = new Set<string>();
    for (const subject of statement.subject) {
      if (names.has(subject.name)) ctx.addIssue({ code: 'custom', message: `duplicate subject name ${JSON.stringify(subject.name)}`, path: ['subject'] });
      names.add(subject.name);
    }
  });

export type InTotoSubject = z.infer<typeof inTotoSubjectSchema>;
export type InTotoStatement<P = Record<string, unknown>> = Omit<z.infer<typeof inTotoStatementSchema>, 'predicate'> & { predicate: P };

export interface StatementSubjectInput {
  name: string;
  /** 32-byte SHA-256 digest, or its lowercase hex. */
  sha256: Uint8Array | string;
}

/** Build and validate a Statement (throws INVALID_INPUT when the result would not parse back). */
export function buildStatement<P extends Record<string, unknown>>(input: {
  subjects: readonly StatementSubjectInput[];
  predicateType: string;
  predicate: P;
}): InTotoStatement<P> {
  const statement = {
    _type: IN_TOTO_STATEMENT_V1,
    subject: input.subjects.map((s) => ({ name: s.name, digest: { sha256: typeof s.sha256 === 'string' ? s.sha256 : toHex(s.sha256) } })),
    predicateType: input.predicateType,
    predicate: input.predicate,
  };
  validate(statement);
  return statement as InTotoStatement<P>;
}

/** The payload bytes to sign: RFC 8785 canonical JSON, so the same statement always signs the same bytes. */
export function statementBytes(statement: InTotoStatement<unknown>): Uint8Array {
  return canonicalBytes(statement);
}

function validate(value: unknown): InTotoStatement {
  const result = inTotoStatementSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'statement';
    throw new RwError('INVALID_INPUT', `Not a valid in-toto Statement v1: ${where} ${issue?.message ?? 'is malformed'}.`, { field: where });
  }
  return result.data as InTotoStatement;
}

export interface ParseStatementOptions<P> {
  /** Refuse statements of any other predicate type (INVALID_INPUT). */
  predicateType?: string;
  /** Validate the predicate too; the parsed predicate is returned typed. */
  predicateSchema?: z.ZodType<P>;
  maxBytes?: number;
}

/**
 * Parse statement payload bytes (strict JSON: duplicate keys refused) and validate them. Call this only on
 * bytes that a signature check already authenticated (see parseVerifiedStatement).
 */
export function parseStatement<P = Record<string, unknown>>(payload: Uint8Array, options: ParseStatementOptions<P> = {}): InTotoStatement<P> {
  const statement = validate(parseStrictJson(payload, { maxBytes: options.maxBytes ?? 4 * 1024 * 1024 }));
  if (options.predicateType !== undefined && statement.predicateType !== options.predicateType) {
    throw new RwError('INVALID_INPUT', `Unexpected predicate type (expected ${options.predicateType}).`, { predicateType: statement.predicateType });
  }
  if (!options.predicateSchema) return statement as InTotoStatement<P>;
  const predicate = options.predicateSchema.safeParse(statement.predicate);
  if (!predicate.success) {
    const issue = predicate.error.issues[0];
    throw new RwError('INVALID_INPUT', `Invalid predicate: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'malformed'}.`);
  }
  return { ...statement, predicate: predicate.data };
}

/** Parse the payload of a verified DSSE envelope, refusing any payload type but in-toto's. */
export function parseVerifiedStatement<P = Record<string, unknown>>(verified: VerifiedEnvelope, options: ParseStatementOptions<P> = {}): InTotoStatement<P> {
  if (verified.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new RwError('INVALID_INPUT', `The envelope does not carry an in-toto statement (${IN_TOTO_PAYLOAD_TYPE}).`, { payloadType: verified.payloadType });
  }
  return parseStatement(verified.payload, options);
}
