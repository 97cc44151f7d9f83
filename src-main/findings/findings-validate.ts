/**
 * Every findings document is validated before a byte of it is written: CSAF 2.0 with the BSI
 * csaf-validator-lib in strict mode (its strict 2.0 schema and every mandatory test, §6.1 of the
 * standard), CSAF 2.1 with the library's 2.1 strict schema and 2.1 mandatory tests, OpenVEX with our
 * schema of v0.2.0. A failure names the test and the place in the document. The CSAF checks run on a
 * worker thread (csaf-validator-thread.ts).
 */
import { RwError } from '../../src-shared/errors';
import { checkCsaf } from './csaf-validator-thread';
import type { FindingsFormat } from './findings-document';
import { checkOpenVex } from './openvex-schema';

export interface FindingsValidation {
  ok: boolean;
  /** Which checks ran, for the access log and the report. */
  checks: string[];
  errors: string[];
}

export async function validateFindingsDocument(format: FindingsFormat, doc: unknown): Promise<FindingsValidation> {
  if (format === 'openvex') {
    const r = checkOpenVex(doc);
    return { ok: r.ok, checks: ['openvex-0.2.0-schema'], errors: r.ok ? [] : r.errors };
  }
  const result = await checkCsaf(format, doc);
  const errors = result.tests.flatMap((t) => (t.isValid ? [] : t.errors.length ? t.errors.map((e) => `${t.name} ${e.instancePath || '/'}: ${e.message}`) : [`${t.name}: failed`]));
  return { ok: result.isValid, checks: result.tests.map((t) => t.name), errors };
}

/** Throws INVALID_INPUT naming the first failures; the caller writes nothing. */
export async function requireValidFindingsDocument(format: FindingsFormat, doc: unknown): Promise<FindingsValidation> {
  const v = await validateFindingsDocument(format, doc);
  if (!v.ok) throw new RwError('INVALID_INPUT', `The ${format} document failed validation: ${v.errors.slice(0, 3).join('; ')}`, { failures: v.errors.length });
  return v;
}
