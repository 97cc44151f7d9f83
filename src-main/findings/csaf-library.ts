/**
 * The BSI csaf-validator-lib entry points findings-validate uses, gathered in one module so that it can
 * load them with one dynamic import on first use.
 */
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the library ships no types; each layer tsconfig must see the declarations beside this file
/// <reference path="./csaf-validator-lib.d.ts" />
import * as mandatory20 from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import * as mandatory21 from '@secvisogram/csaf-validator-lib/csaf_2_1/mandatoryTests.js';

export { default as validate } from '@secvisogram/csaf-validator-lib/validate.js';
export { default as validateStrict } from '@secvisogram/csaf-validator-lib/validateStrict.js';
export { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
export { csaf_2_1_strict } from '@secvisogram/csaf-validator-lib/csaf_2_1/schemaTests.js';
export { mandatory20, mandatory21 };
