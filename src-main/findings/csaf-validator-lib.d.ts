// The BSI validator ships JavaScript with JSDoc only; these are the few entry points we call.
/* eslint-disable no-restricted-syntax -- the library default-exports its validators; a declaration must say so. */
declare module '@secvisogram/csaf-validator-lib/validate.js' {
  export interface CsafTestResult {
    name: string;
    isValid: boolean;
    errors: { instancePath: string; message: string }[];
    warnings: { instancePath: string; message: string }[];
    infos: { instancePath: string; message: string }[];
  }
  export type DocumentTest = (doc: unknown) => unknown;
  const validate: (tests: DocumentTest[], doc: unknown) => Promise<{ isValid: boolean; tests: CsafTestResult[] }>;
  export default validate;
}
declare module '@secvisogram/csaf-validator-lib/validateStrict.js' {
  import type { CsafTestResult, DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const validateStrict: (tests: DocumentTest[], doc: unknown) => Promise<{ isValid: boolean; tests: CsafTestResult[] }>;
  export default validateStrict;
}
declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_0_strict: DocumentTest;
  export const csaf_2_0: DocumentTest;
}
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}
declare module '@secvisogram/csaf-validator-lib/csaf_2_1/schemaTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  export const csaf_2_1_strict: DocumentTest;
  export const csaf_2_1: DocumentTest;
}
declare module '@secvisogram/csaf-validator-lib/csaf_2_1/mandatoryTests.js' {
  import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
  const tests: Record<string, DocumentTest>;
  export = tests;
}
