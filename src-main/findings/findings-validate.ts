/**
 * Every findings document is validated before a byte of it is written: CSAF 2.0 with the BSI
 * csaf-validator-lib in strict mode (its strict 2.0 schema and every mandatory test, §6.1 of the
 * standard), CSAF 2.1 with the library's 2.1 strict schema and 2.1 mandatory tests, OpenVEX with our
 * schema of v0.2.0. A failure names the test and the place in the document.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the library ships no types; each layer tsconfig must see the declarations beside this file
/// <reference path="./csaf-validator-lib.d.ts" />
import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
import { RwError } from '../../src-shared/errors';
import type { FindingsFormat } from './findings-document';
import { checkOpenVex } from './openvex-schema';

export interface FindingsValidation {
  ok: boolean;
  /** Which checks ran, for the access log and the report. */
  checks: string[];
  errors: string[];
}

/** The test functions a module namespace exports (as `import * as` listed them). */
function testsOf(namespace: object): DocumentTest[] {
  return Object.values(namespace).filter((t): t is DocumentTest => typeof t === 'function');
}

/**
 * The library compiles every CSAF schema with Ajv as it is imported — tens of seconds of CPU on a
 * loaded two-core laptop — so it is loaded on the first export, never at app or rwctl start.
 */
async function loadValidators() {
  const [{ default: validate }, { default: validateStrict }, mandatory20, schemas20, mandatory21, schemas21] = await Promise.all([
    import('@secvisogram/csaf-validator-lib/validate.js'),
    import('@secvisogram/csaf-validator-lib/validateStrict.js'),
    import('@secvisogram/csaf-validator-lib/mandatoryTests.js'),
    import('@secvisogram/csaf-validator-lib/schemaTests.js'),
    import('@secvisogram/csaf-validator-lib/csaf_2_1/mandatoryTests.js'),
    import('@secvisogram/csaf-validator-lib/csaf_2_1/schemaTests.js'),
  ]);
  return {
    csaf: (doc: unknown) => validateStrict([schemas20.csaf_2_0_strict, ...testsOf(mandatory20)], doc),
    // The 2.1 modules are outside validateStrict's list of known tests (it knows 2.0 only), so 2.1 runs
    // through validate with exactly the library's own 2.1 test functions.
    csaf21: (doc: unknown) => validate([schemas21.csaf_2_1_strict, ...testsOf(mandatory21)], doc),
  };
}

let validators: ReturnType<typeof loadValidators> | null = null;

/** Loads (once) the CSAF validators; the first export awaits it, tests may warm it up front. */
export function loadCsafValidators(): ReturnType<typeof loadValidators> {
  validators ??= loadValidators();
  return validators;
}

export async function validateFindingsDocument(format: FindingsFormat, doc: unknown): Promise<FindingsValidation> {
  if (format === 'openvex') {
    const r = checkOpenVex(doc);
    return { ok: r.ok, checks: ['openvex-0.2.0-schema'], errors: r.ok ? [] : r.errors };
  }
  const result = await (await loadCsafValidators())[format](doc);
  const errors = result.tests.flatMap((t) => (t.isValid ? [] : t.errors.length ? t.errors.map((e) => `${t.name} ${e.instancePath || '/'}: ${e.message}`) : [`${t.name}: failed`]));
  return { ok: result.isValid, checks: result.tests.map((t) => t.name), errors };
}

/** Throws INVALID_INPUT naming the first failures; the caller writes nothing. */
export async function requireValidFindingsDocument(format: FindingsFormat, doc: unknown): Promise<FindingsValidation> {
  const v = await validateFindingsDocument(format, doc);
  if (!v.ok) throw new RwError('INVALID_INPUT', `The ${format} document failed validation: ${v.errors.slice(0, 3).join('; ')}`, { failures: v.errors.length });
  return v;
}
